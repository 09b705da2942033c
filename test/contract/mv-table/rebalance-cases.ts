/**
 * Rebalance of a partition: start / abort / finish, and the REBALANCE state. During a rebalance only addWrite,
 * commitWrite, addWriteCommitted, index put, runConsistently, flush and the getters (lastAppliedIndex/Term -1,
 * committedGroupConfiguration() null) work; everything else — cursors opened before included, even after the
 * rebalance ended — throws StorageRebalanceError, which wins over IndexNotBuiltError (DESIGN.md §6.1).
 */
import { describe, expect, it } from 'vitest';
import { IndexNotBuiltError, StorageRebalanceError } from '../../../src/domain/shared/errors';
import { MAX_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import type { EngineFixture } from '../support/engine-fixture';
import { expectRejects, expectThrows } from '../support/expect-errors';
import { hashIndex } from '../support/index-descriptors';
import { COMMIT_ZONE_ID } from '../support/mv-ops';
import { newTxId, row } from '../support/rows';
import { TestClock } from '../support/test-clock';
import {
  completeBuild, createScene, expectCallsRefuse, expectCursorsRefuse, expectMissing, expectPresent, fill, HASH, indexCalls,
  openCursors, P, partitionCalls, SORTED, testRows,
} from './table-helpers';

const META = { lastAppliedIndex: 10, lastAppliedTerm: 20, groupConfig: new Uint8Array([9, 8, 7]) };
const ALLOWED = new Set(['runConsistently', 'writeGate', 'addWrite', 'commitWrite', 'addWriteCommitted', 'lastAppliedIndex', 'lastAppliedTerm', 'committedGroupConfiguration()']);

export function describeRebalanceCases(fx: EngineFixture): void {
  const clock = new TestClock();

  /** A scene with rows written before the rebalance and cursors opened on them, then the rebalance started. */
  async function startedScene() {
    const scene = await createScene(fx.table());
    const before = testRows(P, 2, 'before');
    fill(scene.partition, [scene.sorted, scene.hash], before, clock);
    fill(scene.partition, [], before.map((r) => ({ ...r, row: row(`${r.key} v2`) })), clock);
    scene.partition.runConsistently(() => scene.partition.lastApplied(3, 3));
    const cursors = openCursors(scene, before[0]!, clock);
    await scene.table.startRebalancePartition(P);
    return { ...scene, before, cursors };
  }

  describe('rebalance', () => {
    it('start, abort and finish of an absent partition reject with StorageRebalanceError', async () => {
      const table = fx.table();
      await expectRejects(() => table.startRebalancePartition(P), StorageRebalanceError, undefined, 'start');
      await expectRejects(() => table.abortRebalancePartition(P), StorageRebalanceError, undefined, 'abort');
      await expectRejects(() => table.finishRebalancePartition(P, META), StorageRebalanceError, undefined, 'finish');
    });

    it('finish without a started rebalance rejects; abort without one does nothing', async () => {
      const scene = await createScene(fx.table());
      const rows = testRows(P, 2, 'kept');
      fill(scene.partition, [scene.sorted, scene.hash], rows, clock);
      await expectRejects(() => scene.table.finishRebalancePartition(P, META), StorageRebalanceError);
      await expect(scene.table.abortRebalancePartition(P)).resolves.toBeUndefined();
      expectPresent(scene.partition, [scene.sorted, scene.hash], rows);
    });

    it('start rejects for a closed partition and for one already rebalancing', async () => {
      const table = fx.table();
      (await table.createMvPartition(P)).close();
      await expectRejects(() => table.startRebalancePartition(P), StorageRebalanceError, undefined, 'closed');
      await table.createMvPartition(P + 1);
      await table.startRebalancePartition(P + 1);
      await expectRejects(() => table.startRebalancePartition(P + 1), StorageRebalanceError, undefined, 'twice');
      await table.abortRebalancePartition(P + 1);
    });

    it('during a rebalance, writes, index puts, runConsistently, flush and the getters work', async () => {
      const s = await startedScene();
      const rowId = testRows(P, 1, 'during')[0]!.rowId;
      s.partition.runConsistently((locker) => {
        locker.lock(rowId);
        const tx = newTxId();
        expect(s.partition.addWrite(rowId, row('w'), tx, COMMIT_ZONE_ID, P).status).toBe('SUCCESS');
        expect(s.partition.commitWrite(rowId, clock.now(), tx).status).toBe('SUCCESS');
        expect(s.partition.addWriteCommitted(rowId, row('w2'), clock.now()).status).toBe('SUCCESS');
        s.sorted.put({ key: ['during'], rowId });
        s.hash.put({ key: ['during'], rowId });
      });
      expect([s.partition.lastAppliedIndex(), s.partition.lastAppliedTerm()]).toEqual([-1, -1]);
      expect(s.partition.committedGroupConfiguration()).toBeNull();
      await expect(s.partition.flush()).resolves.toBeUndefined();
      expect([s.sorted.descriptor, s.hash.descriptor]).toEqual([SORTED, HASH]);
      await s.table.abortRebalancePartition(P);
      s.cursors.forEach(([, c]) => c.close());
    });

    it('during a rebalance everything else throws StorageRebalanceError, which wins over IndexNotBuiltError', async () => {
      const s = await startedScene();
      expectCallsRefuse(partitionCalls(s.partition, P, clock).filter(([name]) => !ALLOWED.has(name)), StorageRebalanceError);
      const refused = (calls: Array<[string, () => unknown]>) => calls.filter(([name]) => name !== 'put');
      expectCallsRefuse([...refused(indexCalls(s.sorted, P)), ...refused(indexCalls(s.hash, P))], StorageRebalanceError);
      expectThrows(() => s.partition.close(), StorageRebalanceError, undefined, 'close');
      await s.table.abortRebalancePartition(P);
      expectThrows(() => s.sorted.get(['x']), IndexNotBuiltError, undefined, 'after the rebalance the index is not built');
      s.cursors.forEach(([, c]) => c.close());
    });

    it.each([['during'], ['after']])('cursors opened before the rebalance refuse with StorageRebalanceError %s it', async (when) => {
      const s = await startedScene();
      if (when === 'after') await s.table.finishRebalancePartition(P, META);
      expectCursorsRefuse(s.cursors, StorageRebalanceError);
      if (when === 'during') await s.table.abortRebalancePartition(P);
    });

    it('a finished rebalance keeps only what was written during it, with lastApplied and configuration from its meta', async () => {
      const s = await startedScene();
      const during = testRows(P, 3, 'during');
      fill(s.partition, [s.sorted, s.hash], during, clock);
      expect([s.partition.lastAppliedIndex(), s.partition.lastAppliedTerm()]).toEqual([-1, -1]);
      await s.table.finishRebalancePartition(P, META);
      expect([s.partition.lastAppliedIndex(), s.partition.lastAppliedTerm()]).toEqual([10, 20]);
      expect(Array.from(s.partition.committedGroupConfiguration()!)).toEqual([9, 8, 7]);
      expect(s.partition.estimatedSize()).toBe(3);
      expect(s.partition.peek(MAX_VALUE, 10)).toEqual([]);
      completeBuild(s.partition, s.sorted, s.hash);
      expectMissing(s.partition, [s.sorted, s.hash], s.before);
      expectPresent(s.partition, [s.sorted, s.hash], during);
      s.cursors.forEach(([, c]) => c.close());
    });

    it('an aborted rebalance leaves the partition empty and usable', async () => {
      const s = await startedScene();
      const during = testRows(P, 3, 'during');
      fill(s.partition, [s.sorted, s.hash], during, clock);
      await s.table.abortRebalancePartition(P);
      expect([s.partition.lastAppliedIndex(), s.partition.lastAppliedTerm()]).toEqual([0, 0]);
      expect(s.partition.committedGroupConfiguration()).toBeNull();
      expect(s.partition.estimatedSize()).toBe(0);
      completeBuild(s.partition, s.sorted, s.hash);
      expectMissing(s.partition, [s.sorted, s.hash], [...s.before, ...during]);
      const afterwards = testRows(P, 2, 'afterwards');
      fill(s.partition, [s.sorted, s.hash], afterwards, clock);
      expectPresent(s.partition, [s.sorted, s.hash], afterwards);
      s.cursors.forEach(([, c]) => c.close());
    });

    it('a rebalancing partition can be destroyed and created again', async () => {
      const s = await startedScene();
      await expect(s.table.destroyPartition(P)).resolves.toBeUndefined();
      const again = await s.table.createMvPartition(P);
      expectMissing(again, [], s.before);
      expect(again.lastAppliedIndex()).toBe(0);
      s.cursors.forEach(([, c]) => c.close());
    });

    it('rebalancing one partition leaves the others alone', async () => {
      const table = fx.table();
      const other = await createScene(table, P + 1);
      const rows = testRows(P + 1, 3, 'other');
      fill(other.partition, [other.sorted, other.hash], rows, clock);
      await createScene(table, P);
      await table.startRebalancePartition(P);
      expectPresent(other.partition, [other.sorted, other.hash], rows);
      expect(other.partition.estimatedSize()).toBe(3);
      await table.finishRebalancePartition(P, META);
      expectPresent(other.partition, [other.sorted, other.hash], rows);
    });

    it('an index created during a rebalance accepts puts and refuses reads until the rebalance ends', async () => {
      const s = await startedScene();
      const late = s.table.createHashIndex(P, hashIndex(['STRING']));
      const rows = testRows(P, 2, 'late');
      fill(s.partition, [late], rows, clock);
      expectThrows(() => late.get([rows[0]!.key]), StorageRebalanceError);
      await s.table.finishRebalancePartition(P, META);
      completeBuild(s.partition, late);
      expectPresent(s.partition, [late], rows);
      s.cursors.forEach(([, c]) => c.close());
    });
  });
}
