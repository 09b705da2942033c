/** The workload, its model and the checks of the aipersist power-loss test (test/integration/aipersist-power-loss.test.ts). */
import { MAX_VALUE, RowId, type MvPartitionStorage, type SortedIndexStorage, type StorageNode } from '../../src/interfaces/api/index';
import { SeededRandom, envInt } from '../contract/support/seeded-random';

export const MiB = 1024 * 1024;
export const PAGE_SIZE = 1024;
export const TABLE_ID = 11;
export const PROFILE = 'durable';
export const STEPS_ENV = process.env['AIPERSIST_POWER_LOSS_STEPS'] ?? '';
export const STEP_BUDGET = STEPS_ENV === 'all' ? Infinity : envInt('AIPERSIST_POWER_LOSS_STEPS', 70);
export const TEAR_SEEDS = envInt('AIPERSIST_POWER_LOSS_SEEDS', 2);
export const WORKLOAD_SEED = envInt('AIPERSIST_POWER_LOSS_SEED', 1);
/** A sample runs in seconds; `all` with many seeds takes minutes. */
export const TIMEOUT = STEP_BUDGET === Infinity || TEAR_SEEDS > 4 ? 3_600_000 : 120_000;

/**
 * The checkpoint protocol alone (`deltaLog.syncMode` none: durable at checkpoints, as the spec's engine): after a
 * power loss each partition is exactly at one of its checkpoints. The write-ahead log on top has its own tests.
 */
export const CONFIG = {
  ignite: {
    storage: {
      engines: { aipersist: { pageSizeBytes: PAGE_SIZE, deltaLog: { syncMode: 'none' } } },
      profiles: [{ engine: 'aipersist', name: PROFILE, sizeBytes: 16 * MiB }],
    },
  },
} as const;
export const PK = { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] } as const;

// ---------------------------------------------------------------------------------------------- the workload

export type Op = { readonly kind: 'put'; readonly key: number; readonly value: string } | { readonly kind: 'delete'; readonly key: number };
export type State = ReadonlyMap<number, string>;

export interface Plan {
  readonly partitions: number;
  /** ops[round][partition]: one write closure; every key at most once per closure. */
  readonly ops: ReadonlyArray<ReadonlyArray<readonly Op[]>>;
  readonly rowIds: ReadonlyArray<ReadonlyMap<number, RowId>>;
  /** snapshots[partition][i]: the partition after i completed checkpoints (0: empty, nothing committed). */
  readonly snapshots: ReadonlyArray<readonly State[]>;
}

/** A value of `length` characters that names its key and round (so a row of another round cannot pass for it). */
export function valueOf(rand: SeededRandom, key: number, round: number): string {
  const head = `k${key}/r${round}/`;
  const length = head.length + 8 + rand.int(rand.chance(0.15) ? 900 : 260);
  let s = head;
  while (s.length < length) s += String.fromCharCode(97 + rand.int(26));
  return s;
}

export function makePlan(seed: number, partitions: number, rounds: number): Plan {
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

export const encoder = new TextEncoder();
export const decoder = new TextDecoder();
export const encodeRow = (key: number, value: string) => ({ schemaVersion: 1, bytes: encoder.encode(JSON.stringify({ key, value })) });
export const decodeRow = (bytes: Uint8Array) => JSON.parse(decoder.decode(bytes)) as { key: number; value: string };

export interface Partition {
  readonly mv: MvPartitionStorage;
  readonly pk: SortedIndexStorage;
}

export async function openTable(node: StorageNode, partitions: number): Promise<Partition[]> {
  const table = node.engine('aipersist').createMvTable({ tableId: TABLE_ID, partitions, storageProfile: PROFILE });
  const out: Partition[] = [];
  for (let p = 0; p < partitions; p++) {
    const mv = await table.createMvPartition(p);
    out.push({ mv, pk: table.createSortedIndex(p, PK) });
  }
  return out;
}

export function applyOps(node: StorageNode, part: Partition, rowIds: ReadonlyMap<number, RowId>, ops: readonly Op[], isLive: (key: number) => boolean): void {
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

export interface WorkloadOutcome {
  /** Rounds whose flush resolved: completed checkpoints. */
  readonly flushed: number;
  /** What the flush of round `flushed` rejected with (the crash), or null when every flush resolved. */
  readonly flushError: unknown;
}

/** Runs the plan's rounds: each partition's closure, then one flush (one checkpoint for all partitions). */
export async function runWorkload(node: StorageNode, plan: Plan): Promise<WorkloadOutcome> {
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
export function readPartition(part: Partition): { state: Map<number, string>; problems: string[] } {
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

export function sameState(a: State, b: State): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Which snapshot the state is (−1: none — a mix or garbage), and a short diff against the nearest allowed one. */
export function whichSnapshot(snapshots: readonly State[], state: State): number {
  return snapshots.findIndex((s) => sameState(s, state));
}

export function diff(expected: State, actual: State): string {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  const changed = [...expected.keys()].filter((k) => actual.has(k) && actual.get(k) !== expected.get(k));
  const some = (a: number[]) => `${a.length}${a.length > 0 ? ` (${a.slice(0, 5).join(', ')}${a.length > 5 ? ', …' : ''})` : ''}`;
  return `missing ${some(missing)}, extra ${some(extra)}, other value ${some(changed)}`;
}

// ---------------------------------------------------------------------------------------------- the disk

