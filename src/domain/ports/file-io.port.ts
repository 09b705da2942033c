/**
 * The file system as the engine uses it: synchronous, positional, with durability explicit. Everything the node
 * keeps on disk (configuration now; partition, delta and log files with aipersist) goes through this port, so a
 * test can swap in an adapter that simulates a power loss (drops or tears every write not yet synced, and every
 * directory change whose directory was not synced) and prove recovery.
 *
 * Durability contract, the one every caller relies on:
 * - data written to a file survives a power loss only after `sync(handle)` (fdatasync) returned;
 * - a create, rename, link or remove survives only after `syncDir(directory)` returned;
 * - `rename` replaces the target atomically: after a crash the name holds the old or the new file, whole.
 *
 * Failures are thrown as Node errno errors (`code`: ENOENT, EEXIST, ENOSPC, EIO, ...); callers turn them into typed
 * errors that name the file and say what to do.
 */
export type FileHandle = number;

/**
 * - `read`: an existing file, read only;  `write`: an existing file, read and write;
 * - `create`: read and write, created empty if missing (kept as it is otherwise);
 * - `createNew`: read and write, created empty; EEXIST if the name exists.
 */
export type OpenMode = 'read' | 'write' | 'create' | 'createNew';

export interface FileIo {
  open(path: string, mode: OpenMode): FileHandle;
  /** Reads up to `length` bytes at `position` into `buffer[offset..]`; returns the bytes read (0 at the end). */
  read(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** Writes `buffer[offset..offset+length)` at `position`, all of it (or throws). */
  write(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): void;
  /** fdatasync: the file's data (and size) written so far survive a power loss once this returns. */
  sync(handle: FileHandle): void;
  /**
   * `write` off the calling thread (Node's thread pool), so that several writes run at once and the event loop goes
   * on: `buffer[offset..offset+length)` must stay untouched until the promise settles. Rejects with the errno error.
   */
  writeAsync(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<void>;
  /** `sync` off the calling thread: covers every write that settled before the call. */
  syncAsync(handle: FileHandle): Promise<void>;
  size(handle: FileHandle): number;
  truncate(handle: FileHandle, length: number): void;
  /** Closes the handle; async writes and syncs still in flight on it finish first (the close waits for them). */
  close(handle: FileHandle): void;

  /** Atomic replace of `to` by `from` (same directory). Durable after syncDir. */
  rename(from: string, to: string): void;
  /** A second name for an existing file; EEXIST if `newPath` exists (an atomic create-if-absent). */
  link(existing: string, newPath: string): void;
  /** Removes a name; no error if it does not exist. */
  remove(path: string): void;
  /** Makes the directory's entries (creates, renames, links, removes) durable. */
  syncDir(dir: string): void;
  /**
   * `syncDir` off the calling thread (checkpoint commits and compaction: a directory fsync can take tens of ms on a
   * busy disk, and the event loop must go on): covers every entry change made before the call.
   */
  syncDirAsync(dir: string): Promise<void>;
  /** `remove` off the calling thread (unlinking a large file frees its extents, which takes a while). */
  removeAsync(path: string): Promise<void>;
  /** Names in a directory (not paths), in no particular order; [] if the directory does not exist. */
  list(dir: string): string[];
  exists(path: string): boolean;
  /** Creates one directory level (its parent exists); no error if it exists already. */
  mkdir(path: string): void;
  /** Removes an empty directory; no error if it does not exist. Durable after syncDir of its parent. */
  removeDir(path: string): void;
}

/** The whole content of a file, or null if it does not exist. */
export function readWholeFile(io: FileIo, path: string): Uint8Array | null {
  const h = openIfExists(io, path, 'read');
  if (h === null) return null;
  try {
    const out = new Uint8Array(io.size(h));
    let done = 0;
    while (done < out.length) {
      const n = io.read(h, out, done, out.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return done === out.length ? out : out.subarray(0, done);
  } finally {
    io.close(h);
  }
}

/** Opens an existing file, or returns null when it does not exist (one call: no exists-then-open race). */
export function openIfExists(io: FileIo, path: string, mode: 'read' | 'write'): FileHandle | null {
  try {
    return io.open(path, mode);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return null;
    throw e;
  }
}

/** replaceFileAtomically with the whole new content in `bytes`. */
export function replaceFileAtomically(io: FileIo, path: string, bytes: Uint8Array, tempSuffix: string): void {
  writeFileAtomically(io, path, tempSuffix, (h) => io.write(h, bytes, 0, bytes.length, 0));
}

/**
 * Creates or replaces `path` atomically and durably: `fill` writes the content into a new temp file
 * `<path>.<tempSuffix>.tmp` (`<path>.tmp` for an empty suffix), which is synced, renamed over `path`, and the directory synced — so after a crash `path`
 * holds the old content (or nothing) or the new content, whole. The temp file is removed on failure.
 */
export function writeFileAtomically(io: FileIo, path: string, tempSuffix: string, fill: (h: FileHandle) => void): void {
  const dir = parentOf(path);
  const tmp = tempSuffix === '' ? `${path}.tmp` : `${path}.${tempSuffix}.tmp`;
  try {
    const h = io.open(tmp, 'createNew');
    try {
      fill(h);
      io.sync(h);
    } finally {
      io.close(h);
    }
    io.rename(tmp, path);
  } catch (e) {
    try {
      io.remove(tmp);
    } catch {
      // The first failure is the one to report; a leftover temp file is removed by the next save.
    }
    throw e;
  }
  io.syncDir(dir);
}

/** The directory part of a path ('/' separated; the adapters take absolute paths). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
