/**
 * What the benchmarks that run each engine in a child process share: one child run (its `@@RESULT` line parsed, or
 * why it was skipped or failed) and the interleaved runs (run r of every engine, then run r + 1), dropping an engine
 * whose child cannot run.
 */
import { spawnSync } from 'node:child_process';
import { commitLabel, sourceState } from '../machine';
import { RESULT_MARK, SKIP_MARK } from './run-result';

/** Runs `script` with `args` under ts-node in its own process: its result (stamped with commit and run) or a reason. */
export function runBenchChild<R>(script: string, args: readonly string[], run: number, nodeArgs: readonly string[] = []): (R & { commit: string; run: number }) | string {
  const argv = ['--expose-gc', ...nodeArgs, '-r', require.resolve('ts-node/register/transpile-only'), script, ...args];
  const commit = commitLabel(sourceState());
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env });
  const lines = (r.stdout ?? '').split('\n');
  const result = lines.find((l) => l.startsWith(RESULT_MARK));
  if (result !== undefined) return { ...(JSON.parse(result.slice(RESULT_MARK.length)) as R), commit, run };
  const skip = lines.find((l) => l.startsWith(SKIP_MARK));
  if (skip !== undefined) return `cannot be loaded: ${skip.slice(SKIP_MARK.length)}`;
  const err = (r.stderr ?? '').trim().split('\n').slice(0, 8).join('\n    ');
  return `failed (status ${r.status ?? r.signal}):\n    ${err}`;
}

/** `runs` rounds of `runOne(id, run)` over `ids`, interleaved; progress on stderr, drops on stdout. */
export function runInterleaved<Id extends string, R extends { label: string }>(
  ids: readonly Id[], runs: number, runOne: (id: Id, run: number) => R | string,
): { results: Map<Id, R[]>; dropped: Map<Id, string> } {
  const results = new Map<Id, R[]>(ids.map((id) => [id, []]));
  const dropped = new Map<Id, string>();
  for (let run = 0; run < runs; run++) {
    for (const id of ids) {
      if (dropped.has(id)) continue;
      const t0 = Date.now();
      const r = runOne(id, run);
      if (typeof r === 'string') {
        dropped.set(id, r);
        console.log(`note: ${id} dropped from this run — ${r}`);
        continue;
      }
      results.get(id)!.push(r);
      console.error(`  run ${run + 1}/${runs} ${r.label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  return { results, dropped };
}

/** The ids a bench runs: all of `all`, or those `--only id,id,...` names (an unknown id is an error naming the known). */
export function onlyIds<Id extends string>(all: readonly Id[]): { readonly ids: Id[]; readonly only: string[] | undefined } {
  const i = process.argv.indexOf('--only');
  const only = i < 0 ? undefined : process.argv[i + 1]?.split(',');
  for (const id of only ?? []) if (!(all as readonly string[]).includes(id)) throw new Error(`--only: unknown id ${id}; ids: ${all.join(', ')}`);
  return { ids: all.filter((id) => only === undefined || only.includes(id)), only };
}
