/** MvTableStorage close() and destroy(): what they refuse afterwards, and what they take down with them. */
import { describe, expect, it } from 'vitest';
import { StorageClosedError, StorageDestroyedError } from '../../../src/domain/shared/errors';
import type { MvTableStorage } from '../../../src/domain/storage/storage-engine.api';
import type { EngineFixture } from '../support/engine-fixture';
import { type ErrorClass, expectRejects, expectThrows } from '../support/expect-errors';
import { TestClock } from '../support/test-clock';
import {
  createScene, expectCallsRefuse, expectCursorsRefuse, fill, HASH, indexCalls, openCursors, P, partitionCalls, SORTED, testRows,
} from './table-helpers';

async function expectTableRefuses(table: MvTableStorage, cls: ErrorClass): Promise<void> {
  const meta = { lastAppliedIndex: 1, lastAppliedTerm: 1, groupConfig: new Uint8Array(0) };
  expectThrows(() => table.getMvPartition(P), cls, undefined, 'getMvPartition');
  expectThrows(() => table.getIndex(P, SORTED.id), cls, undefined, 'getIndex');
  expectThrows(() => table.createSortedIndex(P, SORTED), cls, undefined, 'createSortedIndex');
  expectThrows(() => table.createHashIndex(P, HASH), cls, undefined, 'createHashIndex');
  await expectRejects(() => table.createMvPartition(P), cls, undefined, 'createMvPartition');
  await expectRejects(() => table.destroyPartition(P), cls, undefined, 'destroyPartition');
  await expectRejects(() => table.clearPartition(P), cls, undefined, 'clearPartition');
  await expectRejects(() => table.startRebalancePartition(P), cls, undefined, 'startRebalancePartition');
  await expectRejects(() => table.abortRebalancePartition(P), cls, undefined, 'abortRebalancePartition');
  await expectRejects(() => table.finishRebalancePartition(P, meta), cls, undefined, 'finishRebalancePartition');
}

export function describeTableLifecycleCases(fx: EngineFixture): void {
  const clock = new TestClock();

  describe('table: close', () => {
    it('refuses every table call with StorageClosedError', async () => {
      const scene = await createScene(fx.table());
      await scene.table.close();
      await expectTableRefuses(scene.table, StorageClosedError);
      await expectRejects(() => scene.table.destroyIndex(SORTED.id), StorageClosedError, undefined, 'destroyIndex');
    });

    it('closes its partitions and indexes, cursors opened before included', async () => {
      const scene = await createScene(fx.table());
      const rows = testRows(P, 2, 'tc');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      const cursors = openCursors(scene, rows[0]!, clock);
      await scene.table.close();
      expectCallsRefuse(partitionCalls(scene.partition, P, clock), StorageClosedError);
      expectCallsRefuse([...indexCalls(scene.sorted, P), ...indexCalls(scene.hash, P)], StorageClosedError);
      expectCursorsRefuse(cursors, StorageClosedError);
    });

    it('close() again resolves, and a closed table can still be destroyed', async () => {
      const table = fx.table();
      await table.createMvPartition(P);
      await table.close();
      await expect(table.close()).resolves.toBeUndefined();
      await expect(table.destroy()).resolves.toBeUndefined();
      expectThrows(() => table.getMvPartition(P), StorageDestroyedError);
    });
  });

  describe('table: destroy', () => {
    it('refuses every table call with StorageDestroyedError', async () => {
      const scene = await createScene(fx.table());
      await scene.table.destroy();
      await expectTableRefuses(scene.table, StorageDestroyedError);
    });

    it('destroys its partitions and indexes, cursors opened before included', async () => {
      const scene = await createScene(fx.table());
      const rows = testRows(P, 2, 'td');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      const cursors = openCursors(scene, rows[0]!, clock);
      await scene.table.destroy();
      expectCallsRefuse(partitionCalls(scene.partition, P, clock), StorageDestroyedError);
      await expectRejects(() => scene.partition.flush(), StorageDestroyedError);
      expectCallsRefuse([...indexCalls(scene.sorted, P), ...indexCalls(scene.hash, P)], StorageDestroyedError);
      expectCursorsRefuse(cursors, StorageDestroyedError);
    });

    it('destroy() again and close() afterwards resolve', async () => {
      const table = fx.table();
      await table.createMvPartition(P);
      await table.destroy();
      await expect(table.destroy()).resolves.toBeUndefined();
      await expect(table.close()).resolves.toBeUndefined();
      expectThrows(() => table.getMvPartition(P), StorageDestroyedError);
    });

    it('destroyIndex after the table or the partition was destroyed resolves', async () => {
      const table = fx.table();
      await createScene(table, P);
      await createScene(table, P + 1);
      await table.destroyPartition(P);
      await expect(table.destroyIndex(SORTED.id)).resolves.toBeUndefined();
      await table.destroy();
      await expect(table.destroyIndex(HASH.id)).resolves.toBeUndefined();
    });
  });
}
