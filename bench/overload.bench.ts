/**
 * The overload benchmark of issue 12 (write throttling): aipersist with a cache much smaller than the data, random
 * updates as fast as possible, checkpoints running — write throttling SPEED_BASED against DISABLED in the same run:
 *
 *   BENCH_RUNS=1 npx ts-node --transpile-only bench/run.ts overload      (or bench/overload.bench.ts directly)
 *
 * Per run (BENCH_RUNS, default 1; about 3 minutes each at the defaults of bench/overload/common.ts):
 *   1. a `load` child writes ROWS rows of 150 bytes (random RowIds from a seed) into one table of 4 partitions in a
 *      template work dir, with a cache that holds them all, and closes it (a checkpoint);
 *   2. each policy (order alternating between runs) in its own child on its own copy of that dir: the CACHE_BYTES
 *      cache (default 32 MiB, the data about 9 × that on disk), deltaLog 'background', checkpoints every 1 s and at
 *      3/4 dirty pages; WARMUP_SECONDS of updates, a flush, then SECONDS (default 60) of updates from WRITERS (8)
 *      concurrent async writers, each awaiting `runDurably(addWriteCommitted of ROWS_PER_WRITE (16) random rows)` in a
 *      loop (bench/overload/common.ts says why 16 rows, bench/overload/update-loop.ts why 'background' and why a
 *      macrotask between closures). Measured: writes (closures) per 100 ms window, each closure's latency (gate
 *      included), the engine's throttling and cache metrics every window and its checkpoint, throttling and
 *      compaction events;
 *   3. the metrics-overhead item (bench/overload/scrape.ts): updates of one row per closure, cache-resident,
 *      node.metricsText() every 100 ms or not, in 1-second slices plain / scraped / scraped / plain, repeated.
 * Prints the figures and the targets (met / NOT met), writes the results (every window, the per-window trace
 * of dirty ratio, target ratio, the throttle's active flag, its ms and closures, checkpoint and mark-dirty speeds,
 * checkpoint and compaction running, spill writes, misses) to bench/results/overload.json and the chart of the last
 * run to docs/overload.svg — for runs at other settings (BENCH_QUICK=1, BENCH_SECONDS, BENCH_ROWS, BENCH_CACHE_MB,
 * BENCH_WRITERS, BENCH_ROWS_PER_WRITE, BENCH_CHECKPOINT_MS), to bench/results/overload-<seconds>s.{json,svg}.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchChild } from './standard/child-runs';
import { machine, machineLine, type Machine } from './machine';
import { writeJson } from './standard/report';
import {
  CACHE_BYTES, CHECKPOINT_INTERVAL_MS, PARTITIONS, POLICIES, ROWS, ROWS_PER_WRITE, SCRAPE_SECONDS, SECONDS, VALUE_BYTES, WARMUP_SECONDS,
  WINDOW_MS, WRITERS, MiB, type Policy, type PolicyResult, type ScrapeResult,
} from './overload/common';
import type { JudgedTarget } from './standard/ratios';
import { judgeTargets, printFigures, printScrape, type PolicyRuns } from './overload/report';
import { overloadSvg } from './overload/svg-chart';

const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const childScript = join(__dirname, 'overload', 'child.ts');
const repo = join(__dirname, '..');
const standardSizes = SECONDS === 60 &&
  ['BENCH_ROWS', 'BENCH_CACHE_MB', 'BENCH_WRITERS', 'BENCH_ROWS_PER_WRITE', 'BENCH_CHECKPOINT_MS'].every((v) => process.env[v] === undefined);
const resultsFile = join(__dirname, 'results', standardSizes ? 'overload.json' : `overload-${SECONDS}s.json`);
const chartFile = standardSizes ? join(repo, 'docs', 'overload.svg') : resultsFile.replace(/\.json$/, '.svg');

interface LoadResult {
  readonly rows: number;
  readonly loadMs: number;
  readonly dataBytes: number;
}

/** `script mode dir` as a child on a fresh copy of `template` (removed after). */
function onCopy<R>(template: string, mode: string, run: number): (R & { commit: string; run: number }) | string {
  const dir = mkdtempSync(join(tmpdir(), `aistorage-bench-overload-${mode.toLowerCase()}-`));
  try {
    cpSync(template, dir, { recursive: true });
    return runBenchChild<R>(childScript, [mode, dir], run);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function oneRun(run: number, runs: PolicyRuns, scrapes: ScrapeResult[], loads: LoadResult[]): void {
  const template = mkdtempSync(join(tmpdir(), 'aistorage-bench-overload-template-'));
  try {
    const t0 = Date.now();
    const loaded = runBenchChild<LoadResult>(childScript, ['load', template], run);
    if (typeof loaded === 'string') throw new Error(`the load ${loaded}`);
    loads.push(loaded);
    const mb = (loaded.dataBytes / 1e6).toFixed(0);
    console.error(`  run ${run + 1}/${RUNS} load: ${loaded.rows.toLocaleString('en-US')} rows, ${mb} MB, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const order: Policy[] = run % 2 === 0 ? [...POLICIES] : [...POLICIES].reverse();
    for (const p of order) {
      const t1 = Date.now();
      const r = onCopy<PolicyResult>(template, p, run);
      if (typeof r === 'string') throw new Error(`${p} ${r}`);
      runs.get(p)!.push(r);
      console.error(`  run ${run + 1}/${RUNS} ${p}: ${r.figures.writesPerSec.toFixed(0)} writes/s (${r.figures.rowsPerSec.toFixed(0)} rows/s), ` +
        `${((Date.now() - t1) / 1000).toFixed(1)} s`);
    }
    const s = onCopy<ScrapeResult>(template, 'scrape', run);
    if (typeof s === 'string') console.log(`note: the metrics-overhead item ${s}`);
    else scrapes.push(s);
  } finally {
    rmSync(template, { recursive: true, force: true });
  }
}

/** The chart of the last run and the results JSON (every run, every window, the engine's trace). */
function writeOutputs(runs: PolicyRuns, scrapes: ScrapeResult[], loads: LoadResult[], targets: JudgedTarget[], m: Machine): void {
  const dataBytes = loads[0]!.dataBytes;
  const last = POLICIES.map((p) => runs.get(p)!.at(-1)!);
  const title = `aipersist under overload: random updates of ${(ROWS / 1e6).toFixed(2)}M rows (${(dataBytes / 1e6).toFixed(0)} MB on disk, ` +
    `${(dataBytes / CACHE_BYTES).toFixed(1)} × the ${(CACHE_BYTES / MiB).toFixed(0)} MiB cache), ${WRITERS} writers × ${ROWS_PER_WRITE} rows ` +
    `per closure, ${SECONDS} s`;
  const notes = [
    `Checkpoints every ${CHECKPOINT_INTERVAL_MS / 1000} s and at 3/4 dirty pages; deltaLog background; each policy in its own process ` +
      `on a copy of the same data; a write = one runDurably closure of ${ROWS_PER_WRITE} random rows, latency gate included.`,
    `${m.cpuModel}, ${m.cores} cores, Node ${m.node}; commit ${m.source.commit.slice(0, 7)}` +
      `${m.source.uncommittedSrcFiles.length > 0 ? ' + uncommitted changes in src/' : ''}; hover a bar for its checkpoint's pages and phases.`,
  ];
  writeFileSync(chartFile, overloadSvg(last, title, notes));
  writeJson(resultsFile, {
    benchmark: 'overload (issue 12): write throttling SPEED_BASED vs DISABLED',
    date: new Date().toISOString(),
    machine: m,
    settings: {
      rows: ROWS, valueBytes: VALUE_BYTES, partitions: PARTITIONS, cacheBytes: CACHE_BYTES, dataBytes, writers: WRITERS, rowsPerWrite: ROWS_PER_WRITE,
      warmupSeconds: WARMUP_SECONDS, seconds: SECONDS, windowMs: WINDOW_MS, checkpointIntervalMs: CHECKPOINT_INTERVAL_MS,
      syncMode: 'background', scrapeSeconds: SCRAPE_SECONDS, runs: RUNS,
    },
    loads,
    targets,
    scrapes,
    runs: Object.fromEntries(runs),
  });
}

function main(): void {
  const m = machine();
  console.log(`overload benchmark (issue 12): ${ROWS.toLocaleString('en-US')} rows of ${VALUE_BYTES} B in ${PARTITIONS} partitions, ` +
    `cache ${(CACHE_BYTES / MiB).toFixed(0)} MiB, ${WRITERS} writers × ${ROWS_PER_WRITE} rows per closure, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per policy, ` +
    `metrics overhead 2 × ${SCRAPE_SECONDS} s, ${RUNS} run(s)`);
  console.log(`${machineLine(m)}\n`);
  const runs: PolicyRuns = new Map(POLICIES.map((p) => [p, []]));
  const scrapes: ScrapeResult[] = [];
  const loads: LoadResult[] = [];
  for (let run = 0; run < RUNS; run++) oneRun(run, runs, scrapes, loads);

  const dataBytes = loads[0]!.dataBytes;
  console.log(`data on disk ${(dataBytes / 1e6).toFixed(0)} MB = ${(dataBytes / CACHE_BYTES).toFixed(1)} × the cache`);
  printFigures(runs, RUNS);
  printScrape(scrapes);
  const targets = judgeTargets(runs, scrapes);
  console.log('\n### targets of issue 12 (judged on the median of the runs)\n');
  for (const t of targets) console.log(`- ${t.line}`);

  writeOutputs(runs, scrapes, loads, targets.map((t) => t.target), m);
  console.log(`\nresults: ${resultsFile}\nchart: ${chartFile}`);
}

main();
