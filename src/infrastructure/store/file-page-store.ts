/**
 * aipersist's durable page store: for each (table, partition) a main file and delta files under
 * `<workDir>/db/table-<tableId>/` (layout: page-file.layout.ts), read by the persistent page memory on a miss and
 * written by checkpoints. The group id of a page is its table id.
 *
 * Committed state: the newest delta file of a partition names its page count and freed-page chain head; every page
 * index below that count reads from the newest delta file holding it, else from the main file. A partition without
 * a delta file is empty.
 *
 * A checkpoint of one partition (writeCheckpoint), crash-safe at every step:
 *   1. pages that are new since the committed state (index ≥ its page count) and that no delta file holds are
 *      written in place into the main file, which is synced — beyond the committed count nothing reads them yet;
 *   2. every other changed page goes, with the new page count and chain head, into the next delta file, written
 *      whole as `.tmp`, synced, renamed and the directory synced: that rename is the partition's commit point.
 * A crash before 2 leaves the previous checkpoint in force. Compaction (compact) merges every delta file but the
 * newest into the main file — pages that a newer delta holds are skipped — syncs it, then deletes the merged file;
 * repeating a merge after a crash writes the same images again. Destruction leaves a `.del` marker first, so that a
 * crash in the middle is finished by the next start (recover).
 */
import { openIfExists, readWholeFile, writeFileAtomically, type FileHandle, type FileIo } from '../../domain/ports/file-io.port';
import { DataCorruptionError, StorageIoError } from '../../domain/shared/errors';
import type { CheckpointPartition, CheckpointWrite, DurablePageStore, IndexDescriptorEntry, StoredPartitionState } from '../../domain/ports/page-store.port';
import { DeltaFile, DeltaFileWriter, PartitionFile, type PartitionFileIdentity } from './partition-files';
import { PageRun, PartitionCheckpointWrite, WriteBuffers } from './page-writes';

/** Concurrent page writes: checkpoint writes in flight, and partitions merged at once by compaction. */
export interface StoreWriters {
  readonly checkpoint: number;
  readonly compaction: number;
}


const DELTA_NAME = /^part-(\d+)-delta-(\d+)\.bin$/;
/** The table's index descriptors (JSON), so that recovery can open the indexes its log names. */
const INDEXES_FILE = 'indexes.json';

class StoredPartition {
  main: PartitionFile | null = null;
  /** Ascending by checkpoint number; the last one holds the committed state. */
  readonly deltas: DeltaFile[] = [];

  constructor(readonly id: PartitionFileIdentity, readonly dir: string) {}

  get mainPath(): string {
    return `${this.dir}/part-${this.id.partitionId}.bin`;
  }

  deltaPath(n: number): string {
    return `${this.dir}/part-${this.id.partitionId}-delta-${n}.bin`;
  }

  get state(): StoredPartitionState {
    const newest = this.deltas[this.deltas.length - 1];
    return newest === undefined ? { pages: 0, freeHead: 0 } : { pages: newest.header.partitionPages, freeHead: newest.header.freeHead };
  }

  /** The newest delta file holding `index` at or after position `from`, or −1. */
  deltaHolding(index: number, from = 0): number {
    for (let d = this.deltas.length - 1; d >= from; d--) if (this.deltas[d]!.slotOf(index) >= 0) return d;
    return -1;
  }

  close(): void {
    this.main?.close();
    for (const d of this.deltas) d.close();
    this.deltas.length = 0;
    this.main = null;
  }
}

export class FilePageStore implements DurablePageStore {
  readonly #parts = new Map<number, StoredPartition>();
  /** Partition checkpoints being written, by (table, partition). */
  readonly #writing = new Map<number, PartitionCheckpointWrite>();
  #spill: FileHandle | null = null;
  /** Run buffers, each being filled or in flight: at most `writers.checkpoint` / `.compaction` writes at once. */
  readonly #checkpointBuffers: WriteBuffers;
  readonly #compactionBuffers: WriteBuffers;

  constructor(
    private readonly io: FileIo,
    readonly dbDir: string,
    readonly pageSize: number,
    writers: StoreWriters = { checkpoint: 4, compaction: 4 },
  ) {
    this.#checkpointBuffers = new WriteBuffers(pageSize, writers.checkpoint);
    this.#compactionBuffers = new WriteBuffers(pageSize, writers.compaction);
  }

  tableDir(tableId: number): string {
    return `${this.dbDir}/table-${tableId}`;
  }

  get spillPath(): string {
    return `${this.dbDir}/page-spill.tmp`;
  }

  spillWrite(slot: number, src: Uint8Array, off: number): void {
    if (this.#spill === null) {
      this.#ensureDirs(this.dbDir);
      this.#spill = this.io.open(this.spillPath, 'create');
    }
    this.io.write(this.#spill, src, off, this.pageSize, slot * this.pageSize);
  }

  spillRead(slot: number, dst: Uint8Array, off: number): void {
    const n = this.#spill === null ? 0 : this.io.read(this.#spill, dst, off, this.pageSize, slot * this.pageSize);
    if (n !== this.pageSize) throw new StorageIoError(`${this.spillPath}: spill slot ${slot} could not be read back (${n} bytes)`);
  }

  /** Finishes what a crash interrupted: deletes `.tmp` files and completes destructions marked by `.del` files. */
  recover(): void {
    const io = this.io;
    io.remove(this.spillPath);
    for (const name of io.list(this.dbDir)) {
      const marker = /^table-(\d+)\.del$/.exec(name);
      if (marker !== null) {
        this.#removeTableFiles(Number(marker[1]));
        io.remove(`${this.dbDir}/${name}`);
        io.syncDir(this.dbDir);
        continue;
      }
      if (!name.startsWith('table-')) continue;
      const dir = `${this.dbDir}/${name}`;
      for (const f of io.list(dir)) {
        if (f.endsWith('.tmp')) io.remove(`${dir}/${f}`);
        const del = /^part-(\d+)\.del$/.exec(f);
        if (del !== null) this.#removePartitionFiles(dir, Number(del[1]), f);
      }
    }
  }

  partitionState(groupId: number, partitionId: number): StoredPartitionState {
    return this.#partition(groupId, partitionId).state;
  }

  readPage(groupId: number, partitionId: number, index: number, dst: Uint8Array, off: number): boolean {
    const sp = this.#partition(groupId, partitionId);
    const d = sp.deltaHolding(index);
    if (d >= 0) return sp.deltas[d]!.readPage(index, dst, off);
    if (sp.main === null) return false;
    return sp.main.readPage(index, dst, off);
  }

  /** Writes one partition's checkpoint in one go, synchronously (see the file comment); returns what it wrote. */
  writeCheckpoint(cp: CheckpointPartition, imageOf: (k: number) => { buf: Uint8Array; off: number }): CheckpointWrite {
    const w = this.#begin(cp, true);
    try {
      for (let k = 0; k < cp.indexes.length; k++) {
        const { buf, off } = imageOf(k);
        w.write(k, buf, off);
      }
      return w.finishSync();
    } catch (e) {
      w.abort();
      throw e;
    }
  }

  /**
   * Starts one partition's checkpoint: decides where each page goes (new pages that no delta file holds: the main
   * file in place; the rest: the next delta file, created now as `.tmp`); then `write` each page in any order
   * (when `canWrite` says so, else after `room()`), `finish` (sync the main file, commit the delta file) or `abort`.
   * Destroying the partition aborts it.
   */
  beginCheckpoint(cp: CheckpointPartition): PartitionCheckpointWrite {
    return this.#begin(cp, false);
  }

  #begin(cp: CheckpointPartition, sync: boolean): PartitionCheckpointWrite {
    if (this.#writing.has(key(cp.groupId, cp.partitionId))) {
      throw new StorageIoError(`a checkpoint of table ${cp.groupId}, partition ${cp.partitionId} is being written already`);
    }
    const sp = this.#partition(cp.groupId, cp.partitionId);
    this.#ensureDirs(sp.dir);
    const committed = sp.state.pages;
    const slots = new Int32Array(cp.indexes.length);
    const deltaIndexes: number[] = [];
    for (let k = 0; k < cp.indexes.length; k++) {
      const index = cp.indexes[k]!;
      if (index >= committed && sp.deltaHolding(index) < 0) slots[k] = -1;
      else slots[k] = deltaIndexes.push(index) - 1;
    }
    const n = sp.deltas.length === 0 ? 1 : sp.deltas[sp.deltas.length - 1]!.checkpoint + 1;
    const path = sp.deltaPath(n);
    const delta = DeltaFileWriter.create(this.io, path, { ...sp.id, checkpoint: n, partitionPages: cp.pages, freeHead: cp.freeHead },
      Uint32Array.from(deltaIndexes));
    const k = key(cp.groupId, cp.partitionId);
    const counts = { mainPages: slots.length - deltaIndexes.length, deltaPages: deltaIndexes.length };
    const w = new PartitionCheckpointWrite(cp, slots, delta, counts, {
      main: () => this.#main(sp),
      committed: () => {
        sp.deltas.push(DeltaFile.open(this.io, path, sp.id));
        this.#writing.delete(k);
      },
      aborted: () => this.#writing.delete(k),
      // A failure at or after the commit's rename: what is on disk is not known here any more; read it again.
      broken: () => {
        this.#writing.delete(k);
        sp.close();
        this.#parts.delete(k);
      },
    }, this.#checkpointBuffers, sync);
    this.#writing.set(k, w);
    return w;
  }

  /** Delta files of the partition (the newest is never merged). */
  deltaCount(tableId: number, partitionId: number): number {
    return this.#partition(tableId, partitionId).deltas.length;
  }

  /** Every (table, partition) this store has opened, with more than one delta file. */
  compactable(): Array<{ tableId: number; partitionId: number }> {
    const out: Array<{ tableId: number; partitionId: number }> = [];
    for (const sp of this.#parts.values()) if (sp.deltas.length > 1) out.push({ tableId: sp.id.tableId, partitionId: sp.id.partitionId });
    return out;
  }

  /**
   * Merges the partition's oldest delta file into its main file — pages a newer delta file holds are skipped, the
   * rest go out in runs, several writes at a time — syncs the main file, then deletes the delta file; returns the
   * pages merged. A partition destroyed or closed meanwhile stops the merge (0; nothing else to do).
   */
  async compactOldest(tableId: number, partitionId: number): Promise<number> {
    const k = key(tableId, partitionId);
    const sp = this.#partition(tableId, partitionId);
    if (sp.deltas.length < 2) return 0;
    const current = (): boolean => this.#parts.get(k) === sp && sp.deltas[0] === oldest;
    const oldest = sp.deltas[0]!;
    const main = this.#main(sp);
    const run = new PageRun(this.#compactionBuffers, null, (first, buf, count) => main.writeSealedAsync(first, buf, count));
    let merged = 0;
    try {
      for (const index of oldest.header.pageIndexes) {
        if (sp.deltaHolding(index, 1) >= 0) continue;
        while (!run.canAdd(index)) {
          run.flush(); // never wait holding a buffer
          await this.#compactionBuffers.whenFree();
          if (!current()) return 0;
        }
        // The delta file's sealed image is the main file's: read straight into the run, checked against its CRC.
        const { buf, at } = run.reserve(index);
        oldest.readPage(index, buf, at);
        merged++;
      }
      await run.drain();
    } finally {
      run.release();
    }
    if (!current()) return 0;
    await main.syncAsync();
    if (!current()) return 0;
    oldest.close();
    sp.deltas.shift();
    // Unlinking a large file and the directory fsync run on the thread pool (the event loop goes on). A crash before
    // they are durable leaves the merged delta file in place: merging it again on the next compaction is harmless.
    await this.io.removeAsync(oldest.path);
    await this.io.syncDirAsync(sp.dir);
    return merged;
  }

  /** Deletes a partition's files, crash-safely (a `.del` marker first). */
  destroyPartition(tableId: number, partitionId: number): void {
    this.#writing.get(key(tableId, partitionId))?.abort();
    const sp = this.#partition(tableId, partitionId);
    sp.close();
    this.#parts.delete(key(tableId, partitionId));
    if (!this.io.list(sp.dir).some((f) => f.startsWith(`part-${partitionId}.`) || f.startsWith(`part-${partitionId}-`))) return;
    const marker = `part-${partitionId}.del`;
    this.#create(`${sp.dir}/${marker}`);
    this.io.syncDir(sp.dir);
    this.#removePartitionFiles(sp.dir, partitionId, marker);
  }

  /** Deletes a table's directory, crash-safely (a `table-<id>.del` marker first). */
  destroyTable(tableId: number): void {
    for (const w of [...this.#writing.values()]) if (w.cp.groupId === tableId) w.abort();
    for (const [k, sp] of this.#parts) {
      if (sp.id.tableId !== tableId) continue;
      sp.close();
      this.#parts.delete(k);
    }
    if (this.io.list(this.tableDir(tableId)).length === 0) {
      this.io.removeDir(this.tableDir(tableId));
      return;
    }
    const marker = `${this.dbDir}/table-${tableId}.del`;
    this.#create(marker);
    this.io.syncDir(this.dbDir);
    this.#removeTableFiles(tableId);
    this.io.remove(marker);
    this.io.syncDir(this.dbDir);
  }

  indexDescriptors(tableId: number): IndexDescriptorEntry[] {
    const bytes = readWholeFile(this.io, `${this.tableDir(tableId)}/${INDEXES_FILE}`);
    if (bytes === null) return [];
    try {
      const entries = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
      if (!Array.isArray(entries)) throw new TypeError('not a list');
      return entries as IndexDescriptorEntry[];
    } catch (e) {
      throw new DataCorruptionError(`${this.tableDir(tableId)}/${INDEXES_FILE}: the table's index descriptors cannot be read (${(e as Error).message}); restore the work dir from a backup`);
    }
  }

  saveIndexDescriptors(tableId: number, entries: readonly IndexDescriptorEntry[]): void {
    const dir = this.tableDir(tableId);
    this.#ensureDirs(dir);
    const bytes = Buffer.from(JSON.stringify(entries), 'utf8');
    writeFileAtomically(this.io, `${dir}/${INDEXES_FILE}`, '', (h) => this.io.write(h, bytes, 0, bytes.length, 0));
    this.io.syncDir(dir);
  }

  /** Bytes of every partition and delta file under the db directory. */
  /** The last scan of tableDiskBytes, until the current code ends. */
  #sizes: Map<number, number> | null = null;

  diskBytes(): number {
    let total = 0;
    for (const bytes of this.tableDiskBytes().values()) total += bytes;
    return total;
  }

  tableDiskBytes(): ReadonlyMap<number, number> {
    // One scan of the files per turn of the event loop: a metrics snapshot asks for the tables' sizes and the total.
    if (this.#sizes !== null) return this.#sizes;
    const out = new Map<number, number>();
    this.#sizes = out;
    queueMicrotask(() => {
      this.#sizes = null;
    });
    for (const name of this.io.list(this.dbDir)) {
      const id = /^table-(\d+)$/.exec(name);
      if (id === null) continue;
      const dir = `${this.dbDir}/${name}`;
      let total = 0;
      for (const f of this.io.list(dir)) {
        const h = openIfExists(this.io, `${dir}/${f}`, 'read');
        if (h === null) continue;
        total += this.io.size(h);
        this.io.close(h);
      }
      out.set(Number(id[1]), total);
    }
    return out;
  }

  close(): void {
    for (const w of [...this.#writing.values()]) w.abort();
    for (const sp of this.#parts.values()) sp.close();
    this.#parts.clear();
    if (this.#spill !== null) {
      this.io.close(this.#spill);
      this.#spill = null;
      this.io.remove(this.spillPath);
    }
  }

  #partition(tableId: number, partitionId: number): StoredPartition {
    const k = key(tableId, partitionId);
    let sp = this.#parts.get(k);
    if (sp !== undefined) return sp;
    const id = { pageSize: this.pageSize, tableId, partitionId };
    sp = new StoredPartition(id, this.tableDir(tableId));
    const numbers: number[] = [];
    const names = this.io.list(sp.dir);
    // A destruction cut short by a crash (a read-only node does not finish it): the partition is gone already.
    if (names.includes(`part-${partitionId}.del`) || this.io.exists(`${this.dbDir}/table-${tableId}.del`)) {
      this.#parts.set(k, sp);
      return sp;
    }
    for (const f of names) {
      const m = DELTA_NAME.exec(f);
      if (m !== null && Number(m[1]) === partitionId) numbers.push(Number(m[2]));
    }
    numbers.sort((a, b) => a - b);
    try {
      for (const n of numbers) sp.deltas.push(DeltaFile.open(this.io, sp.deltaPath(n), id));
      if (this.io.exists(sp.mainPath)) sp.main = PartitionFile.openOrCreate(this.io, sp.mainPath, id);
    } catch (e) {
      sp.close();
      throw e;
    }
    this.#parts.set(k, sp);
    return sp;
  }

  #main(sp: StoredPartition): PartitionFile {
    if (sp.main === null) sp.main = PartitionFile.openOrCreate(this.io, sp.mainPath, sp.id);
    return sp.main;
  }

  #ensureDirs(dir: string): void {
    if (this.io.exists(dir)) return;
    if (dir === this.dbDir) {
      this.io.mkdir(dir);
      this.io.syncDir(dir.slice(0, dir.lastIndexOf('/')) || '/');
      return;
    }
    const parent = dir.slice(0, dir.lastIndexOf('/'));
    if (!this.io.exists(parent)) {
      this.io.mkdir(parent);
      this.io.syncDir(parent.slice(0, parent.lastIndexOf('/')) || '/');
    }
    this.io.mkdir(dir);
    this.io.syncDir(parent);
  }

  #create(path: string): void {
    const h = this.io.open(path, 'create');
    this.io.close(h);
  }

  #removePartitionFiles(dir: string, partitionId: number, marker: string): void {
    for (const f of this.io.list(dir)) {
      if (f === marker) continue;
      if (f === `part-${partitionId}.bin` || f === `part-${partitionId}.bin.tmp` || (DELTA_NAME.exec(f.replace(/\.tmp$/, ''))?.[1] === String(partitionId))) {
        this.io.remove(`${dir}/${f}`);
      }
    }
    this.io.syncDir(dir);
    this.io.remove(`${dir}/${marker}`);
    this.io.syncDir(dir);
  }

  #removeTableFiles(tableId: number): void {
    const dir = this.tableDir(tableId);
    for (const f of this.io.list(dir)) this.io.remove(`${dir}/${f}`);
    this.io.syncDir(dir);
    this.io.removeDir(dir);
  }
}

function key(tableId: number, partitionId: number): number {
  return tableId * 0x10000 + partitionId;
}
