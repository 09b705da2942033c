/**
 * A partition keeps no state outside its pages: after a random workload (every kind of change the SPI has, clears
 * included), its objects are dropped and it is opened again from its meta page on the same aimem page memory — the
 * way aipersist opens a partition after reading its pages from disk — and every SPI read must come out the same:
 * rows at several timestamps, version lists, scans, the GC queue, estimatedSize, lastApplied, the group
 * configuration, the lease, the indexes' entries and build state. The reopened partition then keeps working.
 * Size: REOPEN_OPS operations per round (default 600), seed REOPEN_SEED (default 1), 3 rounds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openNode } from '../../src/interfaces/api/open-node';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { PageMvTableStorage } from '../../src/application/engine/mv/page-mv-table-storage';
import { SeededRandom, envInt } from '../contract/support/seeded-random';
import { PartitionWorkload, partitionPicture, workloadIndexes, type WorkloadTarget } from '../support/partition-workload';

const OPS = envInt('REOPEN_OPS', 600);
const SEED = envInt('REOPEN_SEED', 1);
const MiB = 1024 * 1024;

describe('reopen from the partition meta page (aimem)', () => {
  let node: StorageNode | null = null;
  afterEach(async () => {
    await node?.close();
    node = null;
  });

  it.each([1024, 16384])(`reproduces every SPI read and keeps working (%i-byte pages, seed ${SEED}, ${OPS} operations × 3)`, async (pageSize) => {
    node = await openNode({
      config: { ignite: { storage: { engines: { aimem: { pageSizeBytes: pageSize } }, profiles: [{ engine: 'aimem', name: 'm', maxSizeBytes: 256 * MiB, initSizeBytes: 64 * MiB }] } } },
    });
    const table = node.engine('aimem').createMvTable({ tableId: 7, partitions: 2, storageProfile: 'm' }) as PageMvTableStorage;
    const P = 1;
    let t: WorkloadTarget = { table, partitionId: P, mv: await table.createMvPartition(P), ...workloadIndexes(table, P) };
    const workload = new PartitionWorkload(new SeededRandom(SEED * 7919 + pageSize), P);
    for (let round = 0; round < 3; round++) {
      await workload.run(t, OPS);
      const before = partitionPicture(t, workload.rowIds, workload.now);
      const mv = await table.reopenPartition(P);
      expect(() => t.mv.estimatedSize(), 'the old objects are closed').toThrow();
      t = { table, partitionId: P, mv, ...workloadIndexes(table, P) };
      expect(partitionPicture(t, workload.rowIds, workload.now), `round ${round}`).toEqual(before);
      (table.existingSlots().find((s) => s.mv === mv)!).mv.checkInvariants();
    }
  });

  it('refuses an index descriptor that does not match the stored index', async () => {
    node = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'm', maxSizeBytes: 64 * MiB }] } } } });
    const table = node.engine('aimem').createMvTable({ tableId: 8, partitions: 1, storageProfile: 'm' }) as PageMvTableStorage;
    await table.createMvPartition(0);
    workloadIndexes(table, 0);
    await table.reopenPartition(0);
    expect(() => table.createHashIndex(0, { id: 11, columns: [{ name: 'x', type: 'INT32', nullable: false }] })).toThrow(/other columns/);
    expect(() => table.createSortedIndex(0, { id: 13, columns: [{ name: 'tag', type: 'INT32', nullable: false, asc: true }] })).toThrow(/other columns/);
  });
});
