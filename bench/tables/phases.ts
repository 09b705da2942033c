/**
 * The standard workload's six phases on one Subject, each timed on its own, with the untimed checks between them
 * that bench/standard/child.ts makes (found counts, sampled values after insert, update and delete), so a fast but
 * wrong subject fails loudly. (That child runs its own subjects at import, hence this copy of its phase loop; the
 * partition's own scan of the level-3 subjects is left out: level 2 has no counterpart.)
 */
import type { PhaseTiming, RunResult } from '../standard/run-result';
import type { StoreMemory, Subject } from '../standard/subject';
import { RANGE_LEN, RANGE_SCANS, updatedValueOf, valueOf, type Workload } from '../standard/workload';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Times `body` (after a gc); `rss` keeps the highest RSS seen at the end of a phase. */
async function timed(ops: number, body: () => unknown, rss: { max: number }): Promise<{ timing: PhaseTiming; value: unknown }> {
  gc();
  const t0 = process.hrtime.bigint();
  const value = await body();
  const t1 = process.hrtime.bigint();
  rss.max = Math.max(rss.max, process.memoryUsage().rss);
  return { timing: { ops, seconds: Number(t1 - t0) / 1e9, startUs: Number(t0 / 1000n), endUs: Number(t1 / 1000n) }, value };
}

function expect(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`${what}: got ${String(got)}, expected ${String(want)}`);
}

async function sampleValues(s: Subject, keys: ArrayLike<number>, want: (k: number) => Uint8Array | undefined, what: string): Promise<void> {
  const step = Math.max(1, Math.floor(keys.length / 500));
  for (let i = 0; i < keys.length; i += step) {
    const k = keys[i]!;
    const got = await s.lookup(k);
    const exp = want(k);
    const same = got === undefined || exp === undefined ? got === exp : Buffer.compare(Buffer.from(got), Buffer.from(exp)) === 0;
    if (!same) throw new Error(`${s.label}, ${what}: wrong value for key ${k}`);
  }
}

type Phases = RunResult['phases'];

async function runAll(s: Subject, w: Workload, phases: Phases, rss: { max: number }): Promise<[StoreMemory | null, StoreMemory | null]> {
  const n = w.n;
  phases.insert = (await timed(n, () => s.insert(w), rss)).timing;
  await sampleValues(s, w.readOrder, (k) => valueOf(w, k), 'after insert');
  const afterInsert = s.memory?.() ?? null;

  const reads = await timed(n, () => s.pointReads(w), rss);
  expect(`${s.label} point reads found`, reads.value, n);
  phases['point read'] = reads.timing;

  const scan = await timed(n, () => s.fullScan(w), rss);
  expect(`${s.label} full scan rows`, scan.value, n);
  phases['full scan'] = scan.timing;

  const range = await timed(RANGE_SCANS, () => s.rangeScans!(w), rss);
  expect(`${s.label} range scan rows`, range.value, RANGE_SCANS * RANGE_LEN);
  phases['range scan'] = range.timing;

  phases.update = (await timed(w.updateKeys.length, () => s.update(w), rss)).timing;
  await sampleValues(s, w.updateKeys, (k) => updatedValueOf(w, k), 'after update');

  phases.delete = (await timed(w.deleteKeys.length, () => s.delete(w), rss)).timing;
  await sampleValues(s, w.deleteKeys, () => undefined, 'after delete');
  const deleted = new Set(w.deleteKeys);
  const updated = new Set(w.updateKeys);
  const survivors = Array.from(w.readOrder.subarray(0, 2000)).filter((k) => !deleted.has(k));
  await sampleValues(s, survivors, (k) => (updated.has(k) ? updatedValueOf(w, k) : valueOf(w, k)), 'survivors after delete');
  return [afterInsert, s.memory?.() ?? null];
}

/** Opens `s`, runs the six phases, closes it; the RunResult under `label` (without the parent's commit and run). */
export async function runPhases(id: string, label: string, s: Subject, w: Workload): Promise<RunResult> {
  if (s.rangeScans === undefined) throw new Error(`${s.label}: the tables benchmark needs range scans`);
  gc();
  const baselineRss = process.memoryUsage().rss;
  const rss = { max: 0 };
  await s.open(w);
  const phases: Phases = {};
  let memory: [StoreMemory | null, StoreMemory | null];
  try {
    memory = await runAll(s, w, phases, rss);
  } finally {
    await s.close();
  }
  return {
    id, label, phases, baselineRss, peakRss: process.resourceUsage().maxRSS * 1024, maxPhaseRss: rss.max,
    memoryAfterInsert: memory[0], memoryAfterDelete: memory[1],
  };
}
