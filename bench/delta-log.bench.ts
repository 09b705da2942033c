/**
 * The benchmark of aipersist's write-ahead delta log (issue "write-ahead delta log"): durable commits through
 * `MvPartitionStorage.runDurably` (level 3: one MV partition plus a sorted primary INT64 index, one new row of
 * 100 random bytes with a new RowId — time-ordered, or random with BENCH_ROWIDS=random: bench/standard/bench-row-ids.ts —
 * and its 8-byte key per commit), the replay of the log when a partition is
 * opened after a crash, and what the log costs batched inserts — beside peers measured in the same run:
 *
 *   npx ts-node --transpile-only bench/delta-log.bench.ts [--only id,id,...]
 *
 * BENCH_N rows for figures 3 and 4 (default 50,000), BENCH_RUNS runs (default 2); the commit counts of figures
 * 1 and 2 are fixed (BENCH_SINGLE_COMMITS, BENCH_CONCURRENT_COMMITS, BENCH_CONCURRENT_SECONDS override them), and
 * BENCH_REPLAY_ROWS sets the rows per record of figure 3 (default 1). Each run of each subject is its own child
 * process (bench/delta-log/child.ts, which says what each one measures; the peers' commits are in
 * bench/delta-log/peers.ts); runs are interleaved (run r of every subject, then run r + 1); figures are medians over
 * the runs and every ratio is the median of the per-run ratios (run r ÷ run r, or two figures of the same child) with
 * their min–max. Subject ids: aipersist, aipersist-nolog, aipersist-replay, sqlite, lmdb, fdatasync. Measured:
 *   1. single-writer durable commits: 2,000 sequential `await part.runDurably(() => { addWriteCommitted + index put })`
 *      with `deltaLog.syncMode` 'fsync' (the default): commits/s, p50 and p99 latency; beside better-sqlite3 (WAL,
 *      synchronous = FULL, one INSERT per transaction), lmdb-js (default sync: `await db.put`, then `await
 *      db.flushed`, which resolves once the commit is on disk) and the raw disk (4 KiB overwritten in place in a
 *      preallocated file + fdatasync; 4 KiB appended + fdatasync) — the bound a durable commit pays;
 *   2. 64 concurrent writers (64 async loops of sequential commits as in 1, until 20,000 commits or 3 s):
 *      commits/s, p50 / p99, and aipersist's group commit (records per fdatasync); lmdb: 64 concurrent put + flushed
 *      loops (lmdb-js batches the puts of an event turn into one transaction); better-sqlite3: one connection
 *      commits one transaction at a time — its 64 loops are its commits one after another, reported as they are;
 *   3. replay on open: a writer process (interval checkpoint off, a cache too large for the dirty-pages checkpoint)
 *      writes N records (runConsistently closures of BENCH_REPLAY_ROWS rows + index entries, every 1,000th and the
 *      last one runDurably) and SIGKILLs itself (no close: the log is not checkpointed); a second process times the
 *      reopen — openNode (the log's recovery scan) + createMvTable + createMvPartition (the replay) +
 *      createSortedIndex — and reports records/s replayed (replayedRecords of node.metrics().aipersist.deltaLog ÷
 *      the whole reopen), then checks every row came back;
 *   4. batched inserts with the log on (syncMode fsync): N rows, 1,000 per runConsistently closure back to back, then
 *      `await part.flush(true)`, timed together (as bench/aipersist.bench.ts times aipersist) ÷ lmdb (default sync,
 *      1,000 puts per transactionSync, the same as bench/aipersist) — and the same aipersist run with syncMode 'none'
 *      (nothing logged) for the cost of the log; the log's bytes per row (bytesAppended ÷ rows).
 * Prints the tables and the issue's targets (met / NOT met) and writes bench/results/delta-log-<N>.json (suffixed
 * -subset with --only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onlyIds, runBenchChild, runInterleaved } from './standard/child-runs';
import { machine, machineLine } from './machine';
import { benchRowIdKind } from './standard/bench-row-ids';
import { formatRate, median, row, writeJson, resultsHeader, printRunNotes } from './standard/report';
import { figureStats, formatRatio, formatSpread, judged, judgedLine, ratioStats, type JudgedTarget, type RatioStats } from './standard/ratios';
import {
  CHILD_IDS, CONCURRENT_COMMITS, CONCURRENT_SECONDS, CONCURRENT_WRITERS, LABELS, REPLAY_ROWS, SINGLE_COMMITS,
  type ChildId, type ChildResult, type Figures,
} from './delta-log/child';

const N = Number(process.env.BENCH_N ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
/** The targets of the issue. */
const CONCURRENT_TARGET = 50_000;
const REPLAY_TARGET = 200_000;
const REPLAY_TARGET_RECORDS = 200_000;
const INSERT_TARGET = 3;

const { ids, only } = onlyIds<ChildId>(CHILD_IDS);
const childScript = join(__dirname, 'delta-log', 'child.ts');
const resultsDir = join(__dirname, 'results');

/** One child run (the replay: its writer, then its reopen, on one temp work dir); a ChildResult, or why it was dropped. */
function runChild(id: ChildId, run: number): ChildResult | string {
  if (id !== 'aipersist-replay') return runBenchChild<ChildResult>(childScript, [id, String(N)], run);
  const workDir = mkdtempSync(join(tmpdir(), 'aistorage-bench-delta-log-replay-'));
  try {
    const written = runBenchChild<ChildResult>(childScript, ['replay-write', String(N), workDir], run);
    if (typeof written === 'string') return `its writer ${written}`;
    const reopened = runBenchChild<ChildResult>(childScript, ['replay-open', String(N), workDir], run);
    if (typeof reopened === 'string') return `its reopen ${reopened}`;
    return { ...reopened, id, figures: { ...written.figures, ...reopened.figures } };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

type FigureName = keyof Figures;
type Runs = Map<ChildId, ChildResult[]>;

/** Rates as formatRate does (`45.7k`), with the spread. */
function formatRateSpread(s: RatioStats | undefined): string {
  if (s === undefined) return '–';
  return s.perRun.length < 2 || formatRate(s.min) === formatRate(s.max)
    ? formatRate(s.median) : `${formatRate(s.median)} (${formatRate(s.min)}–${formatRate(s.max)})`;
}

const count = (x: number): string => x.toLocaleString('en-US');

function main(): void {
  const records = Math.ceil(N / REPLAY_ROWS);
  console.log(`delta-log benchmark (write-ahead delta log): ${count(SINGLE_COMMITS)} single-writer commits, ${CONCURRENT_WRITERS} writers × ` +
    `(${count(CONCURRENT_COMMITS)} commits or ${CONCURRENT_SECONDS} s), replay of ${count(records)} records × ${REPLAY_ROWS} row(s), ` +
    `batched inserts of N = ${count(N)} rows; ${RUNS} run(s) per subject; ${benchRowIdKind()} RowIds`);
  console.log(`${machineLine(machine())}\n`);
  const { results: runs, dropped } = runInterleaved(ids, RUNS, runChild);
  report(runs, dropped);
}

function report(runs: Runs, dropped: Map<ChildId, string>): void {
  const present = ids.filter((id) => (runs.get(id) ?? []).length > 0);
  const fs = (id: ChildId, name: FigureName, scale = 1): RatioStats | undefined => figureStats(runs, id, name, (x) => x * scale);
  const rate = (id: ChildId, name: FigureName): string => formatRateSpread(fs(id, name));
  const ms = (id: ChildId, name: FigureName, digits = 2): string => formatSpread(fs(id, name), digits);

  // ------------------------------------------------------------ 1
  const commitIds = (['aipersist', 'sqlite', 'lmdb'] as const).filter((id) => present.includes(id));
  console.log(`\n### 1. single writer: ${count(SINGLE_COMMITS)} sequential durable commits of one row (median (min–max) of ${RUNS})\n`);
  console.log(row(['subject', 'commits/s', 'p50 ms', 'p99 ms']));
  console.log(row(['---', '---:', '---:', '---:']));
  for (const id of commitIds) console.log(row([LABELS[id], rate(id, 'singleCommitsPerSec'), ms(id, 'singleP50Ms'), ms(id, 'singleP99Ms')]));
  if (present.includes('fdatasync')) {
    console.log(row(['raw: 4 KiB overwrite in place + fdatasync', rate('fdatasync', 'singleCommitsPerSec'), ms('fdatasync', 'singleP50Ms'), ms('fdatasync', 'singleP99Ms')]));
    console.log(row(['raw: 4 KiB append + fdatasync', rate('fdatasync', 'appendCommitsPerSec'), ms('fdatasync', 'appendP50Ms'), ms('fdatasync', 'appendP99Ms')]));
  }
  if (present.includes('aipersist')) {
    console.log(`\n- aipersist's log over these commits: ${ms('aipersist', 'singleLogBytesPerRecord', 0)} bytes per record (one row + its index ` +
      `entry, the 32-byte record header included), ${ms('aipersist', 'singleRecordsPerSync', 2)} records per fdatasync.`);
  }

  // ------------------------------------------------------------ 2
  console.log(`\n### 2. ${CONCURRENT_WRITERS} concurrent writers, until ${count(CONCURRENT_COMMITS)} commits or ${CONCURRENT_SECONDS} s (median (min–max) of ${RUNS})\n`);
  console.log(row(['subject', 'commits/s', 'commits', 'seconds', 'p50 ms', 'p99 ms']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
  for (const id of commitIds) {
    const label = id === 'sqlite' ? `${LABELS[id]}, one connection (commits one at a time)` : LABELS[id];
    console.log(row([label, rate(id, 'concurrentCommitsPerSec'), formatSpread(fs(id, 'concurrentCommits'), 0), ms(id, 'concurrentSeconds'),
      ms(id, 'concurrentP50Ms'), ms(id, 'concurrentP99Ms')]));
  }
  if (present.includes('aipersist')) {
    console.log(`\n- aipersist's group commit: ${ms('aipersist', 'concurrentRecordsPerSync', 1)} records per fdatasync over ` +
      `${formatSpread(fs('aipersist', 'concurrentSyncs'), 0)} syncs; a sync round (write + fdatasync) p50 ${ms('aipersist', 'concurrentSyncP50Ms')} ms, ` +
      `p99 ${ms('aipersist', 'concurrentSyncP99Ms')} ms.`);
  }
  if (present.includes('sqlite')) {
    console.log('- better-sqlite3 is synchronous: one connection commits one transaction at a time, so its 64 loops are commits one after ' +
      'another (their latency includes the wait behind the other loops). It is reported single-connection, as it is.');
  }

  // ------------------------------------------------------------ 3
  if (present.includes('aipersist-replay')) {
    const r = 'aipersist-replay' as const;
    console.log(`\n### 3. replay on open after SIGKILL (median (min–max) of ${RUNS})\n`);
    console.log(row(['figure', 'value']));
    console.log(row(['---', '---:']));
    const detail: Array<[string, string]> = [
      ['records written (runConsistently closures; every 1,000th and the last runDurably) / rows', `${formatSpread(fs(r, 'replayRecords'), 0)} / ${formatSpread(fs(r, 'replayRows'), 0)}`],
      ['log bytes written, MB', formatSpread(fs(r, 'replayLogBytes', 1e-6), 1)],
      ['writer: records/s (with the log, before the kill)', rate(r, 'replayWriteRecordsPerSec')],
      ['checkpoints during the writes (0: the reopen replays every record)', formatSpread(fs(r, 'replayCheckpointsDuringWrite'), 0)],
      ['records recovered at open / replayed (the log\'s counters; table-level batches included)', `${formatSpread(fs(r, 'recoveredRecords'), 0)} / ${formatSpread(fs(r, 'replayedRecords'), 0)}`],
      ['reopen, ms (openNode + createMvTable + createMvPartition + createSortedIndex)', ms(r, 'reopenMs', 1)],
      ['  its steps: openNode (log scan) / createMvTable / createMvPartition (replay) / createSortedIndex, ms',
        `${ms(r, 'reopenOpenNodeMs', 1)} / ${ms(r, 'reopenTableMs', 1)} / ${ms(r, 'reopenPartitionMs', 1)} / ${ms(r, 'reopenIndexMs', 1)}`],
      ['  of the replay: reading, decoding and applying the records (the log\'s replayMillis), ms', ms(r, 'replayMillis', 1)],
      ['records/s replayed (replayed records ÷ the whole reopen)', rate(r, 'replayRecordsPerSec')],
      ['records/s replayed (÷ createMvPartition alone)', rate(r, 'replayPartitionRecordsPerSec')],
    ];
    for (const [what, v] of detail) console.log(row([what, v]));
  }

  // ------------------------------------------------------------ 4
  const insertIds = (['aipersist', 'aipersist-nolog', 'lmdb'] as const).filter((id) => present.includes(id));
  if (insertIds.length > 0) {
    console.log(`\n### 4. batched inserts: ${count(N)} rows, 1,000 per closure / transaction (median (min–max) of ${RUNS})\n`);
    console.log(row(['subject', 'insert rows/s (aipersist: + flush)', 'insert rows/s, closures only', 'flush ms', 'log bytes per row']));
    console.log(row(['---', '---:', '---:', '---:', '---:']));
    for (const id of insertIds) {
      console.log(row([id === 'lmdb' ? 'lmdb (lmdb-js, default sync; as bench/aipersist)' : LABELS[id], rate(id, 'insert'), rate(id, 'insertNoFlush'),
        ms(id, 'flushMs', 1), id === 'lmdb' ? '–' : ms(id, 'insertLogBytesPerRow', 1)]));
    }
  }

  // ------------------------------------------------------------ ratios
  const ratios = {
    singleVsSqlite: ratioStats(runs, 'aipersist', 'singleCommitsPerSec', 'sqlite', 'singleCommitsPerSec'),
    singleVsLmdb: ratioStats(runs, 'aipersist', 'singleCommitsPerSec', 'lmdb', 'singleCommitsPerSec'),
    singleVsFdatasync: ratioStats(runs, 'aipersist', 'singleCommitsPerSec', 'fdatasync', 'singleCommitsPerSec'),
    concurrentVsSqlite: ratioStats(runs, 'aipersist', 'concurrentCommitsPerSec', 'sqlite', 'concurrentCommitsPerSec'),
    concurrentVsLmdb: ratioStats(runs, 'aipersist', 'concurrentCommitsPerSec', 'lmdb', 'concurrentCommitsPerSec'),
    concurrentVsSingle: ratioStats(runs, 'aipersist', 'concurrentCommitsPerSec', 'aipersist', 'singleCommitsPerSec'),
    insertVsLmdb: ratioStats(runs, 'aipersist', 'insert', 'lmdb', 'insert'),
    insertNoLogVsLmdb: ratioStats(runs, 'aipersist-nolog', 'insert', 'lmdb', 'insert'),
    insertLogVsNoLog: ratioStats(runs, 'aipersist', 'insert', 'aipersist-nolog', 'insert'),
    insertNoFlushLogVsNoLog: ratioStats(runs, 'aipersist', 'insertNoFlush', 'aipersist-nolog', 'insertNoFlush'),
  };
  console.log(`\n### ratios, median of the per-run ratios (min–max) (> 1 = aipersist faster)\n`);
  console.log(row(['ratio', 'value']));
  console.log(row(['---', '---:']));
  const ratioRows: Array<[string, RatioStats | undefined]> = [
    ['1. single writer: aipersist ÷ better-sqlite3 (WAL, FULL)', ratios.singleVsSqlite],
    ['1. single writer: aipersist ÷ lmdb (put + flushed)', ratios.singleVsLmdb],
    ['1. single writer: aipersist ÷ raw 4 KiB overwrite + fdatasync (share of the disk\'s sync rate)', ratios.singleVsFdatasync],
    [`2. ${CONCURRENT_WRITERS} writers: aipersist ÷ better-sqlite3 (one connection)`, ratios.concurrentVsSqlite],
    [`2. ${CONCURRENT_WRITERS} writers: aipersist ÷ lmdb (${CONCURRENT_WRITERS} concurrent put + flushed)`, ratios.concurrentVsLmdb],
    [`2. aipersist: ${CONCURRENT_WRITERS} writers ÷ single writer (the group commit's gain)`, ratios.concurrentVsSingle],
    ['4. inserts + flush, log on (fsync): aipersist ÷ lmdb', ratios.insertVsLmdb],
    ['4. inserts + flush, syncMode none: aipersist ÷ lmdb', ratios.insertNoLogVsLmdb],
    ['4. aipersist inserts + flush: log on ÷ syncMode none (< 1: the cost of the log)', ratios.insertLogVsNoLog],
    ['4. aipersist inserts, closures only: log on ÷ syncMode none', ratios.insertNoFlushLogVsNoLog],
  ];
  for (const [what, s] of ratioRows) console.log(row([what, formatRatio(s)]));

  // ------------------------------------------------------------ targets
  const concurrent = fs('aipersist', 'concurrentCommitsPerSec');
  const replay = fs('aipersist-replay', 'replayRecordsPerSec');
  const records = median((runs.get('aipersist-replay') ?? []).map((r) => r.figures.replayRecords ?? 0));
  const targets: JudgedTarget[] = [
    judged('single-writer durable commits ≥ better-sqlite3 (WAL, synchronous = FULL)', ratios.singleVsSqlite, (x) => x >= 1),
    judged(`${CONCURRENT_WRITERS} writers ≥ ${count(CONCURRENT_TARGET)} durable commits/s`, concurrent, (x) => x >= CONCURRENT_TARGET),
    judged(`replay on open ≥ ${count(REPLAY_TARGET)} records/s`, replay, (x) => x >= REPLAY_TARGET,
      replay === undefined || records === REPLAY_TARGET_RECORDS ? undefined : `measured over ${count(records)} records (BENCH_N); the issue's example writes ${count(REPLAY_TARGET_RECORDS)}`),
    judged(`batched inserts (+ flush) with the log on ≥ ${INSERT_TARGET} × lmdb`, ratios.insertVsLmdb, (x) => x >= INSERT_TARGET),
  ];
  console.log(`\n### targets of the write-ahead delta log issue (judged on the median; min–max in brackets)\n`);
  const formats = [formatRatio, (s: RatioStats) => `${formatRateSpread(s)} commits/s`, (s: RatioStats) => `${formatRateSpread(s)} records/s`, formatRatio];
  targets.forEach((t, i) => console.log(`- ${judgedLine(t, formats[i]!)}`));

  const aiIds: ChildId[] = ['aipersist', 'aipersist-nolog', 'aipersist-replay'];
  const commits = new Set(aiIds.flatMap((id) => (runs.get(id) ?? []).map((r) => r.commit)));
  printRunNotes(commits, dropped, 'aipersist runs');

  const medians = Object.fromEntries(present.map((id) => {
    const names = new Set((runs.get(id) ?? []).flatMap((r) => Object.keys(r.figures) as FigureName[]));
    return [id, Object.fromEntries([...names].map((n) => [n, median((runs.get(id) ?? []).map((r) => r.figures[n]).filter((x): x is number => x !== undefined))]))];
  }));
  const file = join(resultsDir, `delta-log-${N}${only === undefined ? '' : '-subset'}.json`);
  writeJson(file, {
    ...resultsHeader('aipersist write-ahead delta log', N, RUNS),
    rowIds: benchRowIdKind(),
    singleCommits: SINGLE_COMMITS,
    concurrentWriters: CONCURRENT_WRITERS,
    concurrentCommits: CONCURRENT_COMMITS,
    concurrentSeconds: CONCURRENT_SECONDS,
    replayRowsPerRecord: REPLAY_ROWS,
    labels: Object.fromEntries(present.map((id) => [id, LABELS[id]])),
    medians,
    ratios,
    targets,
    dropped: Object.fromEntries(dropped),
    rawRuns: Object.fromEntries(runs),
  });
  console.log(`\nresults: ${file}`);
}

main();
