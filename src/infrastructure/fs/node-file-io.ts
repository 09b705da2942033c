import * as fs from 'node:fs';
import type { FileHandle, FileIo, OpenMode } from '../../domain/ports/file-io.port';
import { syncDirectory, syncDirectoryAsync } from './sync-directory';

const FLAGS: Readonly<Record<OpenMode, string>> = { read: 'r', write: 'r+', create: 'a+', createNew: 'wx+' };

/**
 * FileIo on the real file system: Node's synchronous positional calls (fine off the hot path: configuration, and
 * with aipersist page misses, checkpoints and log syncs that run between closures). `create` opens with 'a+' to
 * create without truncating, then reopens 'r+' so that positional writes are not forced to the end (O_APPEND).
 */
export class NodeFileIo implements FileIo {
  /** Async operations in flight per descriptor, and descriptors whose close waits for them. */
  readonly #inFlight = new Map<number, number>();
  readonly #closeWhenIdle = new Set<number>();

  open(path: string, mode: OpenMode): FileHandle {
    if (mode !== 'create') return fs.openSync(path, FLAGS[mode]);
    fs.closeSync(fs.openSync(path, 'a'));
    return fs.openSync(path, 'r+');
  }

  read(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): number {
    return fs.readSync(handle, buffer, offset, length, position);
  }

  write(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): void {
    let done = 0;
    while (done < length) done += fs.writeSync(handle, buffer, offset + done, length - done, position + done);
  }

  sync(handle: FileHandle): void {
    fs.fdatasyncSync(handle);
  }

  writeAsync(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<void> {
    return this.#track(handle, new Promise<void>((resolve, reject) => {
      const step = (done: number): void => {
        if (done >= length) return resolve();
        fs.write(handle, buffer, offset + done, length - done, position + done, (err, n) => (err === null ? step(done + n) : reject(err)));
      };
      step(0);
    }));
  }

  syncAsync(handle: FileHandle): Promise<void> {
    return this.#track(handle, new Promise<void>((resolve, reject) => fs.fdatasync(handle, (err) => (err === null ? resolve() : reject(err)))));
  }

  size(handle: FileHandle): number {
    return fs.fstatSync(handle).size;
  }

  truncate(handle: FileHandle, length: number): void {
    fs.ftruncateSync(handle, length);
  }

  close(handle: FileHandle): void {
    // A descriptor closed under a write in flight could be reused by the next open and take that write: wait.
    if ((this.#inFlight.get(handle) ?? 0) > 0) this.#closeWhenIdle.add(handle);
    else fs.closeSync(handle);
  }

  #track(handle: number, op: Promise<void>): Promise<void> {
    this.#inFlight.set(handle, (this.#inFlight.get(handle) ?? 0) + 1);
    const settled = (): void => {
      const left = this.#inFlight.get(handle)! - 1;
      if (left > 0) {
        this.#inFlight.set(handle, left);
        return;
      }
      this.#inFlight.delete(handle);
      if (this.#closeWhenIdle.delete(handle)) fs.close(handle, () => {});
    };
    op.then(settled, settled);
    return op;
  }

  rename(from: string, to: string): void {
    fs.renameSync(from, to);
  }

  link(existing: string, newPath: string): void {
    fs.linkSync(existing, newPath);
  }

  remove(path: string): void {
    fs.rmSync(path, { force: true });
  }

  syncDir(dir: string): void {
    syncDirectory(dir);
  }

  syncDirAsync(dir: string): Promise<void> {
    return syncDirectoryAsync(dir);
  }

  async removeAsync(path: string): Promise<void> {
    await fs.promises.rm(path, { force: true });
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  exists(path: string): boolean {
    return fs.existsSync(path);
  }

  removeDir(path: string): void {
    try {
      fs.rmdirSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  mkdir(path: string): void {
    try {
      fs.mkdirSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
