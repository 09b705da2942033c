/**
 * Lifecycle of the page-based index storages through the partition protocol (partition-context.ts), on the test
 * harness at 1 KiB and 16 KiB pages: destroying one index gives back every page it used (tree pages and overflow
 * rows) and refuses it afterwards, cursors included; a clear and a rebalance empty the indexes, reset
 * nextRowIdToBuild and end every cursor opened before for good; index mutations are recorded for the delta log
 * only when they change something.
 */
import { KeyEncoder } from '../../../../../src/domain/index/key-codec';
import { hashKeyPlan } from '../../../../../src/domain/index/key-hash';
import type { KeyColumn } from '../../../../../src/domain/index/column-values';
import { rowIdBytes } from '../../../../../src/domain/partition/partition.events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PageSortedIndexStorage } from '../../../../../src/application/engine/mv/page-sorted-index-storage';
import {
  IndexNotBuiltError, StorageClosedError, StorageDestroyedError, StorageError, StorageRebalanceError,
} from '../../../../../src/domain/shared/errors';
import type { Cursor } from '../../../../../src/domain/storage/cursor';
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../../../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../../../src/domain/storage/row-id';
import type { IndexStorage, MvPartitionStorage } from '../../../../../src/domain/storage/storage-engine.api';
import { type HarnessTable, PageIndexHarnessEngine } from '../../../../support/page-index-harness';

const P = 2;
const SORTED: SortedIndexDescriptor = { id: 1, columns: [{ name: 's', type: 'STRING', nullable: true, asc: true }, { name: 'i', type: 'INT32', nullable: true, asc: false }] };
const HASH: HashIndexDescriptor = { id: 2, columns: [{ name: 's', type: 'STRING', nullable: true }] };
const OTHER: SortedIndexDescriptor = { id: 3, columns: [{ name: 's', type: 'STRING', nullable: true, asc: true }] };

const errorOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return null;
};

describe.each([1024, 16384])('page index storages: lifecycle at %i-byte pages', (pageSize) => {
  let engine: PageIndexHarnessEngine;
  let table: HarnessTable;
  let partition: MvPartitionStorage;
  const long = (n: number) => `${'L'.repeat(pageSize + 100)}-${n}`;

  beforeEach(async () => {
    engine = new PageIndexHarnessEngine(pageSize);
    table = engine.createMvTable({ tableId: 9, partitions: 4, storageProfile: 'x' }) as HarnessTable;
    partition = await table.createMvPartition(P);
  });

  afterEach(async () => {
    await engine.close();
  });

  const built = <T extends IndexStorage>(index: T): T => (partition.runConsistently(() => index.setNextRowIdToBuild(null)), index);
  const fill = (sorted: IndexStorage, hash: IndexStorage, n: number): RowId[] => partition.runConsistently(() => Array.from({ length: n }, (_, i) => {
    const rowId = RowId.random(P);
    const s = i % 3 === 0 ? long(i) : `short-${i}`;
    sorted.put({ key: [s, i], rowId });
    hash.put({ key: [s], rowId });
    return rowId;
  }));
  const cursorsOf = (sorted: PageSortedIndexStorage, hash: IndexStorage): Array<Cursor<unknown>> => [
    sorted.scan(null, null, 0), sorted.tolerantScan(null, null, 0), sorted.readOnlyScan(null, null, 0), sorted.get(['short-1', 1]), hash.get(['short-1']),
  ];
  const expectCursorsRefuse = (cursors: Array<Cursor<unknown>>, cls: new (...a: never[]) => Error, code?: string) => {
    for (const c of cursors) {
      for (const call of [() => c.hasNext(), () => c.next()]) {
        const e = errorOf(call);
        expect(e).toBeInstanceOf(cls);
        if (code !== undefined) expect((e as StorageError).code).toBe(code);
      }
      c.close();
    }
  };
  const slot = () => table.slots[P]!;
  const allocated = () => (slot().ctx.freeList.releaseReusePages(), engine.memory.stats().allocatedPages);

  it('destroyIndex gives back every page of the index, overflow rows included, and refuses the index afterwards', async () => {
    const other = built(table.createSortedIndex(P, OTHER));
    partition.runConsistently(() => {
      for (let i = 0; i < 30; i++) other.put({ key: [long(i)], rowId: RowId.random(P) });
    });
    const before = allocated();
    const sorted = built(table.createSortedIndex(P, SORTED)) as PageSortedIndexStorage;
    const hash = built(table.createHashIndex(P, HASH));
    fill(sorted, hash, 120);
    expect(allocated()).toBeGreaterThan(before + 4);
    const cursors = cursorsOf(sorted, hash);
    cursors[0]!.hasNext();
    await table.destroyIndex(SORTED.id);
    await table.destroyIndex(HASH.id);
    expect(allocated()).toBe(before);
    expectCursorsRefuse(cursors, StorageDestroyedError);
    for (const index of [sorted, hash]) {
      for (const call of [() => index.get(['a', 1]), () => index.put({ key: ['a', 1], rowId: RowId.random(P) }), () => index.getNextRowIdToBuild()]) {
        expect(errorOf(call)).toBeInstanceOf(StorageDestroyedError);
      }
    }
    expect(errorOf(() => sorted.scan(null, null, 0))).toBeInstanceOf(StorageDestroyedError);
    expect([...other.scan(null, null, 0)]).toHaveLength(30);
  });

  it('a clear empties the indexes, resets nextRowIdToBuild, ends older cursors for good and keeps only empty trees', async () => {
    const sorted = built(table.createSortedIndex(P, SORTED)) as PageSortedIndexStorage;
    const hash = built(table.createHashIndex(P, HASH));
    const rowIds = fill(sorted, hash, 60);
    const cursors = cursorsOf(sorted, hash);
    await table.clearPartition(P);
    expectCursorsRefuse(cursors, StorageError, 'STORAGE_CLEANUP');
    expect([sorted.getNextRowIdToBuild()?.toString(), hash.getNextRowIdToBuild()?.toString()]).toEqual([RowId.lowest(P).toString(), RowId.lowest(P).toString()]);
    expect(errorOf(() => sorted.get(['short-1', 1]))).toBeInstanceOf(IndexNotBuiltError);
    built(sorted);
    built(hash);
    expect([...sorted.scan(null, null, 0)]).toEqual([]);
    expect([...hash.get([long(0)])]).toEqual([]);
    // A meta page and a root leaf per index; the partition's own: its meta page, the free list's meta pages and the
    // index meta tree (a meta page and a root leaf).
    expect(allocated()).toBe(4 + 1 + slot().ctx.freeList.metaPageCount + 2);
    expect(sorted.indexTree!.size()).toBe(0);
    partition.runConsistently(() => sorted.put({ key: ['again', 1], rowId: rowIds[0]! }));
    expect([...sorted.get(['again', 1])].map(String)).toEqual([rowIds[0]!.toString()]);
  });

  it('during a rebalance only put is allowed (StorageRebalanceError wins over IndexNotBuiltError); older cursors stay refused after it', async () => {
    const sorted = built(table.createSortedIndex(P, SORTED)) as PageSortedIndexStorage;
    const hash = table.createHashIndex(P, HASH);
    fill(sorted, hash, 10);
    const cursors = cursorsOf(sorted, built(hash));
    partition.runConsistently(() => hash.setNextRowIdToBuild(RowId.lowest(P)));
    await table.startRebalancePartition(P);
    const rowId = RowId.random(P);
    partition.runConsistently(() => {
      sorted.put({ key: [long(1), 1], rowId });
      hash.put({ key: [long(1)], rowId });
    });
    for (const call of [() => hash.get(['x']), () => sorted.scan(null, null, 0), () => sorted.remove({ key: ['x', 1], rowId }), () => sorted.getNextRowIdToBuild()]) {
      expect(errorOf(call)).toBeInstanceOf(StorageRebalanceError);
    }
    await table.finishRebalancePartition(P);
    expectCursorsRefuse(cursors, StorageRebalanceError);
    expect(sorted.getNextRowIdToBuild()?.toString()).toBe(RowId.lowest(P).toString());
    built(sorted);
    built(hash);
    expect([...sorted.scan(null, null, 0)].map((r) => r.rowId.toString())).toEqual([rowId.toString()]);
    expect([...hash.get([long(1)])].map(String)).toEqual([rowId.toString()]);
    await table.startRebalancePartition(P);
    await table.abortRebalancePartition(P);
    built(sorted);
    expect([...sorted.scan(null, null, 0)]).toEqual([]);
  });

  it('closing the table ends cursors with StorageClosedError and frees the pages', async () => {
    const sorted = built(table.createSortedIndex(P, SORTED)) as PageSortedIndexStorage;
    const hash = built(table.createHashIndex(P, HASH));
    fill(sorted, hash, 40);
    const cursors = cursorsOf(sorted, hash);
    await table.close();
    expectCursorsRefuse(cursors, StorageClosedError);
    expect(errorOf(() => sorted.put({ key: ['a', 1], rowId: RowId.random(P) }))).toBeInstanceOf(StorageClosedError);
    expect(engine.memory.stats().allocatedPages).toBe(0);
  });

  it('records index mutations that change something, with the keys as encoded bytes', () => {
    const sorted = built(table.createSortedIndex(P, SORTED));
    const hash = built(table.createHashIndex(P, HASH));
    const rowId = RowId.random(P);
    const key: unknown[] = ['k', 1];
    partition.runConsistently(() => {
      sorted.put({ key, rowId });
      sorted.put({ key, rowId });
      hash.put({ key: ['k'], rowId });
      sorted.remove({ key: ['absent', 1], rowId });
      hash.remove({ key: ['k'], rowId });
    });
    key[0] = 'changed';
    const batch = engine.log.batches.at(-1)!;
    expect(batch.map((m) => m.type)).toEqual(['index.entryPut', 'index.entryPut', 'index.entryRemoved']);
    const encoded = (columns: readonly KeyColumn[], values: unknown[]): number[] => {
      const e = new KeyEncoder(columns);
      return Array.from(e.buffer.subarray(0, e.encodeFull(values)));
    };
    const encodedHash = (values: unknown[]): number[] => {
      const e = new KeyEncoder(hashKeyPlan(HASH.columns));
      return Array.from(e.buffer.subarray(0, e.encodeFull(values)));
    };
    const entries = batch.map((m) => (m.type === 'index.entryPut' || m.type === 'index.entryRemoved' ? [m.indexId, Array.from(m.key), Array.from(m.rowId)] : null));
    const id = Array.from(rowIdBytes(rowId));
    expect(entries).toEqual([
      [SORTED.id, encoded(SORTED.columns, ['k', 1]), id], [HASH.id, encodedHash(['k']), id],
      [HASH.id, encodedHash(['k']), id],
    ]);
  });
});
