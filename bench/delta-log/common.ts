/**
 * What the delta-log benchmark's children (./child.ts) and its parent (bench/delta-log.bench.ts) share: the subject
 * ids and labels, the figures' sizes (BENCH_WARMUP_COMMITS, BENCH_SINGLE_COMMITS, BENCH_CONCURRENT_COMMITS, BENCH_CONCURRENT_SECONDS,
 * BENCH_REPLAY_ROWS), the Figures a child reports in its ChildResult, and the children's timing and check helpers
 * (`checkKeys`: the untimed read-back that makes a fast but wrong run fail).
 */
import { valueOf, type Workload } from '../standard/workload';

/** The subjects the parent runs (`aipersist-replay` = `replay-write` then `replay-open` in two processes). */
export const CHILD_IDS = ['aipersist', 'aipersist-nolog', 'aipersist-replay', 'sqlite', 'lmdb', 'fdatasync'] as const;
export type ChildId = (typeof CHILD_IDS)[number];

const envInt = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};

/**
 * Figures 1 and 2: untimed sequential commits first, on the store the figure then times (every subject alike). 5,000:
 * V8 keeps compiling the commit path for the first few thousand commits — level 2's `table.upsert` with the log's
 * sync replaced by a no-op took 148, 113, 45, 34, 30, 27 µs per commit over successive thousands, then 26 µs — so
 * after 500 the timed window still measured the compiler (and its threads competing with the disk's on 2 cores).
 */
export const WARMUP_COMMITS = envInt('BENCH_WARMUP_COMMITS', 5_000);
/** Figure 1: sequential durable commits per subject. */
export const SINGLE_COMMITS = envInt('BENCH_SINGLE_COMMITS', 2_000);
/** Figure 2: concurrent writers, and when they stop: this many commits started, or this many seconds. */
export const CONCURRENT_WRITERS = 64;
export const CONCURRENT_COMMITS = envInt('BENCH_CONCURRENT_COMMITS', 20_000);
export const CONCURRENT_SECONDS = envInt('BENCH_CONCURRENT_SECONDS', 3);
/** Figure 3: rows per record (one runConsistently closure each). */
export const REPLAY_ROWS = envInt('BENCH_REPLAY_ROWS', 1);

/** Every figure a child can report (absent: not measured by that subject). Rates per second, times in ms. */
export interface Figures {
  // 1. single writer
  singleCommitsPerSec?: number;
  singleP50Ms?: number;
  singleP99Ms?: number;
  /** The raw probe's second series (appends); the first (overwrites) is in the single* figures. */
  appendCommitsPerSec?: number;
  appendP50Ms?: number;
  appendP99Ms?: number;
  /** aipersist: the log over figure 1 — bytes per record (record header included), records per sync, syncs. */
  singleLogBytesPerRecord?: number;
  singleRecordsPerSync?: number;
  singleSyncs?: number;
  // 2. concurrent writers
  concurrentCommitsPerSec?: number;
  concurrentCommits?: number;
  concurrentSeconds?: number;
  concurrentP50Ms?: number;
  concurrentP99Ms?: number;
  /** aipersist: the log over figure 2 — records per sync (the group commit), syncs, the log's sync-round p50 / p99. */
  concurrentRecordsPerSync?: number;
  concurrentSyncs?: number;
  concurrentSyncP50Ms?: number;
  concurrentSyncP99Ms?: number;
  // 3. replay
  /** Records (closures) and rows written, their log bytes, the writer's records/s, checkpoints during the writes. */
  replayRecords?: number;
  replayRows?: number;
  replayLogBytes?: number;
  replayWriteRecordsPerSec?: number;
  replayCheckpointsDuringWrite?: number;
  /** The reopen: total and per step (openNode, createMvTable, createMvPartition = the replay, createSortedIndex), ms. */
  reopenMs?: number;
  reopenOpenNodeMs?: number;
  reopenTableMs?: number;
  reopenPartitionMs?: number;
  reopenIndexMs?: number;
  /** The log's counters after the reopen (DeltaLogMetrics). */
  recoveredRecords?: number;
  replayedRecords?: number;
  replayMillis?: number;
  /** replayedRecords ÷ the whole reopen, and ÷ createMvPartition alone, records/s. */
  replayRecordsPerSec?: number;
  replayPartitionRecordsPerSec?: number;
  // 4. batched inserts
  /** Rows/s of the inserts; aipersist: including the flush(true) after them. */
  insert?: number;
  /** aipersist: rows/s of the closures alone, and the flush's wall time. */
  insertNoFlush?: number;
  flushMs?: number;
  /** aipersist: the log's bytes per row over the inserts (0 with syncMode none), records, syncs. */
  insertLogBytesPerRow?: number;
  insertLogRecords?: number;
  insertLogSyncs?: number;
}

export interface ChildResult {
  readonly id: string;
  readonly label: string;
  readonly figures: Figures;
  /** Set by the parent. */
  readonly commit?: string;
  readonly run?: number;
}

export const LABELS: Record<ChildId, string> = {
  aipersist: 'aipersist (deltaLog fsync)',
  'aipersist-nolog': 'aipersist (deltaLog none)',
  'aipersist-replay': 'aipersist replay (SIGKILL, reopen)',
  sqlite: 'better-sqlite3 (WAL, synchronous=FULL)',
  lmdb: 'lmdb (lmdb-js, default sync)',
  fdatasync: 'raw fdatasync (4 KiB)',
};

export const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
export const perSecond = (ops: number, ms: number): number => ops / (ms / 1000);

export async function timed<T>(body: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  gc();
  const t0 = process.hrtime.bigint();
  const value = await body();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** The p-quantile (0 < p ≤ 1) of the first n latencies (nearest rank). */
export function quantile(latencies: Float64Array, n: number, p: number): number {
  const s = latencies.slice(0, n).sort();
  return s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
}

function sameBytes(a: Uint8Array | undefined | null, b: Uint8Array): boolean {
  return a != null && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), b) === 0;
}

/** Keys `keys[from..to)` (every `step`-th) read back with their values. */
export function checkKeys(what: string, w: Workload, keys: Uint32Array, to: number, step: number, lookup: (k: number) => Uint8Array | undefined | null): void {
  for (let i = 0; i < to; i += step) {
    const k = keys[i]!;
    if (!sameBytes(lookup(k), valueOf(w, k))) throw new Error(`${what}: wrong or missing value for key ${k} (commit ${i})`);
  }
}
