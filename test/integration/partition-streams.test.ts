/** A partition's event streams through the public API: lifecycle facts and committed changes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HybridClock, InvalidArgumentError, MAX_VALUE, openNode, OutsideClosureError, RowId, streamsOf, type CommittedChange, type MvPartitionStorage,
  type MvTableStorage, type PartitionEvent, type StorageNode,
} from '../../src/interfaces/api/index';

const TX = '3f1e2d3c-4b5a-4697-8887-766554433221';
const row = (s: string) => ({ schemaVersion: 2, bytes: new TextEncoder().encode(s) });

describe('partition streams', () => {
  let node: StorageNode;
  let table: MvTableStorage;
  let part: MvPartitionStorage;
  const clock = new HybridClock();
  beforeEach(async () => {
    node = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 16 << 20, maxSizeBytes: 64 << 20 }] } } } });
    table = node.engine('aimem').createMvTable({ tableId: 3, partitions: 2, storageProfile: 'p' });
    part = await table.createMvPartition(1);
  });
  afterEach(() => node.close());

  it('publishes each committed change after the closure that committed it, in order', () => {
    const changes: CommittedChange[] = [];
    streamsOf(part).changes$.subscribe((c) => changes.push(c));
    const a = RowId.random(1);
    const b = RowId.random(1);
    const t1 = clock.now();
    part.runConsistently(() => {
      part.addWriteCommitted(a, row('a1'), t1);
      part.addWrite(b, row('b1'), TX, 0, 1);
      expect(changes).toEqual([]); // nothing before the closure ends
    });
    expect(changes.map((c) => [c.rowId.equals(a), c.commitTimestamp, c.tableId, c.partitionId])).toEqual([[true, t1, 3, 1]]);
    const t2 = clock.now();
    part.runConsistently(() => {
      part.commitWrite(b, t2, TX);
      part.addWriteCommitted(a, null, t2);
    });
    expect(changes).toHaveLength(3);
    expect(changes[1]!.rowId.equals(b)).toBe(true);
    expect(new TextDecoder().decode(changes[1]!.row!.bytes)).toBe('b1');
    expect(changes[1]!.commitTimestamp).toBe(t2);
    expect(changes[2]!.rowId.equals(a)).toBe(true);
    expect(changes[2]!.row).toBeNull();
    expect(part.read(b, MAX_VALUE).binaryRow!.schemaVersion).toBe(2);
  });

  it('a closure that throws keeps its commits and publishes them with closureFailed: true; others with false', () => {
    const changes: CommittedChange[] = [];
    streamsOf(part).changes$.subscribe((c) => changes.push(c));
    const [a, b, c] = [RowId.random(1), RowId.random(1), RowId.random(1)];
    const [t1, t2, t3] = [clock.now(), clock.now(), clock.now()];
    expect(() => part.runConsistently(() => {
      part.addWriteCommitted(a, row('a'), t1);
      part.addWrite(b, row('b'), TX, 0, 1);
      part.commitWrite(b, t2, TX);
      throw new RangeError('after the commits');
    })).toThrow(RangeError);
    part.runConsistently(() => part.addWriteCommitted(c, row('c'), t3));
    expect(changes.map((x) => [x.commitTimestamp, x.closureFailed])).toEqual([[t1, true], [t2, true], [t3, false]]);
    expect(part.read(a, t1).binaryRow).not.toBeNull();
    expect(part.read(b, t2).binaryRow).not.toBeNull();
  });

  it('a closure that returns a promise did not finish: its commits are published with closureFailed: true', async () => {
    const changes: CommittedChange[] = [];
    streamsOf(part).changes$.subscribe((c) => changes.push(c));
    const [a, b] = [RowId.random(1), RowId.random(1)];
    const [t1, t2] = [clock.now(), clock.now()];
    const pending = part.runConsistently(() => {
      part.addWriteCommitted(a, row('a'), t1);
      return Promise.resolve().then(() => part.addWriteCommitted(b, row('b'), t2));
    });
    await expect(pending).rejects.toMatchObject({ code: 'OUTSIDE_CLOSURE' });
    expect(changes.map((x) => [x.commitTimestamp, x.closureFailed])).toEqual([[t1, true]]);
    expect(part.read(b, t2).isEmpty).toBe(true);
  });

  it('the flag follows the outermost closure: a nested failure its caller caught is a normal end', () => {
    const changes: CommittedChange[] = [];
    streamsOf(part).changes$.subscribe((c) => changes.push(c));
    const t = clock.now();
    part.runConsistently(() => {
      expect(() => part.runConsistently(() => {
        part.addWriteCommitted(RowId.random(1), row('x'), t);
        throw new RangeError('inner');
      })).toThrow(RangeError);
    });
    expect(changes.map((x) => x.closureFailed)).toEqual([false]);
  });

  it('a write outside a closure is refused and never published, also not when a later closure ends', () => {
    const changes: CommittedChange[] = [];
    streamsOf(part).changes$.subscribe((c) => changes.push(c));
    const r = RowId.random(1);
    expect(() => part.addWriteCommitted(r, row('outside'), clock.now())).toThrow(OutsideClosureError);
    part.runConsistently(() => undefined);
    expect(changes).toEqual([]);
    expect(part.read(r, MAX_VALUE).isEmpty).toBe(true);
  });

  it('an aborted write publishes nothing', () => {
    const changes: CommittedChange[] = [];
    streamsOf(part).changes$.subscribe((c) => changes.push(c));
    const r = RowId.random(1);
    part.runConsistently(() => {
      part.addWrite(r, row('x'), TX, 0, 1);
      part.abortWrite(r, TX);
    });
    expect(changes).toEqual([]);
  });

  it('emits lifecycle facts and completes both streams on destroy', async () => {
    const events: PartitionEvent['type'][] = [];
    let completed = 0;
    const s = streamsOf(part);
    s.events$.subscribe({ next: (e) => events.push(e.type), complete: () => completed++ });
    s.changes$.subscribe({ complete: () => completed++ });
    await table.clearPartition(1);
    await table.startRebalancePartition(1);
    await table.abortRebalancePartition(1);
    await table.startRebalancePartition(1);
    await table.finishRebalancePartition(1, { lastAppliedIndex: 7, lastAppliedTerm: 1, groupConfig: new Uint8Array([1]) });
    await table.destroyPartition(1);
    expect(events).toEqual([
      'partition.cleared', 'partition.rebalanceStarted', 'partition.rebalanceAborted', 'partition.rebalanceStarted',
      'partition.rebalanceFinished', 'partition.destroyed',
    ]);
    expect(completed).toBe(2);
  });

  it('refuses storages that are not this package\'s', () => {
    expect(() => streamsOf({} as MvPartitionStorage)).toThrow(InvalidArgumentError);
  });
});
