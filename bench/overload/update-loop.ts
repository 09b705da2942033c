/**
 * The overload benchmark's workload: WRITERS concurrent async writers, each updating ROWS_PER_WRITE random existing
 * rows of a random partition (new committed versions: `addWriteCommitted` at fresh timestamps) in one `runDurably`
 * closure after another, as fast as they can, until the deadline (common.ts says why several rows per closure).
 *
 * - `runDurably` passes the region's write gate (the throttle) on its own; the latency recorded is from before the
 *   gate to the promise's resolution, into a preallocated Float64Array. Completions are counted per WINDOW_MS window
 *   by their completion time (exact whatever the timers do).
 * - deltaLog syncMode 'background' (set by the child): every closure is logged, and the log is synced every 100 ms.
 *   With 'fsync' every closure would wait for an fdatasync of the log (group commit, about 4k syncs/s on this disk):
 *   the benchmark would measure the log's sync rate, not whether checkpoints keep up with writers.
 * - Each writer yields one macrotask (setImmediate) after each closure, as an application's writes arrive one per I/O
 *   callback. Without it a 'background' runDurably resolves on a microtask, writers would never leave the microtask
 *   queue, and the checkpointer's I/O callbacks and timers (and the throttle's sleeps) would starve — no workload.
 * - Timestamps are taken inside the closure (closures of the node run one at a time), one per row, so two writers that
 *   pick the same row, or one closure that draws it twice, commit in timestamp order.
 * Allocation per closure: what the API needs (a RowId, a timestamp and a result per row, runDurably's promise) and the
 * yield.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Rng } from '../standard/workload';
import { BenchClock } from '../standard/bench-clock';
import type { BinaryRow, MvPartitionStorage, RowId } from '../../src/interfaces/api/index';
import { PARTITIONS, ROWS_PER_WRITE, SEED, WINDOW_MS, WRITERS } from './common';
import { valueIndex, type OpenedData, type RowIds } from './dataset';

/** Latencies kept per second of the phase (more than the rate of any run so far; beyond, they are counted only). */
const LATENCY_CAPACITY_PER_SEC = 150_000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * One writer's state; its closure is created once and reads the fields the loop sets before each call: the rows of
 * one partition (a closure belongs to one partition), each a new version at its own timestamp (the same row
 * drawn twice in a closure gets two versions in timestamp order).
 */
class Writer {
  part!: MvPartitionStorage;
  readonly rowIds: RowId[] = [];
  readonly rows: BinaryRow[] = [];
  constructor(readonly clock: BenchClock) {}

  readonly closure = (): void => {
    for (let j = 0; j < this.rowIds.length; j++) {
      const r = this.part.addWriteCommitted(this.rowIds[j]!, this.rows[j]!, this.clock.now());
      if (r.status !== 'SUCCESS') throw new Error(`update: ${r.status}`);
    }
  };
}

export interface LoopOptions {
  readonly seconds: number;
  /** Called every WINDOW_MS with the index of the window it falls in (a timer: it may come late or be skipped). */
  readonly onTick?: (window: number) => void;
}

export interface LoopResult {
  /** The phase: its start (performance.now()), its length, writes completed in it (later ones count for latency only). */
  readonly startAt: number;
  readonly ms: number;
  readonly writes: number;
  /** How long the closures in flight at the deadline took to finish. */
  readonly drainMs: number;
  /** Completions per WINDOW_MS window of the phase (whole windows: BENCH_SECONDS × 1000 / WINDOW_MS of them). */
  readonly windowWrites: Uint32Array;
  /** Latencies of every closure of the phase (ms; the first min(latencyCount, length) recorded). */
  readonly latencies: Float64Array;
  readonly latencyCount: number;
  readonly longestGapMs: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

/** One phase's counters, shared by its writers: completions per window, latencies, the longest gap. */
class PhaseCounters {
  writes = 0;
  recorded = 0;
  longestGap = 0;
  lastDone: number;

  constructor(readonly windows: Uint32Array, readonly latencies: Float64Array, readonly start: number, readonly end: number) {
    this.lastDone = start;
  }

  /** A closure started (before its gate) at `startedAt` resolved at `doneAt`. */
  completed(startedAt: number, doneAt: number): void {
    if (this.recorded < this.latencies.length) this.latencies[this.recorded] = doneAt - startedAt;
    this.recorded++;
    if (doneAt >= this.end) return;
    this.writes++;
    this.windows[Math.floor((doneAt - this.start) / WINDOW_MS)]++;
    if (doneAt - this.lastDone > this.longestGap) this.longestGap = doneAt - this.lastDone;
    this.lastDone = doneAt;
  }
}

export class UpdateLoop {
  readonly #data: OpenedData;
  readonly #ids: RowIds;
  readonly #values: readonly BinaryRow[];
  readonly #rng = new Rng(SEED + 2);
  readonly #clock = new BenchClock();
  readonly #rowsPerWrite: number;
  #latencies = new Float64Array(0);

  constructor(data: OpenedData, ids: RowIds, values: readonly BinaryRow[], rowsPerWrite = ROWS_PER_WRITE) {
    this.#data = data;
    this.#ids = ids;
    this.#values = values;
    this.#rowsPerWrite = rowsPerWrite;
  }

  /** The clock's start is the process's wall clock: later than every timestamp the loading process committed. */
  async run(o: LoopOptions): Promise<LoopResult> {
    const windows = new Uint32Array(Math.floor((o.seconds * 1000) / WINDOW_MS));
    const capacity = Math.ceil(o.seconds * LATENCY_CAPACITY_PER_SEC);
    if (this.#latencies.length < capacity) this.#latencies = new Float64Array(capacity);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const start = performance.now();
    const c = new PhaseCounters(windows, this.#latencies, start, start + windows.length * WINDOW_MS);
    const tick = o.onTick === undefined ? null : setInterval(() => o.onTick!(Math.floor((performance.now() - start) / WINDOW_MS)), WINDOW_MS);
    delay.enable();
    try {
      await Promise.all(Array.from({ length: WRITERS }, () => this.#write(new Writer(this.#clock), c)));
    } finally {
      delay.disable();
      if (tick !== null) clearInterval(tick);
    }
    if (c.end - c.lastDone > c.longestGap) c.longestGap = c.end - c.lastDone;
    return {
      startAt: start, ms: c.end - start, drainMs: performance.now() - c.end, writes: c.writes, windowWrites: windows,
      latencies: c.latencies, latencyCount: c.recorded, longestGapMs: c.longestGap,
      loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6,
    };
  }

  /**
   * One writer: updates of `rowsPerWrite` random rows of a random partition per closure, a macrotask between
   * closures, until the phase's end.
   */
  async #write(w: Writer, c: PhaseCounters): Promise<void> {
    const ids = this.#ids;
    const k = this.#rowsPerWrite;
    const perPartition = Math.floor(ids.rows / PARTITIONS);
    for (let t = performance.now(); t < c.end; t = performance.now()) {
      const p = this.#rng.below(PARTITIONS);
      w.part = this.#data.parts[p]!;
      for (let j = 0; j < k; j++) {
        const i = p + PARTITIONS * this.#rng.below(perPartition); // row i lives in partition i % PARTITIONS
        w.rowIds[j] = ids.rowId(i);
        w.rows[j] = this.#values[valueIndex(i + c.recorded)]!;
      }
      await w.part.runDurably(w.closure);
      c.completed(t, performance.now());
      await nextTurn();
    }
  }
}

/** The p-quantile (0 < p ≤ 1) of the first n values, nearest rank; sorts a copy. */
export function quantiles(values: Float64Array, n: number, ps: readonly number[]): number[] {
  const s = values.slice(0, n).sort();
  return ps.map((p) => (n === 0 ? NaN : s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!));
}
