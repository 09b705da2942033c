import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigStore } from '../../application/config/config-store.port';
import { ConfigParseError, StorageIoError } from '../../domain/shared/errors';
import { syncDirectory } from '../fs/sync-directory';

/**
 * The raw configuration as a pretty-printed JSON file (the caller picks the name, e.g. `<workDir>/aistorage.json`).
 *
 * Write order is the crash protocol: the new document goes to a temp file of a unique name
 * (`<file>.<pid>.<random>.tmp`), is fsynced, renamed over the file, then the directory is fsynced — so after a
 * crash the file holds either the old or the new document, whole. Only the holder of the work dir's lock saves
 * (openNode takes it first), so temp files of other names are leftovers of a crash: never read, removed by the
 * next save.
 */
export class JsonFileConfigStore implements ConfigStore {
  readonly #file: string;

  constructor(filePath: string) {
    this.#file = path.resolve(filePath);
  }

  get filePath(): string {
    return this.#file;
  }

  /** null if the file does not exist; ConfigParseError if it cannot be read or is not JSON. */
  load(): unknown {
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ConfigParseError(
        `Cannot read configuration file ${this.#file} (${(error as Error).message}). ` +
          `Make it a readable JSON file, or remove it to start from the defaults.`,
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ConfigParseError(
        `Configuration file ${this.#file} is not valid JSON (${(error as Error).message}). ` +
          `Fix the file (shape: {"ignite":{"storage":{"engines":{...},"profiles":[...]}}}), ` +
          `or remove it to start from the defaults.`,
      );
    }
  }

  save(raw: unknown): void {
    const tmp = `${this.#file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const text = `${JSON.stringify(raw, null, 2)}\n`;
    try {
      writeSynced(tmp, text);
      fs.renameSync(tmp, this.#file);
    } catch (error) {
      removeQuietly(tmp);
      throw new StorageIoError(
        `Cannot write configuration file ${this.#file} (${(error as Error).message}); the previous file is unchanged.`,
      );
    }
    syncDirectory(path.dirname(this.#file));
    this.#removeLeftoverTemps();
  }

  #removeLeftoverTemps(): void {
    const dir = path.dirname(this.#file);
    const prefix = `${path.basename(this.#file)}.`;
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) if (name.startsWith(prefix) && name.endsWith('.tmp')) removeQuietly(path.join(dir, name));
  }
}

/** Best-effort cleanup on a failure path: the original error is the one worth reporting. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // A leftover .tmp is harmless: load() never reads it and the next save() overwrites it.
  }
}

function writeSynced(file: string, text: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, text, 'utf8');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
