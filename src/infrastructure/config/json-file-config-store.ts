import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigStore } from '../../application/config/config-store.port';
import { ConfigParseError, StorageIoError } from '../../domain/shared/errors';

/**
 * The raw configuration as a pretty-printed JSON file (the caller picks the name, e.g. `<workDir>/aistorage.json`).
 *
 * Write order is the crash protocol: the new document goes to `<file>.tmp`, is fsynced, renamed over the file,
 * then the directory is fsynced — so after a crash the file holds either the old or the new document, whole.
 * A `.tmp` left by a crash is never read and is overwritten by the next save.
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
    const tmp = `${this.#file}.tmp`;
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

/** Makes the rename durable. Some platforms (Windows) cannot open or fsync a directory; there it is skipped. */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EPERM/EINVAL on platforms without directory fsync: the rename itself is still atomic.
  } finally {
    fs.closeSync(fd);
  }
}
