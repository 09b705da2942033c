/**
 * Checkpoint page writes run on Node's thread pool, several at once: at most `checkpointThreads` in flight, several
 * partitions at a time; closures run while they are in flight (the event loop is free); a table destroyed under
 * writes in flight leaves no file and breaks nothing else; compaction merges at most `compactionThreads` partitions
 * at once. The disk is the real file system behind a FileIo that counts (and can hold) the writes in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../src/domain/storage/row-id';
import type { FileHandle } from '../../src/domain/ports/file-io.port';
import { NodeFileIo } from '../../src/infrastructure/fs/node-file-io';
import { openNode, type StorageConfigInput, type StorageNode } from '../../src/interfaces/api/index';
import { TOKENS } from '../../src/interfaces/api/testing';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const PARTITIONS = 6;

function config(checkpointThreads: number, compactionThreads = 4): StorageConfigInput {
  return {
    ignite: {
      storage: {
        engines: { aipersist: { pageSizeBytes: 1024, checkpoint: { intervalMillis: 0, checkpointThreads, compactionThreads } } },
        profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 16 * MiB }],
      },
    },
  };
}

/** The real file system; async writes are counted per file and, while `held`, wait until `release()`. */
class CountingDisk extends NodeFileIo {
  inFlight = 0;
  maxInFlight = 0;
  asyncWrites = 0;
  held = false;
  readonly #waiting: Array<() => void> = [];
  /** Async writes in flight per path suffix (set by the test: which files to watch). */
  readonly #paths = new Map<number, string>();

  override open(path: string, mode: Parameters<NodeFileIo['open']>[1]): FileHandle {
    const h = super.open(path, mode);
    this.#paths.set(h, path);
    return h;
  }

  pathOf(h: FileHandle): string {
    return this.#paths.get(h) ?? '?';
  }

  override async writeAsync(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<void> {
    // Page files only: the delta log's own writes (a sync round on the thread pool when the disk is slow) are not the checkpoint's.
    if (!this.pathOf(handle).includes('/db/')) return super.writeAsync(handle, buffer, offset, length, position);
    this.asyncWrites++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      if (this.held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      await super.writeAsync(handle, buffer, offset, length, position);
    } finally {
      this.inFlight--;
    }
  }

  release(): void {
    this.held = false;
    for (const go of this.#waiting.splice(0)) go();
  }

  resetCounts(): void {
    this.maxInFlight = this.inFlight;
    this.asyncWrites = 0;
  }
}

const value = (fill: number): { schemaVersion: number; bytes: Uint8Array } => ({ schemaVersion: 1, bytes: new Uint8Array(300).fill(fill) });

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('aipersist: concurrent checkpoint and compaction writes', () => {
  const dirs: Array<{ path: string; cleanup(): void }> = [];
  let node: StorageNode | null = null;
  afterEach(async () => {
    await node?.close().catch(() => undefined);
    node = null;
    for (const d of dirs.splice(0)) d.cleanup();
  });

  async function setUp(checkpointThreads: number, compactionThreads = 4) {
    const dir = tempDir();
    dirs.push(dir);
    const disk = new CountingDisk();
    const open = () => openNode({ workDir: dir.path, config: config(checkpointThreads, compactionThreads) }, { configure: (c) => c.rebind(TOKENS.FileIo).toConstantValue(disk) });
    node = await open();
    const table = node.engine('aipersist').createMvTable({ tableId: 3, partitions: PARTITIONS, storageProfile: 'p' });
    const parts = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => table.createMvPartition(p)));
    const ids = parts.map((part, p) => {
      const rows = Array.from({ length: 400 }, () => RowId.random(p));
      part.runConsistently(() => rows.forEach((id) => part.addWriteCommitted(id, value(1), 100n)));
      return rows;
    });
    return { dir, disk, open, table, parts, ids };
  }

  it.each([1, 3])('at most checkpointThreads (%i) writes are in flight, and the checkpoint is complete after a reopen', async (threads) => {
    const { disk, open, ids } = await setUp(threads);
    await node!.checkpoint();
    expect(disk.asyncWrites).toBeGreaterThan(PARTITIONS);
    expect(disk.maxInFlight).toBeLessThanOrEqual(threads);
    if (threads > 1) expect(disk.maxInFlight).toBeGreaterThan(1);
    await node!.close();
    node = await open();
    const table = node.engine('aipersist').createMvTable({ tableId: 3, partitions: PARTITIONS, storageProfile: 'p' });
    for (let p = 0; p < PARTITIONS; p++) {
      const part = await table.createMvPartition(p);
      for (const id of ids[p]!) expect(part.read(id, MAX_VALUE).binaryRow?.bytes[0]).toBe(1);
    }
  });

  it('closures run while checkpoint writes are in flight; the checkpoint holds its snapshot, a clean close the rest', async () => {
    const { disk, open, parts, ids } = await setUp(2);
    disk.held = true;
    let done = false;
    const flushed = node!.checkpoint().then(() => (done = true));
    await until('a write in flight', () => disk.inFlight > 0);
    // The checkpoint is mid-write; closures still run, and change pages it has not written yet (copy-on-write).
    const later = parts.map((part, p) => {
      const rows = Array.from({ length: 50 }, () => RowId.random(p));
      part.runConsistently(() => {
        rows.forEach((id) => part.addWriteCommitted(id, value(2), 200n));
        part.addWriteCommitted(ids[p]![0]!, value(3), 300n);
      });
      return rows;
    });
    expect(done).toBe(false);
    disk.release();
    await flushed;
    await node!.close();
    node = await open();
    const table = node.engine('aipersist').createMvTable({ tableId: 3, partitions: PARTITIONS, storageProfile: 'p' });
    for (let p = 0; p < PARTITIONS; p++) {
      const part = await table.createMvPartition(p);
      for (const id of later[p]!) expect(part.read(id, MAX_VALUE).binaryRow?.bytes[0]).toBe(2);
      expect(part.read(ids[p]![0]!, MAX_VALUE).binaryRow?.bytes[0]).toBe(3);
      expect(part.read(ids[p]![0]!, 150n).binaryRow?.bytes[0]).toBe(1);
    }
  });

  it('a table destroyed under writes in flight leaves no file; the checkpoint resolves and other tables are intact', async () => {
    const { dir, disk, open } = await setUp(3);
    const other = node!.engine('aipersist').createMvTable({ tableId: 4, partitions: 1, storageProfile: 'p' });
    const keep = await other.createMvPartition(0);
    const kept = Array.from({ length: 300 }, () => RowId.random(0));
    keep.runConsistently(() => kept.forEach((id) => keep.addWriteCommitted(id, value(7), 100n)));
    disk.held = true;
    const flushed = node!.checkpoint();
    await until('a write of table 3 in flight', () => disk.inFlight > 0);
    await node!.engine('aipersist').destroyMvTable(3);
    disk.release();
    await flushed;
    await until('the writes in flight to settle', () => disk.inFlight === 0);
    expect(existsSync(`${dir.path}/db/table-3`)).toBe(false);
    await node!.close();
    node = await open();
    expect(existsSync(`${dir.path}/db/table-3`)).toBe(false);
    const again = await node.engine('aipersist').createMvTable({ tableId: 4, partitions: 1, storageProfile: 'p' }).createMvPartition(0);
    for (const id of kept) expect(again.read(id, MAX_VALUE).binaryRow?.bytes[0]).toBe(7);
  });

  it('compaction merges at most compactionThreads partitions at once, and every partition ends with one delta file', async () => {
    const { dir, disk, parts, ids } = await setUp(4, 2);
    const engine = node!.engine('aipersist') as unknown as { compactionIdle(): Promise<void> };
    await node!.checkpoint();
    // A second checkpoint changes most pages (a new version of every row), so its delta file has pages to merge.
    parts.forEach((part, p) => part.runConsistently(() => ids[p]!.forEach((id) => part.addWriteCommitted(id, value(5), 200n))));
    await node!.checkpoint();
    await engine.compactionIdle();
    const merges = new Set<string>();
    let maxMerging = 0;
    const writeAsync = disk.writeAsync.bind(disk);
    // A merge writes the main file; count the partitions whose main file has a write in flight.
    disk.writeAsync = async (h, buf, off, len, pos) => {
      const path = disk.pathOf(h);
      const isMain = /part-\d+\.bin$/.test(path);
      if (isMain) merges.add(path);
      maxMerging = Math.max(maxMerging, merges.size);
      try {
        await writeAsync(h, buf, off, len, pos);
      } finally {
        if (isMain) merges.delete(path);
      }
    };
    // The third changes only each meta page (a delta file, nothing in place): main-file writes now are the merges'.
    for (const part of parts) part.runConsistently(() => part.lastApplied(10, 1));
    await node!.checkpoint();
    await engine.compactionIdle();
    expect(maxMerging).toBeGreaterThan(0);
    expect(maxMerging).toBeLessThanOrEqual(2);
    const files = readdirSync(`${dir.path}/db/table-3`);
    for (let p = 0; p < PARTITIONS; p++) expect(files.filter((f) => f.startsWith(`part-${p}-delta-`))).toHaveLength(1);
  });
});
