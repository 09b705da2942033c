/**
 * Shared scenery of the table suites: a partition with a built sorted and hash index over a STRING key, rows
 * written both ways (addWrite + commitWrite, addWriteCommitted) with their index entries, presence checks, and
 * the lists of calls and cursors that lifecycle states must refuse.
 */
import { expect } from 'vitest';
import { MAX_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import type { Cursor, PeekCursor } from '../../../src/domain/storage/cursor';
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import { GREATER } from '../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../src/domain/storage/row-id';
import type {
  HashIndexStorage, IndexStorage, MvPartitionStorage, MvTableStorage, SortedIndexStorage,
} from '../../../src/domain/storage/storage-engine.api';
import { type ErrorClass, expectThrows } from '../support/expect-errors';
import { hashIndex, sortedIndex } from '../support/index-descriptors';
import { COMMIT_ZONE_ID } from '../support/mv-ops';
import { drain, newTxId, row, rowPicture } from '../support/rows';
import type { TestClock } from '../support/test-clock';

/** The partition the table suites work on; 0 on purpose (the MV suites use 5). */
export const P = 0;

export const SORTED = sortedIndex(['STRING'], { id: 11 });
export const HASH = hashIndex(['STRING'], { id: 12 });
export const PK = hashIndex([{ type: 'INT32', nullable: false }], { id: 13, primary: true });

export interface TestRow {
  readonly rowId: RowId;
  readonly row: BinaryRow;
  readonly key: string;
}

export interface Scene {
  readonly table: MvTableStorage;
  readonly partition: MvPartitionStorage;
  readonly sorted: SortedIndexStorage;
  readonly hash: HashIndexStorage;
}

/** Secondary indexes start "being built"; reads need nextRowIdToBuild = null. */
export function completeBuild(partition: MvPartitionStorage, ...indexes: IndexStorage[]): void {
  partition.runConsistently(() => indexes.forEach((i) => i.setNextRowIdToBuild(null)));
}

export async function createScene(table: MvTableStorage, partitionId = P): Promise<Scene> {
  const partition = await table.createMvPartition(partitionId);
  const sorted = table.createSortedIndex(partitionId, SORTED);
  const hash = table.createHashIndex(partitionId, HASH);
  completeBuild(partition, sorted, hash);
  return { table, partition, sorted, hash };
}

export function testRows(partitionId: number, count: number, prefix: string): TestRow[] {
  return Array.from({ length: count }, (_, i) => ({ rowId: RowId.random(partitionId), row: row(`${prefix}-${i}`), key: `${prefix}-key-${i}` }));
}

/** Writes each row committed (alternating commitWrite and addWriteCommitted) and puts it into the given indexes. */
export function fill(partition: MvPartitionStorage, indexes: readonly IndexStorage[], rows: readonly TestRow[], clock: TestClock): void {
  rows.forEach((r, i) => partition.runConsistently((locker) => {
    locker.lock(r.rowId);
    const ts = clock.now();
    if (i % 2 === 0) {
      const tx = newTxId();
      partition.addWrite(r.rowId, r.row, tx, COMMIT_ZONE_ID, r.rowId.partitionId);
      partition.commitWrite(r.rowId, ts, tx);
    } else {
      partition.addWriteCommitted(r.rowId, r.row, ts);
    }
    for (const index of indexes) index.put({ key: [r.key], rowId: r.rowId });
  }));
}

const versionsOf = (p: MvPartitionStorage, rowId: RowId) => p.runConsistently((l) => (l.lock(rowId), drain(p.scanVersions(rowId))));

export function expectPresent(partition: MvPartitionStorage | null, indexes: readonly IndexStorage[], rows: readonly TestRow[]): void {
  for (const r of rows) {
    if (partition !== null) expect(versionsOf(partition, r.rowId).map((v) => rowPicture(v.binaryRow)), `versions of ${r.key}`).toEqual([rowPicture(r.row)]);
    for (const index of indexes) expect(drain(index.get([r.key])).map(String), `index entries of ${r.key}`).toEqual([r.rowId.toString()]);
  }
}

export function expectMissing(partition: MvPartitionStorage | null, indexes: readonly IndexStorage[], rows: readonly TestRow[]): void {
  for (const r of rows) {
    if (partition !== null) expect(versionsOf(partition, r.rowId), `versions of ${r.key}`).toEqual([]);
    for (const index of indexes) expect(drain(index.get([r.key])), `index entries of ${r.key}`).toEqual([]);
  }
}

/** Every synchronous MvPartitionStorage call, with harmless arguments. */
export function partitionCalls(p: MvPartitionStorage, partitionId: number, clock: TestClock): Array<[string, () => unknown]> {
  const rowId = RowId.random(partitionId);
  const ts = clock.now();
  return [
    ['runConsistently', () => p.runConsistently(() => 1)],
    ['writeGate', () => p.writeGate()],
    ['read', () => p.read(rowId, ts)],
    ['addWrite', () => p.addWrite(rowId, row('x'), newTxId(), COMMIT_ZONE_ID, partitionId)],
    ['commitWrite', () => p.commitWrite(rowId, ts, newTxId())],
    ['abortWrite', () => p.abortWrite(rowId, newTxId())],
    ['addWriteCommitted', () => p.addWriteCommitted(rowId, row('x'), ts)],
    ['scan', () => p.scan(ts)],
    ['scanVersions', () => p.scanVersions(rowId)],
    ['closestRowId', () => p.closestRowId(rowId)],
    ['highestRowId', () => p.highestRowId()],
    ['estimatedSize', () => p.estimatedSize()],
    ['peek', () => p.peek(MAX_VALUE, 1)],
    ['vacuum', () => p.vacuum({ rowId, timestamp: ts })],
    ['lastAppliedIndex', () => p.lastAppliedIndex()],
    ['lastAppliedTerm', () => p.lastAppliedTerm()],
    ['lastApplied', () => p.lastApplied(1, 1)],
    ['committedGroupConfiguration()', () => p.committedGroupConfiguration()],
    ['committedGroupConfiguration(bytes)', () => p.committedGroupConfiguration(new Uint8Array([1]))],
  ];
}

/** Every IndexStorage call (and the sorted scans), with harmless arguments. */
export function indexCalls(index: IndexStorage, partitionId: number): Array<[string, () => unknown]> {
  const entry = { key: ['k'], rowId: RowId.random(partitionId) };
  const calls: Array<[string, () => unknown]> = [
    ['get', () => index.get(['k'])],
    ['put', () => index.put(entry)],
    ['remove', () => index.remove(entry)],
    ['getNextRowIdToBuild', () => index.getNextRowIdToBuild()],
    ['setNextRowIdToBuild', () => index.setNextRowIdToBuild(null)],
  ];
  if ('scan' in index) {
    const s = index as SortedIndexStorage;
    calls.push(['scan', () => s.scan(null, null, GREATER)], ['readOnlyScan', () => s.readOnlyScan(null, null, GREATER)],
      ['tolerantScan', () => s.tolerantScan(null, null, GREATER)]);
  }
  return calls;
}

/** One open cursor of every kind (or of the partition's, or of the indexes' kinds) over a filled scene. */
export function openCursors(scene: Scene, r: TestRow, clock: TestClock, kinds: 'all' | 'partition' | 'index' = 'all'): Array<[string, Cursor<unknown>]> {
  const { partition, sorted, hash } = scene;
  const out: Array<[string, Cursor<unknown>]> = [];
  if (kinds !== 'index') {
    out.push(['scan(now)', partition.scan(clock.now())], ['scan(MAX)', partition.scan(MAX_VALUE)],
      ['scanVersions', partition.runConsistently((l) => (l.lock(r.rowId), partition.scanVersions(r.rowId)))]);
  }
  if (kinds !== 'partition') {
    out.push(['hash get', hash.get([r.key])], ['sorted get', sorted.get([r.key])], ['sorted scan', sorted.scan(null, null, GREATER)],
      ['sorted readOnlyScan', sorted.readOnlyScan(null, null, GREATER)], ['sorted tolerantScan', sorted.tolerantScan(null, null, GREATER)]);
  }
  return out;
}

/** Cursors opened before a transition refuse hasNext/next/peek with `cls`; close() still works. */
export function expectCursorsRefuse(cursors: Array<[string, Cursor<unknown>]>, cls: ErrorClass, code?: string): void {
  for (const [name, cursor] of cursors) {
    expectThrows(() => cursor.hasNext(), cls, code, `${name}: hasNext`);
    expectThrows(() => cursor.next(), cls, code, `${name}: next`);
    if ('peek' in cursor) expectThrows(() => (cursor as PeekCursor<unknown>).peek(), cls, code, `${name}: peek`);
    expect(() => cursor.close(), `${name}: close`).not.toThrow();
  }
}

export function expectCallsRefuse(calls: Array<[string, () => unknown]>, cls: ErrorClass, code?: string): void {
  for (const [name, call] of calls) expectThrows(call, cls, code, name);
}
