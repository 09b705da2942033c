/** StorageEngine: properties, table creation, independence of tables, destroyMvTable, re-creation. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, StorageDestroyedError, TableExistsError } from '../../../src/domain/shared/errors';
import { type EngineFixture, TABLE_PARTITIONS } from '../support/engine-fixture';
import { expectRejects, expectThrows } from '../support/expect-errors';
import { TestClock } from '../support/test-clock';
import {
  createScene, expectCallsRefuse, expectMissing, expectPresent, fill, indexCalls, P, partitionCalls, testRows,
} from './table-helpers';

export function describeEngineCases(fx: EngineFixture): void {
  const clock = new TestClock();

  describe('engine and tables', () => {
    it('exposes name and isVolatile as properties', () => {
      expect(['aimem', 'aipersist']).toContain(fx.engine.name);
      expect(typeof fx.engine.isVolatile).toBe('boolean');
    });

    it('createMvTable returns a table with its id and partition count', () => {
      const table = fx.table({ tableId: 7, partitions: 3 });
      expect([table.tableId, table.partitions]).toEqual([7, 3]);
      expect([0, 1, 2].map((p) => table.getMvPartition(p))).toEqual([null, null, null]);
    });

    it('createMvTable refuses a partition count outside 1..65536', () => {
      for (const partitions of [0, -1, 65_537, 1.5]) {
        expectThrows(() => fx.engine.createMvTable({ tableId: 9, partitions, storageProfile: fx.profile }), InvalidArgumentError, undefined, `${partitions}`);
      }
    });

    it('tables are independent: the same partition and RowId hold different data', async () => {
      const [t1, t2] = [fx.table({ tableId: 1 }), fx.table({ tableId: 2 })];
      const [s1, s2] = [await createScene(t1), await createScene(t2)];
      const rows1 = testRows(P, 3, 'one');
      const rows2 = rows1.map((r, i) => ({ ...r, row: { schemaVersion: 2, bytes: new Uint8Array([i]) }, key: `two-${i}` }));
      fill(s1.partition, [s1.sorted, s1.hash], rows1, clock);
      fill(s2.partition, [s2.sorted, s2.hash], rows2, clock);
      expectPresent(s1.partition, [s1.sorted, s1.hash], rows1);
      expectPresent(s2.partition, [s2.sorted, s2.hash], rows2);
      expectMissing(null, [s1.sorted, s1.hash], rows2);
      await fx.engine.destroyMvTable(1);
      expectPresent(s2.partition, [s2.sorted, s2.hash], rows2);
    });

    it('destroyMvTable destroys the table, its partitions and its indexes', async () => {
      const table = fx.table({ tableId: 3 });
      const scene = await createScene(table);
      await fx.engine.destroyMvTable(3);
      expectCallsRefuse(partitionCalls(scene.partition, P, clock), StorageDestroyedError);
      expectCallsRefuse([...indexCalls(scene.sorted, P), ...indexCalls(scene.hash, P)], StorageDestroyedError);
      expectThrows(() => table.getMvPartition(P), StorageDestroyedError);
      await expectRejects(() => table.createMvPartition(P), StorageDestroyedError);
    });

    it.each([['destroyMvTable'], ['MvTableStorage.destroy']])('a table created again after %s is empty', async (how) => {
      const table = fx.table({ tableId: 4 });
      const scene = await createScene(table);
      const rows = testRows(P, 4, 'gone');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      await (how === 'destroyMvTable' ? fx.engine.destroyMvTable(4) : table.destroy());
      const again = await createScene(fx.table({ tableId: 4 }));
      expectMissing(again.partition, [again.sorted, again.hash], rows);
      expect(again.partition.estimatedSize()).toBe(0);
    });

    it('createMvTable refuses the id of a table open in this engine (TableExistsError) and leaves that table as it was', async () => {
      const table = fx.table({ tableId: 6 });
      const scene = await createScene(table);
      const rows = testRows(P, 3, 'kept');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      for (const partitions of [TABLE_PARTITIONS, 2]) {
        expectThrows(() => fx.engine.createMvTable({ tableId: 6, partitions, storageProfile: fx.profile }), TableExistsError, 'TABLE_EXISTS');
      }
      try {
        fx.engine.createMvTable({ tableId: 6, partitions: 2, storageProfile: fx.profile });
      } catch (e) {
        expect((e as Error).message).toMatch(/Table 6 .*destroyMvTable\(6\)/);
      }
      expect(table.getMvPartition(P)).toBe(scene.partition);
      expectPresent(scene.partition, [scene.sorted, scene.hash], rows);
      expect(scene.partition.estimatedSize()).toBe(3);
      await fx.engine.destroyMvTable(6);
      const again = await createScene(fx.table({ tableId: 6 }));
      expectMissing(again.partition, [again.sorted, again.hash], rows);
      expect(again.partition.estimatedSize()).toBe(0);
    });

    it('destroyMvTable of an unknown table id resolves', async () => {
      await expect(fx.engine.destroyMvTable(424242)).resolves.toBeUndefined();
    });

    it('a table created again after close: empty on a volatile engine, flushed data kept on a persistent one', async () => {
      const table = fx.table({ tableId: 5 });
      const scene = await createScene(table);
      const rows = testRows(P, 4, 'kept');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      scene.partition.runConsistently(() => scene.partition.lastApplied(9, 2));
      await scene.partition.flush();
      await table.close();
      const reopened = await createScene(fx.table({ tableId: 5 }));
      if (fx.engine.isVolatile) {
        expectMissing(reopened.partition, [reopened.sorted, reopened.hash], rows);
        expect([reopened.partition.estimatedSize(), reopened.partition.lastAppliedIndex()]).toEqual([0, 0]);
      } else {
        expectPresent(reopened.partition, [reopened.sorted, reopened.hash], rows);
        expect([reopened.partition.estimatedSize(), reopened.partition.lastAppliedIndex()]).toEqual([4, 9]);
      }
    });
  });
}
