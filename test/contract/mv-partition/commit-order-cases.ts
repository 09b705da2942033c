/**
 * Commit timestamps increase per row: a commitWrite or addWriteCommitted at or before the row's newest committed
 * version throws CommitTimestampOrderError and changes nothing (the intent stays an intent, no version is added).
 */
import { describe, expect, it } from 'vitest';
import { CommitTimestampOrderError } from '../../../src/domain/shared/errors';
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import { MAX_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../src/domain/storage/row-id';
import { expectThrows } from '../support/expect-errors';
import { expectFields } from '../support/expect-fields';
import type { MvFixture } from '../support/mv-fixture';
import { MV_PARTITION } from '../support/mv-fixture';
import { bigRow, expectRow, newTxId, row, rowPicture } from '../support/rows';
import { after, before } from '../support/test-clock';

const A = row('row A');
const B = row('row B');

export function describeCommitOrderCases(fx: MvFixture): void {
  /** Versions as (row, commit ts, intent) pictures, newest first. */
  const picture = (rowId: RowId) => fx.ops.versions(rowId).map((v) => [rowPicture(v.binaryRow), v.commitTimestamp, v.isWriteIntent]);

  describe('commit timestamp order', () => {
    const older: Array<[string, (ts: bigint) => bigint]> = [['an earlier timestamp than', before], ['the same timestamp as', (ts) => ts]];

    it.each(older)('addWriteCommitted at %s the newest commit throws and changes nothing', (_, at) => {
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.clock.now();
      fx.ops.addWriteCommitted(rowId, A, ts);
      const was = picture(rowId);
      expectThrows(() => fx.ops.addWriteCommitted(rowId, B, at(ts)), CommitTimestampOrderError, 'COMMIT_TIMESTAMP_ORDER');
      expectThrows(() => fx.ops.addWriteCommitted(rowId, null, at(ts)), CommitTimestampOrderError, 'COMMIT_TIMESTAMP_ORDER');
      expect(picture(rowId)).toEqual(was);
      expectRow(fx.ops.read(rowId, MAX_VALUE), A);
      expect(fx.storage.estimatedSize()).toBe(1);
      expect(fx.storage.peek(MAX_VALUE, 10)).toEqual([]);
    });

    it('the error names the row, the given timestamp and the newest committed one', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addWriteCommitted(rowId, A, 100n);
      let thrown: unknown = null;
      try {
        fx.ops.addWriteCommitted(rowId, B, 50n);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(CommitTimestampOrderError);
      const message = (thrown as Error).message;
      expect(message).toContain(rowId.toString());
      expect(message).toMatch(/\b50\b.*\b100\b/);
      expect(message).toMatch(/must increase/);
    });

    it.each(older)('commitWrite at %s the newest commit throws; the intent stays and commits later', (_, at) => {
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.clock.now();
      fx.ops.addWriteCommitted(rowId, A, ts);
      const tx = newTxId();
      fx.ops.addWrite(rowId, B, tx);
      const was = picture(rowId);
      expectThrows(() => fx.ops.commit(rowId, at(ts), tx), CommitTimestampOrderError, 'COMMIT_TIMESTAMP_ORDER');
      expect(picture(rowId)).toEqual(was);
      expectRow(fx.ops.read(rowId, ts), A);
      expectFields(fx.storage.read(rowId, MAX_VALUE), { isWriteIntent: true, transactionId: tx, newestCommitTimestamp: ts });
      expect(fx.storage.peek(MAX_VALUE, 10)).toEqual([]);
      const later = fx.clock.now();
      expectFields(fx.ops.commit(rowId, later, tx), { status: 'SUCCESS' });
      expectRow(fx.ops.read(rowId, ts), A);
      expectRow(fx.ops.read(rowId, later), B);
    });

    it('a tombstone commit that would leave no version is refused too when it is out of order', () => {
      const rowId = RowId.random(MV_PARTITION);
      const t1 = fx.clock.now();
      fx.ops.addWriteCommitted(rowId, A, t1);
      const t2 = fx.clock.now();
      fx.ops.addWriteCommitted(rowId, null, t2);
      const was = picture(rowId);
      const tx = newTxId();
      fx.ops.addWrite(rowId, null, tx);
      expectThrows(() => fx.ops.commit(rowId, before(t2), tx), CommitTimestampOrderError);
      expect(fx.ops.versions(rowId)[0]!.isWriteIntent).toBe(true);
      fx.ops.abort(rowId, tx);
      expectThrows(() => fx.ops.addWriteCommitted(rowId, null, t2), CommitTimestampOrderError);
      expect(picture(rowId)).toEqual(was);
    });

    it('holds for large rows stored out of line, and a later commit still works', () => {
      const rowId = RowId.random(MV_PARTITION);
      const big: BinaryRow = bigRow(fx.engineFixture.largeValueBytes, 7);
      const t1 = fx.clock.now();
      fx.ops.addWriteCommitted(rowId, big, t1);
      const tx = newTxId();
      fx.ops.addWrite(rowId, bigRow(fx.engineFixture.largeValueBytes, 8), tx);
      expectThrows(() => fx.ops.commit(rowId, t1, tx), CommitTimestampOrderError);
      fx.ops.abort(rowId, tx);
      expectThrows(() => fx.ops.addWriteCommitted(rowId, A, before(t1)), CommitTimestampOrderError);
      const t2 = after(t1);
      fx.ops.addWriteCommitted(rowId, A, t2);
      expectRow(fx.ops.read(rowId, t1), big);
      expectRow(fx.ops.read(rowId, t2), A);
    });

    it('is per row: another row may commit at an earlier timestamp', () => {
      const [r1, r2] = [RowId.random(MV_PARTITION), RowId.random(MV_PARTITION)];
      fx.ops.addWriteCommitted(r1, A, 100n);
      fx.ops.addWriteCommitted(r2, B, 50n);
      expectRow(fx.ops.read(r1, 100n), A);
      expectRow(fx.ops.read(r2, 50n), B);
    });
  });
}
