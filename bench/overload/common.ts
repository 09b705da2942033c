/**
 * What the overload benchmark's children (./child.ts) and its parent (bench/overload.bench.ts) share: the sizes
 * (environment overrides), the policies compared, and the shapes a child reports in its `@@RESULT` line.
 *
 * Sizes: BENCH_SECONDS of measured updates per policy (default 60; BENCH_QUICK=1: 5), BENCH_WARMUP_SECONDS of
 * unmeasured updates before them (default 3, quick 1), BENCH_ROWS rows loaded (default 1,600,000 of 150 bytes: 304 MB
 * of partition files, 9.1 × the 32 MiB cache; quick 400,000), BENCH_CACHE_MB (default 32), BENCH_WRITERS concurrent writers
 * (default 8), BENCH_ROWS_PER_WRITE rows updated per closure (default 16, below), BENCH_CHECKPOINT_MS the interval
 * checkpoint (default 1,000), BENCH_SCRAPE_SECONDS per side of the metrics-overhead item (default 10, quick 4).
 *
 * Why 16 rows per closure: with one row per closure the writers dirty about 15k pages/s and the checkpointer writes
 * about 27k pages/s — it keeps up, the dirty ratio never passes SPEED_BASED's target and throttling never engages, so
 * the comparison of the policies measures nothing (the first version of this benchmark). The writers share the one
 * event loop with the checkpointer, and more writers add no CPU; what dirties pages faster per unit of loop time is
 * more rows per closure (a closure's fixed costs — gate, log record, promise, the macrotask between closures — are
 * shared by its rows; each row still dirties about one random data page). Runs of 10 s (32 MiB cache, 8 writers):
 * up to 8 rows per closure DISABLED's dirty ratio peaked at 0.97 or less and SPEED_BASED throttled 0 or 1 times; at
 * 12, 16 and 32 DISABLED's dirty pages passed the cache (1.2, 1.7, 3.9 × the frames, the excess spilled) with
 * checkpoints of about 1 s back to back, and SPEED_BASED throttled in 8–21 periods. 16 is the round size at which the
 * overload is clear for DISABLED and throttling engages several times a second for SPEED_BASED.
 */
import type { ThrottlingPolicyName } from '../../src/interfaces/api/index';

const QUICK = process.env.BENCH_QUICK === '1';

const envNumber = (name: string, dflt: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new Error(`${name} must be a positive number, got ${v}`);
  return x;
};

export const MiB = 1024 * 1024;
export const SECONDS = envNumber('BENCH_SECONDS', QUICK ? 5 : 60);
export const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', QUICK ? 1 : 3);
export const ROWS = Math.floor(envNumber('BENCH_ROWS', QUICK ? 400_000 : 1_600_000));
export const CACHE_BYTES = Math.floor(envNumber('BENCH_CACHE_MB', 32) * MiB);
export const WRITERS = Math.floor(envNumber('BENCH_WRITERS', 8));
/** Rows of one partition updated per `runDurably` closure; latency and windows count closures. */
export const ROWS_PER_WRITE = Math.floor(envNumber('BENCH_ROWS_PER_WRITE', 16));
export const SCRAPE_SECONDS = envNumber('BENCH_SCRAPE_SECONDS', QUICK ? 4 : 10);
/** One table of this many partitions; row i lives in partition i % PARTITIONS. */
export const PARTITIONS = 4;
export const VALUE_BYTES = 150;
/** Completions are counted per window of this many ms; the engine's metrics are sampled at the same pace. */
export const WINDOW_MS = 100;
/**
 * The checkpoint interval of the measured runs. Under this overload dirty pages at 3/4 of the cache trigger most
 * checkpoints (several a second), so the interval matters little; it bounds the time a quiet region stays dirty.
 */
export const CHECKPOINT_INTERVAL_MS = envNumber('BENCH_CHECKPOINT_MS', 1_000);
export const SEED = 12;

/** The policies compared, each in its own child on its own copy of the loaded data. */
export const POLICIES = ['SPEED_BASED', 'DISABLED'] as const satisfies readonly ThrottlingPolicyName[];
export type Policy = (typeof POLICIES)[number];

/** The targets for SPEED_BASED. */
export const TARGETS = { minSlowestToMedian: 0.25, maxP999Ms: 50, minThroughputVsDisabled: 1, minScrapedVsPlain: 0.97 } as const;

/** The engine's state sampled at the end of each window (node.metrics(); the region of the bench's profile). */
export interface WindowSample {
  readonly dirtyRatio: number;
  readonly targetDirtyRatio: number;
  /** Throttle ms added (totalThrottleMillis delta) and closures throttled (throttledWrites delta) in the window. */
  readonly throttleMs: number;
  readonly throttledWrites: number;
  /** totalThrottleMillis at the sample, counted from the start of the phase. */
  readonly totalThrottleMs: number;
  /** A throttling period (throttling.started … stopped events) overlaps the window. */
  readonly throttlingActive: boolean;
  /** The metrics' `active` flag at the sample (the end of the window). */
  readonly throttlingActiveAtSample: boolean;
  readonly checkpointRunning: boolean;
  /**
   * A compaction round that finished (compaction.finished and its duration) overlaps the window, and the delta files
   * merged (the metrics' counter, which rises when a round finishes). A round goes on while checkpoints keep adding
   * delta files, so under a steady overload it may not finish within the phase: neither shows merges in progress.
   */
  readonly compactionRunning: boolean;
  readonly deltaFilesMerged: number;
  readonly checkpointPagesPerSec: number;
  readonly markDirtyPagesPerSec: number;
  readonly bufferFill: number;
  /** Cache misses and spill writes (a dirty page evicted before a checkpoint wrote it) in the window. */
  readonly misses: number;
  readonly spillWrites: number;
}

/** A period [fromMs, toMs) relative to the start of the measured phase. */
export interface Period {
  readonly fromMs: number;
  readonly toMs: number;
  readonly label: string;
}

/** One policy's measured phase (times in ms, rates per second). */
export interface PolicyFigures {
  readonly seconds: number;
  /** Closures (each a `runDurably` of `rowsPerWrite` row updates) completed in the phase, and per second. */
  readonly writes: number;
  readonly writesPerSec: number;
  readonly rowsPerWrite: number;
  /** Row updates per second (writesPerSec × rowsPerWrite). */
  readonly rowsPerSec: number;
  readonly windows: number;
  readonly minWindow: number;
  readonly medianWindow: number;
  readonly maxWindow: number;
  readonly emptyWindows: number;
  /** Slowest window ÷ median window. */
  readonly slowestToMedian: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** Latencies not recorded (the preallocated array was full): 0 unless the rate was beyond the expected. */
  readonly unrecorded: number;
  readonly checkpoints: number;
  readonly checkpointPages: number;
  readonly throttlingPeriods: number;
  readonly throttledWrites: number;
  readonly throttleMs: number;
  readonly bufferFullFallbacks: number;
  readonly spillWrites: number;
  readonly cacheMisses: number;
  /** The longest gap between two completions, and the event loop's delay p99 / max over the phase (ms). */
  readonly longestGapMs: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

export interface PolicyResult {
  readonly id: Policy;
  readonly label: string;
  readonly figures: PolicyFigures;
  /** Completed writes per window, and the engine's samples per window (same length). */
  readonly windowWrites: number[];
  readonly trace: WindowSample[];
  readonly checkpointPeriods: Period[];
  readonly throttlingPeriods: Period[];
  readonly compactionPeriods: Period[];
  /** The data the run started from: pages on disk, bytes, rows, cache. */
  readonly dataBytes: number;
  readonly cacheBytes: number;
  readonly commit?: string;
  readonly run?: number;
}

/** The metrics-overhead item: the same update loop, node.metricsText() scraped every WINDOW_MS or not (scrape.ts). */
export interface ScrapeResult {
  readonly id: 'scrape';
  readonly label: string;
  readonly plainWritesPerSec: number;
  readonly scrapedWritesPerSec: number;
  /** Scraped ÷ plain writes of each group of four 1-second slices (plain, scraped, scraped, plain). */
  readonly groupRatios: number[];
  readonly scrapes: number;
  readonly scrapeMsMean: number;
  readonly metricsTextBytes: number;
  /** All scraped writes ÷ all plain writes. */
  readonly ratio: number;
  readonly commit?: string;
  readonly run?: number;
}

export const LABELS: Record<Policy, string> = {
  SPEED_BASED: 'aipersist, throttling SPEED_BASED',
  DISABLED: 'aipersist, throttling DISABLED',
};
