/**
 * A FileIo that keeps files in memory and simulates what a power loss does to them — swapped into a node through
 * the container (`c.rebind(TOKENS.FileIo).toConstantValue(io)`) to prove the write order of a crash protocol.
 *
 * Model (pessimistic POSIX):
 * - each file keeps its content as of its last `sync` ("durable") and the writes and truncations since;
 * - names change through an ordered journal, as a journaling file system keeps them: each create, rename, link
 *   or remove is atomic, and they reach the disk in order; `syncDir(dir)` makes durable every change up to the last
 *   one in `dir` (directories themselves, made by mkdir, are durable at once);
 * - `crash('drop')` returns the disk after a power loss: every file at its durable content, the names as of the
 *   durable part of the journal; `crash('tear', seed)` also lets each unsynced write land whole, not at all, or torn
 *   (a prefix of its 512-byte sectors), each unsynced truncation happen or not — independently, as reordering
 *   disks may — and a random part of the rest of the journal reach the disk; `crash('scatter', seed)` lets each
 *   512-byte sector of an unsynced write land or not on its own (the page cache writes pages back in any order),
 *   so a later part of one write can survive an earlier part.
 * - `failAfter(k)`: the "process" dies at step k: the k-th mutating call (open that creates, write, sync, truncate,
 *   rename, link, remove, syncDir, mkdir) and every call after it throw SimulatedCrash, changing nothing.
 */
import type { FileHandle, FileIo, OpenMode } from '../../src/domain/ports/file-io.port';
import { SeededRandom } from '../contract/support/seeded-random';

export class SimulatedCrash extends Error {
  constructor(step: number) {
    super(`simulated crash at step ${step}`);
  }
}

type NameOp =
  | { readonly kind: 'bind'; readonly name: string; readonly inode: Inode }
  | { readonly kind: 'unbind'; readonly name: string }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string };

function apply(names: Map<string, Inode>, op: NameOp): void {
  if (op.kind === 'bind') names.set(op.name, op.inode);
  else if (op.kind === 'unbind') names.delete(op.name);
  else {
    const inode = names.get(op.from);
    if (inode === undefined) return;
    names.delete(op.from);
    names.set(op.to, inode);
  }
}

function touches(op: NameOp, dir: string): boolean {
  return op.kind === 'rename' ? parentOf(op.from) === dir || parentOf(op.to) === dir : parentOf(op.name) === dir;
}

type Pending = { readonly kind: 'write'; readonly pos: number; readonly bytes: Uint8Array } | { readonly kind: 'truncate'; readonly length: number };

class Inode {
  data: Uint8Array = new Uint8Array(0);
  durable: Uint8Array = new Uint8Array(0);
  pending: Pending[] = [];

  write(pos: number, bytes: Uint8Array): void {
    if (pos + bytes.length > this.data.length) this.data = grown(this.data, pos + bytes.length);
    this.data.set(bytes, pos);
    this.pending.push({ kind: 'write', pos, bytes: bytes.slice() });
  }

  truncate(length: number): void {
    this.data = length <= this.data.length ? this.data.slice(0, length) : grown(this.data, length);
    this.pending.push({ kind: 'truncate', length });
  }

  sync(): void {
    // Few pending writes into a file of the same size (a log segment written in place): apply just them.
    if (this.durable.length === this.data.length && this.pending.every((p) => p.kind === 'write')) {
      for (const p of this.pending) if (p.kind === 'write') this.durable.set(p.bytes, p.pos);
    } else this.durable = this.data.slice();
    this.pending = [];
  }

  /** The content after a power loss: durable, plus (tear) a random fate for each unsynced change. */
  afterCrash(rand: (() => number) | null, scatter = false): Inode {
    const out = new Inode();
    let data: Uint8Array = this.durable.slice();
    if (rand !== null) {
      for (const p of this.pending) {
        const fate = rand();
        if (fate < 1 / 3) continue;
        if (p.kind === 'truncate') {
          data = p.length <= data.length ? data.slice(0, p.length) : grown(data, p.length);
          continue;
        }
        if (scatter) {
          // Each 512-byte sector on its own: the page cache writes pages back in any order.
          if (p.pos + p.bytes.length > data.length) data = grown(data, p.pos + p.bytes.length);
          for (let at = 0; at < p.bytes.length; at += 512) if (rand() < 0.5) data.set(p.bytes.subarray(at, Math.min(at + 512, p.bytes.length)), p.pos + at);
          continue;
        }
        const sectors = Math.ceil(p.bytes.length / 512);
        const keep = fate < 2 / 3 ? Math.floor(rand() * sectors) * 512 : p.bytes.length;
        if (keep === 0) continue;
        if (p.pos + keep > data.length) data = grown(data, p.pos + keep);
        data.set(p.bytes.subarray(0, keep), p.pos);
      }
    }
    out.data = data;
    out.durable = data.slice();
    return out;
  }
}

function grown(a: Uint8Array, length: number): Uint8Array {
  const b = new Uint8Array(length);
  b.set(a.subarray(0, Math.min(a.length, length)));
  return b;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, '${path}'`), { code });
}


export class PowerLossFileIo implements FileIo {
  readonly #names = new Map<string, Inode>();
  /** The names as of the durable part of the journal; #journal holds the changes since, in order. */
  readonly #durableNames = new Map<string, Inode>();
  #journal: NameOp[] = [];
  readonly #dirs = new Set<string>(['/']);
  readonly #handles = new Map<number, { inode: Inode; writable: boolean }>();
  #nextHandle = 1;
  #steps = 0;
  #failAt = Infinity;

  /** Mutating calls made so far. */
  get steps(): number {
    return this.#steps;
  }

  /** The `k`-th mutating call from now on (1-based) and every later call throw SimulatedCrash. */
  failAfter(k: number): void {
    this.#failAt = this.#steps + k;
  }

  /** The disk after a power loss (a new FileIo; this one is left as it was). */
  crash(mode: 'drop' | 'tear' | 'scatter', seed = 1): PowerLossFileIo {
    const r = mode === 'drop' ? null : new SeededRandom(seed);
    const rand = r === null ? null : () => r.next();
    const disk = new PowerLossFileIo();
    for (const d of this.#dirs) disk.#dirs.add(d);
    const inodes = new Map<Inode, Inode>();
    const after = (i: Inode): Inode => {
      let o = inodes.get(i);
      if (o === undefined) inodes.set(i, (o = i.afterCrash(rand, mode === 'scatter')));
      return o;
    };
    const names = new Map(this.#durableNames);
    const landed = rand === null ? 0 : Math.floor(rand() * (this.#journal.length + 1));
    for (let i = 0; i < landed; i++) apply(names, this.#journal[i]!);
    for (const [name, inode] of names) {
      disk.#names.set(name, after(inode));
      disk.#durableNames.set(name, after(inode));
    }
    return disk;
  }

  open(path: string, mode: OpenMode): FileHandle {
    this.#alive();
    let inode = this.#names.get(path);
    if (mode === 'createNew' && inode !== undefined) throw errno('EEXIST', path);
    if (inode === undefined) {
      if (mode === 'read' || mode === 'write') throw errno('ENOENT', path);
      this.#step();
      if (!this.#dirs.has(parentOf(path))) throw errno('ENOENT', path);
      inode = new Inode();
      this.#change({ kind: 'bind', name: path, inode });
    }
    const h = this.#nextHandle++;
    this.#handles.set(h, { inode, writable: mode !== 'read' });
    return h;
  }

  read(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): number {
    this.#alive();
    const { data } = this.#handle(handle).inode;
    const n = Math.max(0, Math.min(length, data.length - position));
    buffer.set(data.subarray(position, position + n), offset);
    return n;
  }

  write(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): void {
    this.#step();
    const h = this.#handle(handle);
    if (!h.writable) throw errno('EBADF', `handle ${handle}`);
    h.inode.write(position, buffer.subarray(offset, offset + length));
  }

  sync(handle: FileHandle): void {
    this.#step();
    this.#handle(handle).inode.sync();
  }

  /** The write happens at the call (one schedule a thread pool may take); the promise settles in a later macrotask. */
  writeAsync(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<void> {
    return later(() => this.write(handle, buffer, offset, length, position));
  }

  /**
   * The sync happens when the promise settles, in a later macrotask, as a thread pool's fdatasync finishes some time
   * after the call: a power loss before then finds the file's writes since its last sync unsynced.
   */
  syncAsync(handle: FileHandle): Promise<void> {
    this.#alive();
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          this.sync(handle);
          resolve();
        } catch (e) {
          reject(e);
        }
      }),
    );
  }

  size(handle: FileHandle): number {
    this.#alive();
    return this.#handle(handle).inode.data.length;
  }

  truncate(handle: FileHandle, length: number): void {
    this.#step();
    this.#handle(handle).inode.truncate(length);
  }

  close(handle: FileHandle): void {
    this.#handles.delete(handle);
  }

  rename(from: string, to: string): void {
    this.#step();
    const inode = this.#names.get(from);
    if (inode === undefined) throw errno('ENOENT', from);
    this.#change({ kind: 'rename', from, to });
  }

  link(existing: string, newPath: string): void {
    this.#step();
    const inode = this.#names.get(existing);
    if (inode === undefined) throw errno('ENOENT', existing);
    if (this.#names.has(newPath)) throw errno('EEXIST', newPath);
    this.#change({ kind: 'bind', name: newPath, inode });
  }

  remove(path: string): void {
    this.#step();
    if (this.#names.has(path)) this.#change({ kind: 'unbind', name: path });
  }

  syncDir(dir: string): void {
    this.#step();
    let last = -1;
    for (let i = 0; i < this.#journal.length; i++) if (touches(this.#journal[i]!, dir)) last = i;
    this.#applyThrough(last);
  }

  /**
   * The directory fsync happens when the promise settles (as a thread pool's would, some time after the call), and
   * covers only the entry changes made before the call: those after it may still be lost.
   */
  syncDirAsync(dir: string): Promise<void> {
    this.#alive();
    let lastOp: NameOp | null = null;
    for (const op of this.#journal) if (touches(op, dir)) lastOp = op;
    const calledAfter = this.#steps;
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          this.settleSyncDir(dir, lastOp, calledAfter);
          resolve();
        } catch (e) {
          reject(e);
        }
      }),
    );
  }

  /**
   * The step of an async directory sync as it settles (a tracing subclass names it): entries up to `lastOp`, the
   * last one of the directory when it was called, after step `_calledAfter`.
   */
  protected settleSyncDir(_dir: string, lastOp: unknown, _calledAfter: number): void {
    this.#step();
    if (lastOp !== null) this.#applyThrough(this.#journal.indexOf(lastOp as NameOp)); // −1: synced since by another call
  }

  removeAsync(path: string): Promise<void> {
    return later(() => this.remove(path));
  }

  /** Journal entries 0..last become durable (a directory fsync makes its entries and every one before durable). */
  #applyThrough(last: number): void {
    for (let i = 0; i <= last; i++) apply(this.#durableNames, this.#journal[i]!);
    this.#journal = this.#journal.slice(last + 1);
  }

  list(dir: string): string[] {
    this.#alive();
    const out: string[] = [];
    for (const name of this.#names.keys()) if (parentOf(name) === dir) out.push(name.slice(dir.length + 1));
    for (const d of this.#dirs) if (d !== dir && parentOf(d) === dir) out.push(d.slice(dir.length + 1));
    return out;
  }

  exists(path: string): boolean {
    this.#alive();
    return this.#names.has(path) || this.#dirs.has(path);
  }

  mkdir(path: string): void {
    this.#step();
    if (!this.#dirs.has(parentOf(path))) throw errno('ENOENT', path);
    this.#dirs.add(path);
  }

  /** Removes an empty directory (durable at once, like mkdir); ENOTEMPTY when it holds names. */
  removeDir(path: string): void {
    this.#step();
    if (!this.#dirs.has(path)) return;
    if (this.list(path).length > 0) throw errno('ENOTEMPTY', path);
    this.#dirs.delete(path);
  }

  /** Makes the directories of `path` (mkdir -p), outside the step count: the test's set-up. */
  mkdirs(path: string): void {
    for (let p = path; p !== '/' && !this.#dirs.has(p); p = parentOf(p)) this.#dirs.add(p);
  }

  #change(op: NameOp): void {
    apply(this.#names, op);
    this.#journal.push(op);
  }

  #step(): void {
    this.#alive();
    this.#steps++;
    if (this.#steps >= this.#failAt) throw new SimulatedCrash(this.#steps);
  }

  #alive(): void {
    if (this.#steps >= this.#failAt) throw new SimulatedCrash(this.#steps);
  }

  #handle(handle: FileHandle): { inode: Inode; writable: boolean } {
    const h = this.#handles.get(handle);
    if (h === undefined) throw errno('EBADF', `handle ${handle}`);
    return h;
  }
}

/** Runs `op` now; its outcome settles after a macrotask, as an operation of Node's thread pool would. */
function later(op: () => void): Promise<void> {
  let failure: unknown = null;
  try {
    op();
  } catch (e) {
    failure = e;
  }
  return new Promise((resolve, reject) => setImmediate(() => (failure === null ? resolve() : reject(failure))));
}
