/**
 * Page writes of checkpoints and compactions: runs of consecutive pages gathered into one buffer and written with
 * one call, several at once. A `WriteBuffers` pool bounds them: its size is the configured `checkpointThreads` /
 * `compactionThreads`, each buffer being filled or in flight, so at most that many writes are in flight. Node runs
 * each write on its thread pool: the disk gets several requests at a time while the event loop seals the next run
 * and closures go on. A writer that must wait for a buffer first sends what it gathered, so waiters hold none.
 */
import { StorageIoError } from '../../domain/shared/errors';
import type { CheckpointPartition, CheckpointPartitionWrite, CheckpointWrite } from '../../domain/ports/page-store.port';
import type { DeltaFileWriter, PartitionFile } from './partition-files';
import { sealPageAt } from './partition-files';

/** Pages gathered into one write call (16 KiB pages: 2 MiB). */
export const RUN_PAGES = 128;
/**
 * Bytes an asynchronous run writes before it starts an fdatasync of the file on the thread pool, without waiting for
 * it: the disk writes the pages back while the next runs are sealed, so the final sync has only the tail left (one
 * sync at the end made the write phase the sealing time plus the whole write-back, one after the other).
 */
export const SYNC_AHEAD_BYTES = 8 * 1024 * 1024;

/** A bounded pool of run buffers, allocated on first use; `whenFree` resolves once one is back. */
export class WriteBuffers {
  readonly #free: Uint8Array[] = [];
  #made = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(readonly pageSize: number, readonly size: number) {}

  get available(): boolean {
    return this.#free.length > 0 || this.#made < this.size;
  }

  take(): Uint8Array {
    const buf = this.#free.pop();
    if (buf !== undefined) return buf;
    if (this.#made >= this.size) throw new StorageIoError('internal: no write buffer free (check `available` first)');
    this.#made++;
    return new Uint8Array(RUN_PAGES * this.pageSize);
  }

  /** Back to the pool; every waiter wakes and asks again (one that no longer needs a buffer must not keep it from the rest). */
  give(buf: Uint8Array): void {
    this.#free.push(buf);
    for (const wake of this.#waiters.splice(0)) wake();
  }

  whenFree(): Promise<void> {
    if (this.available) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/**
 * A run of consecutive pages of one file in a pool buffer. Asynchronous runs hand the buffer to `writeAsync` and
 * take a new one for the next run (the old one goes back when its write settled); the first failure is kept and
 * thrown by the next `add` or by `drain`. Synchronous runs (`writeSync` given) write at once, with a buffer of their
 * own (the pool's may all be in flight).
 */
export class PageRun {
  #buf: Uint8Array | null = null;
  #first = -1;
  #count = 0;
  readonly #inFlight = new Set<Promise<void>>();
  #failure: unknown = null;
  /** Bytes written since the last sync ahead started, and whether one is in flight. */
  #unsynced = 0;
  #syncingAhead = false;
  /** Released (finished or aborted): its file may be committed or gone, so no more syncs ahead. */
  #released = false;

  constructor(
    private readonly pool: WriteBuffers,
    private readonly writeSync: ((first: number, buf: Uint8Array, count: number) => void) | null,
    private readonly writeAsync: (first: number, buf: Uint8Array, count: number) => Promise<void>,
    /** The file's fdatasync, started every SYNC_AHEAD_BYTES written (asynchronous runs; its result is not awaited). */
    private readonly syncAhead: (() => Promise<void>) | null = null,
  ) {}

  /** True when `position` can be added now without waiting for a buffer (`pool.whenFree()`). */
  canAdd(position: number): boolean {
    return this.writeSync !== null || this.#continues(position) || this.pool.available;
  }

  /** Seals the page image `src[off..]` into the run as page `position`. */
  add(position: number, src: Uint8Array, off: number): void {
    const { buf, at } = this.reserve(position);
    sealPageAt(src, off, this.pool.pageSize, buf, at);
  }

  /** Room for page `position` in the run: the caller fills `buf[at .. at + pageSize)` with its sealed image at once. */
  reserve(position: number): { buf: Uint8Array; at: number } {
    if (this.#failure !== null) throw this.#failure;
    if (!this.#continues(position)) {
      this.flush();
      this.#buf ??= this.writeSync !== null ? new Uint8Array(RUN_PAGES * this.pool.pageSize) : this.pool.take();
      this.#first = position;
    }
    return { buf: this.#buf!, at: this.#count++ * this.pool.pageSize };
  }

  /** Writes what is gathered (a synchronous run has written it when this returns). */
  flush(): void {
    if (this.#count === 0) return;
    const buf = this.#buf!;
    const first = this.#first;
    const count = this.#count;
    this.#count = 0;
    if (this.writeSync !== null) {
      this.writeSync(first, buf, count);
      return;
    }
    this.#buf = null;
    let started: Promise<void>;
    try {
      started = this.writeAsync(first, buf, count);
    } catch (e) {
      started = Promise.reject(e); // thrown before the write started (opening the file): the buffer still comes back
    }
    const write = started.then(
      () => this.#wrote(count * this.pool.pageSize),
      (e: unknown) => {
        this.#failure ??= e;
      },
    );
    this.#inFlight.add(write);
    void write.finally(() => {
      this.#inFlight.delete(write);
      this.pool.give(buf);
    });
  }

  /** Flushes, waits for every write of this run, and throws the first failure. */
  async drain(): Promise<void> {
    this.flush();
    await this.settled();
    if (this.#failure !== null) throw this.#failure;
  }

  /** Resolves once no write of this run is in flight (failures are kept, not thrown). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  /** Gives a buffer never written back (writes in flight give theirs when they settle). */
  release(): void {
    this.#released = true;
    this.#count = 0;
    if (this.#buf !== null && this.writeSync === null) this.pool.give(this.#buf);
    this.#buf = null;
  }

  /**
   * Counts a write that completed and starts a sync ahead when due. Only a head start: the caller's own sync at the
   * end is what makes the pages durable, and reports failures — so this never throws (a write settling after the run
   * was released, its file committed or aborted, starts nothing).
   */
  #wrote(bytes: number): void {
    this.#unsynced += bytes;
    if (this.syncAhead === null || this.#released || this.#syncingAhead || this.#unsynced < SYNC_AHEAD_BYTES) return;
    this.#unsynced = 0;
    let sync: Promise<void>;
    try {
      sync = this.syncAhead();
    } catch {
      return;
    }
    this.#syncingAhead = true;
    sync.catch(() => undefined).finally(() => {
      this.#syncingAhead = false;
    });
  }

  #continues(position: number): boolean {
    return this.#count > 0 && position === this.#first + this.#count && this.#count < RUN_PAGES;
  }
}

export interface PartitionWriteHooks {
  main(): PartitionFile;
  committed(): void;
  aborted(): void;
  broken(): void;
}

/**
 * One partition's checkpoint being written (FilePageStore.beginCheckpoint): pages to the main file (in place) and
 * to the next delta file go out in runs, several writes at a time; `finish` waits for them, syncs the main file,
 * then commits the delta file. A synchronous one (FilePageStore.writeCheckpoint) writes each run at once.
 */
export class PartitionCheckpointWrite implements CheckpointPartitionWrite {
  readonly #main: PageRun;
  readonly #delta: PageRun;
  #done = false;

  constructor(
    readonly cp: CheckpointPartition,
    /** Per entry: its slot in the delta file, or −1 for the main file. */
    private readonly slots: Int32Array,
    private readonly delta: DeltaFileWriter,
    private readonly counts: { readonly mainPages: number; readonly deltaPages: number },
    private readonly hooks: PartitionWriteHooks,
    private readonly pool: WriteBuffers,
    sync: boolean,
  ) {
    this.#main = new PageRun(pool, sync ? (first, buf, count) => hooks.main().writeSealed(first, buf, count) : null,
      (first, buf, count) => hooks.main().writeSealedAsync(first, buf, count), () => hooks.main().syncAsync());
    this.#delta = new PageRun(pool, sync ? (first, buf, count) => delta.writeSealed(first, buf, count) : null,
      (first, buf, count) => delta.writeSealedAsync(first, buf, count), () => delta.syncAsync());
  }

  get closed(): boolean {
    return this.#done;
  }

  /** False when entry k must wait for a buffer: then what this write gathered goes out, so that one comes back. */
  canWrite(k: number): boolean {
    const slot = this.slots[k]!;
    if (slot < 0 ? this.#main.canAdd(this.cp.indexes[k]!) : this.#delta.canAdd(slot)) return true;
    // Never wait holding a buffer: every waiter's buffers are in flight, so no two writes wait for each other.
    this.#main.flush();
    this.#delta.flush();
    return false;
  }

  room(): Promise<void> {
    return this.pool.whenFree();
  }

  write(k: number, buf: Uint8Array, off: number): void {
    const slot = this.slots[k]!;
    if (slot < 0) this.#main.add(this.cp.indexes[k]!, buf, off);
    else this.#delta.add(slot, buf, off);
  }

  /** The synchronous commit (writeCheckpoint): writes what is gathered, syncs the main file, commits the delta file. */
  finishSync(): CheckpointWrite {
    this.#main.flush();
    this.#delta.flush();
    this.#release();
    if (this.counts.mainPages > 0) this.hooks.main().sync();
    return this.#commit(() => this.delta.commit());
  }

  async finish(): Promise<CheckpointWrite | null> {
    try {
      await Promise.all([this.#main.drain(), this.#delta.drain()]);
    } catch (e) {
      if (this.#done) return null; // aborted: what failed does not matter any more
      throw e;
    } finally {
      this.#release();
    }
    if (this.#done) return null;
    // The main file's new pages and the delta file are synced at once; the rename after both is the commit.
    await Promise.all([this.counts.mainPages > 0 ? this.hooks.main().syncAsync() : undefined, this.delta.syncAsync()]);
    if (this.#done) return null;
    // The rename and the directory fsync (on the thread pool: it can take tens of ms on a busy disk) are the commit.
    this.#done = true;
    try {
      await this.delta.commitSyncedAsync();
    } catch (e) {
      throw this.#broken(e);
    }
    return this.#committed();
  }

  /** Resolves once none of its writes is in flight (after an abort: before another write of these pages starts). */
  async settled(): Promise<void> {
    await Promise.all([this.#main.settled(), this.#delta.settled()]);
  }

  abort(): void {
    if (this.#done) return;
    this.#done = true;
    this.#release();
    this.delta.abort();
    this.hooks.aborted();
  }

  #commit(commit: () => void): CheckpointWrite {
    this.#done = true;
    try {
      commit();
    } catch (e) {
      throw this.#broken(e);
    }
    return this.#committed();
  }

  /** A commit that failed: the delta file's leftovers go, the store forgets the partition's open files. */
  #broken(e: unknown): unknown {
    this.delta.abort();
    this.hooks.broken();
    return e;
  }

  #committed(): CheckpointWrite {
    this.hooks.committed();
    const { mainPages, deltaPages } = this.counts;
    return { mainPages, deltaPages, bytes: (mainPages + deltaPages) * this.pool.pageSize };
  }

  #release(): void {
    this.#main.release();
    this.#delta.release();
  }
}
