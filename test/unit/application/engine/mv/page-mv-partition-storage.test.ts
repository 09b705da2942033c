/**
 * PageMvPartitionStorage beyond the contract suites: the table-facing hooks (destroy/reset protocol, rebalance
 * meta, closeStorage), cursors across lifecycle transitions and concurrent changes, page accounting, event
 * recording and publication, argument checks, and the harness's own leak check.
 */
import { rowIdBytes } from '../../../../../src/domain/partition/partition.events';
import { parseTxId } from '../../../../../src/domain/mvcc/tx-id-bytes';
import { destroyPartitionPages } from '../../../../../src/application/engine/mv/partition-context';
import { afterEach, describe, expect, it } from 'vitest';
import type { PageMvPartitionStorage } from '../../../../../src/application/engine/mv/page-mv-partition-storage';
import type { PartitionContext } from '../../../../../src/application/engine/mv/partition-context';
import type { VolatilePageMemory } from '../../../../../src/domain/page-memory/volatile-page-memory';
import type { CommittedChange } from '../../../../../src/domain/partition/partition.events';
import {
  InvalidArgumentError, StorageClosedError, StorageDestroyedError, StorageError, StorageRebalanceError,
} from '../../../../../src/domain/shared/errors';
import { MAX_VALUE } from '../../../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../../../src/domain/storage/row-id';
import { expectRejects, expectThrows } from '../../../../contract/support/expect-errors';
import { drain, newTxId, row } from '../../../../contract/support/rows';
import { TestClock } from '../../../../contract/support/test-clock';
import {
  PageMvHarnessEngine, PageMvHarnessTable, testPageMemory,
} from '../../../../support/page-mv-harness';
import { InMemoryDeltaLog } from '../../../../support/in-memory-delta-log';

const P = 3;
let memory: VolatilePageMemory | null = null;

afterEach(() => {
  memory?.close();
  memory = null;
});

function setup(log?: InMemoryDeltaLog): { ctx: PartitionContext; storage: PageMvPartitionStorage; clock: TestClock; mem: VolatilePageMemory } {
  const mem = testPageMemory(1024);
  memory = mem;
  const { ctx, storage } = PageMvHarnessTable.newPartition(mem, 11, P, log);
  return { ctx, storage, clock: new TestClock(), mem };
}

function commitRow(storage: PageMvPartitionStorage, rowId: RowId, text: string, ts: bigint): void {
  storage.runConsistently(() => {
    const tx = newTxId();
    storage.addWrite(rowId, row(text), tx, 1, P);
    storage.commitWrite(rowId, ts, tx);
  });
}

/** The table's clear / rebalance-start / abort protocol (partition-context.ts). */
function resetProtocol(ctx: PartitionContext, storage: PageMvPartitionStorage): void {
  storage.destroyData();
  ctx.freeList.freeAllPages();
  storage.resetData();
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => new RowId(P, BigInt(i), 0n));

describe('PageMvPartitionStorage: table-facing hooks', () => {
  it('reset empties rows, GC queue and meta; the pages return to the empty partition\'s count', () => {
    const { ctx, storage, clock, mem } = setup();
    const empty = mem.stats().allocatedPages;
    for (const id of ids(200)) {
      commitRow(storage, id, `a ${id}`, clock.now());
      commitRow(storage, id, `b ${id}`.repeat(20), clock.now());
    }
    storage.runConsistently(() => {
      storage.lastApplied(7, 2);
      storage.committedGroupConfiguration(new Uint8Array([1]));
    });
    expect(mem.stats().allocatedPages).toBeGreaterThan(empty + 20);
    ctx.lifecycle.transition('CLEANUP');
    resetProtocol(ctx, storage);
    ctx.lifecycle.transition('RUNNABLE');
    expect(mem.stats().allocatedPages).toBe(empty);
    expect([storage.lastAppliedIndex(), storage.lastAppliedTerm(), storage.committedGroupConfiguration()]).toEqual([0, 0, null]);
    expect([storage.estimatedSize(), storage.peek(MAX_VALUE, 10), storage.highestRowId()]).toEqual([0, [], null]);
    commitRow(storage, ids(1)[0]!, 'again', clock.now());
    expect(storage.read(ids(1)[0]!, MAX_VALUE).binaryRow?.bytes).toEqual(row('again').bytes);
    expect(storage.checkInvariants()?.chains).toBe(1);
  });

  it('destroyData + the free list destroy give back every page of the partition, and destroyData twice is fine', () => {
    const mem = testPageMemory(16384);
    memory = mem;
    const before = mem.stats().allocatedPages;
    const { ctx, storage } = PageMvHarnessTable.newPartition(mem, 11, P);
    const clock = new TestClock();
    for (const id of ids(50)) commitRow(storage, id, 'x'.repeat(30_000), clock.now());
    ctx.lifecycle.transition('DESTROYED');
    storage.destroyData();
    storage.destroyData();
    destroyPartitionPages(ctx);
    expect(mem.stats()).toMatchObject({ allocatedPages: before, pinnedPages: 0 });
    expectThrows(() => storage.read(ids(1)[0]!, MAX_VALUE), StorageDestroyedError);
    expect(() => storage.close()).not.toThrow();
  });

  it('during a rebalance: getters answer -1/-1/null, writes work, the rest refuses; finish sets the meta', async () => {
    const { ctx, storage, clock } = setup();
    commitRow(storage, ids(1)[0]!, 'before', clock.now());
    storage.runConsistently(() => storage.lastApplied(3, 3));
    ctx.lifecycle.transition('REBALANCE');
    resetProtocol(ctx, storage);
    storage.beginRebalance();
    expect([storage.lastAppliedIndex(), storage.lastAppliedTerm(), storage.committedGroupConfiguration()]).toEqual([-1, -1, null]);
    const [a, b] = ids(2).map((id) => new RowId(P, id.mostSignificantBits + 100n, 0n));
    commitRow(storage, a!, 'during', clock.now());
    storage.runConsistently(() => storage.addWriteCommitted(b!, row('during b'), clock.now()));
    expectThrows(() => storage.read(a!, MAX_VALUE), StorageRebalanceError);
    expectThrows(() => storage.runConsistently(() => storage.abortWrite(a!, newTxId())), StorageRebalanceError);
    expectThrows(() => storage.close(), StorageRebalanceError);
    await expect(storage.flush()).resolves.toBeUndefined();
    const config = new Uint8Array([9, 8]);
    storage.finishRebalance(10, 20, config);
    ctx.lifecycle.transition('RUNNABLE');
    config[0] = 0;
    expect([storage.lastAppliedIndex(), storage.lastAppliedTerm(), Array.from(storage.committedGroupConfiguration()!)]).toEqual([10, 20, [9, 8]]);
    expect(storage.estimatedSize()).toBe(2);
    expect(storage.read(ids(1)[0]!, MAX_VALUE).isEmpty).toBe(true);
  });

  it('closeStorage closes once (event, completed streams); close() is refused only during a rebalance', async () => {
    const { ctx, storage } = setup();
    const events: string[] = [];
    let changesCompleted = false;
    ctx.partition.events$.subscribe({ next: (e) => events.push(e.type), complete: () => events.push('complete') });
    ctx.partition.changes$.subscribe({ complete: () => { changesCompleted = true; } });
    storage.closeStorage();
    storage.closeStorage();
    expect(ctx.lifecycle.state).toBe('CLOSED');
    expect([events, changesCompleted]).toEqual([['partition.closed', 'complete'], true]);
    expectThrows(() => storage.estimatedSize(), StorageClosedError);
    expectThrows(() => storage.lastAppliedIndex(), StorageClosedError);
    await expectRejects(() => storage.flush(), StorageClosedError);
    storage.close();
    expect(ctx.lifecycle.state).toBe('CLOSED');
  });
});

describe('PageMvPartitionStorage: cursors', () => {
  it('opened before a clear, a rebalance or a close, they fail with that transition\'s error for good', () => {
    const { ctx, storage, clock } = setup();
    for (const id of ids(3)) commitRow(storage, id, 'r', clock.now());
    const open = () => [storage.scan(MAX_VALUE), storage.scanVersions(ids(1)[0]!)];
    const beforeClear = open();
    ctx.lifecycle.transition('CLEANUP');
    resetProtocol(ctx, storage);
    ctx.lifecycle.transition('RUNNABLE');
    const beforeRebalance = open();
    ctx.lifecycle.transition('REBALANCE');
    resetProtocol(ctx, storage);
    ctx.lifecycle.transition('RUNNABLE');
    const beforeClose = open();
    storage.close();
    for (const c of beforeClear) expectThrows(() => c.hasNext(), StorageError, 'STORAGE_CLEANUP');
    for (const c of beforeRebalance) expectThrows(() => c.next(), StorageRebalanceError);
    for (const c of beforeClose) expectThrows(() => c.hasNext(), StorageClosedError);
    for (const c of [...beforeClear, ...beforeRebalance, ...beforeClose]) expect(() => c.close()).not.toThrow();
  });

  it('a scan sees rows added after its position, not those removed or added behind it, each once', () => {
    const { storage, clock } = setup();
    const all = Array.from({ length: 120 }, (_, i) => new RowId(P, BigInt(i * 10), 0n));
    for (const id of all.filter((_, i) => i % 2 === 0)) commitRow(storage, id, 'v', clock.now());
    const cursor = storage.scan(MAX_VALUE);
    const seen: bigint[] = [];
    for (let k = 0; k < 20; k++) seen.push(cursor.next().rowId.mostSignificantBits);
    for (const id of all.filter((_, i) => i % 2 === 1)) commitRow(storage, id, 'new', clock.now());
    const tx = newTxId();
    storage.runConsistently(() => {
      storage.addWrite(all[100]!, null, tx, 1, P);
      storage.commitWrite(all[100]!, clock.now(), tx);
    });
    seen.push(...drain(cursor).map((r) => r.rowId.mostSignificantBits));
    const last = seen[19]!;
    const expected = all.map((id) => id.mostSignificantBits).filter((m, i) => (m <= last ? i % 2 === 0 : i !== 100));
    expect(seen).toEqual(expected);
  });

  it('scanVersions is a snapshot: a vacuum between next() calls does not disturb it', () => {
    const { storage, clock } = setup();
    const id = ids(1)[0]!;
    for (let i = 0; i < 4; i++) commitRow(storage, id, `v${i}`, clock.now());
    const cursor = storage.scanVersions(id);
    cursor.next();
    storage.runConsistently(() => {
      for (const e of storage.peek(MAX_VALUE, 10)) storage.vacuum(e);
    });
    expect(drain(cursor).map((r) => new TextDecoder().decode(r.binaryRow!.bytes))).toEqual(['v2', 'v1', 'v0']);
    expect(storage.runConsistently(() => drain(storage.scanVersions(id))).length).toBe(1);
  });
});

describe('PageMvPartitionStorage: events', () => {
  it('records each successful mutation and hands the closure\'s batch to the log when the outermost closure ends', () => {
    const log = new InMemoryDeltaLog();
    const { ctx, storage, clock } = setup(log);
    const [a, b] = ids(2);
    const tx = newTxId().toUpperCase();
    const r = { schemaVersion: 2, bytes: new Uint8Array([1, 2]) };
    storage.runConsistently(() => {
      storage.addWrite(a!, r, tx, 4, P);
      storage.runConsistently(() => storage.addWrite(a!, row('other'), newTxId(), 4, P)); // TX_MISMATCH: not recorded
      expect(ctx.partition.pendingCount).toBe(1);
      storage.commitWrite(a!, clock.now(), tx);
      storage.addWriteCommitted(b!, row('b1'), clock.now());
      storage.addWriteCommitted(b!, row('b2'), clock.now());
      storage.addWrite(b!, null, tx, 4, P);
      storage.abortWrite(b!, tx);
      const [entry] = storage.peek(MAX_VALUE, 1);
      storage.vacuum(entry!);
      storage.vacuum(entry!); // no longer queued: not recorded
      storage.lastApplied(5, 6);
      storage.committedGroupConfiguration(new Uint8Array([7]));
    });
    r.bytes[0] = 99;
    expect(log.batches).toHaveLength(1);
    const batch = log.batches[0]!;
    expect(batch.map((m) => m.type)).toEqual([
      'row.writeAdded', 'row.writeCommitted', 'row.committedWriteAdded', 'row.committedWriteAdded', 'row.writeAdded',
      'row.writeAborted', 'row.vacuumed', 'partition.lastAppliedSet', 'partition.groupConfigSet',
    ]);
    const txBytes = new Uint8Array(16);
    parseTxId(tx, txBytes, 0);
    expect(batch[0]).toMatchObject({ rowId: rowIdBytes(a!), txId: txBytes, commitZoneId: 4, commitPartitionId: P, row: { schemaVersion: 2, bytes: new Uint8Array([1, 2]) } });
    expect(ctx.partition.pendingCount).toBe(0);
  });

  it('a closure that throws still logs what it did, releases its locks and leaves the storage usable', () => {
    const log = new InMemoryDeltaLog();
    const { storage, clock } = setup(log);
    const id = ids(1)[0]!;
    expect(() => storage.runConsistently((locker) => {
      locker.lock(id);
      storage.addWriteCommitted(id, row('x'), clock.now());
      throw new RangeError('boom');
    })).toThrow(RangeError);
    expect(log.batches.map((b) => b.map((m) => m.type))).toEqual([['row.committedWriteAdded']]);
    storage.runConsistently((locker) => expect(locker.isLocked(id)).toBe(false));
    expect(storage.estimatedSize()).toBe(1);
  });

  it('records nothing for a log that wants no records; publishes commits only to subscribers, after the closure', () => {
    const { ctx, storage, clock } = setup();
    const changes: CommittedChange[] = [];
    const sub = ctx.partition.changes$.subscribe((c) => changes.push(c));
    const [a, b] = ids(2);
    const tx = newTxId();
    const t1 = clock.now();
    const t2 = clock.now();
    storage.runConsistently(() => {
      storage.addWrite(a!, row('a'), tx, 1, P);
      storage.commitWrite(a!, t1, tx);
      storage.addWriteCommitted(b!, null, t2);
      expect(ctx.partition.pendingCount).toBe(0);
      expect(changes).toEqual([]);
    });
    sub.unsubscribe();
    expect(changes.map((c) => [c.rowId.toString(), c.row === null ? null : new TextDecoder().decode(c.row.bytes), c.commitTimestamp]))
      .toEqual([[a!.toString(), 'a', t1], [b!.toString(), null, t2]]);
  });
});

describe('PageMvPartitionStorage: arguments', () => {
  it('names both partitions for a foreign RowId; refuses schema versions and commit partitions outside 32 bits', () => {
    const { storage } = setup();
    const foreign = new RowId(P + 1, 1n, 1n);
    expect(() => storage.read(foreign, MAX_VALUE)).toThrow(new RegExp(`partition ${P + 1}.*partition ${P}`));
    const id = ids(1)[0]!;
    const write = (r: unknown, zone: number, part: number) => () => storage.runConsistently(() => storage.addWrite(id, r as never, newTxId(), zone, part));
    expectThrows(write({ schemaVersion: 2 ** 31, bytes: new Uint8Array(0) }, 1, 0), InvalidArgumentError);
    expectThrows(write({ schemaVersion: 1, bytes: [1] }, 1, 0), InvalidArgumentError);
    expectThrows(write(row('x'), 1, -1), InvalidArgumentError);
    expectThrows(write(row('x'), 1.5, 0), InvalidArgumentError);
    expectThrows(() => storage.read(id, 0n), InvalidArgumentError);
    expectThrows(() => storage.peek(-1n, 1), InvalidArgumentError);
    expect(storage.runConsistently(() => storage.vacuum({ rowId: id, timestamp: -5n }))).toBeNull();
    expect(storage.highestRowId()).toBeNull();
  });
});

describe('page MV harness', () => {
  it('reports a page that is still allocated when the environment closes', () => {
    const engine = new PageMvHarnessEngine({ pageSize: 1024 });
    engine.memory.allocatePage(1, 0, 0);
    expect(() => engine.close()).toThrow(/page leak: 1 pages/);
  });
});
