/** addWrite and addWriteCommitted: results and effects (DESIGN.md §6, §6.1). */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import { MAX_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../src/domain/storage/row-id';
import { expectThrows } from '../support/expect-errors';
import { expectFields } from '../support/expect-fields';
import { COMMIT_ZONE_ID } from '../support/mv-ops';
import type { MvFixture } from '../support/mv-fixture';
import { MV_PARTITION } from '../support/mv-fixture';
import { expectRow, newTxId, row } from '../support/rows';
import { before } from '../support/test-clock';

const ROW1 = row('row one');
const ROW2 = row('row two');
const ROW3 = row('row three');

export function describeWriteCases(fx: MvFixture): void {
  describe('addWrite', () => {
    it('on an empty chain succeeds with no previous write intent', () => {
      const result = fx.ops.addWrite(RowId.random(MV_PARTITION), ROW1, newTxId());
      expectFields(result, { status: 'SUCCESS', previousWriteIntent: null, currentWriteIntentTxId: null, latestCommitTimestamp: null });
    });

    it('above committed versions succeeds with no previous write intent', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, ROW1);
      expectFields(fx.ops.addWrite(rowId, ROW2, newTxId()), { status: 'SUCCESS', previousWriteIntent: null });
    });

    it('by the same transaction replaces its write intent and returns the previous one', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      expectFields(fx.ops.addWrite(rowId, ROW2, tx), { status: 'SUCCESS', previousWriteIntent: ROW1, currentWriteIntentTxId: null });
      expectRow(fx.ops.read(rowId, MAX_VALUE), ROW2);
      expect(fx.ops.versions(rowId)).toHaveLength(1);
    });

    it('by the same transaction above a committed version replaces only the intent', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.ops.addAndCommit(rowId, ROW1);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW2, tx);
      expectFields(fx.ops.addWrite(rowId, ROW3, tx), { status: 'SUCCESS', previousWriteIntent: ROW2 });
      expectRow(fx.ops.read(rowId, MAX_VALUE), ROW3);
      expectRow(fx.ops.read(rowId, ts), ROW1);
      expect(fx.ops.versions(rowId)).toHaveLength(2);
    });

    it('replacing a tombstone intent reports a null previous write intent', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(null, tx);
      expectFields(fx.ops.addWrite(rowId, ROW1, tx), { status: 'SUCCESS', previousWriteIntent: null });
      expectFields(fx.ops.addWrite(rowId, null, tx), { status: 'SUCCESS', previousWriteIntent: ROW1 });
    });

    it('by another transaction is TX_MISMATCH naming the current transaction, and changes nothing', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      expectFields(fx.ops.addWrite(rowId, ROW2, newTxId()), {
        status: 'TX_MISMATCH', previousWriteIntent: null, currentWriteIntentTxId: tx, latestCommitTimestamp: null,
      });
      expectFields(fx.storage.read(rowId, MAX_VALUE), { transactionId: tx, binaryRow: ROW1 });
    });

    it('by another transaction reports the newest commit timestamp under the intent', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, ROW1);
      const newest = fx.ops.addAndCommit(rowId, ROW2);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW3, tx);
      expectFields(fx.ops.addWrite(rowId, ROW1, newTxId()), {
        status: 'TX_MISMATCH', currentWriteIntentTxId: tx, latestCommitTimestamp: newest,
      });
    });

    it('a tombstone intent reads as an empty write intent', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      fx.ops.addWrite(rowId, null, tx);
      expectFields(fx.storage.read(rowId, MAX_VALUE), { isWriteIntent: true, isEmpty: true, binaryRow: null, transactionId: tx });
      fx.ops.addWrite(rowId, null, tx);
      expect(fx.ops.read(rowId, MAX_VALUE)).toBeNull();
    });

    it('stores the transaction, commit zone and commit partition of the intent', () => {
      const tx = newTxId();
      const rowId = RowId.random(MV_PARTITION);
      fx.storage.runConsistently(() => fx.storage.addWrite(rowId, ROW1, tx, 77, 3));
      expectFields(fx.storage.read(rowId, MAX_VALUE), {
        rowId, binaryRow: ROW1, transactionId: tx, commitZoneId: 77, commitPartitionId: 3,
        commitTimestamp: null, newestCommitTimestamp: null, isWriteIntent: true, isEmpty: false,
      });
    });

    it('copies the row: changing the caller\'s bytes afterwards changes nothing stored', () => {
      const bytes = new Uint8Array([1, 2, 3]);
      const rowId = fx.ops.insert({ schemaVersion: 1, bytes }, newTxId());
      bytes[0] = 99;
      expectRow(fx.ops.read(rowId, MAX_VALUE), { schemaVersion: 1, bytes: new Uint8Array([1, 2, 3]) });
    });

    it('stores and returns the schema version', () => {
      const rowId = fx.ops.insert(row('v7', 7), newTxId());
      expect(fx.ops.read(rowId, MAX_VALUE)?.schemaVersion).toBe(7);
    });

    it('an empty row (zero bytes) is a row, not a tombstone', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, { schemaVersion: 2, bytes: new Uint8Array(0) });
      expectFields(fx.storage.read(rowId, MAX_VALUE), { isEmpty: false, binaryRow: { schemaVersion: 2, bytes: new Uint8Array(0) } });
      expect(fx.storage.estimatedSize()).toBe(1);
    });

    it('repeated writes of one transaction followed by a commit leave one committed version', () => {
      const tx = newTxId();
      const rowId = RowId.random(MV_PARTITION);
      for (const r of [ROW1, ROW2, ROW1, ROW2]) fx.ops.addWrite(rowId, r, tx);
      fx.ops.commit(rowId, fx.clock.now(), tx);
      expectRow(fx.ops.read(rowId, fx.clock.now()), ROW2);
      expect(fx.ops.versions(rowId)).toHaveLength(1);
    });

    it('interleaved intents on two rows commit independently', () => {
      const [tx1, tx2] = [newTxId(), newTxId()];
      const [a, b] = [RowId.random(MV_PARTITION), RowId.random(MV_PARTITION)];
      fx.ops.addWrite(a, ROW1, tx1);
      fx.ops.addWrite(b, ROW1, tx2);
      fx.ops.addWrite(a, ROW2, tx1);
      fx.ops.commit(a, fx.clock.now(), tx1);
      fx.ops.commit(b, fx.clock.now(), tx2);
      expectRow(fx.ops.read(a, fx.clock.now()), ROW2);
      expectRow(fx.ops.read(b, fx.clock.now()), ROW1);
    });

    it('rejects a RowId of another partition and a malformed transaction id', () => {
      const other = RowId.random(MV_PARTITION + 1);
      expectThrows(() => fx.storage.runConsistently(() => fx.storage.addWrite(other, ROW1, newTxId(), COMMIT_ZONE_ID, 0)), InvalidArgumentError);
      const rowId = RowId.random(MV_PARTITION);
      expectThrows(() => fx.storage.runConsistently(() => fx.storage.addWrite(rowId, ROW1, 'not-a-uuid', COMMIT_ZONE_ID, 0)), InvalidArgumentError);
      expect(fx.storage.closestRowId(RowId.lowest(MV_PARTITION))).toBeNull();
    });
  });

  describe('addWriteCommitted', () => {
    it('on an empty chain adds a version committed at ts', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.clock.now();
      expectFields(fx.ops.addWriteCommitted(rowId, ROW1, ts), { status: 'SUCCESS', currentWriteIntentTxId: null, latestCommitTimestamp: null });
      expect(fx.ops.read(rowId, before(ts))).toBeNull();
      expectFields(fx.storage.read(rowId, ts), { binaryRow: ROW1, commitTimestamp: ts, isWriteIntent: false });
    });

    it('above committed versions keeps them readable at their timestamps', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts1 = fx.clock.now();
      fx.ops.addWriteCommitted(rowId, ROW1, ts1);
      expectFields(fx.ops.addWriteCommitted(rowId, ROW2, fx.clock.now()), { status: 'SUCCESS' });
      expectRow(fx.ops.read(rowId, fx.clock.now()), ROW2);
      expectRow(fx.ops.read(rowId, ts1), ROW1);
    });

    it('is WRITE_INTENT_EXISTS over an intent with no commits, and changes nothing', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      expectFields(fx.ops.addWriteCommitted(rowId, ROW2, fx.clock.now()), {
        status: 'WRITE_INTENT_EXISTS', currentWriteIntentTxId: tx, latestCommitTimestamp: null,
      });
      expect(fx.ops.versions(rowId)).toHaveLength(1);
    });

    it('is WRITE_INTENT_EXISTS naming the newest commit timestamp under the intent', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addWriteCommitted(rowId, ROW1, fx.clock.now());
      const newest = fx.clock.now();
      fx.ops.addWriteCommitted(rowId, ROW2, newest);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW3, tx);
      expectFields(fx.ops.addWriteCommitted(rowId, ROW3, fx.clock.now()), {
        status: 'WRITE_INTENT_EXISTS', currentWriteIntentTxId: tx, latestCommitTimestamp: newest,
      });
    });

    it('of a tombstone hides the row; on an absent or deleted row it leaves no version', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addWriteCommitted(rowId, null, fx.clock.now());
      expect(fx.ops.versions(rowId)).toEqual([]);
      fx.ops.addWriteCommitted(rowId, ROW1, fx.clock.now());
      expectRow(fx.ops.read(rowId, MAX_VALUE), ROW1);
      fx.ops.addWriteCommitted(rowId, null, fx.clock.now());
      expect(fx.ops.read(rowId, MAX_VALUE)).toBeNull();
      fx.ops.addWriteCommitted(rowId, null, fx.clock.now());
      expect(fx.ops.versions(rowId)).toHaveLength(2);
    });

    it('rejects a RowId of another partition', () => {
      expectThrows(() => fx.ops.addWriteCommitted(RowId.random(MV_PARTITION + 1), ROW1, fx.clock.now()), InvalidArgumentError);
    });
  });
}
