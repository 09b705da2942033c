/** Destroying (or closing) an aimem table returns every page it used to the region: nothing leaks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HybridClock, openNode, RowId, type MvTableStorage, type StorageNode } from '../../src/interfaces/api/index';

const ROWS = Number(process.env['LEAK_TEST_ROWS'] ?? 3000);
const TX = '0b8f6a52-3c1d-4e2f-9a7b-5c6d7e8f9a0b';

describe('aimem page accounting', () => {
  let node: StorageNode;
  const clock = new HybridClock();
  beforeEach(async () => {
    node = await openNode({
      config: { ignite: { storage: { engines: { aimem: { pageSizeBytes: 1024 } }, profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 32 << 20, maxSizeBytes: 128 << 20 }] } } },
    });
  });
  afterEach(() => node.close());

  async function fill(tableId: number): Promise<MvTableStorage> {
    const table = node.engine('aimem').createMvTable({ tableId, partitions: 3, storageProfile: 'p' });
    for (const p of [0, 2]) {
      const part = await table.createMvPartition(p);
      const sorted = table.createSortedIndex(p, { id: 1, columns: [{ name: 's', type: 'STRING', nullable: true, asc: true }] });
      const hash = table.createHashIndex(p, { id: 2, columns: [{ name: 'n', type: 'INT64', nullable: false }] });
      part.runConsistently(() => {
        sorted.setNextRowIdToBuild(null);
        hash.setNextRowIdToBuild(null);
      });
      for (let i = 0; i < ROWS; i++) {
        const r = RowId.random(p);
        const bytes = new Uint8Array(i % 7 === 0 ? 3000 : 50 + (i % 200)).fill(i & 0xff);
        part.runConsistently(() => {
          if (i % 3 === 0) {
            part.addWrite(r, { schemaVersion: 1, bytes }, TX, 0, p);
            if (i % 2 === 0) part.commitWrite(r, clock.now(), TX);
          } else {
            part.addWriteCommitted(r, { schemaVersion: 1, bytes }, clock.now());
            if (i % 5 === 0) part.addWriteCommitted(r, null, clock.now());
          }
          sorted.put({ key: [i % 11 === 0 ? null : `key-${i}-${'x'.repeat(i % 300)}`], rowId: r });
          hash.put({ key: [BigInt(i)], rowId: r });
        });
      }
      part.runConsistently(() => {
        for (const e of part.peek(clock.now(), ROWS)) part.vacuum(e);
      });
    }
    return table;
  }

  it('destroyMvTable returns the region to its page count before the table', async () => {
    const region = node.region('p');
    const before = region.stats().allocatedPages;
    await fill(1);
    expect(region.stats().allocatedPages).toBeGreaterThan(before + 100);
    await node.engine('aimem').destroyMvTable(1);
    expect(region.stats().allocatedPages).toBe(before);
    expect(region.stats().pinnedPages).toBe(0);
    region.checkInvariants();
  });

  it('closing a volatile table frees its pages too, and a table created again with that id is empty', async () => {
    const region = node.region('p');
    const before = region.stats().allocatedPages;
    const filled = await fill(2);
    await filled.close();
    expect(region.stats().allocatedPages).toBe(before);
    const table = node.engine('aimem').createMvTable({ tableId: 2, partitions: 3, storageProfile: 'p' });
    expect(table.getMvPartition(0)).toBeNull();
    await table.close();
    expect(region.stats().allocatedPages).toBe(before);
  });
});
