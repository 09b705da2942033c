/**
 * aipersist under power loss, through the FileIo port swapped in the container (PowerLossFileIo): a workload of
 * rounds — each one write closure per partition (inserts, updates, deletes, re-inserts) followed by `flush(true)`,
 * i.e. one checkpoint, and from the second checkpoint on a compaction — is run once cleanly to learn its write
 * order (every mutating FileIo call: in-place main-file writes, syncs, delta `.tmp` writes, renames, directory syncs,
 * compaction writes and deletes). Then, for each step k of that order (all of them, or a sample that keeps every
 * step but page writes, and the first and last write of each run of them), the "process" dies at step k and the disk
 * loses what was not durable (`crash('drop')`) or keeps a random part of it, torn by sector (`crash('tear', seed)`).
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
import { MAX_VALUE, openNode, RowId, type MvPartitionStorage, type SortedIndexStorage, type StorageNode } from '../../src/interfaces/api/index';
import { TOKENS } from '../../src/interfaces/api/testing';
import type { FileHandle, OpenMode } from '../../src/domain/ports/file-io.port';
import { SeededRandom, envInt } from '../contract/support/seeded-random';
import { PowerLossFileIo, SimulatedCrash } from '../support/power-loss-file-io';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const PAGE_SIZE = 1024;
const TABLE_ID = 11;
const PROFILE = 'durable';
const STEPS_ENV = process.env['AIPERSIST_POWER_LOSS_STEPS'] ?? '';
const STEP_BUDGET = STEPS_ENV === 'all' ? Infinity : envInt('AIPERSIST_POWER_LOSS_STEPS', 70);
const TEAR_SEEDS = envInt('AIPERSIST_POWER_LOSS_SEEDS', 2);
const WORKLOAD_SEED = envInt('AIPERSIST_POWER_LOSS_SEED', 1);
/** A sample runs in seconds; `all` with many seeds takes minutes. */
const TIMEOUT = STEP_BUDGET === Infinity || TEAR_SEEDS > 4 ? 3_600_000 : 120_000;

const CONFIG = {
  ignite: {
    storage: {
      engines: { aipersist: { pageSizeBytes: PAGE_SIZE } },
      profiles: [{ engine: 'aipersist', name: PROFILE, sizeBytes: 16 * MiB }],
    },
  },
} as const;
const PK = { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] } as const;

// ---------------------------------------------------------------------------------------------- the workload

type Op = { readonly kind: 'put'; readonly key: number; readonly value: string } | { readonly kind: 'delete'; readonly key: number };
type State = ReadonlyMap<number, string>;

interface Plan {
  readonly partitions: number;
  /** ops[round][partition]: one write closure; every key at most once per closure. */
  readonly ops: ReadonlyArray<ReadonlyArray<readonly Op[]>>;
  readonly rowIds: ReadonlyArray<ReadonlyMap<number, RowId>>;
  /** snapshots[partition][i]: the partition after i completed checkpoints (0: empty, nothing committed). */
  readonly snapshots: ReadonlyArray<readonly State[]>;
}

/** A value of `length` characters that names its key and round (so a row of another round cannot pass for it). */
function valueOf(rand: SeededRandom, key: number, round: number): string {
  const head = `k${key}/r${round}/`;
  const length = head.length + 8 + rand.int(rand.chance(0.15) ? 900 : 260);
  let s = head;
  while (s.length < length) s += String.fromCharCode(97 + rand.int(26));
  return s;
}

function makePlan(seed: number, partitions: number, rounds: number): Plan {
  const rand = new SeededRandom(seed);
  const ops: Op[][][] = [];
  const rowIds: Array<Map<number, RowId>> = [];
  const snapshots: State[][] = [];
  const live: Array<Map<number, string>> = [];
  const dead: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    rowIds.push(new Map());
    snapshots.push([new Map()]);
    live.push(new Map());
    dead.push([]);
  }
  let nextKey = 1;
  for (let r = 0; r < rounds; r++) {
    const round: Op[][] = [];
    for (let p = 0; p < partitions; p++) {
      const list: Op[] = [];
      const touched = new Set<number>();
      const model = live[p]!;
      const keys = () => [...model.keys()].filter((k) => !touched.has(k));
      const put = (key: number) => {
        touched.add(key);
        const value = valueOf(rand, key, r);
        list.push({ kind: 'put', key, value });
        model.set(key, value);
      };
      const inserts = r === 0 ? 70 : 25;
      for (let i = 0; i < inserts; i++) {
        const key = nextKey++;
        rowIds[p]!.set(key, new RowId(p, rand.long(), rand.long()));
        put(key);
      }
      if (r > 0) {
        for (let i = 0; i < 20; i++) {
          const pool = keys();
          if (pool.length > 0) put(rand.pick(pool)); // an update: a newer version of the row
        }
        for (let i = 0; i < 12; i++) {
          const pool = keys();
          if (pool.length === 0) break;
          const key = rand.pick(pool);
          touched.add(key);
          list.push({ kind: 'delete', key });
          model.delete(key);
          dead[p]!.push(key);
        }
        const graves = dead[p]!.filter((k) => !touched.has(k));
        for (let i = 0; i < 3 && graves.length > 0; i++) {
          const key = graves.splice(rand.int(graves.length), 1)[0]!;
          dead[p]!.splice(dead[p]!.indexOf(key), 1);
          put(key); // a re-insert over a tombstone (same RowId, a new version)
        }
      }
      round.push(list);
      snapshots[p]!.push(new Map(model));
    }
    ops.push(round);
  }
  return { partitions, ops, rowIds, snapshots };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encodeRow = (key: number, value: string) => ({ schemaVersion: 1, bytes: encoder.encode(JSON.stringify({ key, value })) });
const decodeRow = (bytes: Uint8Array) => JSON.parse(decoder.decode(bytes)) as { key: number; value: string };

interface Partition {
  readonly mv: MvPartitionStorage;
  readonly pk: SortedIndexStorage;
}

async function openTable(node: StorageNode, partitions: number): Promise<Partition[]> {
  const table = node.engine('aipersist').createMvTable({ tableId: TABLE_ID, partitions, storageProfile: PROFILE });
  const out: Partition[] = [];
  for (let p = 0; p < partitions; p++) {
    const mv = await table.createMvPartition(p);
    out.push({ mv, pk: table.createSortedIndex(p, PK) });
  }
  return out;
}

function applyOps(node: StorageNode, part: Partition, rowIds: ReadonlyMap<number, RowId>, ops: readonly Op[], isLive: (key: number) => boolean): void {
  const ts = node.clock.now();
  part.mv.runConsistently(() => {
    for (const op of ops) {
      const rowId = rowIds.get(op.key)!;
      if (op.kind === 'put') {
        const wasLive = isLive(op.key);
        part.mv.addWriteCommitted(rowId, encodeRow(op.key, op.value), ts);
        if (!wasLive) part.pk.put({ key: [BigInt(op.key)], rowId });
      } else {
        part.mv.addWriteCommitted(rowId, null, ts);
        part.pk.remove({ key: [BigInt(op.key)], rowId });
      }
    }
  });
}

interface WorkloadOutcome {
  /** Rounds whose flush resolved: completed checkpoints. */
  readonly flushed: number;
  /** What the flush of round `flushed` rejected with (the crash), or null when every flush resolved. */
  readonly flushError: unknown;
}

/** Runs the plan's rounds: each partition's closure, then one flush (one checkpoint for all partitions). */
async function runWorkload(node: StorageNode, plan: Plan): Promise<WorkloadOutcome> {
  const parts = await openTable(node, plan.partitions);
  for (let r = 0; r < plan.ops.length; r++) {
    for (let p = 0; p < plan.partitions; p++) {
      const before = plan.snapshots[p]![r]!;
      applyOps(node, parts[p]!, plan.rowIds[p]!, plan.ops[r]![p]!, (k) => before.has(k));
    }
    try {
      await Promise.all(parts.map((x) => x.mv.flush(true)));
    } catch (e) {
      return { flushed: r, flushError: e };
    }
  }
  return { flushed: plan.ops.length, flushError: null };
}

/**
 * The partition as a reader sees it, cross-checked: every primary-index entry names a live row holding its key, the
 * partition's row scan finds exactly those rows, estimatedSize agrees. Inconsistencies are returned, not thrown.
 */
function readPartition(part: Partition): { state: Map<number, string>; problems: string[] } {
  const state = new Map<number, string>();
  const problems: string[] = [];
  const byRow = new Map<string, number>();
  const cursor = part.pk.scan(null, null, 0);
  try {
    while (cursor.hasNext()) {
      const { key, rowId } = cursor.next();
      const k = Number(key[0] as bigint);
      const row = part.mv.read(rowId, MAX_VALUE).binaryRow;
      if (row === null) {
        problems.push(`index entry ${k} names row ${rowId.toString()}, which has no live version`);
        continue;
      }
      const decoded = decodeRow(row.bytes);
      if (decoded.key !== k) problems.push(`index entry ${k} names the row of key ${decoded.key}`);
      if (state.has(k)) problems.push(`key ${k} is indexed twice`);
      state.set(k, decoded.value);
      byRow.set(rowId.toString(), k);
    }
  } finally {
    cursor.close();
  }
  let rows = 0;
  for (const r of part.mv.scan(MAX_VALUE)) {
    rows++;
    const k = byRow.get(r.rowId.toString());
    if (k === undefined) problems.push(`live row ${r.rowId.toString()} has no index entry`);
    else if (r.binaryRow === null || decodeRow(r.binaryRow.bytes).value !== state.get(k)) problems.push(`the row scan reads key ${k} differently`);
  }
  if (rows !== state.size) problems.push(`the row scan finds ${rows} rows, the index ${state.size}`);
  const estimated = part.mv.estimatedSize();
  if (estimated !== state.size) problems.push(`estimatedSize is ${estimated}, the index holds ${state.size}`);
  return { state, problems };
}

function sameState(a: State, b: State): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Which snapshot the state is (−1: none — a mix or garbage), and a short diff against the nearest allowed one. */
function whichSnapshot(snapshots: readonly State[], state: State): number {
  return snapshots.findIndex((s) => sameState(s, state));
}

function diff(expected: State, actual: State): string {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  const changed = [...expected.keys()].filter((k) => actual.has(k) && actual.get(k) !== expected.get(k));
  const some = (a: number[]) => `${a.length}${a.length > 0 ? ` (${a.slice(0, 5).join(', ')}${a.length > 5 ? ', …' : ''})` : ''}`;
  return `missing ${some(missing)}, extra ${some(extra)}, other value ${some(changed)}`;
}

// ---------------------------------------------------------------------------------------------- the disk

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
 * step of the directory sync after it (the commit point).
 */
function commitSteps(trace: readonly string[], p: number): Array<{ renamed: number; synced: number }> {
  const out: Array<{ renamed: number; synced: number }> = [];
  const rename = new RegExp(`^rename (.*)/part-${p}-delta-\\d+\\.bin\\.tmp -> `);
  for (let s = 1; s <= trace.length; s++) {
    const m = rename.exec(trace[s - 1]!);
    if (m === null) continue;
    let synced = s + 1;
    while (synced <= trace.length && trace[synced - 1] !== `syncDir ${m[1]}`) synced++;
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
  const trace = io.trace.slice(base);
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
  /** Reopened disks whose partitions were at different checkpoints (one committed its delta, another not yet). */
  split: number;
  /** Every crash point's failures (the test reports them all at once). */
  readonly failures: string[];
}

async function crashEverywhere(dir: string, plan: Plan): Promise<{ trace: readonly string[]; coverage: Coverage }> {
  const { trace } = await cleanRun(dir, plan);
  const points = crashPoints(trace, STEP_BUDGET);
  const commits = plan.snapshots.map((_, p) => commitSteps(trace, p));
  const coverage: Coverage = { points: points.length, reopens: 0, seen: plan.snapshots.map(() => new Set()), inFlightCommitted: 0, inFlightLost: 0, split: 0, failures: [] };
  for (const [ordinal, k] of points.entries()) {
    const io = new PowerLossFileIo();
    io.mkdirs(dir);
    const node = await openOn(dir, io);
    io.failAfter(k);
    const where = `crash at step ${k} (${trace[k - 1]})`;
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
    if (!(crash instanceof SimulatedCrash)) {
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
      const mode = seed === 0 ? 'drop' : `tear seed ${seed}`;
      const disk = seed === 0 ? io.crash('drop') : io.crash('tear', seed);
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
    // Every checkpoint was reached by some crash point, and the in-flight flush was seen both lost and committed.
    expect([...coverage.seen[0]!].sort((a, b) => a - b)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => i));
    expect(coverage.inFlightCommitted).toBeGreaterThan(0);
    expect(coverage.inFlightLost).toBeGreaterThan(0);
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
