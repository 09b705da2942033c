/**
 * aipersist's checkpointer: writes every region's changed pages to the partition files (FilePageStore) so that after
 * a crash each partition is exactly at its last completed checkpoint, then compacts delta files.
 *
 * Phases, in the spec's states: SCHEDULED (requested; it starts in a later macrotask, so always between two
 * `runConsistently` closures, which are synchronous) → LOCK_TAKEN / PAGES_SNAPSHOT_TAKEN (each region's changed
 * partitions and pages are snapshotted in that one macrotask: `checkpointPlan`) → LOCK_RELEASED (closures run
 * again) → PAGES_SORTED (by region, partition, page index) → the write phase: `checkpointThreads` partitions at
 * once, each partition's pages to its main and next delta file in runs written on Node's thread pool, several at a
 * time, the event loop free between them (at least every PAGES_PER_STEP pages), while writers go on —
 * a page they change before it is written is copied first (copy-on-write, checkpoint-images.ts) — then the files
 * are synced and the delta file committed (file-page-store.ts gives the write order) → FINISHED. A partition
 * cleared or destroyed meanwhile is skipped (its next checkpoint writes its new state); a failed write makes the
 * rest dirty again and rejects.
 *
 * Triggers: every `intervalMillis` ± a jitter uniform in ±intervalDeviationPercent/2 %, dirty pages at 3/4 of a
 * region (the page memory calls `dirtyPagesHigh`), `flush()`, `checkpoint()`, and the engine's stop. One checkpoint
 * runs at a time; a request while one runs is served by the next one (which starts after the request, so it covers
 * every change made before it), and requests made meanwhile share that one. After each checkpoint the compactor
 * (compactor.ts) merges older delta files in the background.
 */
import { Subject, type Observable } from 'rxjs';
import type { CheckpointConfig } from '../../config/config.model';
import type { PersistentRegion } from '../../../domain/region/persistent-region';
import type { CheckpointPartition, CheckpointPartitionWrite, DurablePageStore } from '../../../domain/ports/page-store.port';
import type { DurableDeltaLog } from '../../../domain/ports/delta-log.port';
import type { CheckpointEvent, CheckpointFinishedEvent, CheckpointReason } from '../../../domain/checkpoint/checkpoint.events';
import { StorageError } from '../../../domain/shared/errors';
import { Compactor } from './compactor';
import { CheckpointProgress } from '../../../domain/throttling/checkpoint-progress';
import { checkpointError, preferCopies, type Planned } from './checkpoint-plan';

/** Pages written between two yields to the event loop (16 KiB pages: 2 MiB). */
const PAGES_PER_STEP = 128;

export interface CheckpointerOptions {
  readonly config: CheckpointConfig;
  readonly regions: () => Iterable<PersistentRegion>;
  readonly store: DurablePageStore;
  /**
   * The write-ahead delta log: synced before any partition of a checkpoint commits (a checkpoint never covers a
   * batch the log could lose: its position would be used again), released up to the position the checkpoint covers
   * once every partition of it committed.
   */
  readonly log?: DurableDeltaLog | null;
  readonly now?: () => number;
}

export interface CheckpointTotals {
  checkpoints: number;
  pagesWritten: number;
  bytesWritten: number;
  compactions: number;
  /** Compaction rounds that failed (the next checkpoint's compaction retries). */
  compactionFailures: number;
  last: CheckpointFinishedEvent | null;
}

interface Written {
  main: number;
  delta: number;
  bytes: number;
  partitions: number;
}


const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Checkpointer {
  readonly #events = new Subject<CheckpointEvent>();
  readonly events$: Observable<CheckpointEvent> = this.#events.asObservable();
  readonly totals: CheckpointTotals = { checkpoints: 0, pagesWritten: 0, bytesWritten: 0, compactions: 0, compactionFailures: 0, last: null };
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  readonly #now: () => number;
  /** The running checkpoint's progress and the checkpoints' write speed (write throttling reads them). */
  readonly progress: CheckpointProgress;

  readonly #compactor: Compactor;

  constructor(private readonly opts: CheckpointerOptions) {
    this.#now = opts.now ?? (() => performance.now());
    this.progress = new CheckpointProgress(this.#now);
    this.#compactor = new Compactor({
      store: opts.store,
      threads: opts.config.compactionThreads,
      runningCheckpoint: () => this.#running,
      now: this.#now,
      finished: (e) => {
        this.totals.compactions += e.deltaFilesMerged;
        if (this.#events.observed) this.#events.next(e);
      },
      failed: () => {
        this.totals.compactionFailures++;
      },
    });
  }

  /** Resolves once no compaction runs (tests, benchmarks: the files are compacted). */
  compactionIdle(): Promise<void> {
    return this.#compactor.idle();
  }

  /** True while a checkpoint is scheduled or writing. */
  get busy(): boolean {
    return this.#running !== null;
  }

  /** Starts the interval trigger. */
  start(): void {
    this.#arm();
  }

  /** A checkpoint that starts after this call (after the current closure); resolves once it finished. */
  checkpoint(reason: CheckpointReason, requestedAt = this.#now()): Promise<void> {
    if (this.#queued !== null) return this.#queued;
    if (this.#running === null) return this.#start(reason, requestedAt);
    const queued = this.#running.then(noop, noop).then(() => {
      this.#queued = null;
      return this.#start(reason);
    });
    this.#queued = queued;
    return queued;
  }

  /** The page memory's signal: dirty pages reached 3/4 of a region. */
  dirtyPagesHigh(): void {
    if (!this.#stopped) void this.checkpoint('dirty pages').catch(noop);
  }

  /**
   * Runs a whole checkpoint synchronously (the caller is between closures and no checkpoint is running: check
   * `busy`). A failure (disk full, I/O error) leaves the unwritten pages dirty for the next one and is thrown.
   */
  runNow(reason: CheckpointReason): void {
    const log = this.opts.log ?? null;
    if (log !== null && log.wantsRecords && !log.syncNow()) {
      throw new StorageError('A checkpoint cannot run now: the delta log is syncing; retry in a moment', 'CHECKPOINT_RUNNING');
    }
    const lock = this.#now();
    const planned = this.#snapshot();
    if (planned === null) return;
    const covered = log === null ? 0 : log.holdLimit(log.lastPosition);
    const t = { requested: lock, lock, t1: 0, t2: 0 };
    this.#begin(reason, t);
    const written = { main: 0, delta: 0, bytes: 0, partitions: 0 };
    for (let i = 0; i < planned.length; i++) {
      const { region, cp } = planned[i]!;
      const pm = region.pageMemory;
      if (region.closed || !pm.checkpointCurrent(cp)) {
        if (!region.closed) pm.checkpointFailed([cp]);
        continue;
      }
      try {
        this.#count(written, this.opts.store.writeCheckpoint(cp, (k) => pm.checkpointImage(cp, k)));
        pm.checkpointDone([cp]);
      } catch (e) {
        this.#fail(planned, i);
        this.progress.end();
        throw checkpointError(e, cp);
      }
    }
    this.#finish(reason, t, written);
    log?.release(covered);
  }

  /**
   * Stops the triggers, waits for a running checkpoint, then writes the last one (a clean close); its failure is
   * thrown once the compactor stopped too. Then `stopCompaction()`.
   */
  async stop(writeLast: boolean): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await (this.#queued ?? this.#running)?.catch(noop);
    // The last one goes through the same queue as every other, so nothing else runs beside it.
    if (writeLast) await this.#start('close');
  }

  /** Waits for the compaction the last checkpoint started; throws a failure that was not an I/O error. */
  stopCompaction(): Promise<void> {
    return this.#compactor.stop();
  }

  complete(): void {
    this.#events.complete();
  }

  /** `requestedAt`: when the checkpoint was asked for (or due); the time until its snapshot is its lock wait. */
  #start(reason: CheckpointReason, requestedAt = this.#now()): Promise<void> {
    const run = (async () => {
      await nextTurn();
      try {
        await this.#write(reason, requestedAt);
      } finally {
        this.progress.end(); // a failed checkpoint too: throttling must not wait for its end
      }
    })();
    const tracked: Promise<void> = run.finally(() => {
      if (this.#running === tracked) this.#running = null;
    });
    this.#running = tracked;
    tracked.catch(noop); // callers see the failure; the tracker itself must not be an unhandled rejection
    return tracked;
  }

  /**
   * One checkpoint: `checkpointThreads` partitions written at once, each with its page writes in flight on Node's
   * thread pool, yielding to the event loop at least every PAGES_PER_STEP pages. A partition cleared or destroyed
   * meanwhile is skipped; when one was, another pass writes its new state, so that what resolves covers every change
   * made before it began. The first failure stops new partitions; every partition not committed is dirty again.
   */
  async #write(reason: CheckpointReason, requestedAt: number): Promise<void> {
    for (let pass = 0; pass < 3; pass++) {
      const lock = this.#now();
      const planned = this.#snapshot();
      if (planned === null) return;
      const t = { requested: pass === 0 ? Math.min(requestedAt, lock) : lock, lock, t1: 0, t2: 0 };
      this.#begin(reason, t);
      const log = this.opts.log ?? null;
      const covered = log === null ? 0 : log.holdLimit(log.lastPosition);
      const written = { main: 0, delta: 0, bytes: 0, partitions: 0 };
      let skipped = 0;
      let next = 0;
      // The log's sync runs beside the page writes; each partition waits for it before it commits.
      const logSynced = log === null ? Promise.resolve() : log.sync();
      logSynced.catch(() => undefined); // awaited (and reported) by the partitions
      const failures: Array<{ e: unknown; cp: CheckpointPartition }> = [];
      const worker = async (): Promise<void> => {
        while (next < planned.length && failures.length === 0) {
          preferCopies(planned, next);
          const p = planned[next++]!;
          try {
            if (!(await this.#writePartition(p, written, logSynced))) skipped++;
          } catch (e) {
            failures.push({ e, cp: p.cp });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.opts.config.checkpointThreads, planned.length) }, worker));
      if (failures.length > 0) {
        this.#fail(planned, next);
        throw checkpointError(failures[0]!.e, failures[0]!.cp);
      }
      this.#finish(reason, t, written);
      if (skipped === 0) {
        log?.release(covered);
        return;
      }
    }
  }

  /**
   * One partition of the checkpoint; false when it was skipped (cleared, destroyed or closed meanwhile). It commits
   * only once `logSynced` resolved: a checkpoint never covers a batch the log could still lose.
   */
  async #writePartition({ region, cp }: Planned, written: Written, logSynced: Promise<void>): Promise<boolean> {
    const pm = region.pageMemory;
    const stillPlanned = (): boolean => !region.closed && pm.checkpointCurrent(cp);
    if (!stillPlanned()) {
      if (!region.closed) pm.checkpointFailed([cp]);
      return false;
    }
    let w: CheckpointPartitionWrite | null = null;
    let ok = false;
    try {
      w = this.opts.store.beginCheckpoint(cp);
      for (let k = 0; k < cp.indexes.length; k++) {
        if (k % PAGES_PER_STEP === PAGES_PER_STEP - 1) await nextTurn();
        while (!w.closed && !w.canWrite(k)) await w.room();
        if (w.closed || !stillPlanned()) return false; // the finally gives everything back
        const { buf, off } = pm.checkpointImage(cp, k);
        w.write(k, buf, off);
        this.progress.wrote();
      }
      await logSynced;
      const done = await w.finish();
      // Committed or not, a partition cleared or destroyed meanwhile gets its new state from the next pass.
      if (done === null || !stillPlanned()) return false;
      this.#count(written, done);
      pm.checkpointDone([cp]);
      this.progress.synced(cp.indexes.length);
      ok = true;
      return true;
    } finally {
      if (!ok) {
        w?.abort();
        if (!region.closed) pm.checkpointFailed([cp]);
        // A stale write still in flight must not land after the next pass's write of the same page.
        await w?.settled();
      }
    }
  }

  /** PAGES_SNAPSHOT_TAKEN: every changed partition of every region, or null when nothing changed. */
  #snapshot(): Planned[] | null {
    const planned: Planned[] = [];
    const regions = [...this.opts.regions()].filter((r) => !r.closed).sort((a, b) => a.name.localeCompare(b.name));
    for (const region of regions) for (const cp of region.pageMemory.checkpointPlan()) planned.push({ region, cp });
    // Nothing changed since the last checkpoint: it still covers everything; no files, no events.
    if (planned.length === 0) return null;
    let pages = 0;
    for (const p of planned) pages += p.cp.indexes.length;
    this.progress.begin(pages);
    return planned;
  }

  /** LOCK_RELEASED → PAGES_SORTED: the snapshot is already in region, partition and page order. */
  #begin(reason: CheckpointReason, t: Timing): void {
    t.t1 = this.#now();
    if (this.#events.observed) this.#events.next({ type: 'checkpoint.started', checkpoint: this.totals.checkpoints + 1, reason });
    t.t2 = this.#now();
  }

  #count(written: { main: number; delta: number; bytes: number; partitions: number }, w: { mainPages: number; deltaPages: number; bytes: number }): void {
    written.partitions++;
    written.main += w.mainPages;
    written.delta += w.deltaPages;
    written.bytes += w.bytes;
  }

  /** Entry i failed: it and the ones after it are dirty again. */
  #fail(planned: readonly Planned[], from: number): void {
    for (let j = from; j < planned.length; j++) {
      const { region, cp } = planned[j]!;
      if (!region.closed) region.pageMemory.checkpointFailed([cp]);
    }
  }

  #finish(reason: CheckpointReason, t: Timing, w: { main: number; delta: number; bytes: number; partitions: number }): void {
    const t3 = this.#now();
    this.progress.end();
    const n = ++this.totals.checkpoints;
    this.totals.pagesWritten += w.main + w.delta;
    this.totals.bytesWritten += w.bytes;
    const finished: CheckpointFinishedEvent = {
      type: 'checkpoint.finished', checkpoint: n, reason, partitions: w.partitions, pagesToMain: w.main, pagesToDelta: w.delta,
      bytesWritten: w.bytes, durations: { lockWait: t.lock - t.requested, lockHold: t.t1 - t.lock, sort: t.t2 - t.t1, write: t3 - t.t2, total: t3 - t.lock },
    };
    this.totals.last = finished;
    if (this.#events.observed) this.#events.next(finished);
    this.#compactor.kick();
  }

  /** The interval trigger; `intervalMillis` 0 turns it off (checkpoints then come from dirty pages, flush and close). */
  #arm(): void {
    if (this.#stopped || this.opts.config.intervalMillis === 0) return;
    const { intervalMillis, intervalDeviationPercent } = this.opts.config;
    const jitter = ((Math.random() - 0.5) * intervalDeviationPercent) / 100;
    const delay = Math.max(1, Math.round(intervalMillis * (1 + jitter)));
    const due = this.#now() + delay;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.checkpoint('interval', Math.min(due, this.#now())).catch(noop).finally(() => this.#arm());
    }, delay);
    this.#timer.unref();
  }
}

function noop(): void {}


/**
 * A checkpoint's clock readings: asked for (or due), its snapshot begun (the lock: between closures), the snapshot
 * taken (lock released), pages sorted. Lock wait = how long running code — a long closure — held it back.
 */
interface Timing {
  readonly requested: number;
  readonly lock: number;
  t1: number;
  t2: number;
}
