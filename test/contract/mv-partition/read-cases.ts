/** read(rowId, ts): visibility of committed versions and write intents, result fields, sizes (DESIGN.md §6.1). */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import { MAX_VALUE, MIN_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../src/domain/storage/row-id';
import { expectThrows } from '../support/expect-errors';
import { emptyReadFields, expectFields } from '../support/expect-fields';
import { MV_PARTITION, type MvFixture } from '../support/mv-fixture';
import { bigRow, expectRow, newTxId, row } from '../support/rows';
import { after, before } from '../support/test-clock';

const ROW1 = row('first');
const ROW2 = row('second');
const ROW3 = row('third');

export function describeReadCases(fx: MvFixture): void {
  describe('read', () => {
    it('of an absent row is an empty result with every field present', () => {
      const rowId = RowId.random(MV_PARTITION);
      expectFields(fx.storage.read(rowId, fx.clock.now()), emptyReadFields(rowId));
      expectFields(fx.storage.read(rowId, MAX_VALUE), emptyReadFields(rowId));
    });

    it('before the first commit finds nothing; at and after it finds the row', () => {
      const early = fx.clock.now();
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.ops.addAndCommit(rowId, ROW1);
      expectFields(fx.storage.read(rowId, early), emptyReadFields(rowId));
      expectRow(fx.ops.read(rowId, ts), ROW1);
      expectRow(fx.ops.read(rowId, fx.clock.now()), ROW1);
      expectRow(fx.ops.read(rowId, MAX_VALUE), ROW1);
    });

    it('picks the newest version committed at or before ts', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts1 = fx.ops.addAndCommit(rowId, ROW1);
      const between = fx.clock.now();
      const ts2 = fx.ops.addAndCommit(rowId, ROW2);
      const ts3 = fx.ops.addAndCommit(rowId, ROW3);
      expectRow(fx.ops.read(rowId, ts1), ROW1);
      expectRow(fx.ops.read(rowId, between), ROW1);
      expectRow(fx.ops.read(rowId, before(ts2)), ROW1);
      expectRow(fx.ops.read(rowId, ts2), ROW2);
      expectRow(fx.ops.read(rowId, before(ts3)), ROW2);
      expectRow(fx.ops.read(rowId, ts3), ROW3);
      expectFields(fx.storage.read(rowId, between), { commitTimestamp: ts1 });
      expectFields(fx.storage.read(rowId, MAX_VALUE), { commitTimestamp: ts3 });
    });

    it('returns a write intent with no commit under it at any timestamp', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      for (const ts of [MIN_VALUE, fx.clock.now(), MAX_VALUE]) {
        expectFields(fx.storage.read(rowId, ts), {
          rowId, binaryRow: ROW1, transactionId: tx, isWriteIntent: true, newestCommitTimestamp: null, commitTimestamp: null,
        });
      }
    });

    it('returns the intent above commits only after the newest commit (or at MAX)', () => {
      const early = fx.clock.now();
      const rowId = RowId.random(MV_PARTITION);
      const first = fx.ops.addAndCommit(rowId, ROW1);
      const between = fx.clock.now();
      const second = fx.ops.addAndCommit(rowId, ROW2);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW3, tx);
      expectFields(fx.storage.read(rowId, early), emptyReadFields(rowId));
      expectFields(fx.storage.read(rowId, first), { binaryRow: ROW1, isWriteIntent: false, newestCommitTimestamp: null });
      expectFields(fx.storage.read(rowId, between), { binaryRow: ROW1, newestCommitTimestamp: null });
      expectFields(fx.storage.read(rowId, second), { binaryRow: ROW2, isWriteIntent: false, newestCommitTimestamp: null });
      const intent = { binaryRow: ROW3, isWriteIntent: true, transactionId: tx, newestCommitTimestamp: second, commitTimestamp: null };
      expectFields(fx.storage.read(rowId, after(second)), intent);
      expectFields(fx.storage.read(rowId, MAX_VALUE), intent);
    });

    it('of a tombstone intent above a commit is an empty write intent naming the newest commit', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.ops.addAndCommit(rowId, ROW1);
      fx.ops.addWrite(rowId, null, newTxId());
      expectFields(fx.storage.read(rowId, fx.clock.now()), { binaryRow: null, isEmpty: true, isWriteIntent: true, newestCommitTimestamp: ts });
    });

    it('of a tombstone intent alone is an empty write intent with no newest commit', () => {
      const rowId = fx.ops.insert(null, newTxId());
      expectFields(fx.storage.read(rowId, fx.clock.now()), { binaryRow: null, isEmpty: true, isWriteIntent: true, newestCommitTimestamp: null });
    });

    it('of a committed tombstone is empty and names the tombstone\'s commit timestamp', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, ROW1);
      const ts = fx.ops.addAndCommit(rowId, null);
      expectFields(fx.storage.read(rowId, after(ts)), {
        rowId, binaryRow: null, isEmpty: true, isWriteIntent: false, transactionId: null, commitTimestamp: ts,
      });
    });

    it('of a RowId next to written ones finds nothing', () => {
      const lower = new RowId(MV_PARTITION, 10n, -1n);
      const middle = new RowId(MV_PARTITION, 10n, 0n);
      const higher = new RowId(MV_PARTITION, 10n, 1n);
      fx.ops.addAndCommit(middle, ROW1);
      fx.ops.addWrite(middle, ROW2, newTxId());
      expect(fx.ops.read(lower, MAX_VALUE)).toBeNull();
      expect(fx.ops.read(higher, MAX_VALUE)).toBeNull();
      expect(fx.ops.read(lower, fx.clock.now())).toBeNull();
    });

    it('keeps neighbours apart: an intent on a lower RowId does not leak into a committed higher one', () => {
      const higher = new RowId(MV_PARTITION, 7n, 0n);
      const lower = new RowId(MV_PARTITION, 6n, -1n);
      const tx = newTxId();
      fx.ops.addWrite(lower, ROW2, tx);
      fx.ops.addWrite(higher, ROW1, tx);
      fx.ops.commit(higher, fx.clock.now(), tx);
      expectRow(fx.ops.read(higher, fx.clock.now()), ROW1);
      expectRow(fx.ops.read(lower, fx.clock.now()), ROW2);
    });

    it('works at the extreme RowIds of the partition', () => {
      const lowest = RowId.lowest(MV_PARTITION);
      const highest = RowId.highest(MV_PARTITION);
      fx.ops.addAndCommit(lowest, ROW1);
      fx.ops.addAndCommit(highest, ROW2);
      expectRow(fx.ops.read(lowest, MAX_VALUE), ROW1);
      expectRow(fx.ops.read(highest, MAX_VALUE), ROW2);
      expect(fx.storage.highestRowId()?.equals(highest)).toBe(true);
      expect(fx.storage.closestRowId(lowest)?.equals(lowest)).toBe(true);
    });

    it('rejects a RowId of another partition', () => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, ROW1);
      const other = new RowId(MV_PARTITION + 1, rowId.mostSignificantBits, rowId.leastSignificantBits);
      expectThrows(() => fx.storage.read(other, fx.clock.now()), InvalidArgumentError);
    });

    it('reads back many rows written in random RowId order', () => {
      const written = Array.from({ length: 300 }, (_, i) => ({ rowId: RowId.random(MV_PARTITION), r: row(`row ${i}`) }));
      for (const w of written) fx.ops.addAndCommit(w.rowId, w.r);
      const ts = fx.clock.now();
      for (const w of written) expectRow(fx.ops.read(w.rowId, ts), w.r);
      expect(fx.storage.estimatedSize()).toBe(300);
    });
  });

  describe('rows of every size', () => {
    const sizes = (large: number): number[] => [0, 1, 100, 1000, 4095, 4096, 4097, 8192, 16_384, 16_385, large, 2 * large + 3];

    it('committed versions and intents of sizes up to beyond a page read back intact', () => {
      for (const [i, size] of sizes(fx.engineFixture.largeValueBytes).entries()) {
        const rowId = RowId.random(MV_PARTITION);
        const committed = bigRow(size, i + 1, 3);
        const ts = fx.ops.addAndCommit(rowId, committed);
        const intent = bigRow(size + 7, i + 100, 4);
        fx.ops.addWrite(rowId, intent, newTxId());
        expectRow(fx.ops.read(rowId, ts), committed, `committed row of ${size} bytes`);
        expectRow(fx.ops.read(rowId, MAX_VALUE), intent, `intent of ${size + 7} bytes`);
      }
    });

    it('a large row can be replaced by a small one and back, and every version stays readable', () => {
      const rowId = RowId.random(MV_PARTITION);
      const large = bigRow(fx.engineFixture.largeValueBytes, 5);
      const ts1 = fx.ops.addAndCommit(rowId, large);
      const ts2 = fx.ops.addAndCommit(rowId, ROW1);
      const ts3 = fx.ops.addAndCommit(rowId, bigRow(fx.engineFixture.largeValueBytes + 1, 6));
      expectRow(fx.ops.read(rowId, ts1), large);
      expectRow(fx.ops.read(rowId, ts2), ROW1);
      expectRow(fx.ops.read(rowId, ts3), bigRow(fx.engineFixture.largeValueBytes + 1, 6));
    });
  });
}
