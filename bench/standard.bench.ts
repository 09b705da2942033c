/**
 * The standard workload of /work/shared/BENCH.md on aistorage's aimem engine through the storage engine SPI
 * (level 3: an MV partition storage plus a sorted primary index), beside its peers measured in the same run.
 *
 *   npx ts-node --transpile-only bench/standard.bench.ts [--engine aimem|reference] [--rowid random|sequential|both]
 *                                                        [--only id,id,...] [--page-size B] [--cpu-prof]
 *
 * BENCH_N rows (default 100,000; the README figures use 1,000,000), BENCH_RUNS runs (default 3). Each run of each
 * engine is its own child process (bench/standard/child.ts) with a fresh store, so its peak RSS is its own; runs
 * are interleaved across engines; every figure is the median over the runs. Engine ids: map, btree-number,
 * btree-buffer, lmdb, lmdb-nosync, sqlite, level, aistorage-random, aistorage-sequential. A peer that cannot be
 * loaded is dropped with a printed note. `--cpu-prof` writes the aistorage children's CPU profiles to
 * $TMPDIR/aistorage-bench-prof/ and prints their top self-time functions. Results: bench/results/standard-<N>.json
 * (suffixed -reference, -subset or -profiled for the reference engine, --only, or --cpu-prof).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULT_MARK, SKIP_MARK, type RunResult } from './standard/run-result';
import { loadProfile, topSelfTime } from './standard/cpu-profile';
import {
  memoryTable, opsTable, ratioTable, rawBytes, regionLine, summarize, writeJson, type SubjectSummary,
} from './standard/report';
import { AISTORAGE_IDS, PEER_IDS, isAistorage, type SubjectOptions } from './standard/subjects';
import { targetLines } from './standard/targets';

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
  const args = ['--expose-gc', ...prof, '-r', require.resolve('ts-node/register/transpile-only'), childScript, id, String(N), JSON.stringify(options)];
  const src = sourceState();
  const commit = src.uncommittedSrcFiles.length === 0 ? src.commit : `${src.commit}+uncommitted(${src.uncommittedSrcFiles.join(' ')})`;
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env });
  const lines = (r.stdout ?? '').split('\n');
  const result = lines.find((l) => l.startsWith(RESULT_MARK));
  if (result !== undefined) return { ...(JSON.parse(result.slice(RESULT_MARK.length)) as RunResult), commit };
  const skip = lines.find((l) => l.startsWith(SKIP_MARK));
  if (skip !== undefined) return `cannot be loaded: ${skip.slice(SKIP_MARK.length)}`;
  const err = (r.stderr ?? '').trim().split('\n').slice(0, 6).join('\n    ');
  return `failed (status ${r.status ?? r.signal}):\n    ${err}`;
}

function main(): void {
  console.log(`Standard workload: N = ${N.toLocaleString('en-US')}, ${RUNS} run(s) per engine, aistorage engine: ${engine}, ` +
    `Node ${process.version}\n`);
  if (cpuProf) {
    rmSync(profDir, { recursive: true, force: true });
    mkdirSync(profDir, { recursive: true });
  }
  const runs = new Map<string, RunResult[]>(ids.map((id) => [id, []]));
  const dropped = new Map<string, string>();
  for (let run = 0; run < RUNS; run++) {
    for (const id of ids) {
      if (dropped.has(id)) continue;
      const t0 = Date.now();
      const r = runChild(id, run);
      if (typeof r === 'string') {
        dropped.set(id, r);
        console.log(`note: ${id} dropped from this run — ${r}`);
        continue;
      }
      runs.get(id)!.push(r);
      console.error(`  run ${run + 1}/${RUNS} ${r.label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const summaries = ids.filter((id) => !dropped.has(id) && runs.get(id)!.length > 0).map((id) => summarize(id, runs.get(id)!));
  report(summaries, runs, dropped);
}

function report(summaries: SubjectSummary[], runs: Map<string, RunResult[]>, dropped: Map<string, string>): void {
  const ai = summaries.filter((s) => isAistorage(s.id));
  const peers = summaries.filter((s) => !isAistorage(s.id));
  console.log(`\n### ops/s (median of ${RUNS})\n`);
  console.log(opsTable(summaries));
  for (const a of ai) {
    console.log(`\n### ratios: ${a.label} ÷ peer (> 1 = aistorage faster)\n`);
    console.log(ratioTable(a, peers));
  }
  console.log('\n### memory\n');
  console.log(memoryTable(summaries));
  console.log('');
  for (const a of ai) console.log(`- ${regionLine(a, N)}`);
  const commits = new Set(ai.flatMap((a) => runs.get(a.id)!.map((r) => r.commit)));
  if (commits.size > 1) console.log(`\nnote: the source changed during the run; aistorage runs measured commits ${[...commits].join(', ')}`);
  for (const a of ai) {
    console.log(`\n### targets (BENCH.md), ${a.label}\n`);
    for (const line of targetLines(a, peers, rawBytes(N))) console.log(`- ${line}`);
  }
  if (cpuProf) printProfiles(runs);
  // Only a full, unprofiled run of the real engine writes the canonical file.
  const suffix = `${engine === 'reference' ? '-reference' : ''}${only === undefined ? '' : '-subset'}${cpuProf ? '-profiled' : ''}`;
  const name = `standard-${N}${suffix}.json`;
  const file = join(resultsDir, name);
  writeJson(file, {
    benchmark: 'standard workload (BENCH.md), level 3',
    date: new Date().toISOString(),
    node: process.version,
    source: sourceState(),
    n: N,
    runs: RUNS,
    engine,
    options,
    rawBytes: rawBytes(N),
    summaries,
    dropped: Object.fromEntries(dropped),
    rawRuns: Object.fromEntries(runs),
  });
  console.log(`\nresults: ${file}`);
}

/** The top 10 self-time functions of each profiled child: over the aistorage phases together, then per phase. */
/** The commit measured, and the files of src/ that differed from it (other work in progress) at the end of the run. */
function sourceState(): { commit: string; uncommittedSrcFiles: string[] } {
  const git = (...args: string[]): string => spawnSync('git', args, { cwd: join(__dirname, '..'), encoding: 'utf8' }).stdout ?? '';
  const dirty = git('status', '--porcelain', '--', 'src').split('\n').filter((l) => l.trim() !== '').map((l) => l.slice(3));
  return { commit: git('rev-parse', 'HEAD').trim(), uncommittedSrcFiles: dirty };
}

function printProfiles(runs: Map<string, RunResult[]>): void {
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).sort();
  for (const f of files) {
    const match = /^(.*)-run(\d+)\.cpuprofile$/.exec(f);
    const result = match === null ? undefined : runs.get(match[1]!)?.[Number(match[2])];
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
