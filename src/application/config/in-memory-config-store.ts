import type { ConfigStore } from './config-store.port';

/**
 * A ConfigStore for nodes without a work directory: the document lives as long as this object. Copies on
 * both sides, so neither the caller nor the ConfigService can change the other's objects.
 */
export class InMemoryConfigStore implements ConfigStore {
  #document: unknown = null;
  #saves = 0;

  constructor(initial: unknown = null) {
    this.#document = initial === null ? null : structuredClone(initial);
  }

  load(): unknown {
    return this.#document === null ? null : structuredClone(this.#document);
  }

  save(raw: unknown): void {
    this.#document = structuredClone(raw);
    this.#saves++;
  }

  /** How many times save() ran (lets tests see that an invalid update wrote nothing). */
  get saveCount(): number {
    return this.#saves;
  }
}
