/**
 * aipersist under power loss, through the FileIo port swapped in the container (PowerLossFileIo): a workload of
 * rounds — each one write closure per partition (inserts, updates, deletes, re-inserts) followed by `flush(true)`,
 * i.e. one checkpoint, and from the second checkpoint on a compaction — is run once cleanly to learn its write
 * order (every mutating FileIo call: in-place main-file writes, syncs, delta `.tmp` writes, renames, directory syncs,
 * compaction writes and deletes). Then, for each step k of that order (all of them, or a sample that keeps every
 * step but page writes, and the first and last write of each run of them), the "process" dies at step k and the disk
 * loses what was not durable (`crash('drop')`) or keeps a random part of it, torn by sector (`crash('tear', seed)`)
 * or with each sector of a write landing on its own (`crash('scatter', seed)`).
 *
 * A new node on that disk must open the table and read, for every partition, EXACTLY the state of one of its
 * checkpoints — the last one whose flush resolved, or, when the crash hit a flush in flight, that one or the one in
 * flight — never a mix of two, never an error. Read = the primary index scanned, every row it names read, the
 * partition's own row scan and estimatedSize agreeing with it. More precisely, from the write order: with `drop` a
 * partition is at exactly the checkpoints whose delta file's directory sync completed before the crash; with `tear`
 * at least those, at most those whose rename was issued. A reopened disk also keeps working: a further write, flush
 * and reopen reads it back on top of the recovered state.
 *
 * Size: AIPERSIST_POWER_LOSS_STEPS — crash points per test (default 70, never fewer than the steps the sample always
 * keeps) or `all`; AIPERSIST_POWER_LOSS_SEEDS tear seeds per crash point (default 2); AIPERSIST_POWER_LOSS_SEED the
 * workload's seed (default 1). Every failing crash point is listed in the failure message.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNode, RowId, type StorageNode } from '../../src/interfaces/api/index';
import { TOKENS } from '../../src/interfaces/api/testing';
import type { FileHandle, OpenMode } from '../../src/domain/ports/file-io.port';
import { PowerLossFileIo, SimulatedCrash } from '../support/power-loss-file-io';
import { tempDir } from '../support/temp-dir';

import { STEP_BUDGET, TEAR_SEEDS, WORKLOAD_SEED, TIMEOUT, CONFIG, State, Plan, makePlan, openTable, applyOps, WorkloadOutcome, runWorkload, readPartition, sameState, whichSnapshot, diff } from '../support/aipersist-power-loss-plan';

/** A PowerLossFileIo that names each mutating step (for the clean run: the write order to crash in). */
class TracingFileIo extends PowerLossFileIo {
  /** trace[s − 1]: what step s did. */
  readonly trace: string[] = [];
  readonly #paths = new Map<FileHandle, string>();

  #note(before: number, what: string): void {
    if (this.steps > before) this.trace[this.steps - 1] = what;
  }

  override open(path: string, mode: OpenMode): FileHandle {
    const before = this.steps;
    const h = super.open(path, mode);
    this.#paths.set(h, path);
    this.#note(before, `create ${path}`);
    return h;
  }

  override write(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): void {
    const before = this.steps;
    super.write(handle, buffer, offset, length, position);
    this.#note(before, `write ${this.#paths.get(handle)} @${position}+${length}`);
  }

  override sync(handle: FileHandle): void {
    const before = this.steps;
    super.sync(handle);
    this.#note(before, `sync ${this.#paths.get(handle)}`);
  }

  override truncate(handle: FileHandle, length: number): void {
    const before = this.steps;
    super.truncate(handle, length);
    this.#note(before, `truncate ${this.#paths.get(handle)} ${length}`);
  }

  override rename(from: string, to: string): void {
    const before = this.steps;
    super.rename(from, to);
    this.#note(before, `rename ${from} -> ${to}`);
  }

  override link(existing: string, newPath: string): void {
    const before = this.steps;
    super.link(existing, newPath);
    this.#note(before, `link ${existing} -> ${newPath}`);
  }

  override remove(path: string): void {
    const before = this.steps;
    super.remove(path);
    this.#note(before, `remove ${path}`);
  }

  override syncDir(dir: string): void {
    const before = this.steps;
    super.syncDir(dir);
    this.#note(before, `syncDir ${dir}`);
  }

  protected override settleSyncDir(dir: string, lastOp: unknown, calledAfter: number): void {
    const before = this.steps;
    super.settleSyncDir(dir, lastOp, calledAfter);
    this.#note(before, `syncDir ${dir} after ${calledAfter}`); // it covers what was renamed up to that step
  }

  override mkdir(path: string): void {
    const before = this.steps;
    super.mkdir(path);
    this.#note(before, `mkdir ${path}`);
  }

  override removeDir(path: string): void {
    const before = this.steps;
    super.removeDir(path);
    this.#note(before, `removeDir ${path}`);
  }
}

function openOn(dir: string, io: PowerLossFileIo): Promise<StorageNode> {
  return openNode({ workDir: dir, config: CONFIG }, { configure: (c) => c.rebind(TOKENS.FileIo).toConstantValue(io) });
}

/**
 * The crash points to try, 1-based within `trace`: all of them within the budget; else every step that is not a page
 * write (create, sync, rename, remove, directory sync, mkdir), the first and last write of each run of writes, and
 * evenly spread writes up to the budget.
 */
function crashPoints(trace: readonly string[], budget: number): number[] {
  const n = trace.length;
  if (n <= budget) return Array.from({ length: n }, (_, i) => i + 1);
  const isWrite = (s: number) => s >= 1 && s <= n && trace[s - 1]!.startsWith('write ');
  const chosen = new Set<number>();
  for (let s = 1; s <= n; s++) if (!isWrite(s) || !isWrite(s - 1) || !isWrite(s + 1)) chosen.add(s);
  const rest = Array.from({ length: n }, (_, i) => i + 1).filter((s) => !chosen.has(s));
  const room = Math.min(Math.max(0, budget - chosen.size), rest.length);
  for (let i = 0; i < room; i++) chosen.add(rest[Math.floor((i * rest.length) / room)]!);
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Partition `p`'s delta commits in the write order: for each, the step that renamed its `.tmp` into place and the
 * step of the directory sync called after it (the commit point; an async one counts when it settles).
 */
function commitSteps(trace: readonly string[], p: number): Array<{ renamed: number; synced: number }> {
  const out: Array<{ renamed: number; synced: number }> = [];
  const rename = new RegExp(`^rename (.*)/part-${p}-delta-\\d+\\.bin\\.tmp -> `);
  for (let s = 1; s <= trace.length; s++) {
    const m = rename.exec(trace[s - 1]!);
    if (m === null) continue;
    // The first directory sync called after the rename (a synchronous one, or an async one that settles later).
    const covers = (t: string): boolean => t === `syncDir ${m[1]}` || (t.startsWith(`syncDir ${m[1]} after `) && Number(t.slice(t.lastIndexOf(' ') + 1)) >= s);
    let synced = s + 1;
    while (synced <= trace.length && !covers(trace[synced - 1]!)) synced++;
    out.push({ renamed: s, synced });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- the tests

interface CleanRun {
  readonly trace: readonly string[];
}

/** The workload without a crash: its write order, and every flush resolving with the final state on disk. */
async function cleanRun(dir: string, plan: Plan): Promise<CleanRun> {
  const io = new TracingFileIo();
  io.mkdirs(dir);
  const node = await openOn(dir, io);
  const base = io.steps;
  const outcome = await runWorkload(node, plan);
  await node.close();
  expect(outcome).toEqual({ flushed: plan.ops.length, flushError: null });
  // Steps relative to the workload's first (an async directory sync names the step it was called after).
  const trace = io.trace.slice(base).map((t) => t?.replace(/ after (\d+)$/, (_, n: string) => ` after ${Number(n) - base}`));
  expect(trace.length, 'the workload wrote nothing').toBeGreaterThan(0);
  expect(trace.every((t) => t !== undefined)).toBe(true);
  // After a clean close every partition is at its last checkpoint.
  const { failures } = await checkDisk(dir, io.crash('drop'), plan, [plan.ops.length], 'clean run', true);
  expect(failures).toEqual([]);
  return { trace };
}

/** An error as a failure line: its class, code and message. */
function describeError(e: unknown): string {
  if (!(e instanceof Error)) return `a non-Error ${String(e)}`;
  const code = (e as { code?: unknown }).code;
  return `${e.constructor.name}${code === undefined ? '' : ` (${String(code)})`}: ${e.message}`;
}

/**
 * Opens a node on `disk` and checks each partition is exactly at one of the `allowed` checkpoints. Then (keepWorking)
 * writes a new row per partition, flushes, reopens and reads it back on top of that state. Returns the checkpoint
 * each partition is at (−1: none) and what went wrong (nothing is thrown: every crash point is reported).
 */
async function checkDisk(dir: string, disk: PowerLossFileIo, plan: Plan, allowed: readonly number[], what: string,
  keepWorking = false): Promise<{ at: number[]; failures: string[] }> {
  const at: number[] = [];
  const failures: string[] = [];
  const states: State[] = [];
  let node: StorageNode | null = null;
  let stage = 'opening the node on the crashed disk';
  try {
    node = await openOn(dir, disk);
    stage = 'opening the table, its partitions and primary indexes';
    const parts = await openTable(node, plan.partitions);
    for (let p = 0; p < plan.partitions; p++) {
      stage = `reading partition ${p}`;
      const { state, problems } = readPartition(parts[p]!);
      for (const problem of problems) failures.push(`${what}, partition ${p}: inconsistent: ${problem}`);
      const i = whichSnapshot(plan.snapshots[p]!, state);
      if (!allowed.includes(i)) {
        const nearest = plan.snapshots[p]![allowed[allowed.length - 1]!]!;
        failures.push(`${what}, partition ${p}: the reopened state is ${i < 0 ? 'no checkpoint (a mix)' : `checkpoint ${i}`}, ` +
          `expected checkpoint ${allowed.join(' or ')}; against checkpoint ${allowed[allowed.length - 1]}: ${diff(nearest, state)}`);
      }
      at.push(i);
      states.push(state);
    }
    if (keepWorking && failures.length === 0) {
      stage = 'writing and flushing on the recovered disk';
      const extra = 1_000_000;
      for (let p = 0; p < plan.partitions; p++) {
        const ids = new Map([[extra, new RowId(p, BigInt(extra + p), 7n)]]);
        applyOps(node, parts[p]!, ids, [{ kind: 'put', key: extra, value: `after the crash ${p}` }], () => false);
      }
      await Promise.all(parts.map((x) => x.mv.flush(true)));
      stage = 'closing and reopening after that write';
      await node.close();
      node = await openOn(dir, disk);
      const again = await openTable(node, plan.partitions);
      for (let p = 0; p < plan.partitions; p++) {
        stage = `reading partition ${p} after that write`;
        const { state, problems } = readPartition(again[p]!);
        for (const problem of problems) failures.push(`${what}, partition ${p}, after a write on the recovered disk: inconsistent: ${problem}`);
        const want = new Map(states[p]!);
        want.set(extra, `after the crash ${p}`);
        if (!sameState(state, want)) failures.push(`${what}, partition ${p}, after a write on the recovered disk: ${diff(want, state)}`);
      }
    }
  } catch (e) {
    failures.push(`${what}: ${stage} threw ${describeError(e)}`);
  } finally {
    try {
      await node?.close();
    } catch (e) {
      failures.push(`${what}: closing the reopened node threw ${describeError(e)}`);
    }
  }
  return { at, failures };
}

interface Coverage {
  points: number;
  reopens: number;
  /** Checkpoint indexes seen per partition (drop and tear). */
  readonly seen: Array<Set<number>>;
  /** Crash points where the flush in flight was found committed / not committed (drop). */
  inFlightCommitted: number;
  inFlightLost: number;
  /** Crash points at a compaction's deletion of a merged delta file (compaction runs in the background). */
  inCompaction: number;
  /** Reopened disks whose partitions were at different checkpoints (one committed its delta, another not yet). */
  split: number;
  /** Every crash point's failures (the test reports them all at once). */
  readonly failures: string[];
}

async function crashEverywhere(dir: string, plan: Plan): Promise<{ trace: readonly string[]; coverage: Coverage }> {
  const { trace } = await cleanRun(dir, plan);
  const points = crashPoints(trace, STEP_BUDGET);
  const commits = plan.snapshots.map((_, p) => commitSteps(trace, p));
  const coverage: Coverage = { points: points.length, reopens: 0, seen: plan.snapshots.map(() => new Set()), inFlightCommitted: 0, inFlightLost: 0, inCompaction: 0, split: 0, failures: [] };
  for (const [ordinal, k] of points.entries()) {
    const io = new PowerLossFileIo();
    io.mkdirs(dir);
    const node = await openOn(dir, io);
    io.failAfter(k);
    const where = `crash at step ${k} (${trace[k - 1]})`;
    if (/^remove .*-delta-\d+\.bin$/.test(trace[k - 1] ?? '')) coverage.inCompaction++;
    let outcome: WorkloadOutcome | null = null;
    let workloadError: unknown = null;
    let closeError: unknown = null;
    try {
      outcome = await runWorkload(node, plan);
    } catch (e) {
      workloadError = e;
    } finally {
      try {
        await node.close();
      } catch (e) {
        closeError = e; // a node whose disk died cannot write its last checkpoint
      }
    }
    if (outcome === null) {
      coverage.failures.push(`${where}: the workload threw outside a flush: ${describeError(workloadError)}`);
      continue;
    }
    const crash = outcome.flushError ?? closeError;
    // A crash in the background compaction after the last flush shows at close, as the cause of its failed last checkpoint.
    if (!(crash instanceof SimulatedCrash || (crash instanceof Error && crash.cause instanceof SimulatedCrash))) {
      coverage.failures.push(`${where}: the run did not end in the simulated crash: ${crash === null ? 'no error' : describeError(crash)}`);
      continue;
    }
    // A flush that resolved is a completed checkpoint; the one in flight may or may not have committed.
    const allowed = outcome.flushError !== null ? [outcome.flushed, outcome.flushed + 1] : [outcome.flushed];
    // From the write order: a delta file whose directory sync completed before step k is durable; one whose rename
    // was not even issued cannot be on disk.
    const durable = commits.map((c) => c.filter((x) => x.synced < k).length);
    const issued = commits.map((c) => c.filter((x) => x.renamed < k).length);
    for (let seed = 0; seed <= TEAR_SEEDS; seed++) {
      // Seed 0 drops what was not synced; the others tear it by sector, or (every third) scatter its sectors.
      const kind = seed === 0 ? 'drop' : seed % 3 === 2 ? 'scatter' : 'tear';
      const mode = seed === 0 ? 'drop' : `${kind} seed ${seed}`;
      const disk = io.crash(kind, seed);
      const { at, failures } = await checkDisk(dir, disk, plan, allowed, `${where}, ${mode}`,
        (seed === 0 && ordinal % 5 === 0) || (seed === 1 && ordinal % 5 === 2));
      coverage.reopens++;
      coverage.failures.push(...failures);
      if (failures.length > 0) continue;
      at.forEach((i, p) => {
        coverage.seen[p]!.add(i);
        if (seed === 0 && i !== durable[p]) {
          coverage.failures.push(`${where}, drop, partition ${p}: checkpoint ${i}, but ${durable[p]} delta commits were durable (directory synced) before the crash`);
        }
        if (i < durable[p]! || i > issued[p]!) {
          coverage.failures.push(`${where}, ${mode}, partition ${p}: checkpoint ${i}, outside [${durable[p]} durable, ${issued[p]} renamed] commits`);
        }
      });
      if (new Set(at).size > 1) coverage.split++;
      if (seed === 0) {
        if (outcome.flushError !== null) {
          if (at.every((i) => i === outcome!.flushed + 1)) coverage.inFlightCommitted++;
          else coverage.inFlightLost++;
        }
      }
    }
  }
  return { trace, coverage };
}

describe('aipersist under power loss', () => {
  let dir: { path: string; cleanup(): void };
  beforeEach(() => (dir = tempDir('aistorage-power-loss-')));
  afterEach(() => dir.cleanup());

  it('one partition: a crash at any step of checkpoint and compaction reopens at exactly the last completed checkpoint', async () => {
    const rounds = 4;
    const plan = makePlan(WORKLOAD_SEED, 1, rounds);
    const { trace, coverage } = await crashEverywhere(dir.path, plan);
    console.log(`aipersist power loss, 1 partition: ${trace.length} steps, ${coverage.points} crash points, ${coverage.reopens} reopened disks`);
    expect.soft(coverage.failures.slice(0, 30), `${coverage.failures.length} failures in ${coverage.reopens} reopened disks`).toEqual([]);
    // The workload exercises what it claims to: in-place main-file writes, delta commits, and compaction.
    expect(trace.some((t) => /^write .*\/part-0\.bin /.test(t))).toBe(true);
    expect(trace.filter((t) => /^rename .*part-0-delta-\d+\.bin\.tmp -> /.test(t))).toHaveLength(rounds);
    expect(trace.filter((t) => /^remove .*part-0-delta-\d+\.bin$/.test(t)).length, 'compactions').toBe(rounds - 1);
    // Every checkpoint was reached by some crash point, the in-flight flush was seen lost, and crashes hit the
    // background compaction. (A flush resolves at its commit, so one partition's flush never fails after committing.)
    expect([...coverage.seen[0]!].sort((a, b) => a - b)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => i));
    expect(coverage.inFlightLost).toBeGreaterThan(0);
    expect(coverage.inCompaction).toBeGreaterThan(0);
  }, TIMEOUT);

  it('two partitions: one checkpoint commits two deltas; each partition is at one of its own checkpoints', async () => {
    const rounds = 3;
    const plan = makePlan(WORKLOAD_SEED + 100, 2, rounds);
    const { trace, coverage } = await crashEverywhere(dir.path, plan);
    console.log(`aipersist power loss, 2 partitions: ${trace.length} steps, ${coverage.points} crash points, ${coverage.reopens} reopened disks`);
    expect.soft(coverage.failures.slice(0, 30), `${coverage.failures.length} failures in ${coverage.reopens} reopened disks`).toEqual([]);
    for (const p of [0, 1]) {
      expect(trace.filter((t) => new RegExp(`^rename .*part-${p}-delta-\\d+\\.bin\\.tmp -> `).test(t))).toHaveLength(rounds);
      expect([...coverage.seen[p]!].sort((a, b) => a - b)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => i));
    }
    expect(trace.some((t) => /^remove .*part-1-delta-\d+\.bin$/.test(t)), 'compaction of partition 1').toBe(true);
    expect(coverage.split, 'a crash between the two partitions\' commits of one checkpoint').toBeGreaterThan(0);
  }, TIMEOUT);
});
