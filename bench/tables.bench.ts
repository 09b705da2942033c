/**
 * The level-2 (tables) benchmark of issue 13: the standard workload through the table API beside the SPI (level 3),
 * on aimem and aipersist, and durable single-row transactions beside better-sqlite3 — all measured in one run:
 *
 *   npx ts-node --transpile-only bench/run.ts tables
 *   npx ts-node --transpile-only bench/tables.bench.ts [--only id,id,...]
 *
 * BENCH_N rows (default 100,000), BENCH_RUNS runs (default 3); the durable-commit sizes are bench/delta-log's
 * (BENCH_SINGLE_COMMITS default 2,000, BENCH_CONCURRENT_COMMITS default 20,000, BENCH_CONCURRENT_SECONDS default 3).
 * Each run of each subject is its own child process (bench/tables/child.ts, which says what each one measures); runs
 * are interleaved (run r of every subject, then run r + 1); figures are medians over the runs, and each ratio is the
 * median of the per-run ratios (run r ÷ run r) with their min–max. Subject ids:
 *   - phases (N rows, 1,000 rows per transaction / closure for the writes): l2-aimem, l3-aimem, l2-aipersist,
 *     l3-aipersist — level 2 on a zone of 1 partition, as level 3 has one partition; level 3 aimem is
 *     bench/standard's subject (its sequential RowIds), level 3 aipersist is bench/aipersist's table with a runDurably
 *     closure per batch (a level-2 transaction resolves once durable) and time-ordered RowIds: both levels give new
 *     rows ascending RowIds, as the tables do (RowId.timeOrdered); the same region / cache sizes at both levels;
 *   - extra lines, one run after the others: l2-aimem-p25, l2-aipersist-p25 (the default 25 partitions);
 *   - durable commits: commits-l2, commits-l2-p25 (`node.table('t').upsert(row)`, each an implicit transaction),
 *     commits-l3 (bench/delta-log's runDurably subject), commits-sqlite (better-sqlite3, WAL, synchronous = FULL,
 *     one prepared INSERT OR REPLACE per commit): 2,000 sequential commits (commits/s, p50, p99), then 64 concurrent
 *     writers, each on its own rows.
 * Prints the tables and the targets (met / NOT met) and writes bench/results/tables.json (tables-subset.json
 * with --only).
 */
import { join } from 'node:path';
import { onlyIds, runBenchChild, runInterleaved } from './standard/child-runs';
import { machine, machineLine } from './machine';
import { row, writeJson, resultsHeader, printRunNotes } from './standard/report';
import { formatRatio } from './standard/ratios';
import type { RunResult } from './standard/run-result';
import {
  CHILD_IDS, COMMIT_IDS, EXTRA_IDS, PHASE_IDS, isPhaseId, type ChildId, type ChildResult, type CommitId, type CommitResult, type PhaseId,
} from './tables/common';
import {
  COMMIT_RATIO_ROWS, commitHeader, commitMedians, commitRatios, commitTable, extraRatioLines, levelRatioTable, levelRatios,
  opsTable, phaseSummaries, targetLines, targets,
} from './tables/report';

const N = Number(process.env.BENCH_N ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const { ids, only } = onlyIds<ChildId>(CHILD_IDS);
const extraIds: ChildId[] = ids.filter((id) => (EXTRA_IDS as readonly string[]).includes(id));
const mainIds: ChildId[] = ids.filter((id) => !extraIds.includes(id));
const childScript = join(__dirname, 'tables', 'child.ts');
const resultsDir = join(__dirname, 'results');

function runChild(id: ChildId, run: number): ChildResult | string {
  return runBenchChild<ChildResult>(childScript, [id, String(N)], run);
}

function main(): void {
  console.log(`tables benchmark (issue 13, level 2): N = ${N.toLocaleString('en-US')}, ${RUNS} run(s) per subject, ` +
    `${extraIds.length > 0 ? '1 run of the 25-partition lines' : 'no 25-partition lines'}`);
  console.log(`${machineLine(machine())}\n`);
  const primary = runInterleaved(mainIds, RUNS, runChild);
  const extra = runInterleaved(extraIds, Math.min(1, RUNS), runChild);
  const phaseRuns = new Map<PhaseId, RunResult[]>();
  const commitRuns = new Map<CommitId, CommitResult[]>();
  for (const [id, rs] of [...primary.results, ...extra.results]) {
    if (isPhaseId(id)) phaseRuns.set(id, rs as RunResult[]);
    else commitRuns.set(id, rs as CommitResult[]);
  }
  report(phaseRuns, commitRuns, new Map([...primary.dropped, ...extra.dropped]));
}

function report(phaseRuns: Map<PhaseId, RunResult[]>, commitRuns: Map<CommitId, CommitResult[]>, dropped: Map<ChildId, string>): void {
  const summaries = phaseSummaries([...PHASE_IDS, ...EXTRA_IDS], phaseRuns);
  const ratios = levelRatios(phaseRuns);
  if (summaries.length > 0) {
    console.log(`\n### standard workload, ops/s (median of ${RUNS})\n`);
    console.log(opsTable(summaries, RUNS));
    console.log(`\n### level 2 ÷ level 3, median of the per-run ratios (min–max), target ≥ 0.70\n`);
    console.log(levelRatioTable(ratios));
    for (const line of extraRatioLines(summaries)) console.log(`\n- ${line} — one run, for information`);
  }

  const commitRatioStats = commitRatios(commitRuns);
  if ([...commitRuns.values()].some((rs) => rs.length > 0)) {
    console.log(`\n### durable single-row transactions: ${commitHeader(RUNS)}\n`);
    console.log(commitTable(COMMIT_IDS, commitRuns));
    console.log('\n- better-sqlite3 is synchronous: one connection commits one transaction at a time, so its 64 "concurrent" writers ' +
      'are commits one after another; it is reported as it is.');
    console.log(`\n${row(['ratio (median of the per-run ratios)', 'value'])}\n${row(['---', '---:'])}`);
    for (const [key, what] of COMMIT_RATIO_ROWS) console.log(row([what, formatRatio(commitRatioStats[key])]));
  }

  const judgedTargets = targets(ratios, commitRatioStats, commitRuns);
  console.log(`\n### targets of issue 13, level 2 (judged on the median; min–max in brackets)\n`);
  for (const line of targetLines(judgedTargets)) console.log(`- ${line}`);

  const commits = new Set([...phaseRuns.values(), ...commitRuns.values()].flatMap((rs) => rs.map((r) => r.commit)));
  printRunNotes(commits, dropped);

  const file = join(resultsDir, `tables${only === undefined ? '' : '-subset'}.json`);
  writeJson(file, {
    ...resultsHeader('tables (issue 13), level 2 beside level 3', N, RUNS),
    summaries,
    levelRatios: ratios,
    commitMedians: commitMedians(commitRuns),
    commitRatios: commitRatioStats,
    targets: judgedTargets.map(([t]) => t),
    dropped: Object.fromEntries(dropped),
    rawRuns: Object.fromEntries([...phaseRuns, ...commitRuns]),
  });
  console.log(`\nresults: ${file}`);
}

main();
