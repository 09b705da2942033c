/**
 * aipersist's observability: checkpoint events on node.events$ (started / finished with reason, pages to main and
 * delta files, phase durations), compaction events, node.checkpoint(), the interval trigger, and node.metrics()'s
 * aipersist section (page-cache hits / misses / replacements / pages read, checkpoint totals, bytes on disk).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeEvent, StorageConfigInput, StorageNode } from '../../src/interfaces/api/index';
import { openNode } from '../../src/interfaces/api/open-node';
import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../src/domain/storage/row-id';
import { tempDir } from '../support/temp-dir';

import { tuneAipersist } from '../support/aipersist-tuning';

const MiB = 1024 * 1024;
const config = (intervalMillis = 180_000): StorageConfigInput => ({
  ignite: { storage: { engines: { aipersist: { pageSizeBytes: 1024, checkpoint: { intervalMillis } } }, profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 10 * MiB }] } },
});

async function table(node: StorageNode) {
  const t = node.engine('aipersist').createMvTable({ tableId: 3, partitions: 1, storageProfile: 'p' });
  const part = await t.createMvPartition(0);
  return { t, part };
}

function write(part: Awaited<ReturnType<typeof table>>['part'], ids: RowId[], fill: number, ts: bigint): void {
  part.runConsistently(() => {
    for (const id of ids) part.addWriteCommitted(id, { schemaVersion: 1, bytes: new Uint8Array(300).fill(fill) }, ts);
  });
}

describe('aipersist: events and metrics', () => {
  const dirs: Array<{ cleanup(): void }> = [];
  let node: StorageNode | null = null;
  afterEach(async () => {
    await node?.close();
    node = null;
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it('node.checkpoint() writes a checkpoint and events$ tells about it; with a third delta file, compaction merges the older ones', async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await openNode({ workDir: dir.path, config: config() });
    const events: NodeEvent[] = [];
    node.events$.subscribe((e) => events.push(e));
    const { part } = await table(node);
    const ids = Array.from({ length: 500 }, () => RowId.random(0));
    write(part, ids, 1, 100n);
    await node.checkpoint();
    expect(events.map((e) => e.type)).toEqual(['checkpoint.started', 'checkpoint.finished']);
    const first = events[1]!;
    if (first.type !== 'checkpoint.finished') throw new Error('unreachable');
    expect(first.reason).toBe('requested');
    expect(first.partitions).toBe(1);
    expect(first.pagesToMain).toBeGreaterThan(150); // 500 rows of 300 B on 1 KiB pages, all new
    expect(first.pagesToDelta).toBe(0);
    expect(first.bytesWritten).toBe((first.pagesToMain + first.pagesToDelta) * 1024);
    expect(first.durations.total).toBeGreaterThanOrEqual(first.durations.write);
    // Nothing changed: no checkpoint, no event.
    await node.checkpoint();
    expect(events).toHaveLength(2);
    write(part, ids.slice(0, 50), 2, 200n); // changes pages that are on disk: they go to a delta file
    await part.flush(true);
    const second = events.find((e, i) => i > 1 && e.type === 'checkpoint.finished');
    expect(second).toMatchObject({ reason: 'flush', pagesToDelta: expect.any(Number) });
    expect((second as { pagesToDelta: number }).pagesToDelta).toBeGreaterThan(0);
    write(part, ids.slice(50, 100), 3, 300n);
    await node.checkpoint(); // a third delta file: the older ones are merged into the main file (in the background)
    for (let i = 0; i < 1000 && !events.some((e) => e.type === 'compaction.finished'); i++) await new Promise((r) => setTimeout(r, 2));
    expect(events.some((e) => e.type === 'compaction.finished')).toBe(true);
  });

  it("metrics() shows the cache's hits and misses, checkpoint totals and the bytes on disk", async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await openNode({ workDir: dir.path, config: config() });
    let { part } = await table(node);
    const ids = Array.from({ length: 300 }, () => RowId.random(0));
    write(part, ids, 7, 100n);
    await part.flush(true);
    const m = node.metrics().aipersist!;
    expect(m.checkpoints.count).toBe(1);
    expect(m.checkpoints.pagesWritten).toBe(m.checkpoints.last!.pagesToMain + m.checkpoints.last!.pagesToDelta);
    expect(m.checkpoints.bytesWritten).toBe(m.checkpoints.pagesWritten * 1024);
    expect(m.checkpoints.lastBandwidthBytesPerSec).toBe(Math.round((m.checkpoints.bytesWritten * 1000) / m.checkpoints.last!.durations.write));
    expect(m.diskBytes).toBeGreaterThan(m.checkpoints.bytesWritten);
    // Per table: the open table's files are all the bytes on disk (it is the only table).
    expect(node.metrics().tables).toEqual([expect.objectContaining({ tableId: 3, engine: 'aipersist', diskBytes: m.diskBytes })]);
    expect(m.caches).toEqual([expect.objectContaining({ profile: 'p', misses: 0 })]);
    // The region's page cache: every frame holds a page or is free, none counted twice.
    const region = node.metrics().regions.find((r) => r.profile === 'p')!;
    expect(region.pages.allocated).toBeGreaterThanOrEqual(m.checkpoints.pagesWritten);
    expect(region.pages.allocated + region.pages.free).toBe(region.pages.max);
    await node.close();
    node = await openNode({ workDir: dir.path, config: config() });
    ({ part } = await table(node));
    for (const id of ids) expect(part.read(id, MAX_VALUE).binaryRow!.bytes[0]).toBe(7);
    const after = node.metrics().aipersist!;
    const cache = after.caches[0]!;
    expect(cache.misses).toBeGreaterThan(0); // every page came from disk once
    expect(cache.pagesRead).toBe(cache.misses);
    expect(cache.hits).toBeGreaterThan(cache.misses);
    expect(node.metrics().regions.find((r) => r.profile === 'p')).toMatchObject({ volatile: false, pages: { dirty: 0 } });
  });

  it('intervalMillis 0 turns the interval trigger off', async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await openNode({ workDir: dir.path, config: config(0) });
    const events: NodeEvent[] = [];
    node.events$.subscribe((e) => events.push(e));
    const { part } = await table(node);
    write(part, [RowId.random(0)], 1, 100n);
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([]);
    await node.checkpoint();
    expect(events.map((e) => e.type)).toEqual(['checkpoint.started', 'checkpoint.finished']);
  });

  it('the interval trigger writes checkpoints on its own', async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await openNode({ workDir: dir.path, config: config(200) });
    const finished = new Promise<NodeEvent>((resolve) => node!.events$.subscribe((e) => e.type === 'checkpoint.finished' && resolve(e)));
    const { part } = await table(node);
    write(part, [RowId.random(0)], 1, 100n);
    expect(await finished).toMatchObject({ type: 'checkpoint.finished', reason: 'interval' });
  });

  it('removing an aipersist profile waits for no checkpoint: refused with CHECKPOINT_RUNNING while one writes, then done', async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await openNode({ workDir: dir.path, config: config() });
    const t = node.engine('aipersist').createMvTable({ tableId: 4, partitions: 1, storageProfile: 'p' });
    const part = await t.createMvPartition(0);
    write(part, Array.from({ length: 1500 }, () => RowId.random(0)), 1, 100n);
    await t.close();
    const running = node.checkpoint();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(() => node!.config.remove('p')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_RUNNING' }));
    expect(node.profiles().map((p) => p.name)).toContain('p'); // refused before the configuration changed
    await running;
    node.config.remove('p');
    expect(node.profiles().map((p) => p.name)).not.toContain('p');
    expect(node.profiles().length).toBe(1);
  });

  it('tells once when the cache starts replacing pages (pageReplacement.started)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    node = await openNode({ workDir: dir.path, config: config() }, { configure: tuneAipersist(dir.path, { cacheSizeBytes: 64 * 1024 }) });
    const events: NodeEvent[] = [];
    node.events$.subscribe((e) => events.push(e));
    const { part } = await table(node);
    const ids = Array.from({ length: 1000 }, () => RowId.random(0));
    write(part, ids.slice(0, 100), 1, 100n); // about 30 pages: fits the 64-page cache
    await node.checkpoint();
    expect(events.filter((e) => e.type === 'pageReplacement.started')).toEqual([]);
    write(part, ids, 2, 200n);
    await node.checkpoint();
    for (const id of ids) expect(part.read(id, MAX_VALUE).binaryRow!.bytes[0]).toBe(2);
    // sizeBytes: the cache's size (here the test's override).
    expect(events.filter((e) => e.type === 'pageReplacement.started')).toEqual([{ type: 'pageReplacement.started', region: 'p', sizeBytes: 64 * 1024 }]);
    expect(node.metrics().aipersist!.caches[0]!.replacements).toBeGreaterThan(100);
  });
});
