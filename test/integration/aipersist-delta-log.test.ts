/**
 * The write-ahead delta log through the engine: after a power loss (the fault-injecting FileIo drops, tears or
 * scatters the sectors of every write not yet fdatasynced) each partition = its last checkpoint + replay of the log after it — every batch that
 * `runDurably` acknowledged is there, rows and index entries agree, each closure all or nothing — with and without
 * checkpoints in between, across tables and partitions, for a closure that threw after some changes, and for a table
 * destroyed and created again with its id. Sync modes: `fsync` acknowledges after the sync; `none` is the checkpoint
 * alone. Plus the API's edges: runDurably inside a closure, aimem's runDurably, a corrupt log at open.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../src/domain/storage/row-id';
import { DataCorruptionError } from '../../src/domain/shared/errors';
import { openNode, type StorageConfigInput, type StorageNode, type MvPartitionStorage, type SortedIndexStorage } from '../../src/interfaces/api/index';
import { tuneAipersist } from '../support/aipersist-tuning';
import { PowerLossFileIo } from '../support/power-loss-file-io';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const PK = { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] } as const;

function config(syncMode: 'fsync' | 'background' | 'none'): StorageConfigInput {
  return {
    ignite: {
      storage: {
        engines: { aipersist: { pageSizeBytes: 1024, checkpoint: { intervalMillis: 0 }, deltaLog: { syncMode, segmentSizeBytes: 1 * MiB } } },
        profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 16 * MiB }],
      },
    },
  };
}

interface Part {
  readonly id: number;
  readonly mv: MvPartitionStorage;
  readonly pk: SortedIndexStorage;
}

/** Row `key` of partition p: its value names the batch that wrote it last. */
const rowOf = (key: number, batch: number): { schemaVersion: number; bytes: Uint8Array } => {
  const b = new Uint8Array(24);
  new DataView(b.buffer).setFloat64(0, key);
  new DataView(b.buffer).setFloat64(8, batch);
  return { schemaVersion: 1, bytes: b };
};

describe('aipersist: the write-ahead delta log', () => {
  let dir: { path: string; cleanup(): void };
  const nodes: StorageNode[] = [];
  beforeEach(() => (dir = tempDir('aistorage-delta-log-')));
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close().catch(() => undefined);
    dir.cleanup();
  });

  async function open(io: PowerLossFileIo, syncMode: 'fsync' | 'background' | 'none' = 'fsync'): Promise<StorageNode> {
    const node = await openNode({ workDir: dir.path, config: config(syncMode) }, { configure: tuneAipersist(dir.path, { io }) });
    nodes.push(node);
    return node;
  }

  /** The disk after a power loss now; the node that ran on `io` is closed (on `io`), a new one opens on the copy. */
  /** The disk the node `crashAndOpen` opened last runs on. */
  let lastDisk: PowerLossFileIo | null = null;

  async function crashAndOpen(io: PowerLossFileIo, mode: 'drop' | 'tear' | 'scatter', seed = 1, syncMode: 'fsync' | 'none' = 'fsync'): Promise<StorageNode> {
    const disk = io.crash(mode, seed);
    lastDisk = disk;
    for (const n of nodes.splice(0)) await n.close().catch(() => undefined);
    return open(disk, syncMode);
  }

  async function parts(node: StorageNode, tableId: number, n: number): Promise<Part[]> {
    const table = node.engine('aipersist').createMvTable({ tableId, partitions: n, storageProfile: 'p' });
    const out: Part[] = [];
    for (let p = 0; p < n; p++) {
      const mv = await table.createMvPartition(p);
      out.push({ id: p, mv, pk: table.createSortedIndex(p, PK) });
    }
    return out;
  }

  /** Every row found through the primary index, with the batch that wrote it: key → batch. */
  function picture(part: Part): Map<number, number> {
    const out = new Map<number, number>();
    const c = part.pk.scan(null, null, 0);
    while (c.hasNext()) {
      const rowId = c.next().rowId;
      const row = part.mv.read(rowId, MAX_VALUE).binaryRow;
      expect(row, 'an index entry names a row').not.toBeNull();
      const dv = new DataView(row!.bytes.buffer, row!.bytes.byteOffset);
      out.set(dv.getFloat64(0), dv.getFloat64(8));
    }
    c.close();
    expect(part.mv.estimatedSize()).toBe(out.size);
    return out;
  }

  /**
   * Batches of `size` new rows per partition, alternating; keys = batch × 1000 + i. Returns the expected picture
   * per partition after each batch, and the number of batches runDurably acknowledged per partition.
   */
  async function writeBatches(node: StorageNode, ps: Part[], batches: number, size: number, awaitEvery: number): Promise<{ acked: number[]; done: number[] }> {
    const acked = ps.map(() => 0);
    const done = ps.map(() => 0);
    const pending: Array<Promise<unknown>> = [];
    for (let b = 1; b <= batches; b++) {
      ps.forEach((part, p) => {
        const ts = node.clock.now();
        pending.push(part.mv.runDurably(() => {
          for (let i = 0; i < size; i++) {
            const rowId = RowId.random(part.id);
            part.mv.addWriteCommitted(rowId, rowOf(b * 1000 + i, b), ts);
            part.pk.put({ key: [BigInt(b * 1000 + i)], rowId });
          }
        }).then(() => void (acked[p] = Math.max(acked[p]!, b))));
        done[p] = b;
      });
      if (b % awaitEvery === 0) await pending[pending.length - 1];
    }
    return { acked, done };
  }

  function expectPrefix(pic: Map<number, number>, acked: number, done: number, size: number): number {
    const batches = new Set(pic.values());
    const n = batches.size;
    expect(n).toBeGreaterThanOrEqual(acked);
    expect(n).toBeLessThanOrEqual(done);
    for (let b = 1; b <= n; b++) {
      expect(batches.has(b), `batch ${b} of a prefix of ${n}`).toBe(true);
      for (let i = 0; i < size; i++) expect(pic.get(b * 1000 + i)).toBe(b);
    }
    expect(pic.size).toBe(n * size);
    return n;
  }

  it.each(['drop', 'tear', 'scatter'] as const)('every acknowledged batch survives a power loss (%s), with no checkpoint since the start', async (mode) => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await open(io);
    const ps = [...(await parts(node, 3, 2)), ...(await parts(node, 4, 1))];
    const { acked, done } = await writeBatches(node, ps, 30, 20, 4);
    expect(Math.min(...acked)).toBeGreaterThan(0);
    const ackedAtCrash = [...acked]; // acknowledgements that come later were synced to `io`, not to the crashed copy
    const again = await crashAndOpen(io, mode, 7);
    expect(Math.max(...done.map((d, p) => d - ackedAtCrash[p]!)), 'some batches were in flight at the crash').toBeGreaterThan(0);
    const recovered: Array<{ type: string; tableId?: number; batches?: number }> = [];
    again.events$.subscribe((e) => recovered.push(e as never));
    const after = [...(await parts(again, 3, 2)), ...(await parts(again, 4, 1))];
    const logEvents = recovered.filter((e) => e.type === 'log.recovered');
    expect(logEvents.map((e) => e.tableId)).toEqual([3, 3, 4]);
    for (const e of logEvents) expect(e.batches).toBeGreaterThan(0);
    after.forEach((part, p) => expectPrefix(picture(part), ackedAtCrash[p]!, done[p]!, 20));
    expect(again.metrics().aipersist!.deltaLog!.replayedRecords).toBeGreaterThan(0);
  });

  it('checkpoints in between: the log is released behind them, and a power loss still loses no acknowledged batch', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await open(io);
    const ps = await parts(node, 3, 2);
    await writeBatches(node, ps, 40, 200, 1);
    const segmentsBefore = node.metrics().aipersist!.deltaLog!.segments;
    expect(segmentsBefore).toBeGreaterThan(1);
    await node.checkpoint();
    expect(node.metrics().aipersist!.deltaLog!.segments).toBeLessThan(segmentsBefore);
    // More batches after the checkpoint (keys of batches 41..50), then the power goes.
    const acked = [0, 0];
    for (let b = 41; b <= 50; b++) {
      await Promise.all(ps.map((part, p) => part.mv.runDurably(() => {
        for (let i = 0; i < 60; i++) {
          const rowId = RowId.random(part.id);
          part.mv.addWriteCommitted(rowId, rowOf(b * 1000 + i, b), node.clock.now());
          part.pk.put({ key: [BigInt(b * 1000 + i)], rowId });
        }
      }).then(() => void (acked[p] = b))));
    }
    const ackedAtCrash = [...acked];
    const again = await crashAndOpen(io, 'drop');
    const after = await parts(again, 3, 2);
    after.forEach((part, p) => {
      const pic = picture(part);
      for (let b = 1; b <= 40; b++) for (let i = 0; i < 200; i++) expect(pic.get(b * 1000 + i)).toBe(b);
      for (let b = 41; b <= ackedAtCrash[p]!; b++) for (let i = 0; i < 60; i++) expect(pic.get(b * 1000 + i)).toBe(b);
    });
    // Only what followed the checkpoint was replayed; the replay's time (reading, decoding and applying) is counted.
    expect(again.metrics().aipersist!.deltaLog!.replayedRecords).toBe(20);
    expect(again.metrics().aipersist!.deltaLog!.replayMillis).toBeGreaterThan(0);
  });

  it('a closure that throws after some changes: what it completed is logged and comes back after a power loss', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await open(io);
    const [part] = await parts(node, 3, 1);
    const ts = node.clock.now();
    const kept = RowId.random(0);
    await expect(part!.mv.runDurably(() => {
      part!.mv.addWriteCommitted(kept, rowOf(1, 1), ts);
      part!.pk.put({ key: [1n], rowId: kept });
      throw new Error('the application failed half way');
    })).rejects.toThrow('half way');
    await part!.mv.runDurably(() => part!.mv.addWriteCommitted(RowId.random(0), rowOf(2, 2), ts)); // syncs the log
    const again = await crashAndOpen(io, 'drop');
    const [after] = await parts(again, 3, 1);
    expect(after!.mv.read(kept, MAX_VALUE).binaryRow).toEqual(rowOf(1, 1));
    expect(after!.mv.estimatedSize()).toBe(2);
  });

  it('a table destroyed and created again with its id: after a power loss only the new table\'s rows are there', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await open(io);
    const [old] = await parts(node, 3, 1);
    await old!.mv.runDurably(() => old!.mv.addWriteCommitted(RowId.random(0), rowOf(1, 1), node.clock.now()));
    await node.engine('aipersist').destroyMvTable(3);
    const [fresh] = await parts(node, 3, 1);
    const id = RowId.random(0);
    await fresh!.mv.runDurably(() => {
      fresh!.mv.addWriteCommitted(id, rowOf(2, 2), node.clock.now());
      fresh!.pk.put({ key: [2n], rowId: id });
    });
    const again = await crashAndOpen(io, 'drop');
    const [after] = await parts(again, 3, 1);
    expect([...picture(after!)]).toEqual([[2, 2]]);
  });

  it('a partition replayed while a checkpoint pass runs keeps its batches until a later pass covers it', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await open(io);
    const [late] = await parts(node, 4, 1);
    await writeBatches(node, [late!], 80, 200, 1); // several 1 MiB segments, all older than what follows
    const [early] = await parts(node, 3, 1);
    await writeBatches(node, [early!], 3, 10, 1);
    const second = await crashAndOpen(io, 'drop');
    const finished: string[] = [];
    second.events$.subscribe((e) => finished.push(e.type));
    await parts(second, 3, 1); // replays table 3 and starts a recovery checkpoint
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r)); // its snapshot is taken
    await parts(second, 4, 1); // replays table 4 while that pass writes
    for (let i = 0; i < 10_000 && !finished.includes('checkpoint.finished'); i++) await new Promise((r) => setImmediate(r));
    expect(finished).toContain('checkpoint.finished');
    const third = await crashAndOpen(lastDisk!, 'drop'); // the second node's disk, before any pass that covers table 4
    const [after] = await parts(third, 4, 1);
    expectPrefix(picture(after!), 80, 80, 200);
  });

  it('destroyed partitions and tables stay destroyed across a power loss right after, and for tables not opened since a restart', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await open(io);
    const ps = await parts(node, 3, 2);
    const [other] = await parts(node, 5, 1);
    await writeBatches(node, [...ps, other!], 4, 10, 1);
    const table3 = node.engine('aipersist').createMvTable({ tableId: 6, partitions: 1, storageProfile: 'p' });
    void table3; // an unrelated table, never written
    await node.engine('aipersist').destroyMvTable(3);
    const second = await crashAndOpen(io, 'drop'); // no sync after the destroy but its own
    const again = await parts(second, 3, 2);
    for (const part of again) expect(picture(part).size).toBe(0);
    // Table 5 was not opened in this run: destroying it drops its logged batches too, durably.
    await second.engine('aipersist').destroyMvTable(5);
    const [fresh] = await parts(second, 5, 1);
    expect(picture(fresh!).size).toBe(0);
    const third = await crashAndOpen(lastDisk!, 'drop');
    const [still] = await parts(third, 5, 1);
    expect(picture(still!).size).toBe(0);
  });

  it('sync mode none: durable at checkpoints only — a power loss goes back to the last checkpoint', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await open(io, 'none');
    const [part] = await parts(node, 3, 1);
    await writeBatches(node, [part!], 3, 10, 1);
    await node.checkpoint();
    await writeBatches(node, [part!], 2, 10, 1); // rewrites keys of batches 1..2: acknowledged at once, not durable
    const again = await crashAndOpen(io, 'drop', 1, 'none');
    const [after] = await parts(again, 3, 1);
    const pic = picture(after!);
    expect(pic.size).toBe(30);
    expect(new Set(pic.values())).toEqual(new Set([1, 2, 3]));
    expect(again.metrics().aipersist!.deltaLog!.recordsAppended).toBe(0);
  });

  it('runDurably inside a closure is refused; aimem resolves at once; a corrupt log stops the open with DATA_CORRUPTION', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs(dir.path);
    const node = await open(io);
    const [part] = await parts(node, 3, 1);
    let inner: Promise<unknown> | null = null;
    part!.mv.runConsistently(() => {
      inner = part!.mv.runDurably(() => 1);
    });
    await expect(inner).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await part!.mv.runDurably(() => 42)).toBe(42);
    await writeBatches(node, [part!], 5, 10, 1);
    // A crash leaves the log with its batches (a clean close would start it over empty), then a byte of its first
    // record flips.
    const disk = io.crash('drop');
    await node.close();
    nodes.splice(0);
    const segment = disk.list(`${dir.path}/log`).filter((f) => f.startsWith('segment-')).sort()[0]!;
    const h = disk.open(`${dir.path}/log/${segment}`, 'write');
    const b = new Uint8Array(1);
    disk.read(h, b, 0, 1, 64 + 40);
    b[0] ^= 0xff;
    disk.write(h, b, 0, 1, 64 + 40);
    disk.sync(h);
    disk.close(h);
    await expect(open(disk)).rejects.toBeInstanceOf(DataCorruptionError);

    const mem = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'm', maxSizeBytes: 16 * MiB }] } } } });
    nodes.push(mem);
    const mp = await mem.engine('aimem').createMvTable({ tableId: 1, partitions: 1, storageProfile: 'm' }).createMvPartition(0);
    expect(await mp.runDurably(() => mp.addWriteCommitted(RowId.random(0), rowOf(1, 1), 5n).status)).toBe('SUCCESS');
  });
});
