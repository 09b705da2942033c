/**
 * aipersist's checkpointer: writes every region's dirty pages to the partition files (FilePageStore) so that after
 * a crash each partition is exactly at its last completed checkpoint, then compacts delta files.
 *
 * A checkpoint runs as one macrotask (setImmediate), so it always falls between two `runConsistently` closures
 * (closures are synchronous) and sees every partition at a closure boundary. Its phases, in the spec's states:
 * SCHEDULED (requested) → LOCK_TAKEN / PAGES_SNAPSHOT_TAKEN (each region's dirty pages and partition states are
 * listed) → LOCK_RELEASED → PAGES_SORTED (by partition and page index) → FINISHED (every partition's pages written
 * and committed: see file-page-store.ts for the write order). In this build the write phase runs synchronously in
 * that same macrotask, so no writer can change a page before it is written and no copy-on-write is needed; the
 * price is that writers wait while a checkpoint writes (measured in `checkpoint.finished`'s durations).
 *
 * Triggers: every `intervalMillis` ± a jitter uniform in ±intervalDeviationPercent/2 %, dirty pages at 3/4 of a
 * region (the page memory calls `dirtyPagesHigh`), `flush()`, `checkpoint()`, and the engine's stop. Requests
 * made while one is scheduled share it. After each checkpoint, partitions with more than one delta file are
 * compacted down to one (the newest, which holds the committed state).
 */
import { Subject, type Observable } from 'rxjs';
import type { CheckpointConfig } from '../../config/config.model';
import type { PersistentRegion } from '../../../domain/region/persistent-region';
import type { DurablePageStore } from '../../../domain/ports/page-store.port';
import type { CheckpointEvent, CheckpointFinishedEvent, CheckpointReason } from '../../../domain/checkpoint/checkpoint.events';

export interface CheckpointerOptions {
  readonly config: CheckpointConfig;
  readonly regions: () => Iterable<PersistentRegion>;
  readonly store: DurablePageStore;
  readonly now?: () => number;
}

export interface CheckpointTotals {
  checkpoints: number;
  pagesWritten: number;
  bytesWritten: number;
  compactions: number;
  last: CheckpointFinishedEvent | null;
}

export class Checkpointer {
  readonly #events = new Subject<CheckpointEvent>();
  readonly events$: Observable<CheckpointEvent> = this.#events.asObservable();
  readonly totals: CheckpointTotals = { checkpoints: 0, pagesWritten: 0, bytesWritten: 0, compactions: 0, last: null };
  #scheduled: Promise<void> | null = null;
  #scheduledReason: CheckpointReason = 'requested';
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  readonly #now: () => number;

  constructor(private readonly opts: CheckpointerOptions) {
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Starts the interval trigger. */
  start(): void {
    this.#arm();
  }

  /** A checkpoint as soon as the current closure (if any) returns; resolves once it finished. */
  checkpoint(reason: CheckpointReason): Promise<void> {
    if (this.#scheduled !== null) return this.#scheduled;
    this.#scheduledReason = reason;
    this.#scheduled = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        const why = this.#scheduledReason;
        this.#scheduled = null;
        try {
          this.runNow(why);
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
    return this.#scheduled;
  }

  /** The page memory's signal: dirty pages reached 3/4 of a region. */
  dirtyPagesHigh(): void {
    if (!this.#stopped) void this.checkpoint('dirty pages').catch(() => undefined);
  }

  /**
   * Runs a checkpoint synchronously (the caller is between closures: a timer, the engine's stop). A failure (disk
   * full, I/O error) leaves the unwritten pages dirty for the next one and is thrown.
   */
  runNow(reason: CheckpointReason): void {
    const n = this.totals.checkpoints + 1;
    const t0 = this.#now();
    const plans = [];
    for (const region of this.opts.regions()) {
      if (region.closed) continue;
      const partitions = region.pageMemory.checkpointPlan();
      if (partitions.length > 0) plans.push({ region, partitions });
    }
    // Nothing changed since the last checkpoint: it still covers everything; no files, no events.
    if (plans.length === 0) return;
    if (this.#events.observed) this.#events.next({ type: 'checkpoint.started', checkpoint: n, reason });
    const t1 = this.#now();
    plans.sort((a, b) => a.region.name.localeCompare(b.region.name));
    const t2 = this.#now();
    let partitions = 0;
    let pagesToMain = 0;
    let pagesToDelta = 0;
    let bytes = 0;
    for (const { region, partitions: list } of plans) {
      const pm = region.pageMemory;
      for (const cp of list) {
        const w = this.opts.store.writeCheckpoint(cp, (k) => pm.checkpointImage(cp, k));
        pm.checkpointDone([cp]);
        partitions++;
        pagesToMain += w.mainPages;
        pagesToDelta += w.deltaPages;
        bytes += w.bytes;
      }
    }
    const t3 = this.#now();
    this.totals.checkpoints = n;
    this.totals.pagesWritten += pagesToMain + pagesToDelta;
    this.totals.bytesWritten += bytes;
    const finished: CheckpointFinishedEvent = {
      type: 'checkpoint.finished', checkpoint: n, reason, partitions, pagesToMain, pagesToDelta, bytesWritten: bytes,
      durations: { lockWait: 0, lockHold: t1 - t0, sort: t2 - t1, write: t3 - t2, total: t3 - t0 },
    };
    this.totals.last = finished;
    if (this.#events.observed) this.#events.next(finished);
    this.compact();
  }

  /** Merges every partition's older delta files into its main file. */
  compact(): void {
    const t0 = this.#now();
    let files = 0;
    let pages = 0;
    for (const { tableId, partitionId } of this.opts.store.compactable()) {
      while (this.opts.store.deltaCount(tableId, partitionId) > 1) {
        pages += this.opts.store.compactOldest(tableId, partitionId);
        files++;
      }
    }
    if (files === 0) return;
    this.totals.compactions += files;
    if (this.#events.observed) this.#events.next({ type: 'compaction.finished', deltaFilesMerged: files, pagesMerged: pages, millis: this.#now() - t0 });
  }

  /** Stops the triggers; the engine writes its last checkpoint itself (runNow). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  complete(): void {
    this.#events.complete();
  }

  #arm(): void {
    if (this.#stopped) return;
    const { intervalMillis, intervalDeviationPercent } = this.opts.config;
    const jitter = ((Math.random() - 0.5) * intervalDeviationPercent) / 100;
    const delay = Math.max(1, Math.round(intervalMillis * (1 + jitter)));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.checkpoint('interval').catch(() => undefined).finally(() => this.#arm());
    }, delay);
    this.#timer.unref();
  }
}
