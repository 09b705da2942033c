/** node.metrics(): one typed snapshot of regions and tables, read from live state. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HybridClock, openNode, RowId, type StorageNode } from '../../src/interfaces/api/index';

const MiB = 1024 * 1024;

describe('node.metrics()', () => {
  let node: StorageNode;
  beforeEach(async () => {
    node = await openNode({
      config: { ignite: { storage: { engines: { aimem: { pageSizeBytes: 4096 } }, profiles: [{ engine: 'aimem', name: 'm', initSizeBytes: 10 * MiB, maxSizeBytes: 40 * MiB }] } } },
    });
  });
  afterEach(() => node.close());

  it('has no regions and no tables before anything is used', () => {
    const m = node.metrics();
    expect(m.regions).toEqual([]);
    expect(m.tables).toEqual([]);
    expect(Math.abs(m.takenAtMillis - Date.now())).toBeLessThan(5_000);
  });

  it('follows rows written, partitions created and segments allocated; a volatile region has no dirty pages', async () => {
    const table = node.engine('aimem').createMvTable({ tableId: 5, partitions: 4, storageProfile: 'm' });
    const p0 = await table.createMvPartition(0);
    await table.createMvPartition(2);
    const clock = new HybridClock();
    p0.runConsistently(() => {
      for (let i = 0; i < 3000; i++) p0.addWriteCommitted(RowId.random(0), { schemaVersion: 1, bytes: new Uint8Array(4000) }, clock.now());
    });
    const m = node.metrics();
    expect(m.tables).toEqual([{ tableId: 5, engine: 'aimem', profile: 'm', partitions: [{ partitionId: 0, estimatedRows: 3000 }, { partitionId: 2, estimatedRows: 0 }], diskBytes: null }]);
    expect(m.regions).toHaveLength(1);
    const r = m.regions[0]!;
    expect(r).toMatchObject({ profile: 'm', engine: 'aimem', volatile: true, pageSizeBytes: 4096 });
    expect(r.segments.allocated).toBeGreaterThan(1); // 12 MB of rows outgrow the 10 MiB first segment
    expect(r.pages.allocated).toBeGreaterThan(3000);
    expect(r.pages.dirty).toBe(0);
    expect(r.pages.pinned).toBe(0);
    expect(r.bytes.max).toBe(40 * MiB);
    expect(r.bytes.used).toBeGreaterThan(12_000_000);
    expect(r.bytes.reserved).toBeGreaterThanOrEqual(r.bytes.used);
    await node.engine('aimem').destroyMvTable(5);
    expect(node.metrics().tables).toEqual([]);
  });

  it('is refused after close', async () => {
    await node.close();
    expect(() => node.metrics()).toThrow(expect.objectContaining({ code: 'STORAGE_CLOSED' }));
  });
});
