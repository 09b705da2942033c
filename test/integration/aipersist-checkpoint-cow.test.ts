/**
 * A checkpoint writes while closures run (copy-on-write): closures that change pages of the running checkpoint
 * before they are written must not leak into it. Proven with the power-loss file adapter: after the checkpoint
 * resolves, a power loss leaves exactly the snapshot's state on disk — not the later writes — and a clean close then
 * has the later state. Once with the default checkpoint buffer, once with one of 8 pages, which overflows into the
 * spill area.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../src/domain/storage/row-id';

import { openNode, type StorageConfigInput, type StorageNode } from '../../src/interfaces/api/index';
import { tuneAipersist } from '../support/aipersist-tuning';
import { PowerLossFileIo } from '../support/power-loss-file-io';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
// The checkpoint alone (no write-ahead log): what a power loss leaves is exactly what the checkpoint wrote.
const config: StorageConfigInput = {
  ignite: { storage: { engines: { aipersist: { pageSizeBytes: 1024, deltaLog: { syncMode: 'none' } } }, profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 16 * MiB }] } },
};
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function openOn(dir: string, io: PowerLossFileIo, bufferPages?: number): Promise<StorageNode> {
  return openNode({ workDir: dir, config }, { configure: tuneAipersist(dir, bufferPages === undefined ? { io } : { io, checkpointBufferBytes: bufferPages * 1024 }) });
}

async function partition(node: StorageNode) {
  const table = node.engine('aipersist').createMvTable({ tableId: 5, partitions: 1, storageProfile: 'p' });
  return table.createMvPartition(0);
}

type Part = Awaited<ReturnType<typeof partition>>;

function writeAll(part: Part, ids: readonly RowId[], fill: number, ts: bigint): void {
  part.runConsistently(() => {
    for (const id of ids) part.addWriteCommitted(id, { schemaVersion: 1, bytes: new Uint8Array(300).fill(fill) }, ts);
  });
}

function fills(part: Part, ids: readonly RowId[]): number[] {
  return [...new Set(ids.map((id) => part.read(id, MAX_VALUE).binaryRow?.bytes[0] ?? -1))];
}

describe('aipersist: a checkpoint writes while closures run', () => {
  let dir: { path: string; cleanup(): void };
  const nodes: StorageNode[] = [];
  beforeEach(() => (dir = tempDir()));
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close().catch(() => undefined);
    dir.cleanup();
  });

  it.each([[undefined], [8]] as const)('the snapshot goes to disk, later writes do not (checkpoint buffer %s pages)', async (bufferPages) => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await openOn(dir.path, io, bufferPages);
    nodes.push(node);
    const part = await partition(node);
    const ids = Array.from({ length: 1500 }, () => RowId.random(0));
    writeAll(part, ids, 1, 100n);
    await node.checkpoint();
    writeAll(part, ids, 2, 200n); // the snapshot's state: every row at 2
    let finished = false;
    const running = node.checkpoint().then(() => (finished = true));
    await nextTurn();
    await nextTurn(); // the snapshot is taken and the first pages are written
    expect(finished).toBe(false);
    writeAll(part, ids, 3, 300n); // changes pages the checkpoint has not written yet
    let closuresWhileWriting = 1;
    for (let ts = 301n; !finished; ts++) {
      writeAll(part, ids.slice(0, 50), 3, ts);
      closuresWhileWriting++;
      await nextTurn();
    }
    await running;
    expect(closuresWhileWriting).toBeGreaterThan(1);
    expect(fills(part, ids)).toEqual([3]);
    const cache = node.metrics().aipersist!.caches[0]!;
    expect(cache.copyOnWritePages).toBeGreaterThan(0);
    if (bufferPages !== undefined) expect(cache.copyOnWriteToSpill).toBeGreaterThan(0);
    expect(cache.checkpointBuffer.usedPages).toBe(0); // every copy given back at the commit

    // Power loss now: the disk holds the snapshot, every row at 2 (`disk` is a copy; the node goes on with `io`).
    const disk = io.crash('drop');
    await node.close(); // a clean close writes the later state to `io`
    nodes.splice(0);
    const afterCrash = await openOn(dir.path, disk, bufferPages);
    nodes.push(afterCrash);
    expect(fills(await partition(afterCrash), ids)).toEqual([2]);
    await afterCrash.close();
    nodes.splice(0);
    const afterClose = await openOn(dir.path, io, bufferPages);
    nodes.push(afterClose);
    expect(fills(await partition(afterClose), ids)).toEqual([3]);
  });

  it('a partition cleared while a checkpoint writes it is skipped, and stays cleared', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await openOn(dir.path, io);
    nodes.push(node);
    const table = node.engine('aipersist').createMvTable({ tableId: 5, partitions: 1, storageProfile: 'p' });
    const part = await table.createMvPartition(0);
    const ids = Array.from({ length: 1500 }, () => RowId.random(0));
    writeAll(part, ids, 1, 100n);
    let finished = false;
    const running = node.checkpoint().then(() => (finished = true));
    await nextTurn();
    await nextTurn();
    expect(finished).toBe(false);
    await table.clearPartition(0);
    const kept = RowId.random(0);
    part.runConsistently(() => part.addWriteCommitted(kept, { schemaVersion: 1, bytes: new Uint8Array([7]) }, 200n));
    await running;
    await node.checkpoint();
    const disk = io.crash('drop');
    await node.close();
    nodes.splice(0);
    const after = await openOn(dir.path, disk);
    nodes.push(after);
    const again = await partition(after);
    expect(fills(again, ids)).toEqual([-1]);
    expect([...again.read(kept, MAX_VALUE).binaryRow!.bytes]).toEqual([7]);
    expect(again.estimatedSize()).toBe(1);
  });

  it('a table destroyed while a checkpoint writes it leaves no file', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await openOn(dir.path, io);
    nodes.push(node);
    const part = await partition(node);
    writeAll(part, Array.from({ length: 1500 }, () => RowId.random(0)), 1, 100n);
    let finished = false;
    const running = node.checkpoint().then(() => (finished = true));
    await nextTurn();
    await nextTurn();
    expect(finished).toBe(false); // the checkpoint is writing the table's pages
    await node.engine('aipersist').destroyMvTable(5);
    await running;
    await node.checkpoint();
    expect(io.list(`${dir.path}/db`).filter((f) => f.startsWith('table-'))).toEqual([]);
  });
});
