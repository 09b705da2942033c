/**
 * scan(ts) and scanVersions(rowId): order, visibility, committed(ts), and the cursor rules every SPI cursor follows:
 * next() past the end throws StorageError 'NO_SUCH_ELEMENT'; close() is idempotent and a closed cursor throws
 * StorageClosedError; for..of drains the cursor and leaving the loop early closes it.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, StorageClosedError, StorageError } from '../../../src/domain/shared/errors';
import { MAX_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../src/domain/storage/row-id';
import { expectThrows } from '../support/expect-errors';
import { expectFields } from '../support/expect-fields';
import { COMMIT_ZONE_ID } from '../support/mv-ops';
import { MV_PARTITION, type MvFixture } from '../support/mv-fixture';
import { expectRow, newTxId, row, rowPicture } from '../support/rows';
import { after, before } from '../support/test-clock';

const ROW1 = row('one');
const ROW2 = row('two');
const ROW3 = row('three');

const ids = (results: readonly { rowId: RowId }[]): string[] => results.map((r) => r.rowId.toString());

export function describeScanCases(fx: MvFixture): void {
  const scanTimestamps: Array<[string, () => bigint]> = [['now', () => fx.clock.now()], ['MAX_VALUE', () => MAX_VALUE]];

  describe('scan', () => {
    it.each(scanTimestamps)('over an empty partition finds nothing (at %s)', (_, ts) => {
      expect(fx.ops.scan(ts())).toEqual([]);
    });

    it('returns rows in RowId order: partition, then signed msb, then signed lsb', () => {
      const rowIds = [
        new RowId(MV_PARTITION, 5n, 1n), new RowId(MV_PARTITION, -5n, 0n), RowId.highest(MV_PARTITION),
        new RowId(MV_PARTITION, 5n, -1n), RowId.lowest(MV_PARTITION), new RowId(MV_PARTITION, 0n, 0n),
      ];
      for (const rowId of rowIds) fx.ops.addAndCommit(rowId, ROW1);
      const sorted = [...rowIds].sort((a, b) => a.compareTo(b));
      expect(ids(fx.ops.scan(MAX_VALUE))).toEqual(ids(sorted.map((rowId) => ({ rowId }))));
      expect(sorted[0]!.equals(RowId.lowest(MV_PARTITION))).toBe(true);
      expect(sorted[1]!.mostSignificantBits).toBe(-5n);
    });

    it('sees each row as of ts', () => {
      const tx = newTxId();
      const a = new RowId(MV_PARTITION, 1n, 0n);
      const b = new RowId(MV_PARTITION, 2n, 0n);
      fx.ops.addWrite(a, ROW1, tx);
      fx.ops.addWrite(b, ROW2, tx);
      const ts1 = fx.clock.now();
      const ts2 = fx.clock.now();
      fx.ops.commit(a, ts2, tx);
      const ts3 = fx.clock.now();
      const ts4 = fx.clock.now();
      fx.ops.commit(b, ts4, tx);
      const texts = (ts: bigint) => fx.ops.scan(ts).map((r) => rowPicture(r.binaryRow));
      expect(texts(ts1)).toEqual([]);
      expect(texts(ts2)).toEqual([rowPicture(ROW1)]);
      expect(texts(ts3)).toEqual([rowPicture(ROW1)]);
      expect(texts(ts4)).toEqual([rowPicture(ROW1), rowPicture(ROW2)]);
      expect(texts(MAX_VALUE)).toEqual([rowPicture(ROW1), rowPicture(ROW2)]);
    });

    it.each(scanTimestamps)('includes an uncommitted tombstone as an empty write intent (at %s)', (_, ts) => {
      const rowId = RowId.random(MV_PARTITION);
      const commitTs = fx.ops.addAndCommit(rowId, ROW1);
      fx.ops.addWrite(rowId, null, newTxId());
      const results = fx.ops.scan(ts());
      expect(results).toHaveLength(1);
      expectFields(results[0], { rowId, binaryRow: null, isWriteIntent: true, newestCommitTimestamp: commitTs });
    });

    it.each(scanTimestamps)('skips committed tombstones (at %s)', (_, ts) => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, ROW1);
      fx.ops.addAndCommit(rowId, null);
      expect(fx.ops.scan(ts())).toEqual([]);
    });

    it.each(scanTimestamps)('includes an intent with no commit under it (at %s)', (_, ts) => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      expect(fx.ops.scan(ts()).map((r) => [r.rowId.toString(), r.isWriteIntent, r.transactionId])).toEqual([[rowId.toString(), true, tx]]);
    });

    it.each(scanTimestamps)('after commit, abort and a new intent returns the new intent (at %s)', (_, ts) => {
      const rowId = RowId.random(MV_PARTITION);
      fx.ops.addAndCommit(rowId, ROW1);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW2, tx);
      fx.ops.abort(rowId, tx);
      fx.ops.addWrite(rowId, ROW3, newTxId());
      const results = fx.ops.scan(ts());
      expect(ids(results)).toEqual([rowId.toString()]);
      expectRow(results[0]!.binaryRow, ROW3);
    });
  });

  describe('scan cursor: reuseRows()', () => {
    it('still gives every row right when read before the next step; committed() rows and other reads stay the caller\'s', () => {
      const texts = Array.from({ length: 300 }, (_, i) => `row ${i} ${'x'.repeat(i % 50)}`);
      const rowIds = texts.map((_, i) => new RowId(MV_PARTITION, BigInt(i), 0n));
      const commits = texts.map((t, i) => fx.ops.addAndCommit(rowIds[i]!, row(t)));
      fx.ops.addWrite(rowIds[7]!, row('an intent'), newTxId());
      const cursor = fx.ops.openScan(MAX_VALUE);
      const kept: Array<{ got: ReturnType<typeof cursor.committed>; want: string }> = [];
      try {
        cursor.reuseRows?.();
        for (let i = 0; i < texts.length; i++) {
          const r = cursor.next();
          expect(r.rowId.equals(rowIds[i]!)).toBe(true);
          expectRow(r.binaryRow, row(i === 7 ? 'an intent' : texts[i]!), `row ${i} as it is read`);
          if (i % 10 === 0) kept.push({ got: cursor.committed(commits[i]!), want: texts[i]! });
          if (i % 25 === 0) kept.push({ got: fx.storage.read(rowIds[i]!, MAX_VALUE).binaryRow, want: i === 7 ? 'an intent' : texts[i]! });
        }
        expect(cursor.hasNext()).toBe(false);
      } finally {
        cursor.close();
      }
      for (const k of kept) expectRow(k.got, row(k.want), 'a row kept across steps');
    });
  });

  describe('scan cursor: committed(ts)', () => {
    function committedAndIntent(msb: bigint, committedRow = ROW1, intentRow = ROW2) {
      const rowId = new RowId(MV_PARTITION, msb, 0n);
      const commitTs = fx.ops.addAndCommit(rowId, committedRow);
      fx.ops.addWrite(rowId, intentRow, newTxId());
      return { rowId, commitTs };
    }

    it('re-reads the current row as of any ts', () => {
      const first = committedAndIntent(10n, ROW1, ROW2);
      const second = committedAndIntent(20n, ROW3, ROW1);
      const cursor = fx.ops.openScan(fx.clock.now());
      try {
        for (const [rec, committedRow, intentRow] of [[first, ROW1, ROW2], [second, ROW3, ROW1]] as const) {
          const result = cursor.next();
          expectFields(result, { rowId: rec.rowId, isWriteIntent: true, isEmpty: false, binaryRow: intentRow });
          expectRow(cursor.committed(rec.commitTs), committedRow, 'at the commit');
          expect(cursor.committed(before(rec.commitTs)), 'before the commit').toBeNull();
          expectRow(cursor.committed(after(rec.commitTs)), intentRow, 'after the newest commit');
        }
        expect(cursor.hasNext()).toBe(false);
      } finally {
        cursor.close();
      }
    });

    it('throws StorageError NO_CURRENT_ROW before the first next() and after exhaustion', () => {
      const { commitTs } = committedAndIntent(1n);
      const cursor = fx.ops.openScan(fx.clock.now());
      try {
        expectThrows(() => cursor.committed(commitTs), StorageError, 'NO_CURRENT_ROW', 'before next()');
        cursor.next();
        expect(cursor.hasNext()).toBe(false);
        expectThrows(() => cursor.committed(commitTs), StorageError, 'NO_CURRENT_ROW', 'after exhaustion');
      } finally {
        cursor.close();
      }
    });

    it.each(scanTimestamps)('does not disturb the iteration (at %s)', (_, ts) => {
      const a = new RowId(MV_PARTITION, 0n, 0n);
      const tx = newTxId();
      fx.ops.addWrite(a, ROW1, tx);
      const commitTs = fx.clock.now();
      fx.ops.commit(a, commitTs, tx);
      fx.ops.addWrite(new RowId(MV_PARTITION, 0n, 1n), ROW2, tx);
      const cursor = fx.ops.openScan(ts());
      try {
        cursor.next();
        expectRow(cursor.committed(commitTs), ROW1);
        expectRow(cursor.next().binaryRow, ROW2);
        expect(cursor.hasNext()).toBe(false);
      } finally {
        cursor.close();
      }
    });
  });

  describe('cursor rules', () => {
    function twoRows(): void {
      fx.ops.addAndCommit(new RowId(MV_PARTITION, 1n, 1n), ROW1);
      fx.ops.addAndCommit(new RowId(MV_PARTITION, 2n, 2n), ROW2);
    }

    it('hasNext() is idempotent; next() past the end throws StorageError NO_SUCH_ELEMENT', () => {
      twoRows();
      const cursor = fx.ops.openScan(MAX_VALUE);
      try {
        expect([cursor.hasNext(), cursor.hasNext()]).toEqual([true, true]);
        expectRow(cursor.next().binaryRow, ROW1);
        expect([cursor.hasNext(), cursor.hasNext()]).toEqual([true, true]);
        expectRow(cursor.next().binaryRow, ROW2);
        expect([cursor.hasNext(), cursor.hasNext()]).toEqual([false, false]);
        expectThrows(() => cursor.next(), StorageError, 'NO_SUCH_ELEMENT');
        expect(cursor.hasNext()).toBe(false);
      } finally {
        cursor.close();
      }
    });

    it('next() works without hasNext()', () => {
      twoRows();
      const cursor = fx.ops.openScan(MAX_VALUE);
      try {
        expectRow(cursor.next().binaryRow, ROW1);
        expectRow(cursor.next().binaryRow, ROW2);
        expectThrows(() => cursor.next(), StorageError, 'NO_SUCH_ELEMENT');
      } finally {
        cursor.close();
      }
    });

    it('for..of drains the cursor in order', () => {
      twoRows();
      const cursor = fx.ops.openScan(MAX_VALUE);
      const seen = [];
      for (const r of cursor) seen.push(rowPicture(r.binaryRow));
      expect(seen).toEqual([rowPicture(ROW1), rowPicture(ROW2)]);
      cursor.close();
    });

    it('leaving a for..of loop early closes the cursor', () => {
      twoRows();
      const cursor = fx.ops.openScan(MAX_VALUE);
      for (const r of cursor) {
        expectRow(r.binaryRow, ROW1);
        break;
      }
      expectThrows(() => cursor.hasNext(), StorageClosedError);
    });

    it('close() is idempotent and a closed cursor throws StorageClosedError', () => {
      twoRows();
      for (const cursor of [fx.ops.openScan(MAX_VALUE), fx.storage.scanVersions(new RowId(MV_PARTITION, 1n, 1n))]) {
        cursor.close();
        cursor.close();
        expectThrows(() => cursor.hasNext(), StorageClosedError, undefined, 'hasNext');
        expectThrows(() => cursor.next(), StorageClosedError, undefined, 'next');
      }
    });
  });

  describe('scanVersions', () => {
    it('returns every version newest first, tombstones included, and only of that RowId', () => {
      const rowId = new RowId(MV_PARTITION, 100n, 0n);
      const stamps = [ROW1, ROW2, null].map((r) => fx.ops.addAndCommit(rowId, r));
      fx.ops.addAndCommit(new RowId(MV_PARTITION, 99n, 0n), ROW3);
      fx.ops.addAndCommit(new RowId(MV_PARTITION, 101n, 0n), ROW3);
      const versions = fx.ops.versions(rowId);
      expect(ids(versions)).toEqual([rowId, rowId, rowId].map((r) => r.toString()));
      expect(versions.map((v) => rowPicture(v.binaryRow))).toEqual([null, rowPicture(ROW2), rowPicture(ROW1)]);
      expect(versions.map((v) => v.commitTimestamp)).toEqual([...stamps].reverse());
    });

    it('returns the intent first, as an intent, then the committed versions', () => {
      const rowId = new RowId(MV_PARTITION, 100n, 0n);
      const ts = fx.ops.addAndCommit(rowId, ROW1);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW2, tx);
      const [intent, committed, ...rest] = fx.ops.versions(rowId);
      expect(rest).toEqual([]);
      expectFields(intent, {
        rowId, binaryRow: ROW2, isWriteIntent: true, transactionId: tx, commitZoneId: COMMIT_ZONE_ID,
        commitPartitionId: MV_PARTITION, commitTimestamp: null, newestCommitTimestamp: null,
      });
      expectFields(committed, {
        rowId, binaryRow: ROW1, isWriteIntent: false, transactionId: null, commitZoneId: null, commitPartitionId: -1,
        commitTimestamp: ts, newestCommitTimestamp: null,
      });
    });

    it('of an absent row is empty; of another partition\'s RowId throws InvalidArgumentError', () => {
      expect(fx.ops.versions(RowId.random(MV_PARTITION))).toEqual([]);
      expectThrows(() => fx.storage.scanVersions(RowId.random(MV_PARTITION + 1)), InvalidArgumentError);
    });
  });
}
