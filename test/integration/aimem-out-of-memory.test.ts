/**
 * Filling an aimem table until its region is out of memory: a typed error naming the region and its sizes, nothing
 * already stored lost or damaged — also when a delete (a tombstone needs memory too) is refused — and room again
 * after clearing the partition.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HybridClock, MAX_VALUE, openNode, OutOfMemoryError, RowId, type NodeEvent, type StorageNode,
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
});
