/**
 * The aipersist benchmark of issue 10: aipersist through the public API and the storage engine SPI (level 3: one
 * MV partition plus a sorted primary INT64 index, 1,000 rows per `runConsistently` closure, time-ordered RowIds as
 * Ignite 3 and this product's tables make them — `BENCH_ROWIDS=random` for UUID v4 ones, bench/standard/bench-row-ids.ts —,
 * as bench/standard/aistorage-subject.ts drives aimem) on the standard workload's seeded data, beside peers measured in
 * the same run:
 *
 *   npx ts-node --transpile-only bench/aipersist.bench.ts [--only id,id,...]
 *
 * BENCH_N rows (default 100,000; the README figures use 1,000,000), BENCH_RUNS runs (default 3). Each run of each
 * engine is its own child process (bench/aipersist/child.ts, which says what each one measures); runs are
 * interleaved (run r of every engine, then run r + 1); figures are medians over the runs and every ratio is the
 * median of the per-run ratios (run r ÷ run r, or two figures of the same child) with their min–max. Engine ids:
 * aipersist, aipersist-small-cache, aimem, lmdb, level. Measured:
 *   1. batched inserts then one flush (timed together; the flush also apart) ÷ lmdb (default sync) and
 *      classic-level;
 *   2. point reads with the data in aipersist's cache (sizeBytes ≥ 4 × raw) ÷ aimem;
 *   3. point reads with a cache of raw / 4 (at least the config's 10 MiB minimum) ÷ lmdb;
 *   4. checkpoint write bandwidth: bytes the flush's checkpoint wrote ÷ its write phase (fsyncs included), against
 *      the disk's sequential write (256 MiB in 1 MiB writes + fsync) measured in the same child;
 *   5. reopen after a clean close (openNode + createMvTable + createMvPartition + createSortedIndex + first read);
 *   6. size on disk (files under <workDir>/db after a second flush) ÷ raw data (N × 108 bytes).
 * Prints the tables and the targets (met / NOT met) and writes bench/results/aipersist-<N>.json (suffixed
 * -subset with --only).
 */
import { join } from 'node:path';
import { onlyIds, runBenchChild, runInterleaved } from './standard/child-runs';
import { machine, machineLine } from './machine';
import { benchRowIdKind } from './standard/bench-row-ids';
import { formatRate, median, rawBytes, row, writeJson, resultsHeader, printRunNotes } from './standard/report';
import { figureStats, formatRatio, formatSpread, judged, judgedLine, ratioStats, type JudgedTarget, type RatioStats } from './standard/ratios';
import { CHILD_IDS, LABELS, type ChildId, type ChildResult, type Figures } from './aipersist/child';

const N = Number(process.env.BENCH_N ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MiB = 1024 * 1024;
const MIN_PROFILE_BYTES = 10 * MiB;

const { ids, only } = onlyIds<ChildId>(CHILD_IDS);
const childScript = join(__dirname, 'aipersist', 'child.ts');
const resultsDir = join(__dirname, 'results');

/** One child run; a ChildResult, or a string saying why the engine was dropped. */
function runChild(id: ChildId, run: number): ChildResult | string {
  return runBenchChild<ChildResult>(childScript, [id, String(N)], run);
}

type FigureName = keyof Figures;
type Runs = Map<ChildId, ChildResult[]>;

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

function main(): void {
  const raw = rawBytes(N);
  console.log(`aipersist benchmark (issue 10): N = ${N.toLocaleString('en-US')}, ${RUNS} run(s) per engine, raw data ${mb(raw)} MB, ${benchRowIdKind()} RowIds`);
  console.log(`${machineLine(machine())}\n`);
  const { results: runs, dropped } = runInterleaved(ids, RUNS, runChild);
  report(runs, dropped, raw);
}

function report(runs: Runs, dropped: Map<ChildId, string>, raw: number): void {
  const present = ids.filter((id) => (runs.get(id) ?? []).length > 0);
  const med = (id: ChildId, name: FigureName): number | undefined => figureStats(runs, id, name)?.median;
  const ms = (id: ChildId, name: FigureName): string => {
    const v = med(id, name);
    return v === undefined ? '–' : v.toFixed(v >= 100 ? 0 : 1);
  };

  console.log(`\n### ops/s (median of ${RUNS})\n`);
  console.log(row(['engine', 'insert rows/s (aipersist: + flush)', 'insert rows/s, closures only', 'flush ms', 'point read/s']));
  console.log(row(['---', '---:', '---:', '---:', '---:']));
  for (const id of present) {
    console.log(row([LABELS[id], formatRate(med(id, 'insert')), formatRate(med(id, 'insertNoFlush')), ms(id, 'flushMs'), formatRate(med(id, 'pointRead'))]));
  }

  const ratios = {
    insertVsLmdb: ratioStats(runs, 'aipersist', 'insert', 'lmdb', 'insert'),
    insertVsLevel: ratioStats(runs, 'aipersist', 'insert', 'level', 'insert'),
    insertNoFlushVsLmdb: ratioStats(runs, 'aipersist', 'insertNoFlush', 'lmdb', 'insert'),
    insertNoFlushVsLevel: ratioStats(runs, 'aipersist', 'insertNoFlush', 'level', 'insert'),
    insertVsAimem: ratioStats(runs, 'aipersist', 'insert', 'aimem', 'insert'),
    cachedReadVsAimem: ratioStats(runs, 'aipersist', 'pointRead', 'aimem', 'pointRead'),
    cachedReadVsLmdb: ratioStats(runs, 'aipersist', 'pointRead', 'lmdb', 'pointRead'),
    smallCacheReadVsLmdb: ratioStats(runs, 'aipersist-small-cache', 'pointRead', 'lmdb', 'pointRead'),
    smallCacheReadVsCached: ratioStats(runs, 'aipersist-small-cache', 'pointRead', 'aipersist', 'pointRead'),
    checkpointWriteVsSeq: ratioStats(runs, 'aipersist', 'checkpointWriteBps', 'aipersist', 'seqWriteBps'),
    checkpointTotalVsSeq: ratioStats(runs, 'aipersist', 'checkpointTotalBps', 'aipersist', 'seqWriteBps'),
  };
  const diskRatio = figureStats(runs, 'aipersist', 'diskBytes', (b) => b / raw);
  const reopenMs = figureStats(runs, 'aipersist', 'reopenMs');

  console.log(`\n### ratios, median of the per-run ratios (min–max) (> 1 = aipersist faster)\n`);
  console.log(row(['ratio', 'value']));
  console.log(row(['---', '---:']));
  const ratioRows: Array<[string, RatioStats | undefined]> = [
    ['inserts + flush: aipersist ÷ lmdb', ratios.insertVsLmdb],
    ['inserts + flush: aipersist ÷ classic-level', ratios.insertVsLevel],
    ['inserts, closures only: aipersist ÷ lmdb', ratios.insertNoFlushVsLmdb],
    ['inserts, closures only: aipersist ÷ classic-level', ratios.insertNoFlushVsLevel],
    ['inserts + flush: aipersist ÷ aimem (inserts, nothing durable)', ratios.insertVsAimem],
    ['cache-resident point reads: aipersist ÷ aimem', ratios.cachedReadVsAimem],
    ['cache-resident point reads: aipersist ÷ lmdb', ratios.cachedReadVsLmdb],
    ['point reads, cache = raw / 4: aipersist ÷ lmdb', ratios.smallCacheReadVsLmdb],
    ['point reads, cache = raw / 4 ÷ cache-resident (aipersist)', ratios.smallCacheReadVsCached],
    ['checkpoint bandwidth (write phase) ÷ sequential write', ratios.checkpointWriteVsSeq],
    ['checkpoint bandwidth (whole checkpoint) ÷ sequential write', ratios.checkpointTotalVsSeq],
  ];
  for (const [what, s] of ratioRows) console.log(row([what, formatRatio(s)]));

  console.log(`\n### aipersist: checkpoint, reopen, disk (median (min–max) of ${RUNS})\n`);
  const f = (name: FigureName, scale = 1, digits = 1): string => formatSpread(figureStats(runs, 'aipersist', name, (x) => x * scale), digits);
  console.log(row(['figure', 'value']));
  console.log(row(['---', '---:']));
  const detailRows: Array<[string, string]> = [
    ['cache (profile sizeBytes), MB', f('cacheBytes', 1e-6)],
    ['cache pages in use after the inserts, MB (÷ raw)', `${f('cachedBytesAfterInsert', 1e-6)} (${formatSpread(figureStats(runs, 'aipersist', 'cachedBytesAfterInsert', (b) => b / raw), 2, ' ×')})`],
    ['checkpoints during the inserts / in the flush', `${f('checkpointsDuringInsert', 1, 0)} / ${f('checkpointsInFlush', 1, 0)}`],
    ['flush after the inserts, ms', f('flushMs')],
    ['its checkpoint: MB written (pages)', `${f('checkpointBytes', 1e-6)} (${f('checkpointPages', 1, 0)})`],
    ['its checkpoint: write phase / whole, ms', `${f('checkpointWriteMs')} / ${f('checkpointTotalMs')}`],
    ['checkpoint bandwidth, write phase, MB/s', f('checkpointWriteBps', 1e-6)],
    ['checkpoint bandwidth, whole checkpoint, MB/s', f('checkpointTotalBps', 1e-6)],
    ['sequential write (256 MiB in 1 MiB writes + fsync), MB/s', f('seqWriteBps', 1e-6)],
    ['second flush, ms', f('secondFlushMs', 1, 2)],
    ['size on disk (files under db/), MB', f('diskBytes', 1e-6)],
    ['size on disk, blocks allocated, MB', f('diskAllocatedBytes', 1e-6)],
    ['size on disk ÷ raw (N × 108 bytes)', formatSpread(diskRatio, 2, ' ×')],
    ['clean close, ms', f('closeMs')],
    ['reopen until the first read, ms (the first reopen of each run)', formatSpread(reopenMs, 1)],
    ['  its steps: openNode / createMvTable / createMvPartition / createSortedIndex / first read, ms',
      `${f('reopenOpenNodeMs')} / ${f('reopenTableMs')} / ${f('reopenPartitionMs')} / ${f('reopenIndexMs')} / ${f('reopenFirstReadMs')}`],
    ['reopen, median of 3 close + reopen cycles per run, ms', f('reopenMedianMs')],
  ];
  for (const [what, v] of detailRows) console.log(row([what, v]));

  const small = figureStats(runs, 'aipersist-small-cache', 'cacheBytes')?.median;
  if (small !== undefined) {
    const wanted = raw / 4;
    const clamp = wanted < MIN_PROFILE_BYTES ? `; raw / 4 = ${mb(wanted)} MB is below the config's minimum sizeBytes of 10 MiB, so the data is not 4 × the cache here` : '';
    console.log(`\n- small-cache run: cache ${mb(small)} MB = ${(small / raw).toFixed(2)} × raw${clamp}. ` +
      `Its inserts yield a macrotask per closure (dirty-pages checkpoints run during them: ` +
      `${formatSpread(figureStats(runs, 'aipersist-small-cache', 'checkpointsDuringInsert'), 0)} per run); ` +
      `its reads miss the cache into partition files that the OS page cache holds, as lmdb's mmapped file is held.`);
  }
  console.log('- cache-resident run: the inserts run closure after closure with no macrotask between, as the aimem subject does, so the ' +
    'flush writes the only checkpoint; its bandwidth counts the pages written (main file + delta file) over the write phase (fsyncs included).');

  const targets: JudgedTarget[] = [
    judged('inserts (+ flush) ≥ 3 × lmdb', ratios.insertVsLmdb, (x) => x >= 3),
    judged('inserts (+ flush) ≥ 1 × classic-level', ratios.insertVsLevel, (x) => x >= 1),
    judged('cache-resident point reads within 1.5 × of aimem (aipersist ÷ aimem ≥ 0.667)', ratios.cachedReadVsAimem, (x) => x >= 1 / 1.5),
    judged('checkpoint write bandwidth ≥ 70% of sequential write', ratios.checkpointWriteVsSeq, (x) => x >= 0.7),
    judged('reopen after a clean close ≤ 50 ms at N = 1M', reopenMs, (x) => x <= 50,
      N === 1_000_000 ? undefined : `measured at N = ${N.toLocaleString('en-US')}, the target is set at N = 1,000,000`),
    judged('size on disk ≤ 2 × raw', diskRatio, (x) => x <= 2),
  ];
  console.log(`\n### targets of issue 10 (judged on the median; min–max in brackets)\n`);
  const formats = [formatRatio, formatRatio, formatRatio, formatRatio, (s: RatioStats) => formatSpread(s, 1, ' ms'), (s: RatioStats) => formatSpread(s, 2, ' ×')];
  targets.forEach((t, i) => console.log(`- ${judgedLine(t, formats[i]!)}`));

  const commits = new Set(['aipersist', 'aipersist-small-cache'].flatMap((id) => (runs.get(id as ChildId) ?? []).map((r) => r.commit)));
  printRunNotes(commits, dropped, 'aipersist runs');

  const medians = Object.fromEntries(present.map((id) => {
    const names = new Set((runs.get(id) ?? []).flatMap((r) => Object.keys(r.figures) as FigureName[]));
    return [id, Object.fromEntries([...names].map((n) => [n, median((runs.get(id) ?? []).map((r) => r.figures[n]).filter((x): x is number => x !== undefined))]))];
  }));
  const file = join(resultsDir, `aipersist-${N}${only === undefined ? '' : '-subset'}.json`);
  writeJson(file, {
    ...resultsHeader('aipersist (issue 10), level 3', N, RUNS),
    rowIds: benchRowIdKind(),
    rawBytes: raw,
    labels: Object.fromEntries(present.map((id) => [id, LABELS[id]])),
    medians,
    ratios,
    diskRatio,
    reopenMs,
    targets,
    dropped: Object.fromEntries(dropped),
    rawRuns: Object.fromEntries(runs),
  });
  console.log(`\nresults: ${file}`);
}

main();
