/**
 * closestRowId / highestRowId, estimatedSize, lastApplied, committedGroupConfiguration, the lease, runConsistently and
 * flush of an MV partition (DESIGN.md §6, §6.1).
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import { MAX_VALUE, MIN_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../src/domain/storage/row-id';
import type { Locker } from '../../../src/domain/storage/storage-engine.api';
import { expectThrows } from '../support/expect-errors';
import { MV_PARTITION, type MvFixture } from '../support/mv-fixture';
import { newTxId, row } from '../support/rows';

const ROW1 = row('a');
const ROW2 = row('b');

export function describeMetaCases(fx: MvFixture): void {
  describe('closestRowId / highestRowId', () => {
    it('closestRowId finds the first row at or after the bound, intents included', () => {
      const r0 = new RowId(MV_PARTITION, 1n, -1n);
      const r1 = new RowId(MV_PARTITION, 1n, 0n);
      const r2 = new RowId(MV_PARTITION, 1n, 1n);
      const tx = newTxId();
      fx.ops.addWrite(r1, ROW1, tx);
      fx.ops.addWrite(r2, ROW2, tx);
      const closest = (b: RowId) => fx.storage.closestRowId(b)?.toString() ?? null;
      expect(closest(r0)).toBe(r1.toString());
      expect(closest(RowId.lowest(MV_PARTITION))).toBe(r1.toString());
      expect(closest(r1)).toBe(r1.toString());
      expect(closest(r2)).toBe(r2.toString());
      expect(closest(r2.increment()!)).toBeNull();
    });

    it('closestRowId rejects a bound of another partition', () => {
      expectThrows(() => fx.storage.closestRowId(RowId.lowest(MV_PARTITION + 1)), InvalidArgumentError);
    });

    it('highestRowId is null when empty and follows the signed RowId order', () => {
      expect(fx.storage.highestRowId()).toBeNull();
      const tx = newTxId();
      fx.ops.addWrite(new RowId(MV_PARTITION, -3n, 0n), ROW1, tx);
      expect(fx.storage.highestRowId()?.mostSignificantBits).toBe(-3n);
      fx.ops.addWrite(new RowId(MV_PARTITION, 2n, -9n), ROW1, tx);
      expect(fx.storage.highestRowId()?.toString()).toBe(new RowId(MV_PARTITION, 2n, -9n).toString());
      fx.ops.addWrite(new RowId(MV_PARTITION, 2n, -10n), ROW1, tx);
      expect(fx.storage.highestRowId()?.leastSignificantBits).toBe(-9n);
    });

    it('rows that lost their only version disappear from both', () => {
      const tx = newTxId();
      const rowId = fx.ops.insert(ROW1, tx);
      expect(fx.storage.highestRowId()?.equals(rowId)).toBe(true);
      fx.ops.abort(rowId, tx);
      expect(fx.storage.highestRowId()).toBeNull();
      expect(fx.storage.closestRowId(RowId.lowest(MV_PARTITION))).toBeNull();
    });
  });

  describe('estimatedSize', () => {
    const rowId = new RowId(MV_PARTITION, 42n, 42n);

    it('counts committed rows, not intents; a committed tombstone uncounts', () => {
      const size = () => fx.storage.estimatedSize();
      expect(size()).toBe(0);
      const tx = newTxId();
      fx.ops.addWrite(rowId, ROW1, tx);
      expect(size()).toBe(0);
      fx.ops.commit(rowId, fx.clock.now(), tx);
      expect(size()).toBe(1);
      const tx2 = newTxId();
      fx.ops.addWrite(rowId, null, tx2);
      expect(size()).toBe(1);
      fx.ops.commit(rowId, fx.clock.now(), tx2);
      expect(size()).toBe(0);
    });

    it('follows addWriteCommitted rows and tombstones', () => {
      fx.ops.addWriteCommitted(rowId, ROW1, fx.clock.now());
      expect(fx.storage.estimatedSize()).toBe(1);
      fx.ops.addWriteCommitted(rowId, null, fx.clock.now());
      expect(fx.storage.estimatedSize()).toBe(0);
      fx.ops.addWriteCommitted(rowId, ROW2, fx.clock.now());
      expect(fx.storage.estimatedSize()).toBe(1);
    });

    it('never falls below zero (addWriteCommitted tombstones)', () => {
      const steps: Array<[typeof ROW1 | null, number]> = [[null, 0], [ROW1, 1], [null, 0], [null, 0]];
      for (const [r, expected] of steps) {
        fx.ops.addWriteCommitted(rowId, r, fx.clock.now());
        expect(fx.storage.estimatedSize()).toBe(expected);
      }
    });

    it('never falls below zero (committed tombstone intents)', () => {
      const tx = newTxId();
      const steps: Array<[typeof ROW1 | null, number]> = [[null, 0], [ROW1, 1], [null, 0], [null, 0]];
      for (const [r, expected] of steps) {
        fx.ops.addWrite(rowId, r, tx);
        fx.ops.commit(rowId, fx.clock.now(), tx);
        expect(fx.storage.estimatedSize()).toBe(expected);
      }
    });

    it('counts each row once however often it is overwritten', () => {
      const [a, b] = [RowId.random(MV_PARTITION), RowId.random(MV_PARTITION)];
      fx.ops.addWriteCommitted(a, ROW1, fx.clock.now());
      fx.ops.addWriteCommitted(b, ROW1, fx.clock.now());
      expect(fx.storage.estimatedSize()).toBe(2);
      fx.ops.addWriteCommitted(a, ROW2, fx.clock.now());
      fx.ops.addAndCommit(b, ROW2);
      expect(fx.storage.estimatedSize()).toBe(2);
    });

    it('ignores tombstones of absent rows and aborted intents', () => {
      fx.ops.addWriteCommitted(rowId, ROW1, fx.clock.now());
      fx.ops.addWriteCommitted(RowId.random(MV_PARTITION), null, fx.clock.now());
      const tx = newTxId();
      fx.ops.addWrite(rowId, null, tx);
      fx.ops.abort(rowId, tx);
      fx.ops.addWrite(RowId.random(MV_PARTITION), ROW1, tx);
      expect(fx.storage.estimatedSize()).toBe(1);
    });
  });

  describe('lastApplied and group configuration', () => {
    it('lastApplied starts at 0/0 and reads back what was set', async () => {
      expect([fx.storage.lastAppliedIndex(), fx.storage.lastAppliedTerm()]).toEqual([0, 0]);
      fx.storage.runConsistently(() => fx.storage.lastApplied(12, 3));
      expect([fx.storage.lastAppliedIndex(), fx.storage.lastAppliedTerm()]).toEqual([12, 3]);
      fx.storage.runConsistently(() => fx.storage.lastApplied(13, 4));
      expect([fx.storage.lastAppliedIndex(), fx.storage.lastAppliedTerm()]).toEqual([13, 4]);
      await expect(fx.storage.flush()).resolves.toBeUndefined();
    });

    it('committedGroupConfiguration is null at first, then the last bytes saved', () => {
      expect(fx.storage.committedGroupConfiguration()).toBeNull();
      fx.storage.runConsistently(() => fx.storage.committedGroupConfiguration(new Uint8Array([1, 2, 3])));
      expect(Array.from(fx.storage.committedGroupConfiguration()!)).toEqual([1, 2, 3]);
      fx.storage.runConsistently(() => fx.storage.committedGroupConfiguration(new Uint8Array([3, 2, 1, 0])));
      expect(Array.from(fx.storage.committedGroupConfiguration()!)).toEqual([3, 2, 1, 0]);
    });

    it('committedGroupConfiguration keeps its own copy of the bytes', () => {
      const input = new Uint8Array([7, 8, 9]);
      fx.storage.runConsistently(() => fx.storage.committedGroupConfiguration(input));
      input[0] = 0;
      const out = fx.storage.committedGroupConfiguration()!;
      out[1] = 0;
      expect(Array.from(fx.storage.committedGroupConfiguration()!)).toEqual([7, 8, 9]);
    });
  });

  describe('lease', () => {
    const NODE = '0f0e0d0c-0b0a-4908-8706-050403020100';
    const OTHER = 'a1a2a3a4-b1b2-4c1c-8d1d-e1e2e3e4e5e6';

    it('starts with no lease: MIN_VALUE and nulls', () => {
      expect([fx.storage.leaseStartTime(), fx.storage.primaryReplicaNodeId(), fx.storage.primaryReplicaNodeName()]).toEqual([MIN_VALUE, null, null]);
    });

    it('keeps a lease that starts later and ignores one that starts at or before the stored one', () => {
      fx.storage.runConsistently(() => fx.storage.updateLease(1000n, NODE.toUpperCase(), 'node-a'));
      expect([fx.storage.leaseStartTime(), fx.storage.primaryReplicaNodeId(), fx.storage.primaryReplicaNodeName()]).toEqual([1000n, NODE, 'node-a']);
      fx.storage.runConsistently(() => fx.storage.updateLease(1000n, OTHER, 'node-b'));
      fx.storage.runConsistently(() => fx.storage.updateLease(999n, OTHER, 'node-b'));
      expect([fx.storage.leaseStartTime(), fx.storage.primaryReplicaNodeName()]).toEqual([1000n, 'node-a']);
      fx.storage.runConsistently(() => fx.storage.updateLease(2000n, OTHER, 'nöde-中'));
      expect([fx.storage.leaseStartTime(), fx.storage.primaryReplicaNodeId(), fx.storage.primaryReplicaNodeName()]).toEqual([2000n, OTHER, 'nöde-中']);
    });

    it('refuses a bad start time, node id or node name with InvalidArgumentError and changes nothing', () => {
      fx.storage.runConsistently(() => fx.storage.updateLease(1000n, NODE, 'node-a'));
      const inClosure = (call: () => void) => () => fx.storage.runConsistently(call);
      expectThrows(inClosure(() => fx.storage.updateLease(0n, OTHER, 'x')), InvalidArgumentError);
      expectThrows(inClosure(() => fx.storage.updateLease(3000n, 'not-a-uuid', 'x')), InvalidArgumentError);
      expectThrows(inClosure(() => fx.storage.updateLease(3000n, OTHER, 42 as unknown as string)), InvalidArgumentError);
      expect([fx.storage.leaseStartTime(), fx.storage.primaryReplicaNodeId(), fx.storage.primaryReplicaNodeName()]).toEqual([1000n, NODE, 'node-a']);
    });
  });

  describe('runConsistently and flush', () => {
    it('returns the closure\'s value and propagates its error; the storage stays usable', () => {
      expect(fx.storage.runConsistently(() => 42)).toBe(42);
      expect(() => fx.storage.runConsistently(() => {
        throw new RangeError('boom');
      })).toThrow(RangeError);
      const rowId = fx.ops.insert(ROW1, newTxId());
      expect(fx.storage.read(rowId, MAX_VALUE).binaryRow).not.toBeNull();
    });

    it('nested calls share one locker; locks last until the outermost call ends', () => {
      const rowId = RowId.random(MV_PARTITION);
      let outer: Locker | null = null;
      fx.storage.runConsistently((locker) => {
        outer = locker;
        locker.lock(rowId);
        fx.storage.runConsistently((inner) => {
          expect(inner).toBe(locker);
          expect(inner.isLocked(rowId)).toBe(true);
          expect(inner.tryLock(RowId.random(MV_PARTITION))).toBe(true);
        });
        expect(locker.isLocked(rowId)).toBe(true);
      });
      fx.storage.runConsistently((locker) => {
        expect(locker.isLocked(rowId)).toBe(false);
        expect(locker.tryLock(rowId)).toBe(true);
        expect(locker.isLocked(rowId)).toBe(true);
      });
      expect(outer).not.toBeNull();
    });

    it('flush() and flush(true) resolve once the current state is covered', async () => {
      fx.ops.addAndCommit(RowId.random(MV_PARTITION), ROW1);
      await expect(fx.storage.flush()).resolves.toBeUndefined();
      await expect(fx.storage.flush(true)).resolves.toBeUndefined();
    });
  });
}
