/** commitWrite and abortWrite: results and effects (DESIGN.md §6, §6.1). */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import { MAX_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../src/domain/storage/row-id';
import { expectThrows } from '../support/expect-errors';
import { expectFields } from '../support/expect-fields';
import type { MvFixture } from '../support/mv-fixture';
import { MV_PARTITION } from '../support/mv-fixture';
import { expectRow, newTxId, row } from '../support/rows';
import { after, before } from '../support/test-clock';

const ROW1 = row('row one');
const ROW2 = row('row two');
const ROW3 = row('row three');

export function describeCommitAbortCases(fx: MvFixture): void {
  describe('commitWrite', () => {
    it('makes the intent a version committed at ts: invisible before ts, visible at and after it', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      const ts = fx.clock.now();
      expectFields(fx.ops.commit(rowId, ts, tx), { status: 'SUCCESS', expectedTxId: null });
      expect(fx.ops.read(rowId, before(ts))).toBeNull();
      expectRow(fx.ops.read(rowId, ts), ROW1);
      expectRow(fx.ops.read(rowId, after(ts)), ROW1);
      expectFields(fx.storage.read(rowId, ts), {
        rowId, transactionId: null, commitZoneId: null, commitPartitionId: -1, commitTimestamp: ts,
        newestCommitTimestamp: null, isWriteIntent: false, isEmpty: false,
      });
    });

    it('is NO_WRITE_INTENT on an empty chain and creates nothing', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.clock.now();
      expectFields(fx.ops.commit(rowId, ts, newTxId()), { status: 'NO_WRITE_INTENT', expectedTxId: null });
      expect(fx.ops.read(rowId, after(ts))).toBeNull();
      expect(fx.ops.versions(rowId)).toEqual([]);
    });

    it.each([['the same'], ['another']])('is NO_WRITE_INTENT for an already committed row (%s transaction)', (which) => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      const ts = fx.clock.now();
      fx.ops.commit(rowId, ts, tx);
      const later = fx.clock.now();
      expectFields(fx.ops.commit(rowId, later, which === 'the same' ? tx : newTxId()), { status: 'NO_WRITE_INTENT' });
      expectFields(fx.storage.read(rowId, later), { commitTimestamp: ts, binaryRow: ROW1 });
      expect(fx.ops.read(rowId, before(ts))).toBeNull();
    });

    it('is TX_MISMATCH naming the intent\'s transaction, and the intent stays', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      const ts = fx.clock.now();
      expectFields(fx.ops.commit(rowId, ts, newTxId()), { status: 'TX_MISMATCH', expectedTxId: tx });
      for (const t of [before(ts), ts, after(ts)]) expectFields(fx.storage.read(rowId, t), { isWriteIntent: true, transactionId: tx });
    });

    it('of a tombstone hides the row from its timestamp on; older versions stay readable', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts1 = fx.ops.addAndCommit(rowId, ROW1);
      const ts2 = fx.ops.addAndCommit(rowId, null);
      expectRow(fx.ops.read(rowId, ts1), ROW1);
      expectRow(fx.ops.read(rowId, before(ts2)), ROW1);
      expect(fx.ops.read(rowId, ts2)).toBeNull();
      expect(fx.ops.read(rowId, MAX_VALUE)).toBeNull();
      expect(fx.ops.versions(rowId).map((v) => v.binaryRow === null)).toEqual([true, false]);
    });

    it('of a tombstone on an absent row leaves no version behind', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(null, tx);
      fx.ops.commit(rowId, fx.clock.now(), tx);
      expect(fx.ops.versions(rowId)).toEqual([]);
      expect(fx.storage.closestRowId(RowId.lowest(MV_PARTITION))).toBeNull();
      expect(fx.storage.highestRowId()).toBeNull();
    });

    it('of a tombstone over a committed tombstone adds no version', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, ROW1);
      fx.ops.addAndCommit(rowId, null);
      fx.ops.addAndCommit(rowId, null);
      expect(fx.ops.versions(rowId)).toHaveLength(2);
    });

    it('works for repeated write-and-commit cycles by the same transaction id', () => {
      const tx = newTxId();
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addWrite(rowId, ROW1, tx);
      fx.ops.commit(rowId, fx.clock.now(), tx);
      fx.ops.addWrite(rowId, ROW2, tx);
      fx.ops.commit(rowId, fx.clock.now(), tx);
      expectRow(fx.ops.read(rowId, fx.clock.now()), ROW2);
      expect(fx.ops.versions(rowId)).toHaveLength(2);
    });

    it('rejects a RowId of another partition', () => {
      expectThrows(() => fx.ops.commit(RowId.random(MV_PARTITION + 1), fx.clock.now(), newTxId()), InvalidArgumentError);
    });
  });

  describe('abortWrite', () => {
    it('removes the intent and returns its row', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      const ts = fx.clock.now();
      expectFields(fx.ops.abort(rowId, tx), { status: 'SUCCESS', previousWriteIntent: ROW1, expectedTxId: null });
      for (const t of [before(ts), ts, after(ts), MAX_VALUE]) expect(fx.ops.read(rowId, t)).toBeNull();
      expect(fx.ops.versions(rowId)).toEqual([]);
      expect(fx.storage.closestRowId(RowId.lowest(MV_PARTITION))).toBeNull();
    });

    it('above a committed version makes that version the latest again', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.ops.addAndCommit(rowId, ROW1);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW2, tx);
      fx.ops.abort(rowId, tx);
      expectFields(fx.storage.read(rowId, MAX_VALUE), { binaryRow: ROW1, isWriteIntent: false, commitTimestamp: ts });
    });

    it('of a tombstone intent returns a null row', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(null, tx);
      expectFields(fx.ops.abort(rowId, tx), { status: 'SUCCESS', previousWriteIntent: null });
    });

    it('is NO_WRITE_INTENT on an empty chain', () => {
      const rowId = RowId.random(MV_PARTITION);
      expectFields(fx.ops.abort(rowId, newTxId()), { status: 'NO_WRITE_INTENT', previousWriteIntent: null, expectedTxId: null });
      expect(fx.ops.read(rowId, MAX_VALUE)).toBeNull();
    });

    it.each([['the same'], ['another']])('is NO_WRITE_INTENT for a committed row (%s transaction), which stays', (which) => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      const ts = fx.clock.now();
      fx.ops.commit(rowId, ts, tx);
      expectFields(fx.ops.abort(rowId, which === 'the same' ? tx : newTxId()), { status: 'NO_WRITE_INTENT' });
      expectFields(fx.storage.read(rowId, after(ts)), { binaryRow: ROW1, commitTimestamp: ts });
    });

    it('is TX_MISMATCH naming the intent\'s transaction, and the intent stays', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      expectFields(fx.ops.abort(rowId, newTxId()), { status: 'TX_MISMATCH', previousWriteIntent: null, expectedTxId: tx });
      expectFields(fx.storage.read(rowId, fx.clock.now()), { isWriteIntent: true, transactionId: tx, binaryRow: ROW1 });
    });

    it('repeated write-and-abort cycles leave nothing', () => {
      const tx = newTxId();
      const rowId = RowId.random(MV_PARTITION);
      for (let i = 0; i < 3; i++) {
        fx.ops.addWrite(rowId, ROW1, tx);
        fx.ops.abort(rowId, tx);
      }
      expect(fx.ops.read(rowId, fx.clock.now())).toBeNull();
      expect(fx.storage.highestRowId()).toBeNull();
    });

    it('commit, then an aborted intent, then a new intent: reads see the new intent', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, ROW1);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW2, tx);
      fx.ops.abort(rowId, tx);
      fx.ops.addWrite(rowId, ROW3, newTxId());
      expectRow(fx.ops.read(rowId, fx.clock.now()), ROW3);
      expect(fx.ops.scan(MAX_VALUE).map((r) => r.rowId.toString())).toEqual([rowId.toString()]);
    });

    it('rejects a RowId of another partition', () => {
      expectThrows(() => fx.ops.abort(RowId.random(MV_PARTITION + 1), newTxId()), InvalidArgumentError);
    });
  });
}
