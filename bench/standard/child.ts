/**
 * One run of one engine, in its own process (so that each store starts fresh and its peak RSS is its own):
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/standard/child.ts <subject id> <N> <options JSON>
 *
 * Prints `@@RESULT <json>` (a RunResult) or `@@SKIP <reason>` when the engine's package cannot be loaded. Between
 * phases (untimed) it checks what each phase returned and samples values, so a fast but wrong engine fails loudly.
 */
import { createSubject, type SubjectId, type SubjectOptions } from './subjects';
import { RESULT_MARK, SKIP_MARK, type RunResult, type PhaseTiming } from './run-result';
import type { StoreMemory, Subject } from './subject';
import { RANGE_LEN, RANGE_SCANS, makeWorkload, updatedValueOf, valueOf, type Workload } from './workload';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** The highest RSS seen at the end of a phase (before the next gc): the store's footprint, unlike maxRSS, which
 * also covers the start-up (ts-node compiling the sources). */
let maxPhaseRss = 0;

async function timed(ops: number, body: () => unknown): Promise<{ timing: PhaseTiming; value: unknown }> {
  gc();
  const t0 = process.hrtime.bigint();
  const value = await body();
  const t1 = process.hrtime.bigint();
  maxPhaseRss = Math.max(maxPhaseRss, process.memoryUsage().rss);
  const timing = { ops, seconds: Number(t1 - t0) / 1e9, startUs: Number(t0 / 1000n), endUs: Number(t1 / 1000n) };
  return { timing, value };
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

async function runPhases(s: Subject, w: Workload, phases: RunResult['phases']): Promise<[StoreMemory | null, StoreMemory | null]> {
  const n = w.n;
  phases.insert = (await timed(n, () => s.insert(w))).timing;
  await sampleValues(s, w.readOrder, (k) => valueOf(w, k), 'after insert');
  const memoryAfterInsert = s.memory?.() ?? null;

  const reads = await timed(n, () => s.pointReads(w));
  expect(`${s.label} point reads found`, reads.value, n);
  phases['point read'] = reads.timing;

  const scan = await timed(n, () => s.fullScan(w));
  expect(`${s.label} full scan rows`, scan.value, n);
  phases['full scan'] = scan.timing;

  if (s.secondScan) {
    const second = await timed(n, () => s.secondScan!(w));
    expect(`${s.label} second scan rows`, second.value, n);
    phases['second scan'] = second.timing;
  }
  if (s.rangeScans) {
    const range = await timed(RANGE_SCANS, () => s.rangeScans!(w));
    expect(`${s.label} range scan rows`, range.value, RANGE_SCANS * RANGE_LEN);
    phases['range scan'] = range.timing;
  }

  phases.update = (await timed(w.updateKeys.length, () => s.update(w))).timing;
  await sampleValues(s, w.updateKeys, (k) => updatedValueOf(w, k), 'after update');

  phases.delete = (await timed(w.deleteKeys.length, () => s.delete(w))).timing;
  await sampleValues(s, w.deleteKeys, () => undefined, 'after delete');
  const deleted = new Set(w.deleteKeys);
  const updated = new Set(w.updateKeys);
  const survivors = Array.from(w.readOrder.subarray(0, 2000)).filter((k) => !deleted.has(k));
  await sampleValues(s, survivors, (k) => (updated.has(k) ? updatedValueOf(w, k) : valueOf(w, k)), 'survivors after delete');
  return [memoryAfterInsert, s.memory?.() ?? null];
}

async function main(): Promise<void> {
  const [id, nText, optsText] = process.argv.slice(2);
  const opts = JSON.parse(optsText ?? '{}') as SubjectOptions;
  const w = makeWorkload(Number(nText));
  let subject: Subject;
  try {
    subject = await createSubject(id as SubjectId, opts);
  } catch (e) {
    console.log(`${SKIP_MARK}${(e as Error).message.split('\n')[0]}`);
    return;
  }
  gc();
  const baselineRss = process.memoryUsage().rss;
  await subject.open(w);
  const phases: RunResult['phases'] = {};
  let memory: [StoreMemory | null, StoreMemory | null];
  try {
    memory = await runPhases(subject, w, phases);
  } finally {
    await subject.close();
  }
  const result: RunResult = {
    id: id!,
    label: subject.label,
    phases,
    baselineRss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    maxPhaseRss,
    memoryAfterInsert: memory[0],
    memoryAfterDelete: memory[1],
  };
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
