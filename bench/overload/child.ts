/**
 * One process of the overload benchmark (bench/overload.bench.ts runs them):
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/overload/child.ts load <templateDir>
 *   node ... bench/overload/child.ts SPEED_BASED|DISABLED <workDir>
 *   node ... bench/overload/child.ts scrape <workDir>
 *
 * - `load`: ROWS rows into a new work dir with a cache that holds them all (dataset.ts), flushed and closed.
 * - a policy: opens its own copy of the loaded dir with the CACHE_BYTES cache and that throttling policy (deltaLog
 *   'background', checkpoint interval CHECKPOINT_INTERVAL_MS), runs WARMUP_SECONDS of updates (the cache fills, the
 *   code is compiled), flushes (a checkpoint: the phase starts with no dirty page), then SECONDS of measured updates
 *   (update-loop.ts) while the engine's metrics are sampled every window and its checkpoint and throttling events
 *   recorded (engine-probe.ts).
 * - `scrape`: the metrics-overhead item (scrape.ts).
 * Prints `@@RESULT <json>`. Every update checks its SUCCESS status; after the measured phase 1,000 rows spread over
 * the data are read back (untimed), so a run that lost rows fails instead of reporting figures.
 */
import { performance } from 'node:perf_hooks';
import { RESULT_MARK } from '../standard/run-result';
import { median } from '../standard/report';
import {
  CACHE_BYTES, LABELS, PARTITIONS, POLICIES, ROWS, ROWS_PER_WRITE, SECONDS, VALUE_BYTES, WARMUP_SECONDS,
  type Policy, type PolicyFigures, type PolicyResult,
} from './common';
import { RowIds, dirBytes, loadCacheBytes, loadRows, makeValues, nodeConfig, openData, type OpenedData } from './dataset';
import { EngineProbe, counters, type Counters } from './engine-probe';
import { UpdateLoop, quantiles, type LoopResult } from './update-loop';
import { runScrape } from './scrape';

type Api = typeof import('../../src/interfaces/api/index');

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

async function load(api: Api, dir: string): Promise<{ rows: number; loadMs: number; dataBytes: number }> {
  const t0 = performance.now();
  const data = await openData(api, dir, nodeConfig(loadCacheBytes(ROWS), 'SPEED_BASED', 'none'), true);
  try {
    await loadRows(api, data, new RowIds(api, ROWS));
  } finally {
    await data.node.close();
  }
  return { rows: ROWS, loadMs: performance.now() - t0, dataBytes: dirBytes(dir) };
}

async function measurePolicy(api: Api, policy: Policy, dir: string): Promise<PolicyResult> {
  const dataBytes = dirBytes(dir);
  const data = await openData(api, dir, nodeConfig(CACHE_BYTES, policy, 'background'), false);
  try {
    const ids = new RowIds(api, ROWS);
    const loop = new UpdateLoop(data, ids, makeValues());
    await loop.run({ seconds: WARMUP_SECONDS });
    await Promise.all(data.parts.map((p) => p.flush(true)));
    gc();
    const probe = new EngineProbe(data.node);
    const r = await loop.run({ seconds: SECONDS, onTick: (w) => probe.sample(w) });
    const after = counters(data.node);
    probe.stop(r.startAt + r.ms);
    checkRows(api, data, ids);
    const { checkpoints, throttling, compactions } = probe.periods(r.startAt, r.startAt + r.ms);
    return {
      id: policy, label: LABELS[policy], figures: figures(r, probe.base, after, throttling.length),
      windowWrites: [...r.windowWrites], trace: probe.trace(r.windowWrites.length, r.startAt, r.startAt + r.ms),
      checkpointPeriods: checkpoints, throttlingPeriods: throttling, compactionPeriods: compactions, dataBytes, cacheBytes: CACHE_BYTES,
    };
  } finally {
    await data.node.close();
  }
}

/** Rows spread over the data read back with a value of VALUE_BYTES (the loop's updates replaced, never removed, them). */
function checkRows(api: Api, data: OpenedData, ids: RowIds): void {
  const step = Math.max(1, Math.floor(ids.rows / 1000));
  for (let i = 0; i < ids.rows; i += step) {
    const bytes = data.parts[i % PARTITIONS]!.read(ids.rowId(i), api.MAX_VALUE).binaryRow?.bytes;
    if (bytes?.length !== VALUE_BYTES) throw new Error(`row ${i} read back ${bytes === undefined ? 'nothing' : `${bytes.length} bytes`}`);
  }
}

function figures(r: LoopResult, before: Counters, after: Counters, throttlingPeriods: number): PolicyFigures {
  const w = [...r.windowWrites];
  const med = median(w);
  const n = Math.min(r.latencyCount, r.latencies.length);
  const [p50, p99, p999, max] = quantiles(r.latencies, n, [0.5, 0.99, 0.999, 1]) as [number, number, number, number];
  return {
    seconds: r.ms / 1000, writes: r.writes, writesPerSec: r.writes / (r.ms / 1000),
    rowsPerWrite: ROWS_PER_WRITE, rowsPerSec: (r.writes * ROWS_PER_WRITE) / (r.ms / 1000),
    windows: w.length, minWindow: Math.min(...w), medianWindow: med, maxWindow: Math.max(...w),
    emptyWindows: w.filter((x) => x === 0).length, slowestToMedian: med > 0 ? Math.min(...w) / med : 0,
    p50Ms: p50, p99Ms: p99, p999Ms: p999, maxMs: max, unrecorded: r.latencyCount - n,
    checkpoints: after.checkpoints - before.checkpoints, checkpointPages: after.checkpointPages - before.checkpointPages,
    throttlingPeriods, throttledWrites: after.throttledWrites - before.throttledWrites, throttleMs: after.throttleMs - before.throttleMs,
    bufferFullFallbacks: after.bufferFullFallbacks - before.bufferFullFallbacks, spillWrites: after.spillWrites - before.spillWrites,
    cacheMisses: after.misses - before.misses,
    longestGapMs: r.longestGapMs, loopDelayP99Ms: r.loopDelayP99Ms, loopDelayMaxMs: r.loopDelayMaxMs,
  };
}

async function main(): Promise<void> {
  const [mode, dir] = process.argv.slice(2) as [string, string];
  if (dir === undefined) throw new Error('usage: child.ts load|SPEED_BASED|DISABLED|scrape <dir>');
  const api = require('../../src/interfaces/api/index') as Api;
  let result: unknown;
  if (mode === 'load') result = { id: 'load', label: 'load', ...(await load(api, dir)) };
  else if (mode === 'scrape') result = await runScrape(api, dir);
  else if ((POLICIES as readonly string[]).includes(mode)) result = await measurePolicy(api, mode as Policy, dir);
  else throw new Error(`unknown mode ${mode}`);
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
