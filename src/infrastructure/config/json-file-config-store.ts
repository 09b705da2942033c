import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { ConfigStore } from '../../application/config/config-store.port';
import { readWholeFile, replaceFileAtomically, type FileIo } from '../../domain/ports/file-io.port';
import { ConfigParseError, StorageIoError } from '../../domain/shared/errors';
import { NodeFileIo } from '../fs/node-file-io';

/**
 * The raw configuration as a pretty-printed JSON file (the caller picks the name, e.g. `<workDir>/aistorage.json`),
 * through the FileIo port (tests swap in a power-loss simulation).
 *
 * Write order is the crash protocol (replaceFileAtomically): the new document goes to a temp file of a unique name
 * (`<file>.<pid>.<random>.tmp`), is synced, renamed over the file, then the directory is synced — so after a crash
 * the file holds either the old or the new document, whole. Only the holder of the work dir's lock saves (openNode
 * takes it first), so temp files of other names are leftovers of a crash: never read, removed by the next save.
 */
export class JsonFileConfigStore implements ConfigStore {
  readonly #file: string;

  constructor(
    filePath: string,
    private readonly io: FileIo = new NodeFileIo(),
  ) {
    this.#file = path.resolve(filePath);
  }

  get filePath(): string {
    return this.#file;
  }

  /** null if the file does not exist; ConfigParseError if it cannot be read or is not JSON. */
  load(): unknown {
    let bytes: Uint8Array | null;
    try {
      bytes = readWholeFile(this.io, this.#file);
    } catch (error) {
      throw new ConfigParseError(
        `Cannot read configuration file ${this.#file} (${(error as Error).message}). ` +
          `Make it a readable JSON file, or remove it to start from the defaults.`,
      );
    }
    if (bytes === null) return null;
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
    } catch (error) {
      throw new ConfigParseError(
        `Configuration file ${this.#file} is not valid JSON (${(error as Error).message}). ` +
          `Fix the file (shape: {"ignite":{"storage":{"engines":{...},"profiles":[...]}}}), ` +
          `or remove it to start from the defaults.`,
      );
    }
  }

  save(raw: unknown): void {
    const bytes = new TextEncoder().encode(`${JSON.stringify(raw, null, 2)}\n`);
    try {
      replaceFileAtomically(this.io, this.#file, bytes, `${process.pid}.${randomBytes(6).toString('hex')}`);
    } catch (error) {
      throw new StorageIoError(
        `Cannot write configuration file ${this.#file} (${(error as Error).message}); the previous file is unchanged. ` +
          `Check the disk's free space and the directory's permissions.`,
      );
    }
    this.#removeLeftoverTemps();
  }

  #removeLeftoverTemps(): void {
    const dir = path.dirname(this.#file);
    const prefix = `${path.basename(this.#file)}.`;
    try {
      for (const name of this.io.list(dir)) if (name.startsWith(prefix) && name.endsWith('.tmp')) this.io.remove(path.join(dir, name));
    } catch {
      // A leftover temp file is harmless: load() never reads it, and the next save tries again.
    }
  }
}
