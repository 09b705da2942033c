/**
 * Filling an aimem table until its region is out of memory: a typed error naming the region and its sizes, nothing
 * already stored lost or damaged — also when a delete (a tombstone needs memory too) is refused — and room again
 * after clearing the partition. Write admission: when the region runs low a closure is refused at its first write,
 * so a row is never left without the index entries its closure was to put; a mutation that still runs out inside
 * a closure changes nothing, and the closure's earlier mutations stay (published with closureFailed).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HybridClock, MAX_VALUE, openNode, OutOfMemoryError, RowId, streamsOf, type CommittedChange, type MvPartitionStorage, type NodeEvent,
  type StorageNode,
} from '../../src/interfaces/api/index';

const MiB = 1024 * 1024;

describe('aimem out of memory through the SPI', () => {
  let node: StorageNode;
  beforeEach(async () => {
    node = await openNode({
      config: { ignite: { storage: { engines: { aimem: { pageSizeBytes: 1024 } }, profiles: [{ engine: 'aimem', name: 'tiny', initSizeBytes: 10 * MiB, maxSizeBytes: 10 * MiB }] } } },
    });
  });
  afterEach(() => node.close());

  it('refuses the row that does not fit, keeps every earlier row, and works again after a clear', async () => {
    const events: NodeEvent[] = [];
    node.events$.subscribe((e) => events.push(e));
    const clock = new HybridClock();
    const table = node.engine('aimem').createMvTable({ tableId: 1, partitions: 1, storageProfile: 'tiny' });
    const part = await table.createMvPartition(0);
    const pk = table.createSortedIndex(0, { id: 1, primary: true, columns: [{ name: 'id', type: 'INT64', nullable: false, asc: true }] });
    const stored: Array<[RowId, number]> = [];
    let error: unknown = null;
    for (let i = 0; error === null && i < 1_000_000; i++) {
      const rowId = RowId.random(0);
      const bytes = new Uint8Array(200).fill(i & 0xff);
      try {
        part.runConsistently(() => {
          part.addWriteCommitted(rowId, { schemaVersion: 1, bytes }, clock.now());
          pk.put({ key: [BigInt(i)], rowId });
        });
        stored.push([rowId, i]);
      } catch (e) {
        error = e;
      }
    }
    expect(error).toBeInstanceOf(OutOfMemoryError);
    expect((error as OutOfMemoryError).message).toMatch(/'tiny'.*maxSizeBytes=10485760/);
    expect(events.map((e) => e.type)).toContain('region.outOfMemory');
    expect(stored.length).toBeGreaterThan(10_000);
    // Everything acknowledged before the error is intact, through the partition and the index.
    for (const [rowId, i] of stored) {
      const row = part.read(rowId, MAX_VALUE).binaryRow!;
      expect(row.bytes[199]).toBe(i & 0xff);
    }
    for (let i = 0; i < stored.length; i += 97) {
      expect([...pk.get([BigInt(stored[i]![1])])].map((r) => r.equals(stored[i]![0]))).toEqual([true]);
    }
    // A delete writes a tombstone (and a GC entry), so it needs memory too: when it cannot get any, it fails with the
    // same typed error and leaves the row as it was.
    let deleteErrors = 0;
    for (const [rowId, i] of stored.slice(0, 200)) {
      try {
        part.runConsistently(() => part.addWriteCommitted(rowId, null, clock.now()));
        expect(part.read(rowId, MAX_VALUE).isEmpty).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
        expect(part.read(rowId, MAX_VALUE).binaryRow!.bytes[0]).toBe(i & 0xff);
        deleteErrors++;
      }
    }
    expect(deleteErrors).toBeGreaterThan(0);
    // Clearing the partition gives every page back; the table is usable again.
    await table.clearPartition(0);
    expect(part.estimatedSize()).toBe(0);
    const again = RowId.random(0);
    part.runConsistently(() => part.addWriteCommitted(again, { schemaVersion: 1, bytes: new Uint8Array(200) }, clock.now()));
    expect(part.read(again, MAX_VALUE).isEmpty).toBe(false);
    expect(node.region('tiny').stats().pinnedPages).toBe(0);
    node.region('tiny').checkInvariants();
  });

  /** A partition with a sorted and a hash index over long STRING keys (so index puts need pages more often than rows). */
  async function indexedPartition(tableId: number) {
    const table = node.engine('aimem').createMvTable({ tableId, partitions: 2, storageProfile: 'tiny' });
    const part = await table.createMvPartition(0);
    const sorted = table.createSortedIndex(0, { id: 1, columns: [{ name: 'k', type: 'STRING', nullable: false, asc: true }] });
    const hash = table.createHashIndex(0, { id: 2, columns: [{ name: 'k', type: 'STRING', nullable: false }] });
    part.runConsistently(() => {
      sorted.setNextRowIdToBuild(null);
      hash.setNextRowIdToBuild(null);
    });
    return { table, part, sorted, hash };
  }
  /**
   * Writes intents of 200-byte rows until the region runs out, then aborts every other one in one closure: their space
   * is freed inside the data pages, no page goes back to the region. Returns the intents' RowIds (the odd ones live).
   */
  function fillWithIntentsThenAbortHalf(part: MvPartitionStorage, tx: string): RowId[] {
    const intents: RowId[] = [];
    for (;;) {
      const rowId = RowId.random(0);
      try {
        part.runConsistently(() => part.addWrite(rowId, { schemaVersion: 1, bytes: new Uint8Array(200) }, tx, 0, 0));
        intents.push(rowId);
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
        break;
      }
    }
    part.runConsistently(() => {
      for (let i = 0; i < intents.length; i += 2) part.abortWrite(intents[i]!, tx);
    });
    return intents;
  }
  const key = (i: number): string => `${String(i).padStart(8, '0')}-${'k'.repeat(300)}`;
  const small = (i: number) => ({ schemaVersion: 1, bytes: new Uint8Array(16).fill(i & 0xff) });
  /** One closure: a row and its sorted and hash index entries under key(i). */
  function writeIndexed(t: Omit<Awaited<ReturnType<typeof indexedPartition>>, 'table'>, rowId: RowId, i: number, clock: HybridClock): void {
    t.part.runConsistently(() => {
      t.part.addWriteCommitted(rowId, small(i), clock.now());
      t.sorted.put({ key: [key(i)], rowId });
      t.hash.put({ key: [key(i)], rowId });
    });
  }

  it('a closure is refused at its first write when the region runs low, never between a row write and its index puts', async () => {
    const clock = new HybridClock();
    const { part, sorted, hash } = await indexedPartition(2);
    let stored = 0;
    let failed: { rowId: RowId; key: string } | null = null;
    let error: unknown = null;
    for (let i = 0; error === null && i < 1_000_000; i++) {
      const rowId = RowId.random(0);
      try {
        writeIndexed({ part, sorted, hash }, rowId, i, clock);
        stored++;
      } catch (e) {
        error = e;
        failed = { rowId, key: key(i) };
      }
    }
    expect(error).toBeInstanceOf(OutOfMemoryError);
    expect(stored).toBeGreaterThan(1000);
    // The failed closure left nothing behind: refused at its first write.
    expect(part.read(failed!.rowId, MAX_VALUE).isEmpty).toBe(true);
    expect([...sorted.get([failed!.key])]).toEqual([]);
    // Every row that exists has both index entries.
    expect(part.estimatedSize()).toBe(stored);
    expect([...sorted.scan(null, null, 0)]).toHaveLength(stored);
    const rows = [...part.scan(MAX_VALUE)];
    expect(rows).toHaveLength(stored);
    // Later closures either complete (the row fits in space left inside pages) or are refused at their first write
    // that needs a new page — never cut between the row and its index entries.
    let refused = 0;
    for (let i = 0; i < 50; i++) {
      const next = RowId.random(0);
      try {
        writeIndexed({ part, sorted, hash }, next, 1_000_000 + i, clock);
        stored++;
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
        expect(part.read(next, MAX_VALUE).isEmpty).toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect([...sorted.scan(null, null, 0)]).toHaveLength(stored);
    expect([...hash.get([key(0)])]).toHaveLength(1);
    expect(part.estimatedSize()).toBe(stored);
    node.region('tiny').checkInvariants();
  });

  it('space freed inside pages is used again: a full region still commits pending intents and takes rows that fit', async () => {
    const table = node.engine('aimem').createMvTable({ tableId: 4, partitions: 1, storageProfile: 'tiny' });
    const part = await table.createMvPartition(0);
    const tx = '6f1a0000-0000-4000-8000-000000000001';
    const intents = fillWithIntentsThenAbortHalf(part, tx);
    const ts = new HybridClock().now();
    part.runConsistently(() => expect(part.commitWrite(intents[1]!, ts, tx).status).toBe('SUCCESS'));
    const fresh = RowId.random(0);
    part.runConsistently(() => part.addWriteCommitted(fresh, { schemaVersion: 1, bytes: new Uint8Array(100) }, ts));
    expect(part.read(intents[1]!, ts).isWriteIntent).toBe(false);
    expect(part.read(fresh, MAX_VALUE).isEmpty).toBe(false);
    node.region('tiny').checkInvariants();
  });

  it('closures whose rows fit in freed space but whose index puts need pages do not use the reserve up: none is cut', async () => {
    const clock = new HybridClock();
    const { part, sorted, hash } = await indexedPartition(5);
    // Fill the region with intents of 200-byte rows, then abort every other one: half the data pages' space is free
    // inside them, so the small rows below never need a new page; only their index entries (300-byte keys on 1 KiB
    // pages) do.
    fillWithIntentsThenAbortHalf(part, '6f1a0000-0000-4000-8000-000000000002');
    let written = 0;
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const rowId = RowId.random(0);
      try {
        writeIndexed({ part, sorted, hash }, rowId, i, clock);
        written++;
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
        refused++;
        // Refused at its first write: no row, no index entry.
        expect(part.read(rowId, MAX_VALUE).isEmpty).toBe(true);
        expect([...sorted.get([key(i)])]).toEqual([]);
        expect([...hash.get([key(i)])]).toEqual([]);
      }
    }
    expect(written).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    // Every committed row has both entries.
    expect([...sorted.scan(null, null, 0)]).toHaveLength(written);
    expect([...part.scan(MAX_VALUE)].filter((r) => !r.isWriteIntent)).toHaveLength(written);
    node.region('tiny').checkInvariants();
  });

  it('a mutation that runs out of memory inside an admitted closure changes nothing; earlier ones stay and are published flagged', async () => {
    const clock = new HybridClock();
    const { table, part, sorted, hash } = await indexedPartition(3);
    // Room to free later: a second partition with some data.
    const spare = await table.createMvPartition(1);
    spare.runConsistently(() => {
      for (let i = 0; i < 200; i++) spare.addWriteCommitted(RowId.random(1), { schemaVersion: 1, bytes: new Uint8Array(500) }, clock.now());
    });
    for (let i = 0; ; i++) {
      const rowId = RowId.random(0);
      try {
        writeIndexed({ part, sorted, hash }, rowId, i, clock);
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
        break;
      }
    }
    await table.destroyPartition(1);
    const changes: CommittedChange[] = [];
    streamsOf(part).changes$.subscribe((c) => changes.push(c));
    const [first, big] = [RowId.random(0), RowId.random(0)];
    const [t1, t2] = [clock.now(), clock.now()];
    const sizeBefore = part.estimatedSize();
    expect(() => part.runConsistently(() => {
      part.addWriteCommitted(first, small(1), t1);
      sorted.put({ key: ['first'], rowId: first });
      part.addWriteCommitted(big, { schemaVersion: 1, bytes: new Uint8Array(MiB) }, t2);
    })).toThrow(OutOfMemoryError);
    expect(part.read(first, MAX_VALUE).binaryRow!.bytes).toEqual(small(1).bytes);
    expect([...sorted.get(['first'])].map((r) => r.equals(first))).toEqual([true]);
    expect(part.read(big, MAX_VALUE).isEmpty).toBe(true);
    expect(part.estimatedSize()).toBe(sizeBefore + 1);
    expect(changes.map((c) => [c.rowId.equals(first), c.commitTimestamp, c.closureFailed])).toEqual([[true, t1, true]]);
    expect(node.region('tiny').stats().pinnedPages).toBe(0);
    node.region('tiny').checkInvariants();
  });
});
