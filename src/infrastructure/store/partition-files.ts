/**
 * A partition's main file and its delta files (layout: page-file.layout.ts), over the FileIo port. Every page read
 * is checked against its CRC: a mismatch — a flipped bit, a torn write, a page at the wrong place — is a
 * DataCorruptionError naming the file and the page, never wrong data. Lifetimes: a handle stays open until close().
 *
 * Write order (the crash protocol the checkpointer builds on):
 * - main file pages are written in place, then `sync()`; a page not yet synced may be lost or torn by a crash
 *   (its CRC then fails, or it reads as never written), so the checkpoint keeps the previous copy in a delta file
 *   until the main file is synced;
 * - a delta file is written whole to `<name>.tmp`, synced, renamed to `<name>`, and the directory synced: after a
 *   crash it exists whole or not at all (a leftover `.tmp` is deleted at start).
 */
import { PAGE_CRC_OFFSET, PAGE_ID_OFFSET } from '../../domain/page/page-header.layout';
import { pageIndex, readPageId } from '../../domain/page/page-id';
import { openIfExists, parentOf, writeFileAtomically, type FileHandle, type FileIo } from '../../domain/ports/file-io.port';
import { DataCorruptionError, StorageIoError } from '../../domain/shared/errors';
import {
  checkFixedHeader, encodeHeader, fixedHeaderField, H_CHECKPOINT, H_CRC, H_FIXED_END, H_FREE_HEAD, H_PAGE_COUNT, H_PAGE_SIZE, H_PARTITION_PAGES,
  H_PARTITION_ID, H_TABLE_ID, headerBytes, headerCrc, isZeroPage, pageCrc, slotOfPage, type FileHeader,
} from './page-file.layout';

export interface PartitionFileIdentity {
  readonly pageSize: number;
  readonly tableId: number;
  readonly partitionId: number;
}

abstract class PageFile {
  protected constructor(
    protected readonly io: FileIo,
    readonly path: string,
    protected readonly handle: FileHandle,
    readonly header: FileHeader,
  ) {}

  get pageSize(): number {
    return this.header.pageSize;
  }

  close(): void {
    this.io.close(this.handle);
  }

  /** Reads the page image at `position` into `dst[off..]` and checks it; false for a page never written. */
  protected readAt(position: number, index: number, dst: Uint8Array, off: number): boolean {
    const size = this.pageSize;
    const n = this.io.read(this.handle, dst, off, size, position);
    if (n === 0) return false;
    if (n < size) throw this.corrupt(index, `the page is truncated (${n} of ${size} bytes)`);
    if (isZeroPage(dst, off, size)) return false;
    const stored = new DataView(dst.buffer, dst.byteOffset).getUint32(off + PAGE_CRC_OFFSET, true);
    const actual = pageCrc(dst, off, size);
    if (stored !== actual) throw this.corrupt(index, `its CRC-32 is ${hex(actual)}, the page says ${hex(stored)}`);
    return true;
  }

  protected corrupt(index: number, why: string): DataCorruptionError {
    return new DataCorruptionError(
      `${this.path}: page ${index} is corrupt (${why}). The file was damaged outside aistorage (disk, copy, or edit); ` +
        'restore the work dir from a backup',
    );
  }
}

/** The main file: page i at (i + 1) × pageSize. */
export class PartitionFile extends PageFile {
  /**
   * Opens the main file at `path`, creating it if it does not exist — atomically and durably (the header written to
   * `<path>.tmp`, synced, renamed, the directory synced), so a crash never leaves a main file without its header.
   */
  static openOrCreate(io: FileIo, path: string, id: PartitionFileIdentity): PartitionFile {
    let h = openIfExists(io, path, 'write');
    if (h === null) {
      const header: FileHeader = { kind: 'main', ...id, checkpoint: 0, pageIndexes: new Uint32Array(0), partitionPages: 0, freeHead: 0 };
      const bytes = encodeHeader(header);
      io.remove(`${path}.tmp`); // a leftover of a crash
      writeFileAtomically(io, path, '', (t) => io.write(t, bytes, 0, bytes.length, 0));
      h = io.open(path, 'write');
    }
    try {
      return new PartitionFile(io, path, h, readHeader(io, h, path, 'main', id));
    } catch (e) {
      io.close(h);
      throw e;
    }
  }

  /** Page `index` into `dst[off .. off+pageSize)`: false if it was never written (dst is then unspecified). */
  readPage(index: number, dst: Uint8Array, off: number): boolean {
    if (!this.readAt((index + 1) * this.pageSize, index, dst, off)) return false;
    checkPlace(this, index, dst, off);
    return true;
  }

  /** Writes `count` pages already sealed (sealPageAt) from `buf[0..]` as pages first .. first + count − 1. */
  writeSealed(first: number, buf: Uint8Array, count: number): void {
    this.io.write(this.handle, buf, 0, count * this.pageSize, (first + 1) * this.pageSize);
  }

  /** writeSealed on Node's thread pool: `buf` stays untouched until the promise settles. */
  writeSealedAsync(first: number, buf: Uint8Array, count: number): Promise<void> {
    return this.io.writeAsync(this.handle, buf, 0, count * this.pageSize, (first + 1) * this.pageSize);
  }

  /**
   * Writes page `index` from `src[off..]` with its CRC set in `scratch` (a caller-owned pageSize buffer: the page
   * in memory is not touched). Durable after sync().
   */
  writePage(index: number, src: Uint8Array, off: number, scratch: Uint8Array): void {
    sealPageAt(src, off, this.pageSize, scratch, 0);
    this.writeSealed(index, scratch, 1);
  }

  /** Pages the file has room for (written or holes), from its size. */
  pageSlots(): number {
    return Math.max(0, Math.floor(this.io.size(this.handle) / this.pageSize) - 1);
  }

  sync(): void {
    this.io.sync(this.handle);
  }

  syncAsync(): Promise<void> {
    return this.io.syncAsync(this.handle);
  }
}

/** A delta file: the pages one checkpoint changed, immutable once written. */
export class DeltaFile extends PageFile {
  readonly #dataStart: number;

  /**
   * Writes a delta file with the given pages (indexes ascending; `page(i)` gives the i-th page's image) atomically
   * (temp `<path>.tmp`, synced, renamed, directory synced): after a crash it is whole or absent.
   */
  static write(io: FileIo, path: string, id: DeltaIdentity, indexes: Uint32Array, page: (i: number) => { buf: Uint8Array; off: number }): void {
    const w = DeltaFileWriter.create(io, path, id, indexes);
    try {
      const scratch = new Uint8Array(id.pageSize);
      for (let i = 0; i < indexes.length; i++) {
        const { buf, off } = page(i);
        w.writePage(i, buf, off, scratch);
      }
      w.commit();
    } catch (e) {
      w.abort();
      throw e;
    }
  }

  static open(io: FileIo, path: string, id: PartitionFileIdentity): DeltaFile {
    const h = io.open(path, 'read');
    try {
      return new DeltaFile(io, path, h, readHeader(io, h, path, 'delta', id));
    } catch (e) {
      io.close(h);
      throw e;
    }
  }

  private constructor(io: FileIo, path: string, handle: FileHandle, header: FileHeader) {
    super(io, path, handle, header);
    this.#dataStart = headerBytes(header.pageIndexes.length, header.pageSize);
  }

  get checkpoint(): number {
    return this.header.checkpoint;
  }

  /** The slot of page `index` in this file, or −1 (binary search over the sorted indexes). */
  slotOf(index: number): number {
    return slotOfPage(this.header, index);
  }

  /** Page `index` into `dst[off..]`; false if this delta does not hold it. */
  readPage(index: number, dst: Uint8Array, off: number): boolean {
    const slot = this.slotOf(index);
    if (slot < 0) return false;
    if (!this.readAt(this.#dataStart + slot * this.pageSize, index, dst, off)) {
      throw this.corrupt(index, 'the delta file lists it but its image is missing');
    }
    checkPlace(this, index, dst, off);
    return true;
  }
}

export type DeltaIdentity = PartitionFileIdentity & { checkpoint: number; partitionPages: number; freeHead: number };

/**
 * A delta file being written, page by page in any order (a checkpoint that writes while closures run): the temp
 * file `<path>.tmp` gets the header at once and each page at its slot; `commit` syncs it, renames it to `<path>` and
 * syncs the directory (the commit point); `abort` removes it.
 */
export class DeltaFileWriter {
  #handle: FileHandle | null;

  private constructor(private readonly io: FileIo, readonly path: string, handle: FileHandle, private readonly pageSize: number, private readonly dataStart: number) {
    this.#handle = handle;
  }

  static create(io: FileIo, path: string, id: DeltaIdentity, indexes: Uint32Array): DeltaFileWriter {
    for (let i = 1; i < indexes.length; i++) {
      if (indexes[i]! <= indexes[i - 1]!) throw new StorageIoError(`delta file ${path}: page indexes must ascend`);
    }
    const header = encodeHeader({ kind: 'delta', ...id, pageIndexes: indexes });
    io.remove(`${path}.tmp`); // a leftover of a crash
    const h = io.open(`${path}.tmp`, 'createNew');
    try {
      io.write(h, header, 0, header.length, 0);
    } catch (e) {
      io.close(h);
      io.remove(`${path}.tmp`);
      throw e;
    }
    return new DeltaFileWriter(io, path, h, id.pageSize, header.length);
  }

  /** Writes `count` pages already sealed (sealPageAt) from `buf[0..]` into slots first .. first + count − 1. */
  writeSealed(first: number, buf: Uint8Array, count: number): void {
    this.io.write(this.#open(), buf, 0, count * this.pageSize, this.dataStart + first * this.pageSize);
  }

  /** writeSealed on Node's thread pool: `buf` stays untouched until the promise settles. */
  writeSealedAsync(first: number, buf: Uint8Array, count: number): Promise<void> {
    return this.io.writeAsync(this.#open(), buf, 0, count * this.pageSize, this.dataStart + first * this.pageSize);
  }

  /** Syncs the temp file (then `commit(true)` need not). */
  syncAsync(): Promise<void> {
    return this.io.syncAsync(this.#open());
  }

  /** Writes the image of the page in slot `slot` (its place in the sorted index list), sealed with its CRC in `scratch`. */
  writePage(slot: number, src: Uint8Array, off: number, scratch: Uint8Array): void {
    sealPageAt(src, off, this.pageSize, scratch, 0);
    this.writeSealed(slot, scratch, 1);
  }

  /** Syncs the temp file (unless `synced`), renames it to its name and syncs the directory: the commit point. */
  commit(synced = false): void {
    const h = this.#open();
    if (!synced) this.io.sync(h);
    this.io.close(h);
    this.#handle = null;
    this.io.rename(`${this.path}.tmp`, this.path);
    this.io.syncDir(parentOf(this.path));
  }

  /** commit(true) with the directory fsync on the thread pool: the commit point is when it resolves. */
  async commitSyncedAsync(): Promise<void> {
    this.io.close(this.#open());
    this.#handle = null;
    this.io.rename(`${this.path}.tmp`, this.path);
    await this.io.syncDirAsync(parentOf(this.path));
  }

  #open(): FileHandle {
    if (this.#handle === null) throw new StorageIoError(`${this.path}.tmp: the delta file was committed or aborted already`);
    return this.#handle;
  }

  /** Drops the temp file (no error if commit already happened or the file is gone). */
  abort(): void {
    if (this.#handle === null) return;
    const h = this.#handle;
    this.#handle = null;
    // Never throws: it runs while another failure is being reported. A leftover temp file is deleted at the next start.
    try {
      this.io.close(h);
    } catch {
      // the handle is gone either way
    }
    try {
      this.io.remove(`${this.path}.tmp`);
    } catch {
      // see above
    }
  }
}

/** Copies the page into `dst[at..]` and sets its CRC there (a run of pages written with one call). */
export function sealPageAt(src: Uint8Array, off: number, pageSize: number, dst: Uint8Array, at: number): void {
  dst.set(src.subarray(off, off + pageSize), at);
  new DataView(dst.buffer, dst.byteOffset).setUint32(at + PAGE_CRC_OFFSET, pageCrc(dst, at, pageSize), true);
}

/** A page whose header names another page index was written to the wrong place (its CRC is fine). */
function checkPlace(file: PartitionFile | DeltaFile, index: number, page: Uint8Array, off: number): void {
  const id = readPageId(new DataView(page.buffer, page.byteOffset), off + PAGE_ID_OFFSET);
  if (id !== 0 && pageIndex(id) !== index) {
    throw new DataCorruptionError(`${file.path}: page ${index} holds page ${pageIndex(id)} (a misplaced write); restore the work dir from a backup`);
  }
}

function readHeader(io: FileIo, h: FileHandle, path: string, kind: 'main' | 'delta', id: PartitionFileIdentity): FileHeader {
  const fixed = new Uint8Array(H_FIXED_END);
  const n = io.read(h, fixed, 0, H_FIXED_END, 0);
  const bad = (why: string) => new DataCorruptionError(`${path}: the file header is corrupt (${why}); restore the work dir from a backup`);
  const problem = checkFixedHeader(fixed.subarray(0, n), kind);
  if (problem !== null) throw bad(problem);
  const pageCount = fixedHeaderField(fixed, H_PAGE_COUNT);
  const used = H_FIXED_END + 4 * pageCount;
  if (pageCount > io.size(h) / 4) throw bad(`it claims ${pageCount} pages, more than the file can hold`);
  const all = new Uint8Array(used);
  all.set(fixed);
  if (io.read(h, all, H_FIXED_END, used - H_FIXED_END, H_FIXED_END) < used - H_FIXED_END) throw bad('the page index list is truncated');
  if (headerCrc(all, used) !== fixedHeaderField(all, H_CRC)) throw bad('its CRC-32 does not match');
  const header: FileHeader = {
    kind,
    pageSize: fixedHeaderField(all, H_PAGE_SIZE),
    tableId: fixedHeaderField(all, H_TABLE_ID) | 0,
    partitionId: fixedHeaderField(all, H_PARTITION_ID),
    checkpoint: fixedHeaderField(all, H_CHECKPOINT),
    pageIndexes: new Uint32Array(all.buffer.slice(H_FIXED_END, used)),
    partitionPages: fixedHeaderField(all, H_PARTITION_PAGES),
    freeHead: fixedHeaderField(all, H_FREE_HEAD),
  };
  if (header.pageSize !== id.pageSize || header.tableId !== id.tableId || header.partitionId !== id.partitionId) {
    throw new StorageIoError(
      `${path} belongs to table ${header.tableId}, partition ${header.partitionId} with ${header.pageSize}-byte pages, not to ` +
        `table ${id.tableId}, partition ${id.partitionId} with ${id.pageSize}-byte pages: the file was moved or the page size changed`,
      'STORAGE_MISMATCH',
    );
  }
  return header;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
