/**
 * The calls of the public-API fuzz test: every method of the SPI (engine, table, partition, indexes, cursors,
 * locker) and the value helpers of the public entry, each taking its arguments from `Picks` (valid values mostly,
 * garbage sometimes) and its receiver from the handles seen so far — stale ones (of closed, destroyed or re-created
 * storages) included. Writes run inside a runConsistently closure of their partition most of the time, sometimes
 * in another partition's closure, nested, or outside any closure.
 */
import {
  HybridClock, hybridTimestamp, logicalOf, physicalOf, RowId, streamsOf,
  type GcEntry, type IndexStorage, type Locker, type MvPartitionStorage, type MvTableStorage, type SortedIndexStorage,
  type StorageEngine, type StorageNode,
} from '../../../src/interfaces/api/index';
import {
  APPLIED, BAD_DESCRIPTORS, BAD_KEYS, BAD_ROWS, BOUNDS, COUNTS, FLAGS, GROUP_CONFIGS, HASH_INDEX, INDEX_IDS, KEYS, NAMES,
  NODE_IDS, PARTITIONS, Picks, ROW_IDS, ROWS, SORTED_INDEX, TIMESTAMPS, TX_IDS,
} from './fuzz-values';
import { drain } from './fuzz-snapshot';

export interface FuzzWorld {
  readonly node: StorageNode;
  readonly engine: StorageEngine;
  readonly table: MvTableStorage;
  readonly tableId: number;
  /** Tables a fuzzed createMvTable created (destroyed at the end of the run). */
  readonly otherTables: MvTableStorage[];
  /** Every partition and index handle seen, stale ones included. */
  readonly partitions: MvPartitionStorage[];
  readonly indexes: IndexStorage[];
  /** GC entries seen by peek (vacuum's valid arguments). */
  readonly gc: GcEntry[];
  freshTableId(): number;
}

type Call = (w: FuzzWorld, a: Picks) => unknown;

const any = <T>(v: unknown): T => v as T;
const ts = (a: Picks): bigint => any(a.value(TIMESTAMPS, [0n, -1n, 2n ** 63n]));
const rowId = (a: Picks): RowId => any(a.value(ROW_IDS));
const txId = (a: Picks): string => any(a.value(TX_IDS, ['not-a-uuid', TX_IDS[0]!.toUpperCase()]));
const partitionId = (a: Picks): number => any(a.value([0, 1, 0, 1, PARTITIONS]));
const indexRow = (a: Picks): unknown => (a.chance(1) ? a.value([]) : { key: a.value(KEYS, BAD_KEYS), rowId: rowId(a) });

function partition(w: FuzzWorld, a: Picks): MvPartitionStorage | null {
  return w.partitions.length === 0 ? null : a.one(w.partitions);
}

function sortedIndex(w: FuzzWorld, a: Picks): SortedIndexStorage | null {
  const sorted = w.indexes.filter((i): i is SortedIndexStorage => typeof (i as Partial<SortedIndexStorage>).scan === 'function');
  return sorted.length === 0 ? null : a.one(sorted);
}

/** Runs `fn` the way the picks say: in a closure of `p` (mostly), of another partition, nested, or outside any. */
function write(w: FuzzWorld, a: Picks, p: MvPartitionStorage, fn: (locker: Locker) => unknown): unknown {
  const mode = a.next() % 10;
  if (mode < 7) return p.runConsistently((locker) => fn(locker));
  if (mode === 7) return partition(w, a)!.runConsistently((locker) => fn(locker));
  if (mode === 8) return p.runConsistently(() => p.runConsistently((locker) => fn(locker)));
  return fn(any<Locker>(null));
}

/** A call on a partition handle (skipped while there is none). */
const onPartition = (call: (p: MvPartitionStorage, a: Picks, w: FuzzWorld) => unknown): Call => (w, a) => {
  const p = partition(w, a);
  return p === null ? undefined : call(p, a, w);
};

/** A write on a partition handle, run by `write`. */
const writing = (call: (p: MvPartitionStorage, a: Picks, locker: Locker) => unknown): Call => onPartition((p, a, w) => write(w, a, p, (l) => call(p, a, l)));

/** A call on an index handle; writes run by `write` in a closure of the index's partition (or not). */
const onIndex = (call: (index: IndexStorage, a: Picks) => unknown, writes: boolean): Call => (w, a) => {
  if (w.indexes.length === 0) return undefined;
  const index = a.one(w.indexes);
  const p = partition(w, a);
  return writes && p !== null ? write(w, a, p, () => call(index, a)) : call(index, a);
};

const TABLE_CALLS: Record<string, Call> = {
  createMvTable: (w, a) => {
    const t = w.engine.createMvTable(any(a.value([
      { tableId: w.tableId, partitions: PARTITIONS, storageProfile: 'p' }, { tableId: w.freshTableId(), partitions: 1, storageProfile: 'p' },
      { tableId: w.freshTableId(), partitions: 1, storageProfile: 'nope' },
    ], [{ tableId: 1.5, partitions: 1, storageProfile: 'p' }, { tableId: 9, partitions: 0, storageProfile: 'p' }, { tableId: 9 }])));
    w.otherTables.push(t);
  },
  destroyMvTable: (w, a) => w.engine.destroyMvTable(any(a.value([999_999]))),
  createMvPartition: async (w, a) => w.partitions.push(await w.table.createMvPartition(partitionId(a))),
  getMvPartition: (w, a) => w.table.getMvPartition(partitionId(a)),
  destroyPartition: (w, a) => w.table.destroyPartition(partitionId(a)),
  clearPartition: (w, a) => w.table.clearPartition(partitionId(a)),
  createSortedIndex: (w, a) => w.indexes.push(w.table.createSortedIndex(partitionId(a), any(a.value([SORTED_INDEX], BAD_DESCRIPTORS)))),
  createHashIndex: (w, a) => w.indexes.push(w.table.createHashIndex(partitionId(a), any(a.value([HASH_INDEX], BAD_DESCRIPTORS)))),
  getIndex: (w, a) => w.table.getIndex(partitionId(a), any(a.value(INDEX_IDS))),
  destroyIndex: (w, a) => w.table.destroyIndex(any(a.value(INDEX_IDS))),
  startRebalance: (w, a) => w.table.startRebalancePartition(partitionId(a)),
  abortRebalance: (w, a) => w.table.abortRebalancePartition(partitionId(a)),
  finishRebalance: (w, a) => w.table.finishRebalancePartition(partitionId(a), any(a.value(
    [{ lastAppliedIndex: 7, lastAppliedTerm: 2, groupConfig: new Uint8Array([5]) }],
    [{ lastAppliedIndex: 'a', lastAppliedTerm: 1, groupConfig: new Uint8Array(1) }, { lastAppliedIndex: 1, lastAppliedTerm: 1, groupConfig: 'x' },
      { lastAppliedIndex: 1, lastAppliedTerm: 1.5, groupConfig: new Uint8Array(1) }, { lastAppliedIndex: 1 }]))),
};

const PARTITION_CALLS: Record<string, Call> = {
  runConsistently: onPartition((p, a) => p.runConsistently(any(a.value([() => 1, (l: Locker) => l.isLocked(ROW_IDS[0]!)])))),
  addWrite: writing((p, a) => p.addWrite(rowId(a), any(a.value(ROWS, BAD_ROWS)), txId(a), any(a.value([1, 0, -3])), any(a.value([0, 1, 7])))),
  commitWrite: writing((p, a) => p.commitWrite(rowId(a), ts(a), txId(a))),
  abortWrite: writing((p, a) => p.abortWrite(rowId(a), txId(a))),
  addWriteCommitted: writing((p, a) => p.addWriteCommitted(rowId(a), any(a.value(ROWS, BAD_ROWS)), ts(a))),
  read: onPartition((p, a) => p.read(rowId(a), ts(a))),
  scan: onPartition((p, a) => {
    const cursor = p.scan(ts(a));
    if (a.chance(3)) cursor.committed(ts(a));
    const rows = drain(cursor, 1 + (a.next() % 3));
    return a.chance(5) ? cursor.committed(ts(a)) : rows;
  }),
  scanVersions: onPartition((p, a) => drain(p.scanVersions(rowId(a)))),
  closestRowId: onPartition((p, a) => p.closestRowId(rowId(a))),
  highestRowId: onPartition((p) => [p.highestRowId(), p.estimatedSize()]),
  peek: onPartition((p, a, w) => w.gc.push(...p.peek(ts(a), any(a.value(COUNTS))))),
  vacuum: writing((p, a) => p.vacuum(any(a.value([...ROW_IDS.map((r) => ({ rowId: r, timestamp: 20n }))], [{ rowId: ROW_IDS[1], timestamp: 'x' }])))),
  vacuumPeeked: onPartition((p, a, w) => (w.gc.length === 0 ? undefined : write(w, a, p, () => p.vacuum(a.one(w.gc))))),
  lastApplied: writing((p, a) => p.lastApplied(any(a.value(APPLIED)), any(a.value(APPLIED)))),
  meta: onPartition((p) => [p.lastAppliedIndex(), p.lastAppliedTerm(), p.committedGroupConfiguration(), p.leaseStartTime()]),
  groupConfig: writing((p, a) => p.committedGroupConfiguration(any(a.value(GROUP_CONFIGS)))),
  updateLease: writing((p, a) => p.updateLease(ts(a), any(a.value(NODE_IDS)), any(a.value(NAMES)))),
  flush: onPartition((p, a) => p.flush(any(a.value([undefined, true, false])))),
  locker: writing((_p, a, l) => (l === null ? undefined : a.one([() => l.lock(rowId(a)), () => l.tryLock(rowId(a)), () => l.isLocked(rowId(a))])())),
  closePartition: onPartition((p, a) => (a.chance(2) ? p.close() : undefined)),
};

const INDEX_CALLS: Record<string, Call> = {
  put: onIndex((i, a) => i.put(any(indexRow(a))), true),
  remove: onIndex((i, a) => i.remove(any(indexRow(a))), true),
  get: onIndex((i, a) => drain(i.get(any(a.value(KEYS, BAD_KEYS)))), false),
  setNextRowIdToBuild: onIndex((i, a) => i.setNextRowIdToBuild(any(a.value([null, null, ...ROW_IDS]))), true),
  getNextRowIdToBuild: onIndex((i) => i.getNextRowIdToBuild(), false),
  scan: (w, a) => {
    const index = sortedIndex(w, a);
    if (index === null) return undefined;
    const args = [any<unknown[]>(a.value(BOUNDS, BAD_KEYS)), any<unknown[]>(a.value(BOUNDS, BAD_KEYS)), any<number>(a.value(FLAGS))] as const;
    const kind = a.next() % 3;
    if (kind === 2) return drain(index.readOnlyScan(...args));
    const cursor = kind === 0 ? index.scan(...args) : index.tolerantScan(...args);
    return a.chance(5) ? [cursor.peek(), drain(cursor)] : drain(cursor);
  },
};

const RARE_CALLS: Record<string, Call> = {
  closeTable: (w, a) => (a.chance(1) ? w.table.close() : undefined),
  destroyTable: (w, a) => (a.chance(1) ? w.table.destroy() : undefined),
};

const VALUE_CALLS: Record<string, Call> = {
  hybridTimestamp: (_w, a) => hybridTimestamp(any(a.value([0, 1000, 2 ** 47 - 1])), any(a.value([0, 1, 65535]))),
  timestampParts: (_w, a) => a.one([physicalOf, logicalOf, (t: bigint) => new HybridClock(() => 0).update(t)])(ts(a)),
  newRowId: (_w, a) => new RowId(any(a.value([0, 1, 65535])), any(a.value([0n, -1n, 2n ** 63n - 1n])), any(a.value([5n, -(2n ** 63n)]))),
  streamsOf: (w, a) => streamsOf(any(a.value(w.partitions))),
  rowIdFactories: (_w, a) => a.one([RowId.random, RowId.lowest, RowId.highest])(any(a.value([0, 1, 65535]))),
  node: (w, a) => a.one([
    () => w.node.engine(any(a.value(['aimem', 'aipersist']))), () => w.node.region(any(a.value(['p', 'nope']))),
    () => w.node.config.show(any(a.value([undefined, 'ignite.storage.profiles', 'no.such.key']))),
    () => w.node.config.update(any(a.value(['ignite.storage.profiles:{', 'ignite.storage.engines.aimem.pageSizeBytes=3000']))),
    // Never the fuzzed tables' profile 'p': removing it (once they are closed) would be a legitimate change.
    () => w.node.config.remove(any(a.value(['nope', 'default']))),
  ])(),
};

/** Every call, each listed as often as its weight (table- and value-level calls once, the rest twice). */
export const CALLS: ReadonlyArray<readonly [string, Call]> = [
  ...Object.entries(TABLE_CALLS),
  ...[...Object.entries(PARTITION_CALLS), ...Object.entries(INDEX_CALLS)].flatMap((c) => [c, c]),
  ...Object.entries(RARE_CALLS),
  ...Object.entries(VALUE_CALLS),
];
