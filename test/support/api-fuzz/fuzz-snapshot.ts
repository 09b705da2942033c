/**
 * The observable state of a table for the public-API fuzz test, as a string: per partition its existence, meta
 * (lastApplied, group configuration, lease), estimated size, highest RowId, GC queue, every row with all its
 * versions, and per index its build state and entries. Reads that are refused (closed, rebalancing, not built) are
 * part of the state as their error code; an untyped error while reading is a defect and is thrown.
 */
import {
  AistorageError, MAX_VALUE,
  type Cursor, type HashIndexStorage, type IndexStorage, type MvPartitionStorage, type MvTableStorage, type SortedIndexStorage,
} from '../../../src/interfaces/api/index';
import { INDEX_IDS, KEYS, PARTITIONS, ROW_IDS } from './fuzz-values';

/** A stable text of any value the SPI returns (bigints, bytes, RowIds, results, arrays, plain objects). */
export function show(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `<${Buffer.from(v).toString('hex')}>`;
  if (Array.isArray(v)) return `[${v.map(show).join(',')}]`;
  if (typeof v === 'object' && typeof (v as { uuid?: unknown }).uuid === 'function') return String(v);
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}:${show(x)}`).join(',')}}`;
  return typeof v;
}

/** The result of a read, or `!CODE` when it is refused with a typed error. */
function observe(read: () => unknown): string {
  try {
    return show(read());
  } catch (e) {
    if (e instanceof AistorageError) return `!${e.code}`;
    throw e;
  }
}

/** Every element of a cursor (closed afterwards). */
export function drain<T>(cursor: Cursor<T>, limit = 10_000): T[] {
  const out: T[] = [];
  try {
    while (out.length < limit && cursor.hasNext()) out.push(cursor.next());
  } finally {
    cursor.close();
  }
  return out;
}

function isSorted(index: IndexStorage): index is SortedIndexStorage {
  return typeof (index as Partial<SortedIndexStorage>).tolerantScan === 'function';
}

function indexState(index: IndexStorage): string[] {
  const out = [observe(() => index.getNextRowIdToBuild())];
  if (isSorted(index)) {
    out.push(observe(() => drain(index.tolerantScan(null, null, 3))));
  } else {
    for (const key of KEYS) out.push(observe(() => drain((index as HashIndexStorage).get(key as unknown[])).map(String).sort()));
  }
  return out;
}

function partitionState(p: MvPartitionStorage, partitionId: number): string[] {
  const out = [
    observe(() => [p.lastAppliedIndex(), p.lastAppliedTerm(), p.committedGroupConfiguration()]),
    observe(() => [p.leaseStartTime(), p.primaryReplicaNodeId(), p.primaryReplicaNodeName()]),
    observe(() => p.estimatedSize()),
    observe(() => p.highestRowId()),
    observe(() => p.peek(MAX_VALUE, 1_000)),
    observe(() => drain(p.scan(MAX_VALUE))),
  ];
  for (const rowId of ROW_IDS) {
    if (rowId.partitionId === partitionId) out.push(observe(() => drain(p.scanVersions(rowId))));
  }
  return out;
}

/** The value of a read, or null when it is refused with a typed error (recorded by `observe` in the snapshot). */
function attempt<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch (e) {
    if (e instanceof AistorageError) return null;
    throw e;
  }
}

/** The observable state of `table` (see the file comment). */
export function snapshot(table: MvTableStorage): string {
  const out: string[] = [];
  for (let pid = 0; pid < PARTITIONS; pid++) {
    out.push(observe(() => table.getMvPartition(pid) !== null));
    const partition = attempt(() => table.getMvPartition(pid));
    if (partition === null) continue;
    out.push(...partitionState(partition, pid));
    for (const id of INDEX_IDS) {
      out.push(observe(() => table.getIndex(pid, id) !== null));
      const index = attempt(() => table.getIndex(pid, id));
      if (index !== null) out.push(...indexState(index));
    }
  }
  return out.join('\n');
}
