/**
 * The runConsistently closure rules:
 * - every mutation of a partition (and of its indexes: index-common/common-cases.ts) needs a running closure of that
 *   partition: outside one (no closure, another partition's closure, code after an `await`) it throws
 *   OutsideClosureError and changes nothing;
 * - an `async` function is refused before it runs (InvalidArgumentError);
 * - the Locker refuses use after its outermost closure ended (OutsideClosureError) and anything but a RowId of its
 *   partition (InvalidArgumentError);
 * - a closure that throws keeps the mutations it made before the throw (there is no rollback);
 * - writeGate() (write throttling's gate for runConsistently callers) resolves when nothing is throttled.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutsideClosureError } from '../../../src/domain/shared/errors';
import { MAX_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../src/domain/storage/row-id';
import type { Locker, MvPartitionStorage } from '../../../src/domain/storage/storage-engine.api';
import { expectThrows } from '../support/expect-errors';
import { COMMIT_ZONE_ID } from '../support/mv-ops';
import type { MvFixture } from '../support/mv-fixture';
import { MV_PARTITION } from '../support/mv-fixture';
import { drain, expectRow, newTxId, row, rowPicture } from '../support/rows';

const NODE = '0a1b2c3d-4e5f-4607-8899-aabbccddeeff';

export function describeClosureCases(fx: MvFixture): void {
  /** Everything the mutations below could change, as a comparable picture. */
  function snapshot(p: MvPartitionStorage, rowIds: readonly RowId[]): unknown {
    return {
      versions: rowIds.map((r) => p.runConsistently(() => drain(p.scanVersions(r)))
        .map((v) => [rowPicture(v.binaryRow), v.commitTimestamp, v.transactionId])),
      gc: p.peek(MAX_VALUE, 100).map((e) => `${e.rowId}@${e.timestamp}`),
      meta: [p.lastAppliedIndex(), p.lastAppliedTerm(), p.committedGroupConfiguration(), p.leaseStartTime(), p.primaryReplicaNodeName()],
      size: p.estimatedSize(),
    };
  }

  describe('runConsistently closure rules', () => {
    it('every mutation of the partition outside a closure throws OutsideClosureError and changes nothing', () => {
      const p = fx.storage;
      const [committed, pending, fresh] = [RowId.random(MV_PARTITION), RowId.random(MV_PARTITION), RowId.random(MV_PARTITION)];
      const tx = newTxId();
      fx.ops.addWriteCommitted(committed, row('v1'), fx.clock.now());
      fx.ops.addWriteCommitted(committed, row('v2'), fx.clock.now());
      fx.ops.addWrite(pending, row('intent'), tx);
      p.runConsistently(() => {
        p.lastApplied(5, 1);
        p.committedGroupConfiguration(new Uint8Array([1]));
        p.updateLease(1000n, NODE, 'node-a');
      });
      const [gcEntry] = p.peek(MAX_VALUE, 1);
      const before = snapshot(p, [committed, pending, fresh]);
      const calls: Array<[string, () => unknown]> = [
        ['addWrite', () => p.addWrite(fresh, row('x'), newTxId(), COMMIT_ZONE_ID, MV_PARTITION)],
        ['commitWrite', () => p.commitWrite(pending, fx.clock.now(), tx)],
        ['abortWrite', () => p.abortWrite(pending, tx)],
        ['addWriteCommitted', () => p.addWriteCommitted(fresh, row('x'), fx.clock.now())],
        ['vacuum', () => p.vacuum(gcEntry!)],
        ['lastApplied', () => p.lastApplied(9, 2)],
        ['committedGroupConfiguration(bytes)', () => p.committedGroupConfiguration(new Uint8Array([2]))],
        ['updateLease', () => p.updateLease(2000n, NODE, 'node-b')],
      ];
      for (const [name, call] of calls) expectThrows(call, OutsideClosureError, 'OUTSIDE_CLOSURE', name);
      expect(snapshot(p, [committed, pending, fresh])).toEqual(before);
    });

    it('the error says where to call it; reads need no closure', () => {
      const rowId = RowId.random(MV_PARTITION);
      expect(() => fx.storage.addWriteCommitted(rowId, row('x'), fx.clock.now())).toThrow(/addWriteCommitted.*runConsistently/);
      expect(fx.storage.read(rowId, MAX_VALUE).isEmpty).toBe(true);
      expect(drain(fx.storage.scan(MAX_VALUE))).toEqual([]);
    });

    it('a closure of another partition does not count', async () => {
      const other = await fx.table.createMvPartition(MV_PARTITION + 1);
      const rowId = RowId.random(MV_PARTITION);
      expectThrows(() => other.runConsistently(() => fx.storage.addWriteCommitted(rowId, row('x'), fx.clock.now())), OutsideClosureError);
      expect(fx.storage.read(rowId, MAX_VALUE).isEmpty).toBe(true);
    });

    it('an async closure is refused before it runs (InvalidArgumentError)', () => {
      const rowId = RowId.random(MV_PARTITION);
      const ts = fx.clock.now();
      expectThrows(() => fx.storage.runConsistently(async () => {
        fx.storage.addWriteCommitted(rowId, row('x'), ts);
      }), InvalidArgumentError, 'INVALID_ARGUMENT');
      expect(fx.storage.read(rowId, MAX_VALUE).isEmpty).toBe(true);
      expectThrows(() => fx.storage.runConsistently(42 as unknown as () => void), InvalidArgumentError);
    });

    it('a closure that returns a promise: what runs after its first await is outside the closure and refused', async () => {
      const [first, second] = [RowId.random(MV_PARTITION), RowId.random(MV_PARTITION)];
      const [t1, t2] = [fx.clock.now(), fx.clock.now()];
      const promise = fx.storage.runConsistently(() => (async () => {
        fx.storage.addWriteCommitted(first, row('in'), t1);
        await null;
        fx.storage.addWriteCommitted(second, row('out'), t2);
      })());
      await expect(promise).rejects.toBeInstanceOf(OutsideClosureError);
      expectRow(fx.storage.read(first, MAX_VALUE).binaryRow, row('in'));
      expect(fx.storage.read(second, MAX_VALUE).isEmpty).toBe(true);
    });

    it('the locker refuses use after its outermost closure ended; nested closures keep it open', () => {
      const rowId = RowId.random(MV_PARTITION);
      let kept: Locker | null = null;
      fx.storage.runConsistently((outer) => {
        fx.storage.runConsistently((inner) => {
          kept = inner;
        });
        expect(kept).toBe(outer);
        expect(outer.tryLock(rowId)).toBe(true);
      });
      const locker = kept! as Locker;
      expectThrows(() => locker.lock(rowId), OutsideClosureError, 'OUTSIDE_CLOSURE', 'lock');
      expectThrows(() => locker.tryLock(rowId), OutsideClosureError, 'OUTSIDE_CLOSURE', 'tryLock');
      expectThrows(() => locker.isLocked(rowId), OutsideClosureError, 'OUTSIDE_CLOSURE', 'isLocked');
      fx.storage.runConsistently((next) => {
        expect(next).not.toBe(locker);
        expect(next.isLocked(rowId)).toBe(false);
        expectThrows(() => locker.lock(rowId), OutsideClosureError, undefined, 'an old locker during a later closure');
      });
    });

    it('the locker takes only RowIds of its partition (InvalidArgumentError)', () => {
      fx.storage.runConsistently((locker) => {
        for (const bad of ['x', null, undefined, 42, {}]) {
          expectThrows(() => locker.lock(bad as unknown as RowId), InvalidArgumentError, undefined, `lock(${String(bad)})`);
          expectThrows(() => locker.tryLock(bad as unknown as RowId), InvalidArgumentError, undefined, `tryLock(${String(bad)})`);
        }
        expectThrows(() => locker.lock(RowId.random(MV_PARTITION + 1)), InvalidArgumentError, undefined, 'another partition');
      });
    });

    it('a closure that throws keeps the mutations made before the throw (no rollback); the next closure works', () => {
      const [kept, never] = [RowId.random(MV_PARTITION), RowId.random(MV_PARTITION)];
      const ts = fx.clock.now();
      expect(() => fx.storage.runConsistently(() => {
        fx.storage.addWriteCommitted(kept, row('kept'), ts);
        fx.storage.lastApplied(7, 1);
        throw new RangeError('boom');
      })).toThrow(RangeError);
      expectRow(fx.storage.read(kept, ts).binaryRow, row('kept'));
      expect([fx.storage.lastAppliedIndex(), fx.storage.estimatedSize()]).toEqual([7, 1]);
      fx.storage.runConsistently(() => fx.storage.addWriteCommitted(never, row('next'), fx.clock.now()));
      expect(fx.storage.estimatedSize()).toBe(2);
    });

    it('writeGate(): resolves (no throttling in a quiet partition), and a closure after it runs as usual', async () => {
      await expect(fx.storage.writeGate()).resolves.toBeUndefined();
      const r = RowId.random(MV_PARTITION);
      const ts = fx.clock.now();
      await fx.storage.writeGate();
      fx.storage.runConsistently(() => fx.storage.addWriteCommitted(r, row('gated'), ts));
      expectRow(fx.storage.read(r, ts).binaryRow, row('gated'));
      const value = await fx.storage.runDurably(() => 42); // runDurably passes the same gate first
      expect(value).toBe(42);
    });
  });
}
