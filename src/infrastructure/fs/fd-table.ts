/**
 * Virtual file handles over a bounded set of open descriptors: a node with many partitions (60 tables in a zone of 25
 * partitions are 1,500 partition files, plus their delta files) would otherwise hold a descriptor per file and fail
 * with EMFILE under the common `ulimit -n` of 1024 — at a checkpoint, at close, or at the next open. The handles
 * NodeFileIo gives out are numbers of this table; each maps to a path and, while it is open, a real descriptor.
 * When more than `maxOpen` descriptors are open, the least recently used ones are closed and reopened on their next
 * use (as LevelDB's table cache does). Never closed behind a caller's back:
 *
 * - a descriptor with an async write or sync in flight (closing it could hand its number to another file);
 * - a pinned one: the file's name was removed or renamed over while the handle was open, so the name no longer leads
 *   to the same file (POSIX keeps the file readable through the open descriptor only). Before such a change of a
 *   name, every handle of that name is reopened and pinned.
 *
 * A rename moves the handles of the old name to the new one (they reopen under it). Opening on EMFILE/ENFILE closes
 * half of the idle descriptors and tries once more.
 */
import * as fs from 'node:fs';

/** Reopening an existing file: read-only handles as 'r', the rest read-write without truncation. */
export type Reopen = 'r' | 'r+';

interface Entry {
  path: string;
  readonly reopen: Reopen;
  /** -1 while closed by the table (reopened at the next use). */
  fd: number;
  inFlight: number;
  pinned: boolean;
  /** Closed by its owner while an async operation was in flight: the descriptor closes when they settle. */
  released: boolean;
}

export class FdTable {
  readonly #entries = new Map<number, Entry>();
  /** Handles with an open descriptor, least recently used first (Map keeps insertion order). */
  readonly #lru = new Map<number, Entry>();
  readonly #byPath = new Map<string, Set<number>>();
  #next = 1;
  #lastUsed = 0;

  constructor(private readonly maxOpen: number) {}

  /** Descriptors open now (for tests and metrics). */
  get openDescriptors(): number {
    return this.#lru.size;
  }

  add(path: string, fd: number, reopen: Reopen): number {
    const handle = this.#next++;
    const entry: Entry = { path, reopen, fd, inFlight: 0, pinned: false, released: false };
    this.#entries.set(handle, entry);
    this.#lru.set(handle, entry);
    this.#index(path, handle);
    this.#lastUsed = handle;
    return handle;
  }

  /** Opens a file with room made for it: evicts idle descriptors beyond `maxOpen` (and more on EMFILE). */
  openFd(path: string, flags: string): number {
    this.#evict(this.maxOpen - 1);
    return this.withRoom(() => fs.openSync(path, flags));
  }

  /**
   * `fn`, run once more after closing half of the idle descriptors when it fails with EMFILE or ENFILE (the process
   * ran out of descriptors: listing or syncing a directory needs one too).
   */
  withRoom<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (!outOfDescriptors(e) || !this.shed()) throw e;
      return fn();
    }
  }

  /** Closes half of the open descriptors that may be closed; false when none was open. */
  shed(): boolean {
    if (this.#lru.size === 0) return false;
    this.#evict(this.#lru.size >> 1);
    return true;
  }

  /** The descriptor of a handle, reopened when the table had closed it. EBADF for a handle that is not open. */
  fd(handle: number): number {
    const entry = this.#entries.get(handle);
    if (entry === undefined) throw badHandle(handle);
    if (entry.fd < 0) {
      entry.fd = this.openFd(entry.path, entry.reopen);
      this.#lru.set(handle, entry);
    } else if (this.#lastUsed !== handle) {
      this.#lru.delete(handle);
      this.#lru.set(handle, entry);
    }
    this.#lastUsed = handle;
    return entry.fd;
  }

  /** `fd(handle)` held open until `op` settles (async writes and syncs run on it off the thread). */
  track<T>(handle: number, op: (fd: number) => Promise<T>): Promise<T> {
    const fd = this.fd(handle);
    const entry = this.#entries.get(handle)!;
    entry.inFlight++;
    const settled = (): void => {
      if (--entry.inFlight > 0 || !entry.released) return;
      fs.close(fd, () => {});
    };
    const p = op(fd);
    p.then(settled, settled);
    return p;
  }

  /** The owner's close: the descriptor closes now, or once its async operations settled. */
  release(handle: number): void {
    const entry = this.#entries.get(handle);
    if (entry === undefined) throw badHandle(handle);
    this.#entries.delete(handle);
    this.#unindex(entry.path, handle);
    if (entry.fd < 0) return;
    this.#lru.delete(handle);
    if (entry.inFlight > 0) entry.released = true;
    else fs.closeSync(entry.fd);
  }

  /** Before `path` is removed or replaced: its handles reopen (if the table had closed them) and stay open. */
  pinPath(path: string): void {
    const handles = this.#byPath.get(path);
    if (handles === undefined) return;
    for (const h of handles) {
      this.fd(h);
      this.#entries.get(h)!.pinned = true;
    }
  }

  /** After a rename: the handles of `from` are handles of `to` (those of `to` were pinned before it). */
  renamed(from: string, to: string): void {
    const handles = this.#byPath.get(from);
    if (handles === undefined) return;
    this.#byPath.delete(from);
    for (const h of handles) {
      this.#entries.get(h)!.path = to;
      this.#index(to, h);
    }
  }

  /** Closes least recently used idle, unpinned descriptors until at most `keep` are open. */
  #evict(keep: number): void {
    if (this.#lru.size <= keep) return;
    for (const [h, entry] of this.#lru) {
      if (this.#lru.size <= keep) return;
      if (entry.pinned || entry.inFlight > 0) continue;
      this.#lru.delete(h);
      fs.closeSync(entry.fd);
      entry.fd = -1;
    }
  }

  #index(path: string, handle: number): void {
    let set = this.#byPath.get(path);
    if (set === undefined) this.#byPath.set(path, (set = new Set()));
    set.add(handle);
  }

  #unindex(path: string, handle: number): void {
    const set = this.#byPath.get(path);
    if (set === undefined) return;
    set.delete(handle);
    if (set.size === 0) this.#byPath.delete(path);
  }
}

/** EMFILE or ENFILE: the process (or the system) has no descriptor left. */
export function outOfDescriptors(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
}

function badHandle(handle: number): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`EBADF: bad file handle ${handle}`);
  e.code = 'EBADF';
  return e;
}
