import { StorageClosedError, StorageError } from '../../domain/shared/errors';
import { checkAppendVersion, checkSnapshotVersion, type CatalogStore, type StoredCatalog } from './catalog-store.port';

/**
 * The CatalogStore of a node without a work dir: it keeps nothing (the catalog lives in its own memory as long as the
 * node is open), so load() finds an empty catalog. It follows the same rules as the file store — load once before
 * append, versions following on, a snapshot resetting the count — so that a catalog bug shows on aimem-only nodes too.
 */
export class InMemoryCatalogStore implements CatalogStore {
  #loaded = false;
  #closed = false;
  #last = 0;
  #sinceSnapshot = 0;

  load(): StoredCatalog {
    this.#check('load');
    if (this.#loaded) throw new StorageError('The catalog store is loaded already: load() runs once, at open');
    this.#loaded = true;
    return { snapshot: null, entries: [] };
  }

  append(version: number, _entry: unknown): void {
    this.#check('append');
    this.#checkLoaded();
    checkAppendVersion(version, this.#last);
    this.#last = version;
    this.#sinceSnapshot++;
  }

  writeSnapshot(version: number, _state: unknown): void {
    this.#check('writeSnapshot');
    this.#checkLoaded();
    checkSnapshotVersion(version, this.#last);
    this.#last = version;
    this.#sinceSnapshot = 0;
  }

  get entriesSinceSnapshot(): number {
    return this.#sinceSnapshot;
  }

  close(): void {
    this.#closed = true;
  }

  #check(call: string): void {
    if (this.#closed) throw new StorageClosedError(`The catalog store is closed: ${call}() refused`);
  }

  #checkLoaded(): void {
    if (!this.#loaded) throw new StorageError('The catalog store is not loaded: call load() before append or writeSnapshot');
  }
}
