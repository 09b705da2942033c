/**
 * A FileIo that can only read: files open in 'read' mode, and every call that would change the file system throws
 * StorageIoError (WORKDIR_READ_ONLY) before it reaches the adapter underneath. The offline tools (`aistorage
 * inspect`, `verify`) read a work dir through it, so that reading code shared with the engine (the log scan) cannot
 * "repair" a crashed work dir by accident: a write attempt is a bug that fails loudly, never a change on disk.
 */
import type { FileHandle, FileIo, OpenMode } from '../../domain/ports/file-io.port';
import { StorageIoError } from '../../domain/shared/errors';

export class ReadOnlyFileIo implements FileIo {
  constructor(private readonly inner: FileIo) {}

  open(path: string, mode: OpenMode): FileHandle {
    if (mode !== 'read') throw refused(`open ${path} for '${mode}'`);
    return this.inner.open(path, 'read');
  }

  read(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): number {
    return this.inner.read(handle, buffer, offset, length, position);
  }

  size(handle: FileHandle): number {
    return this.inner.size(handle);
  }

  close(handle: FileHandle): void {
    this.inner.close(handle);
  }

  list(dir: string): string[] {
    return this.inner.list(dir);
  }

  exists(path: string): boolean {
    return this.inner.exists(path);
  }

  write(): void {
    throw refused('write');
  }

  sync(): void {
    throw refused('sync');
  }

  writeAsync(): Promise<void> {
    return Promise.reject(refused('write'));
  }

  syncAsync(): Promise<void> {
    return Promise.reject(refused('sync'));
  }

  truncate(): void {
    throw refused('truncate');
  }

  rename(from: string): void {
    throw refused(`rename ${from}`);
  }

  link(existing: string): void {
    throw refused(`link ${existing}`);
  }

  remove(path: string): void {
    throw refused(`remove ${path}`);
  }

  syncDir(): void {
    throw refused('sync a directory');
  }

  syncDirAsync(_dir: string): Promise<void> {
    return Promise.reject(refused('sync a directory'));
  }

  removeAsync(path: string): Promise<void> {
    return Promise.reject(refused(`remove ${path}`));
  }

  mkdir(path: string): void {
    throw refused(`create directory ${path}`);
  }

  removeDir(path: string): void {
    throw refused(`remove directory ${path}`);
  }
}

function refused(what: string): StorageIoError {
  return new StorageIoError(`refused to ${what}: the work dir is open read-only (an offline inspection changes nothing)`, 'WORKDIR_READ_ONLY');
}
