/**
 * The standard workload of /work/shared/BENCH.md on aistorage's aimem engine through the storage engine SPI
 * (level 3: an MV partition storage plus a sorted primary index), beside its peers measured in the same run.
 *
 *   npx ts-node --transpile-only bench/standard.bench.ts [--engine aimem|reference] [--rowid random|sequential|both]
 *                                                        [--only id,id,...] [--page-size B] [--cpu-prof]
 *
 * BENCH_N rows (default 100,000; the README figures use 1,000,000), BENCH_RUNS runs (default 3). Each run of each
 * engine is its own child process (bench/standard/child.ts) with a fresh store, so its peak RSS is its own; runs
 * are interleaved across engines (run r of every engine, then run r + 1); ops/s are medians over the runs, and each
 * aistorage ÷ peer ratio is the median of the per-run ratios (run r ÷ run r) with their min–max. Engine ids (all
 * of them without --only; --rowid picks the aistorage ones): aistorage-random, aistorage-sequential, map,
 * btree-number, btree-buffer, lmdb (its default sync), lmdb-nosync, sqlite, level. A peer that cannot be
 * loaded is dropped with a printed note. `--cpu-prof` writes the aistorage children's CPU profiles to
 * $TMPDIR/aistorage-bench-prof/ and prints their top self-time functions. Results: bench/results/standard-<N>.json
 * (suffixed -reference, -subset or -profiled for the reference engine, --only or a single --rowid, or --cpu-prof),
 * with the machine, every run's figures, the ratio stats and the targets' verdicts.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from './standard/run-result';
import { runBenchChild, runInterleaved } from './standard/child-runs';
import { loadProfile, topSelfTime } from './standard/cpu-profile';
import { machine, machineLine } from './machine';
import { memoryTable, opsTable, rawBytes, regionLine, summarize, writeJson, type SubjectSummary, resultsHeader } from './standard/report';
import { ratioMarkdown, ratioTable } from './standard/ratios';
import { AISTORAGE_IDS, PEER_IDS, isAistorage, type SubjectOptions } from './standard/subjects';
import { targetLine, targetResults } from './standard/targets';

const N = Number(process.env.BENCH_N ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const engine = (flag('engine') ?? 'aimem') as SubjectOptions['engine'];
if (engine !== 'aimem' && engine !== 'reference') throw new Error(`--engine must be aimem or reference, got ${engine}`);
const rowid = flag('rowid') ?? 'both';
const pageSizeText = flag('page-size');
const options: SubjectOptions = { engine, ...(pageSizeText === undefined ? {} : { pageSize: Number(pageSizeText) }) };
const cpuProf = process.argv.includes('--cpu-prof');
const only = flag('only')?.split(',');
const aistorageIds = AISTORAGE_IDS.filter((id) => rowid === 'both' || id.endsWith(rowid));
const ids: string[] = [...aistorageIds, ...PEER_IDS].filter((id) => only === undefined || only.includes(id));

const resultsDir = join(__dirname, 'results');
const profDir = join(tmpdir(), 'aistorage-bench-prof');
const childScript = join(__dirname, 'standard', 'child.ts');

/** One child run; a RunResult, or a string saying why the engine was skipped. */
function runChild(id: string, run: number): RunResult | string {
  const prof = cpuProf && isAistorage(id) ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${id}-run${run}.cpuprofile`] : [];
  return runBenchChild<RunResult>(childScript, [id, String(N), JSON.stringify(options)], run, prof);
}

function main(): void {
  console.log(`Standard workload: N = ${N.toLocaleString('en-US')}, ${RUNS} run(s) per engine, aistorage engine: ${engine}`);
  console.log(`${machineLine(machine())}\n`);
  if (cpuProf) {
    rmSync(profDir, { recursive: true, force: true });
    mkdirSync(profDir, { recursive: true });
  }
  const { results: runs, dropped } = runInterleaved(ids, RUNS, runChild);
  const summaries = ids.filter((id) => !dropped.has(id) && runs.get(id)!.length > 0).map((id) => summarize(id, runs.get(id)!));
  report(summaries, runs, dropped);
}

function report(summaries: SubjectSummary[], runs: Map<string, RunResult[]>, dropped: Map<string, string>): void {
  const ai = summaries.filter((s) => isAistorage(s.id));
  const peers = summaries.filter((s) => !isAistorage(s.id));
  console.log(`\n### ops/s (median of ${RUNS})\n`);
  console.log(opsTable(summaries));
  const ratios = ratioTable(ai.map((a) => a.id), peers.map((p) => p.id), runs);
  for (const a of ai) {
    console.log(`\n### ratios: ${a.label} ÷ peer, median of the per-run ratios (min–max) (> 1 = aistorage faster)\n`);
    console.log(ratioMarkdown(a, peers, ratios));
  }
  console.log('\n### memory\n');
  console.log(memoryTable(summaries));
  console.log('');
  for (const a of ai) console.log(`- ${regionLine(a, N)}`);
  const commits = new Set(ai.flatMap((a) => runs.get(a.id)!.map((r) => r.commit)));
  if (commits.size > 1) console.log(`\nnote: the source changed during the run; aistorage runs measured commits ${[...commits].join(', ')}`);
  const targets = Object.fromEntries(ai.map((a) => [a.id, targetResults(a.id, runs.get(a.id)!, ratios, rawBytes(N))]));
  for (const a of ai) {
    console.log(`\n### targets, ${a.label} (judged on the median ratio; min–max in brackets)\n`);
    for (const t of targets[a.id]!) console.log(`- ${targetLine(t)}`);
  }
  if (cpuProf) printProfiles(runs);
  // Only a full, unprofiled run of the real engine writes the canonical file; --only and a single --rowid are subsets.
  const subset = only !== undefined || rowid !== 'both';
  const suffix = `${engine === 'reference' ? '-reference' : ''}${subset ? '-subset' : ''}${cpuProf ? '-profiled' : ''}`;
  const name = `standard-${N}${suffix}.json`;
  const file = join(resultsDir, name);
  writeJson(file, {
    ...resultsHeader('standard workload (BENCH.md), level 3', N, RUNS),
    engine,
    options,
    rawBytes: rawBytes(N),
    summaries,
    ratios,
    targets,
    dropped: Object.fromEntries(dropped),
    rawRuns: Object.fromEntries(runs),
  });
  console.log(`\nresults: ${file}`);
}

/** The top 10 self-time functions of each profiled child: over the aistorage phases together, then per phase. */
function printProfiles(runs: Map<string, RunResult[]>): void {
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).sort();
  for (const f of files) {
    const match = /^(.*)-run(\d+)\.cpuprofile$/.exec(f);
    const result = match === null ? undefined : runs.get(match[1]!)?.find((r) => r.run === Number(match[2]));
    if (result === undefined) continue;
    const profile = loadProfile(join(profDir, f));
    const phases = Object.entries(result.phases);
    const all = { startUs: Math.min(...phases.map(([, t]) => t.startUs)), endUs: Math.max(...phases.map(([, t]) => t.endUs)) };
    console.log(`\n### CPU profile ${f} (${join(profDir, f)}): top 10 self time, all phases\n`);
    console.log(topSelfTime(profile, 10, all));
    for (const [name, t] of phases) {
      console.log(`\n#### ${result.label}, ${name}: top 10 self time\n`);
      console.log(topSelfTime(profile, 10, t));
    }
  }
}

main();
