import * as fs from 'node:fs';
import type { FileHandle, FileIo, OpenMode } from '../../domain/ports/file-io.port';
import { FdTable, outOfDescriptors } from './fd-table';
import { syncDirectory, syncDirectoryAsync } from './sync-directory';

const FLAGS: Readonly<Record<OpenMode, string>> = { read: 'r', write: 'r+', create: 'a+', createNew: 'wx+' };

/** Descriptors NodeFileIo keeps open at most (a quarter of the usual `ulimit -n` of 1024); more files reopen on use. */
export const DEFAULT_MAX_OPEN_FILES = 256;

/**
 * FileIo on the real file system: Node's synchronous positional calls (fine off the hot path: configuration, and
 * with aipersist page misses, checkpoints and log syncs that run between closures). `create` opens with 'a+' to
 * create without truncating, then reopens 'r+' so that positional writes are not forced to the end (O_APPEND).
 * Handles are virtual (./fd-table.ts): at most `maxOpenFiles` descriptors are open at once, whatever the number of
 * files.
 */
export class NodeFileIo implements FileIo {
  readonly #fds: FdTable;

  constructor(maxOpenFiles = DEFAULT_MAX_OPEN_FILES) {
    this.#fds = new FdTable(maxOpenFiles);
  }

  /** Descriptors open now (tests). */
  get openDescriptors(): number {
    return this.#fds.openDescriptors;
  }

  open(path: string, mode: OpenMode): FileHandle {
    const fds = this.#fds;
    if (mode === 'create') fs.closeSync(fds.openFd(path, 'a'));
    const fd = fds.openFd(path, mode === 'create' ? 'r+' : FLAGS[mode]);
    return fds.add(path, fd, mode === 'read' ? 'r' : 'r+');
  }

  read(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): number {
    return fs.readSync(this.#fds.fd(handle), buffer, offset, length, position);
  }

  write(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): void {
    const fd = this.#fds.fd(handle);
    let done = 0;
    while (done < length) done += fs.writeSync(fd, buffer, offset + done, length - done, position + done);
  }

  sync(handle: FileHandle): void {
    fs.fdatasyncSync(this.#fds.fd(handle));
  }

  writeAsync(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<void> {
    return this.#fds.track(handle, (fd) => new Promise<void>((resolve, reject) => {
      const step = (done: number): void => {
        if (done >= length) return resolve();
        fs.write(fd, buffer, offset + done, length - done, position + done, (err, n) => (err === null ? step(done + n) : reject(err)));
      };
      step(0);
    }));
  }

  syncAsync(handle: FileHandle): Promise<void> {
    return this.#fds.track(handle, (fd) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err === null ? resolve() : reject(err)))));
  }

  size(handle: FileHandle): number {
    return fs.fstatSync(this.#fds.fd(handle)).size;
  }

  truncate(handle: FileHandle, length: number): void {
    fs.ftruncateSync(this.#fds.fd(handle), length);
  }

  close(handle: FileHandle): void {
    // A descriptor closed under a write in flight could be reused by the next open and take that write: the table
    // closes it once they settle.
    this.#fds.release(handle);
  }

  rename(from: string, to: string): void {
    this.#fds.pinPath(to);
    fs.renameSync(from, to);
    this.#fds.renamed(from, to);
  }

  link(existing: string, newPath: string): void {
    fs.linkSync(existing, newPath);
  }

  remove(path: string): void {
    this.#fds.pinPath(path);
    fs.rmSync(path, { force: true });
  }

  syncDir(dir: string): void {
    this.#fds.withRoom(() => syncDirectory(dir));
  }

  async syncDirAsync(dir: string): Promise<void> {
    try {
      await syncDirectoryAsync(dir);
    } catch (e) {
      if (!outOfDescriptors(e) || !this.#fds.shed()) throw e;
      await syncDirectoryAsync(dir);
    }
  }

  async removeAsync(path: string): Promise<void> {
    this.#fds.pinPath(path);
    await fs.promises.rm(path, { force: true });
  }

  list(dir: string): string[] {
    try {
      return this.#fds.withRoom(() => fs.readdirSync(dir));
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
