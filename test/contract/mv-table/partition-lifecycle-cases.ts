/**
 * Partitions of a table: create / get / destroy / clear / close, partition id checks, what a destroyed, closed or
 * cleared partition refuses — cursors opened before included (DESIGN.md §6.1).
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError, StorageClosedError, StorageDestroyedError, StorageError, StorageRebalanceError,
} from '../../../src/domain/shared/errors';
import { MAX_VALUE, MIN_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import type { EngineFixture } from '../support/engine-fixture';
import { TABLE_PARTITIONS } from '../support/engine-fixture';
import { expectRejects, expectThrows } from '../support/expect-errors';
import { drain, row } from '../support/rows';
import { TestClock } from '../support/test-clock';
import {
  createScene, completeBuild, expectCallsRefuse, expectCursorsRefuse, expectMissing, expectPresent, fill, indexCalls,
  openCursors, P, partitionCalls, testRows,
} from './table-helpers';

const OUT_OF_RANGE = [TABLE_PARTITIONS, -1, 1.5];

export function describePartitionLifecycleCases(fx: EngineFixture): void {
  const clock = new TestClock();

  describe('partitions: create and get', () => {
    it('getMvPartition is null until created, then returns the very object created', async () => {
      const table = fx.table();
      expect(table.getMvPartition(P)).toBeNull();
      const partition = await table.createMvPartition(P);
      expect(table.getMvPartition(P)).toBe(partition);
      expect(table.getMvPartition(P + 1)).toBeNull();
    });

    it('creating an existing partition rejects with StorageError PARTITION_EXISTS', async () => {
      const table = fx.table();
      const partition = await table.createMvPartition(P);
      await expectRejects(() => table.createMvPartition(P), StorageError, 'PARTITION_EXISTS');
      expect(table.getMvPartition(P)).toBe(partition);
    });

    it('a partition id outside 0..partitions-1 is an InvalidArgumentError for every partition call', async () => {
      const table = fx.table();
      await table.createMvPartition(P);
      for (const bad of OUT_OF_RANGE) {
        await expectRejects(() => table.createMvPartition(bad), InvalidArgumentError, undefined, `createMvPartition(${bad})`);
        expectThrows(() => table.getMvPartition(bad), InvalidArgumentError, undefined, `getMvPartition(${bad})`);
        await expectRejects(() => table.destroyPartition(bad), InvalidArgumentError, undefined, `destroyPartition(${bad})`);
        await expectRejects(() => table.clearPartition(bad), InvalidArgumentError, undefined, `clearPartition(${bad})`);
        await expectRejects(() => table.startRebalancePartition(bad), InvalidArgumentError, undefined, `startRebalance(${bad})`);
        await expectRejects(() => table.abortRebalancePartition(bad), InvalidArgumentError, undefined, `abortRebalance(${bad})`);
        const meta = { lastAppliedIndex: 1, lastAppliedTerm: 1, groupConfig: new Uint8Array(0) };
        await expectRejects(() => table.finishRebalancePartition(bad, meta), InvalidArgumentError, undefined, `finishRebalance(${bad})`);
        expectThrows(() => table.getIndex(bad, 1), InvalidArgumentError, undefined, `getIndex(${bad})`);
      }
    });

    it('partitions of one table are independent; a RowId of another partition is refused', async () => {
      const table = fx.table();
      const [p10, p9] = [await table.createMvPartition(10), await table.createMvPartition(9)];
      const [r10, r9] = [testRows(10, 1, 'ten'), testRows(9, 1, 'nine')];
      fill(p10, [], r10, clock);
      fill(p9, [], r9, clock);
      expectPresent(p10, [], r10);
      expectPresent(p9, [], r9);
      expectThrows(() => p9.read(r10[0]!.rowId, MAX_VALUE), InvalidArgumentError);
      expectThrows(() => p10.read(r9[0]!.rowId, MAX_VALUE), InvalidArgumentError);
      expect(drain(p10.scan(MAX_VALUE)).map((r) => r.rowId.toString())).toEqual([r10[0]!.rowId.toString()]);
    });
  });

  describe('partitions: destroy', () => {
    it('refuses every call of the partition and of its indexes with StorageDestroyedError, cursors opened before included', async () => {
      const scene = await createScene(fx.table());
      const rows = testRows(P, 2, 'd');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      const cursors = openCursors(scene, rows[0]!, clock);
      await scene.table.destroyPartition(P);
      expect(scene.table.getMvPartition(P)).toBeNull();
      expect(scene.table.getIndex(P, scene.sorted.descriptor.id)).toBeNull();
      expectCallsRefuse(partitionCalls(scene.partition, P, clock), StorageDestroyedError);
      await expectRejects(() => scene.partition.flush(), StorageDestroyedError);
      expectCallsRefuse([...indexCalls(scene.sorted, P), ...indexCalls(scene.hash, P)], StorageDestroyedError);
      expectCursorsRefuse(cursors, StorageDestroyedError);
      expect(() => scene.partition.close()).not.toThrow();
    });

    it('an absent partition rejects with StorageError PARTITION_NOT_FOUND, also when destroyed twice', async () => {
      const table = fx.table();
      await expectRejects(() => table.destroyPartition(P), StorageError, 'PARTITION_NOT_FOUND');
      await table.createMvPartition(P);
      await table.destroyPartition(P);
      await expectRejects(() => table.destroyPartition(P), StorageError, 'PARTITION_NOT_FOUND');
    });

    it('a partition created again is a new, empty object without indexes', async () => {
      const scene = await createScene(fx.table());
      const rows = testRows(P, 3, 'old');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      scene.partition.runConsistently(() => scene.partition.lastApplied(5, 5));
      await scene.table.destroyPartition(P);
      const again = await scene.table.createMvPartition(P);
      expect(again).not.toBe(scene.partition);
      expect(scene.table.getIndex(P, scene.sorted.descriptor.id)).toBeNull();
      expect(scene.table.getIndex(P, scene.hash.descriptor.id)).toBeNull();
      expectMissing(again, [], rows);
      expect([again.estimatedSize(), again.lastAppliedIndex(), again.lastAppliedTerm()]).toEqual([0, 0, 0]);
      expect(again.committedGroupConfiguration()).toBeNull();
    });

    it('destroying one partition leaves the others alone', async () => {
      const table = fx.table();
      const [a, b] = [await createScene(table, 1), await createScene(table, 2)];
      const rows = testRows(2, 3, 'b');
      fill(b.partition, [b.sorted, b.hash], rows, clock);
      await table.destroyPartition(1);
      expectPresent(b.partition, [b.sorted, b.hash], rows);
      expect(a.partition).not.toBe(b.partition);
    });

    it('a closed partition can be destroyed', async () => {
      const table = fx.table();
      const partition = await table.createMvPartition(P);
      partition.close();
      await expect(table.destroyPartition(P)).resolves.toBeUndefined();
      expect(table.getMvPartition(P)).toBeNull();
    });
  });

  describe('partitions: clear', () => {
    it('an absent partition rejects with StorageError PARTITION_NOT_FOUND', async () => {
      await expectRejects(() => fx.table().clearPartition(P), StorageError, 'PARTITION_NOT_FOUND');
    });

    it('removes rows, index entries, GC entries, lastApplied and the group configuration; the partition stays usable', async () => {
      const scene = await createScene(fx.table());
      const { partition, sorted, hash, table } = scene;
      await table.clearPartition(P);
      expect([partition.lastAppliedIndex(), partition.lastAppliedTerm()]).toEqual([0, 0]);
      const rows = testRows(P, 4, 'c');
      fill(partition, [sorted, hash], rows, clock);
      fill(partition, [], rows.map((r) => ({ ...r, row: row(`${r.key} v2`) })), clock);
      partition.runConsistently(() => {
        partition.lastApplied(100, 500);
        partition.committedGroupConfiguration(new Uint8Array([4, 5]));
        partition.updateLease(77n, '0f0e0d0c-0b0a-4908-8706-050403020100', 'node');
      });
      expect(partition.peek(MAX_VALUE, 10)).toHaveLength(4);
      await table.clearPartition(P);
      expect([partition.lastAppliedIndex(), partition.lastAppliedTerm()]).toEqual([0, 0]);
      expect(partition.committedGroupConfiguration()).toBeNull();
      expect([partition.leaseStartTime(), partition.primaryReplicaNodeId(), partition.primaryReplicaNodeName()]).toEqual([MIN_VALUE, null, null]);
      expect([partition.estimatedSize(), partition.peek(MAX_VALUE, 10).length]).toEqual([0, 0]);
      completeBuild(partition, sorted, hash);
      expectMissing(partition, [sorted, hash], rows);
      expect(table.getIndex(P, sorted.descriptor.id)).toBe(sorted);
      const again = testRows(P, 2, 'after');
      fill(partition, [sorted, hash], again, clock);
      expectPresent(partition, [sorted, hash], again);
    });

    it('a closed partition rejects with StorageClosedError, a rebalancing one with StorageRebalanceError', async () => {
      const table = fx.table();
      const closed = await table.createMvPartition(P);
      await table.createMvPartition(P + 1);
      closed.close();
      await table.startRebalancePartition(P + 1);
      await expectRejects(() => table.clearPartition(P), StorageClosedError);
      await expectRejects(() => table.clearPartition(P + 1), StorageRebalanceError);
      await table.abortRebalancePartition(P + 1);
    });

    it('cursors opened before the clear fail with StorageError STORAGE_CLEANUP; other partitions are untouched', async () => {
      const table = fx.table();
      const scene = await createScene(table);
      const other = await createScene(table, P + 1);
      const rows = testRows(P, 2, 'c');
      const otherRows = testRows(P + 1, 2, 'o');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      fill(other.partition, [other.sorted, other.hash], otherRows, clock);
      const cursors = openCursors(scene, rows[0]!, clock);
      await table.clearPartition(P);
      expectCursorsRefuse(cursors, StorageError, 'STORAGE_CLEANUP');
      expectPresent(other.partition, [other.sorted, other.hash], otherRows);
    });
  });

  describe('partitions: close', () => {
    it('a closed partition refuses every call with StorageClosedError, cursors opened before included; close() again is fine', async () => {
      const scene = await createScene(fx.table());
      const rows = testRows(P, 2, 'x');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      const cursors = openCursors(scene, rows[0]!, clock, 'partition');
      scene.partition.close();
      expectCallsRefuse(partitionCalls(scene.partition, P, clock), StorageClosedError);
      await expectRejects(() => scene.partition.flush(), StorageClosedError);
      expectCursorsRefuse(cursors, StorageClosedError);
      expect(() => scene.partition.close()).not.toThrow();
      expect(scene.table.getMvPartition(P), 'a closed partition stays registered until destroyed').toBe(scene.partition);
    });
  });
}
