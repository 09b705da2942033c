/**
 * The GC contract of MvPartitionStorage (after Apache Ignite 3's AbstractMvPartitionStorageGcTest).
 *
 * The GC queue holds one entry (RowId, commit ts) per committed version that has an older version under it;
 * peek(lw, n) lists the first n entries with timestamp <= lw, ordered by timestamp then RowId. vacuum(entry)
 * removes the version(s) older than the one committed at entry.timestamp and returns the newest removed row;
 * when the entry's own version is a tombstone, that tombstone goes too ("a tombstone left alone is removed with
 * its last value"). vacuum of an entry no longer queued returns null and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { MAX_VALUE, MIN_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../src/domain/storage/row-id';
import type { ContractFactory, ContractSupports } from './contract-factory';
import { expectFields } from './support/expect-fields';
import { MV_PARTITION, useMvFixture } from './support/mv-fixture';
import { expectRow, newTxId, row } from './support/rows';
import { before } from './support/test-clock';

const ROW_ID = new RowId(MV_PARTITION, 1n, 1n);
const ROW1 = row('gc one');
const ROW2 = row('gc two');
const ROW3 = row('gc three');

export function describeMvPartitionGcContract(name: string, factory: ContractFactory, supports: ContractSupports = {}): void {
  describe(`${name}: MvPartitionStorage GC contract`, () => {
    const fx = useMvFixture(factory, supports);
    const entries = (lw: bigint, count: number) => fx.storage.peek(lw, count).map((e) => `${e.rowId}@${e.timestamp}`);
    const entry = (rowId: RowId, ts: bigint) => `${rowId}@${ts}`;

    it('an empty partition has nothing to vacuum', () => {
      expect(fx.storage.peek(MAX_VALUE, 10)).toEqual([]);
      expect(fx.ops.pollForVacuum(fx.clock.now())).toBeNull();
    });

    it('a single committed version is not garbage', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      expect(fx.ops.pollForVacuum(MAX_VALUE)).toBeNull();
    });

    it('an overwritten version becomes garbage once the low watermark reaches the newer commit', () => {
      const first = fx.ops.addAndCommit(ROW_ID, ROW1);
      const between = fx.clock.now();
      const second = fx.ops.addAndCommit(ROW_ID, ROW2);
      expect(fx.ops.pollForVacuum(first)).toBeNull();
      expect(fx.ops.pollForVacuum(between)).toBeNull();
      expect(fx.ops.pollForVacuum(before(second))).toBeNull();
      const polled = fx.ops.pollForVacuum(second);
      expect(polled?.rowId.equals(ROW_ID)).toBe(true);
      expectRow(polled?.row, ROW1);
      expect(fx.ops.read(ROW_ID, first)).toBeNull();
      expectRow(fx.ops.read(ROW_ID, second), ROW2);
      expect(fx.ops.versions(ROW_ID)).toHaveLength(1);
      expect(fx.ops.pollForVacuum(MAX_VALUE)).toBeNull();
    });

    it('vacuuming the value under a tombstone removes the tombstone too, and the row disappears', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      const tombstone = fx.ops.addAndCommit(ROW_ID, null);
      expectRow(fx.ops.pollForVacuum(tombstone)?.row, ROW1);
      expect(fx.ops.read(ROW_ID, tombstone)).toBeNull();
      expect(fx.ops.pollForVacuum(MAX_VALUE)).toBeNull();
      expect(fx.storage.closestRowId(ROW_ID)).toBeNull();
      expect(fx.storage.highestRowId()).toBeNull();
      expect(fx.ops.versions(ROW_ID)).toEqual([]);
    });

    it('a second tombstone adds nothing, and one vacuum empties the row', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      fx.ops.addAndCommit(ROW_ID, null);
      const last = fx.ops.addAndCommit(ROW_ID, null);
      expectRow(fx.ops.pollForVacuum(last)?.row, ROW1);
      expect(fx.ops.pollForVacuum(MAX_VALUE)).toBeNull();
      expect(fx.storage.highestRowId()).toBeNull();
    });

    it('old versions are vacuumed oldest first', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      fx.ops.addAndCommit(ROW_ID, ROW2);
      const lw = fx.ops.addAndCommit(ROW_ID, null);
      expectRow(fx.ops.pollForVacuum(lw)?.row, ROW1);
      expectRow(fx.ops.pollForVacuum(lw)?.row, ROW2);
      expect(fx.ops.pollForVacuum(lw)).toBeNull();
    });

    it.each([['commitWrite'], ['addWriteCommitted']])('a first tombstone leaves nothing to vacuum (%s)', (how) => {
      const put = (r: typeof ROW1 | null) =>
        how === 'commitWrite' ? fx.ops.addAndCommit(ROW_ID, r) : fx.ops.addWriteCommitted(ROW_ID, r, fx.clock.now());
      put(null);
      put(ROW1);
      put(ROW2);
      expect(fx.storage.peek(MAX_VALUE, 10)).toHaveLength(1);
      expectRow(fx.ops.pollForVacuum(MAX_VALUE)?.row, ROW1);
    });

    it('after tombstone, aborted intent and GC, the row can be written again', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      fx.ops.addAndCommit(ROW_ID, null);
      const tx = newTxId();
      fx.ops.addWrite(ROW_ID, ROW2, tx);
      fx.ops.abort(ROW_ID, tx);
      fx.ops.pollForVacuum(MAX_VALUE);
      const ts = fx.ops.addAndCommit(ROW_ID, ROW1);
      expectRow(fx.ops.read(ROW_ID, ts), ROW1);
    });

    it('a value under a tombstone under a newer value: one vacuum removes both, the newer value stays', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      fx.ops.addAndCommit(ROW_ID, null);
      const newer = fx.ops.addAndCommit(ROW_ID, ROW2);
      const tx = newTxId();
      fx.ops.addWrite(ROW_ID, ROW3, tx);
      expectRow(fx.ops.pollForVacuum(MAX_VALUE)?.row, ROW1);
      expect(fx.ops.pollForVacuum(MAX_VALUE)).toBeNull();
      expectRow(fx.ops.read(ROW_ID, newer), ROW2);
      expectFields(fx.storage.read(ROW_ID, MAX_VALUE), { isWriteIntent: true, transactionId: tx, newestCommitTimestamp: newer });
      expect(fx.ops.versions(ROW_ID)).toHaveLength(2);
    });

    it('vacuuming a tombstone chain under an intent leaves the intent alone, readable at any ts', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      const tombstone = fx.ops.addAndCommit(ROW_ID, null);
      const tx = newTxId();
      fx.ops.addWrite(ROW_ID, ROW2, tx);
      expectRow(fx.ops.pollForVacuum(tombstone)?.row, ROW1);
      expectFields(fx.storage.read(ROW_ID, MIN_VALUE), { isWriteIntent: true, binaryRow: ROW2, newestCommitTimestamp: null });
      expect(fx.ops.versions(ROW_ID)).toHaveLength(1);
    });

    it('peek lists the entries due at the low watermark, limited by count', () => {
      const ts0 = fx.clock.now();
      fx.ops.addWriteCommitted(ROW_ID, ROW1, ts0);
      const ts1 = fx.clock.now();
      fx.ops.addWriteCommitted(ROW_ID, ROW1, ts1);
      const ts2 = fx.clock.now();
      fx.ops.addWriteCommitted(ROW_ID, ROW1, ts2);
      const [e1, e2] = [entry(ROW_ID, ts1), entry(ROW_ID, ts2)];
      const cases: Array<[bigint, number, string[]]> = [
        [MAX_VALUE, 0, []], [MAX_VALUE, 1, [e1]], [MAX_VALUE, 2, [e1, e2]], [MAX_VALUE, 3, [e1, e2]],
        [MIN_VALUE, 3, []], [ts0, 3, []], [before(ts1), 3, []], [ts1, 0, []], [ts1, 1, [e1]], [ts1, 3, [e1]],
        [ts2, 1, [e1]], [ts2, 3, [e1, e2]], [ts2, -1, []],
      ];
      for (const [lw, count, expected] of cases) expect(entries(lw, count), `peek(${lw}, ${count})`).toEqual(expected);
    });

    it('peek orders entries by timestamp, then by RowId', () => {
      const a = new RowId(MV_PARTITION, -9n, 0n);
      const b = new RowId(MV_PARTITION, 3n, 0n);
      for (const rowId of [a, b]) fx.ops.addWriteCommitted(rowId, ROW1, fx.clock.now());
      const [t1, t2, t3] = [fx.clock.now(), fx.clock.now(), fx.clock.now()];
      fx.ops.addWriteCommitted(b, ROW2, t1);
      fx.ops.addWriteCommitted(a, ROW2, t2);
      fx.ops.addWriteCommitted(b, ROW3, t3);
      fx.ops.addWriteCommitted(a, ROW3, t3);
      expect(entries(MAX_VALUE, 10)).toEqual([entry(b, t1), entry(a, t2), entry(a, t3), entry(b, t3)]);
      expect(entries(t2, 10)).toEqual([entry(b, t1), entry(a, t2)]);
    });

    it('write intents and aborted writes create no entries; commits do', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      const tx = newTxId();
      fx.ops.addWrite(ROW_ID, ROW2, tx);
      expect(fx.storage.peek(MAX_VALUE, 10)).toEqual([]);
      fx.ops.abort(ROW_ID, tx);
      expect(fx.storage.peek(MAX_VALUE, 10)).toEqual([]);
      fx.ops.addWrite(ROW_ID, ROW2, tx);
      const ts = fx.clock.now();
      fx.ops.commit(ROW_ID, ts, tx);
      expect(entries(MAX_VALUE, 10)).toEqual([entry(ROW_ID, ts)]);
    });

    it('vacuum of an entry no longer queued returns null and changes nothing', () => {
      fx.ops.addAndCommit(ROW_ID, ROW1);
      fx.ops.addAndCommit(ROW_ID, ROW2);
      const [e] = fx.storage.peek(MAX_VALUE, 1);
      const vacuum = (gc: typeof e) => fx.storage.runConsistently((locker) => {
        locker.lock(gc!.rowId);
        return fx.storage.vacuum(gc!);
      });
      expectRow(vacuum(e), ROW1);
      expect(vacuum(e)).toBeNull();
      expect(vacuum({ rowId: ROW_ID, timestamp: e!.timestamp + 5n })).toBeNull();
      expect(fx.ops.versions(ROW_ID)).toHaveLength(1);
      expectRow(fx.ops.read(ROW_ID, MAX_VALUE), ROW2);
    });

    it('GC never changes the estimated size', () => {
      const other = new RowId(MV_PARTITION, 2n, 2n);
      fx.ops.addAndCommit(ROW_ID, ROW1);
      fx.ops.addAndCommit(ROW_ID, ROW2);
      fx.ops.addAndCommit(other, ROW1);
      fx.ops.addAndCommit(other, null);
      expect(fx.storage.estimatedSize()).toBe(1);
      while (fx.ops.vacuumOne(MAX_VALUE) !== null);
      expect(fx.storage.estimatedSize()).toBe(1);
      expect(fx.ops.scan(MAX_VALUE).map((r) => r.rowId.toString())).toEqual([ROW_ID.toString()]);
    });

    it('vacuums many rows in queue order and leaves only the newest versions', () => {
      const rowIds = Array.from({ length: 50 }, (_, i) => new RowId(MV_PARTITION, BigInt(i - 25), BigInt(i)));
      for (let round = 0; round < 3; round++) for (const rowId of rowIds) fx.ops.addAndCommit(rowId, row(`r${round}`));
      const lw = fx.clock.now();
      const timestamps = fx.storage.peek(lw, 1000).map((e) => e.timestamp);
      expect(timestamps).toHaveLength(100);
      expect([...timestamps].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(timestamps);
      let vacuumed = 0;
      while (fx.ops.pollForVacuum(lw) !== null) vacuumed++;
      expect(vacuumed).toBe(100);
      for (const rowId of rowIds) expect(fx.ops.versions(rowId).map((v) => v.binaryRow && new TextDecoder().decode(v.binaryRow.bytes))).toEqual(['r2']);
    });
  });
}
