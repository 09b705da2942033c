/**
 * aipersist across restarts (real files in a temp work dir): after a random workload — every kind of change the SPI
 * has, clears included — the node is closed (which writes a last checkpoint) and a new node opened on the same work
 * dir; the table, partition and indexes created again with their ids must read exactly as before: rows at several
 * timestamps, version lists, scans, write intents, tombstones, the GC queue, estimatedSize, lastApplied, the group
 * configuration, the lease, the indexes' entries and build state. Rounds alternate with explicit checkpoints
 * (flush) and run once with a cache far smaller than the data, so pages are evicted, spilled and read back.
 * Also: a destroyed table leaves no file and its id starts empty; a cleared partition stays cleared; steady
 * update/delete churn stops growing the files. Size: AIPERSIST_RESTART_OPS operations per round (default 400),
 * seed AIPERSIST_RESTART_SEED (default 1), 3 rounds.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../src/domain/storage/row-id';

import { openNode } from '../../src/interfaces/api/open-node';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { StorageConfigInput } from '../../src/interfaces/api/index';
import { tuneAipersist } from '../support/aipersist-tuning';
import { SeededRandom, envInt } from '../contract/support/seeded-random';
import { PartitionWorkload, partitionPicture, workloadIndexes, type WorkloadTarget } from '../support/partition-workload';
import { tempDir } from '../support/temp-dir';

const OPS = envInt('AIPERSIST_RESTART_OPS', 400);
const SEED = envInt('AIPERSIST_RESTART_SEED', 1);
const MiB = 1024 * 1024;

function open(workDir: string, pageSize: number, cachePages?: number): Promise<StorageNode> {
  const config: StorageConfigInput = { ignite: { storage: { engines: { aipersist: { pageSizeBytes: pageSize } }, profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 16 * MiB }] } } };
  return openNode({ workDir, config }, { configure: tuneAipersist(workDir, cachePages === undefined ? {} : { cacheSizeBytes: cachePages * pageSize }) });
}

async function target(node: StorageNode, partitionId: number): Promise<WorkloadTarget> {
  const table = node.engine('aipersist').createMvTable({ tableId: 7, partitions: 2, storageProfile: 'p' });
  const mv = await table.createMvPartition(partitionId);
  return { table, partitionId, mv, ...workloadIndexes(table, partitionId) };
}

function filesOf(dir: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push([p.slice(dir.length + 1), statSync(p).size]);
    }
  };
  walk(dir);
  return out.sort();
}

describe('aipersist: close and reopen', () => {
  const dirs: Array<{ cleanup(): void }> = [];
  let node: StorageNode | null = null;
  afterEach(async () => {
    await node?.close();
    node = null;
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it.each([
    [1024, undefined],
    [16384, undefined],
    [1024, 48],
  ] as const)(`reads exactly as before after every restart, with checkpoints and compactions between (%i-byte pages, cache %s pages, seed ${SEED}, ${OPS} operations × 3)`, async (pageSize, cachePages) => {
    const dir = tempDir();
    dirs.push(dir);
    const P = 1;
    node = await open(dir.path, pageSize, cachePages);
    let t = await target(node, P);
    const workload = new PartitionWorkload(new SeededRandom(SEED * 7919 + pageSize), P);
    const choose = new SeededRandom(SEED * 31 + pageSize);
    let reopens = 0;
    for (let round = 0; round < 6; round++) {
      await workload.run(t, Math.ceil(OPS / 2));
      // Interleave: a checkpoint (flush), two in a row (the second compacts the first's delta file), or a restart.
      const action = round === 5 ? 2 : choose.int(3);
      if (action === 0) await t.mv.flush(true);
      else if (action === 1) {
        await node.checkpoint();
        await workload.run(t, 20);
        await node.checkpoint();
      } else {
        const before = partitionPicture(t, workload.rowIds, workload.now);
        await node.close();
        node = await open(dir.path, pageSize, cachePages);
        t = await target(node, P);
        expect(partitionPicture(t, workload.rowIds, workload.now), `round ${round}`).toEqual(before);
        reopens++;
      }
    }
    expect(reopens).toBeGreaterThan(0);
    // The partition never created stays absent; partition 1 has its main file.
    expect(t.table.getMvPartition(0)).toBeNull();
    expect(filesOf(dir.path).map(([f]) => f).filter((f) => f.startsWith('db/'))).toEqual(
      expect.arrayContaining(['db/table-7/part-1.bin']),
    );
  });

  it('a destroyed table leaves no file, and its id starts empty after a restart', async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await open(dir.path, 1024);
    const t = await target(node, 0);
    const rowId = RowId.random(0);
    t.mv.runConsistently(() => t.mv.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new Uint8Array([1, 2, 3]) }, 100n));
    await t.mv.flush(true);
    expect(filesOf(dir.path).some(([f]) => f.startsWith('db/table-7/'))).toBe(true);
    await node.engine('aipersist').destroyMvTable(7);
    expect(filesOf(dir.path).filter(([f]) => f.startsWith('db/'))).toEqual([]);
    await node.close();
    node = await open(dir.path, 1024);
    const again = await target(node, 0);
    expect(again.mv.read(rowId, MAX_VALUE).isEmpty).toBe(true);
    expect(again.mv.estimatedSize()).toBe(0);
  });

  it('a cleared partition stays cleared after a restart, and keeps working', async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await open(dir.path, 1024);
    let t = await target(node, 0);
    const rows = Array.from({ length: 300 }, () => RowId.random(0));
    t.mv.runConsistently(() => {
      for (const r of rows) t.mv.addWriteCommitted(r, { schemaVersion: 1, bytes: new Uint8Array(200).fill(5) }, 100n);
    });
    await t.mv.flush(true);
    await t.table.clearPartition(0);
    const kept = RowId.random(0);
    t.mv.runConsistently(() => t.mv.addWriteCommitted(kept, { schemaVersion: 1, bytes: new Uint8Array([9]) }, 200n));
    await node.close();
    node = await open(dir.path, 1024);
    t = await target(node, 0);
    expect(rows.every((r) => t.mv.read(r, MAX_VALUE).isEmpty)).toBe(true);
    expect([...t.mv.read(kept, MAX_VALUE).binaryRow!.bytes]).toEqual([9]);
    expect(t.mv.estimatedSize()).toBe(1);
  });

  it('steady update and delete churn stops growing the files (no page leaks)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await open(dir.path, 1024);
    const t = await target(node, 0);
    const rnd = new SeededRandom(SEED);
    const ids = Array.from({ length: 400 }, () => RowId.random(0));
    let ts = 1000n;
    const sizes: number[] = [];
    for (let round = 0; round < 12; round++) {
      t.mv.runConsistently(() => {
        for (const id of ids) {
          const live = rnd.chance(0.8);
          t.mv.addWriteCommitted(id, live ? { schemaVersion: 1, bytes: new Uint8Array(50 + rnd.int(200)).fill(round) } : null, ++ts);
        }
      });
      // Old versions go: vacuum everything below the newest timestamp.
      t.mv.runConsistently(() => {
        for (;;) {
          const e = t.mv.peek(ts, 1);
          if (e.length === 0) break;
          t.mv.vacuum(e[0]!);
        }
      });
      await t.mv.flush(true);
      // Sizes once the background compaction has merged (and unlinked) what it could: how far it lags is the
      // machine's load, not a leak.
      await (node.engine('aipersist') as unknown as { compactionIdle(): Promise<void> }).compactionIdle();
      sizes.push(filesOf(dir.path).filter(([f]) => f.startsWith('db/')).reduce((a, [, s]) => a + s, 0));
    }
    // After the first rounds the files reach their working size and stay there (within one round's churn).
    expect(sizes[0]).toBeGreaterThan(0);
    if (process.env['SHOW_SIZES']) console.log(sizes);
    const settled = sizes.slice(6);
    expect(Math.max(...settled)).toBeLessThanOrEqual(Math.max(...sizes.slice(0, 6)) * 1.25);
  });

  it('a table closed and opened again in the same node must use the same profile (its pages may be in that cache)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const config: StorageConfigInput = {
      ignite: { storage: { profiles: [{ engine: 'aipersist', name: 'a', sizeBytes: 16 * MiB }, { engine: 'aipersist', name: 'b', sizeBytes: 16 * MiB }] } },
    };
    node = await openNode({ workDir: dir.path, config });
    const engine = node.engine('aipersist');
    const table = engine.createMvTable({ tableId: 9, partitions: 1, storageProfile: 'a' });
    await table.createMvPartition(0);
    await table.close();
    expect(() => engine.createMvTable({ tableId: 9, partitions: 1, storageProfile: 'b' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/profile 'a'/) }));
    expect(engine.createMvTable({ tableId: 9, partitions: 1, storageProfile: 'a' }).getMvPartition(0)).toBeNull();
  });
});
