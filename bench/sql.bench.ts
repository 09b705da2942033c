/**
 * The SQL (level 1) benchmark of issue 14: aistorage's `node.sql` / `node.prepare` / `node.sqlSession()` on aimem and
 * aipersist beside better-sqlite3 (prepared statements, WAL, synchronous = FULL), all measured in one run:
 *
 *   npx ts-node --transpile-only bench/run.ts sql
 *   npx ts-node --transpile-only bench/sql.bench.ts [--only aimem,aipersist,sqlite]
 *
 * BENCH_N rows (default 100,000; the GROUP BY figure is at BENCH_N=1000000), BENCH_RUNS runs (default 3).
 * Table `t(id BIGINT PRIMARY KEY, grp INT, v VARCHAR)` (100-letter values, 100 groups) on a zone of 1 partition, keys
 * inserted in the standard workload's random order. Phases (bench/sql/phases.ts): INSERT 1,000 rows per transaction
 * with a prepared statement called once a row; a prepared point select of every key in random order; 10,000 range
 * selects `WHERE id BETWEEN ? AND ? ORDER BY id LIMIT 100`; `SELECT grp, COUNT(*), SUM(id), AVG(id) … GROUP BY grp`;
 * 10,000 unprepared `sql(text)` calls with a text seen before, then with fresh texts (and, on aistorage, the parse
 * counter of an SqlEngine over the node); a multi-row INSERT of 1,000 rows a statement into t2 (≤ 100,000 rows).
 * Each run of each subject is its own child process (bench/sql/child.ts); runs are interleaved (run r of every
 * subject, then run r + 1); figures are medians over the runs, and each ratio is the median of the per-run ratios
 * with their min–max. Prints the tables and the targets (met / NOT met) and writes bench/results/sql.json
 * (sql-subset.json with --only).
 */
import { join } from 'node:path';
import { onlyIds, runBenchChild, runInterleaved } from './standard/child-runs';
import { machine, machineLine } from './machine';
import { writeJson, resultsHeader, printRunNotes } from './standard/report';
import { SUBJECT_IDS, TEXT_CALLS, type SqlRunResult, type SubjectId } from './sql/common';
import { detailLines, opsTable, ratioTable, sqlRatios, targetLines, targets, type SqlRuns } from './sql/report';

const N = Number(process.env.BENCH_N ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const { ids, only } = onlyIds<SubjectId>(SUBJECT_IDS);
const childScript = join(__dirname, 'sql', 'child.ts');
const resultsDir = join(__dirname, 'results');

function runChild(id: SubjectId, run: number): SqlRunResult | string {
  return runBenchChild<SqlRunResult>(childScript, [id, String(N)], run);
}

function main(): void {
  console.log(`SQL benchmark (issue 14, level 1): N = ${N.toLocaleString('en-US')}, ${RUNS} run(s) per subject`);
  console.log(`${machineLine(machine())}\n`);
  const { results, dropped } = runInterleaved(ids, RUNS, runChild);
  const runs: SqlRuns = results;
  const ratios = sqlRatios(runs);

  console.log(`\n### ops/s (median of ${RUNS}, min–max)\n`);
  console.log(opsTable(runs));
  console.log(`\n### aistorage ÷ better-sqlite3, median of the per-run ratios (min–max)\n`);
  console.log(ratioTable(ratios));
  console.log('\n- sql(seen text) / sql(fresh text): unprepared calls, ' +
    `${TEXT_CALLS.toLocaleString('en-US')} each; better-sqlite3 has no statement cache, so its "sql(text)" is db.prepare(text).get().`);
  console.log('- multi-row INSERT: one statement of 1,000 rows, its own transaction (for information; no target).');
  for (const line of detailLines(runs)) console.log(`- ${line}`);

  const judgedTargets = targets(ratios, runs, N);
  console.log(`\n### targets of issue 14, SQL (judged on the median; min–max in brackets)\n`);
  for (const line of targetLines(judgedTargets)) console.log(`- ${line}`);

  const commits = new Set([...runs.values()].flatMap((rs) => rs.map((r) => (r as SqlRunResult).commit)));
  printRunNotes(commits, dropped);

  const file = join(resultsDir, `sql${only === undefined ? '' : '-subset'}.json`);
  writeJson(file, {
    ...resultsHeader('SQL (issue 14), level 1 beside better-sqlite3', N, RUNS),
    ratios,
    targets: judgedTargets.map(([t]) => t),
    dropped: Object.fromEntries(dropped),
    rawRuns: Object.fromEntries(runs),
  });
  console.log(`\nresults: ${file}`);
}

main();
