/**
 * Indexes of a table: create / get / destroy per partition, and "next RowId to build": null for a primary index,
 * RowId.lowest(p) for the others at creation, and back to that initial value after a finished rebalance, a clear,
 * or a re-creation of the partition or the table (DESIGN.md §6.1).
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError, StorageDestroyedError, StorageError,
} from '../../../src/domain/shared/errors';
import { RowId } from '../../../src/domain/storage/row-id';
import type { IndexStorage, MvPartitionStorage, MvTableStorage } from '../../../src/domain/storage/storage-engine.api';
import type { EngineFixture } from '../support/engine-fixture';
import { TABLE_PARTITIONS } from '../support/engine-fixture';
import { expectThrows } from '../support/expect-errors';
import { sortedIndex } from '../support/index-descriptors';
import { drain } from '../support/rows';
import { TestClock } from '../support/test-clock';
import {
  completeBuild, createScene, expectCallsRefuse, expectCursorsRefuse, expectMissing, expectPresent, fill, HASH, indexCalls,
  openCursors, P, PK, SORTED, testRows,
} from './table-helpers';

const PK_SORTED = sortedIndex([{ type: 'INT64', nullable: false }], { id: 14, primary: true });

function createAll(table: MvTableStorage, p: number): IndexStorage[] {
  return [table.createSortedIndex(p, SORTED), table.createHashIndex(p, HASH), table.createHashIndex(p, PK), table.createSortedIndex(p, PK_SORTED)];
}

const initial = (p: number) => [RowId.lowest(p).toString(), RowId.lowest(p).toString(), null, null];
const nextToBuild = (indexes: IndexStorage[]) => indexes.map((i) => i.getNextRowIdToBuild()?.toString() ?? null);

export function describeIndexLifecycleCases(fx: EngineFixture): void {
  const clock = new TestClock();

  describe('indexes: create, get, destroy', () => {
    it('getIndex returns the index created; creating it again returns the same object', async () => {
      const table = fx.table();
      await table.createMvPartition(P);
      const sorted = table.createSortedIndex(P, SORTED);
      const hash = table.createHashIndex(P, HASH);
      expect(table.getIndex(P, SORTED.id)).toBe(sorted);
      expect(table.getIndex(P, HASH.id)).toBe(hash);
      expect(table.createSortedIndex(P, SORTED)).toBe(sorted);
      expect(table.createHashIndex(P, HASH)).toBe(hash);
      expect([sorted.descriptor, hash.descriptor]).toEqual([SORTED, HASH]);
    });

    it('getIndex is null for an unknown id and for a partition the index was not created in', async () => {
      const table = fx.table();
      await table.createMvPartition(P);
      await table.createMvPartition(P + 1);
      table.createSortedIndex(P, SORTED);
      expect(table.getIndex(P, 999_999)).toBeNull();
      expect(table.getIndex(P + 1, SORTED.id)).toBeNull();
      expect(table.getIndex(P + 2, SORTED.id)).toBeNull();
    });

    it('creating an index in an absent partition throws StorageError PARTITION_NOT_FOUND; out of range, InvalidArgumentError', async () => {
      const table = fx.table();
      expectThrows(() => table.createSortedIndex(P, SORTED), StorageError, 'PARTITION_NOT_FOUND');
      expectThrows(() => table.createHashIndex(P, HASH), StorageError, 'PARTITION_NOT_FOUND');
      expectThrows(() => table.createSortedIndex(TABLE_PARTITIONS, SORTED), InvalidArgumentError);
      expectThrows(() => table.createHashIndex(-1, HASH), InvalidArgumentError);
    });

    it('destroyIndex destroys the index in every partition, cursors opened before included', async () => {
      const table = fx.table();
      const scenes = [await createScene(table, P), await createScene(table, P + 3)];
      const rows = testRows(P, 2, 'di');
      fill(scenes[0]!.partition, [scenes[0]!.sorted, scenes[0]!.hash], rows, clock);
      const cursors = openCursors(scenes[0]!, rows[0]!, clock, 'index');
      await table.destroyIndex(SORTED.id);
      await table.destroyIndex(HASH.id);
      for (const [i, s] of scenes.entries()) {
        const p = i === 0 ? P : P + 3;
        expect([table.getIndex(p, SORTED.id), table.getIndex(p, HASH.id)]).toEqual([null, null]);
        expectCallsRefuse([...indexCalls(s.sorted, p), ...indexCalls(s.hash, p)], StorageDestroyedError);
      }
      expectCursorsRefuse(cursors, StorageDestroyedError);
      expectPresent(scenes[0]!.partition, [], rows);
    });

    it('an index created again after destroyIndex is a new, empty object', async () => {
      const scene = await createScene(fx.table());
      const rows = testRows(P, 3, 'again');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      await scene.table.destroyIndex(SORTED.id);
      await scene.table.destroyIndex(HASH.id);
      const sorted = scene.table.createSortedIndex(P, SORTED);
      const hash = scene.table.createHashIndex(P, HASH);
      expect(sorted).not.toBe(scene.sorted);
      completeBuild(scene.partition, sorted, hash);
      expectMissing(null, [sorted, hash], rows);
    });

    it('destroying one index leaves the other indexes alone', async () => {
      const scene = await createScene(fx.table());
      const twin = scene.table.createSortedIndex(P, { ...SORTED, id: 21 });
      const hashTwin = scene.table.createHashIndex(P, { ...HASH, id: 22 });
      completeBuild(scene.partition, twin, hashTwin);
      const rows = testRows(P, 3, 'alone');
      fill(scene.partition, [scene.sorted, scene.hash, twin, hashTwin], rows, clock);
      await scene.table.destroyIndex(SORTED.id);
      await scene.table.destroyIndex(HASH.id);
      expectPresent(null, [twin, hashTwin], rows);
      expect(drain(twin.scan(null, null, 0))).toHaveLength(3);
    });

    it('destroyIndex of an unknown id resolves', async () => {
      const table = fx.table();
      await table.createMvPartition(P);
      await expect(table.destroyIndex(123_456)).resolves.toBeUndefined();
    });
  });

  describe('indexes: next RowId to build', () => {
    it('starts at RowId.lowest(p) for secondary indexes and null for primary ones, and reads back what is set', async () => {
      const table = fx.table();
      const partition = await table.createMvPartition(P);
      const indexes = createAll(table, P);
      expect(nextToBuild(indexes)).toEqual(initial(P));
      const set = indexes.map(() => RowId.random(P));
      partition.runConsistently(() => indexes.forEach((i, n) => i.setNextRowIdToBuild(set[n]!)));
      expect(nextToBuild(indexes)).toEqual(set.map(String));
      partition.runConsistently(() => indexes.forEach((i) => i.setNextRowIdToBuild(null)));
      expect(nextToBuild(indexes)).toEqual([null, null, null, null]);
    });

    it('setNextRowIdToBuild refuses a RowId of another partition', async () => {
      const table = fx.table();
      const partition = await table.createMvPartition(P);
      const sorted = table.createSortedIndex(P, SORTED);
      expectThrows(() => partition.runConsistently(() => sorted.setNextRowIdToBuild(RowId.random(P + 1))), InvalidArgumentError);
    });

    const resets: Array<[string, (table: MvTableStorage) => Promise<MvTableStorage>]> = [
      ['a finished rebalance', async (t) => {
        await t.startRebalancePartition(P);
        await t.finishRebalancePartition(P, { lastAppliedIndex: 100, lastAppliedTerm: 500, groupConfig: new Uint8Array(0) });
        return t;
      }],
      ['a clear', async (t) => (await t.clearPartition(P), t)],
      ['re-creating the partition', async (t) => (await t.destroyPartition(P), await t.createMvPartition(P), t)],
      ['re-creating the table', async (t) => {
        await t.destroy();
        const again = fx.table({ tableId: t.tableId });
        await again.createMvPartition(P);
        return again;
      }],
    ];

    it.each(resets)('returns to its initial value after %s, and can be set again', async (_, operation) => {
      const table = fx.table();
      let partition: MvPartitionStorage = await table.createMvPartition(P);
      const indexes = createAll(table, P);
      partition.runConsistently(() => indexes.forEach((i) => i.setNextRowIdToBuild(RowId.random(P))));
      await partition.flush();
      const after = await operation(table);
      partition = after.getMvPartition(P)!;
      const recreated = createAll(after, P);
      expect(nextToBuild(recreated)).toEqual(initial(P));
      const set = recreated.map(() => RowId.random(P));
      partition.runConsistently(() => recreated.forEach((i, n) => i.setNextRowIdToBuild(set[n]!)));
      expect(nextToBuild(recreated)).toEqual(set.map(String));
    });

    it('survives a restart on a persistent engine; starts over on a volatile one', async () => {
      const table = fx.table({ tableId: 31 });
      const partition = await table.createMvPartition(P);
      const indexes = createAll(table, P);
      const set = indexes.map(() => RowId.random(P));
      partition.runConsistently(() => indexes.forEach((i, n) => i.setNextRowIdToBuild(set[n]!)));
      await partition.flush();
      await table.close();
      const reopened = fx.table({ tableId: 31 });
      await reopened.createMvPartition(P);
      const again = createAll(reopened, P);
      expect(nextToBuild(again)).toEqual(fx.engine.isVolatile ? initial(P) : set.map(String));
    });
  });
}
