/**
 * Row versions in data pages (row-version.layout.ts) on top of the partition's RowStore: insert, header reads for
 * chain walks, value reads, in-place header updates, removal.
 *
 * Scratch and lifetimes: `readHeader` fills this object's header fields, valid until the next call of any method
 * here; values are read into fresh arrays (they become result rows); inserts assemble header + value in a scratch
 * buffer owned by this object and grown on demand (never shrunk: its size is the largest row written so far).
 * Single-threaded, synchronous, allocation-free except for returned rows and scratch growth.
 */
import { RowBytesPool } from './row-bytes-pool';
import type { RowLink } from '../datapage/row-link';
import type { RowStore } from '../datapage/row-store';
import { readItemId, readPageId, writePageId } from '../page/page-id';
import type { BinaryRow } from '../storage/binary-row';
import { copyBytes } from '../datapage/byte-copy';
import { tsHi, tsLo, writeTs } from './hybrid-ts-bytes';
import {
  VERSION_COMMIT_TS_OFFSET, VERSION_FLAGS_OFFSET, VERSION_FLAG_TOMBSTONE, VERSION_HEADER_SIZE, VERSION_NEXT_OFFSET,
  VERSION_SCHEMA_OFFSET, VERSION_VALUE_LENGTH_OFFSET,
} from './row-version.layout';

const MIN_SCRATCH = 256;

export class RowVersions {
  readonly #store: RowStore;
  readonly #header = new Uint8Array(VERSION_HEADER_SIZE);
  readonly #hdv = new DataView(this.#header.buffer);
  readonly #patch = new Uint8Array(8);
  readonly #pdv = new DataView(this.#patch.buffer);
  #scratch = new Uint8Array(MIN_SCRATCH);
  #sdv = new DataView(this.#scratch.buffer);

  readonly #rowBytes = new RowBytesPool();

  constructor(store: RowStore) {
    this.#store = store;
  }

  /** Reads the header of the version at the link into this object (see the getters below). */
  readHeader(pageId: number, itemId: number): void {
    this.#store.readAt(pageId, itemId, 0, this.#header, 0, VERSION_HEADER_SIZE);
  }

  get commitHi(): number {
    return tsHi(this.#hdv, VERSION_COMMIT_TS_OFFSET);
  }

  get commitLo(): number {
    return tsLo(this.#hdv, VERSION_COMMIT_TS_OFFSET);
  }

  get isWriteIntent(): boolean {
    return this.commitHi === 0 && this.commitLo === 0;
  }

  /** The header's commit timestamp as a bigint (allocates: results only). */
  commitTimestamp(): bigint {
    return this.#hdv.getBigUint64(VERSION_COMMIT_TS_OFFSET);
  }

  get nextPage(): number {
    return readPageId(this.#hdv, VERSION_NEXT_OFFSET);
  }

  get nextItem(): number {
    return readItemId(this.#hdv, VERSION_NEXT_OFFSET);
  }

  get isTombstone(): boolean {
    return (this.#header[VERSION_FLAGS_OFFSET]! & VERSION_FLAG_TOMBSTONE) !== 0;
  }

  get schemaVersion(): number {
    return this.#hdv.getInt32(VERSION_SCHEMA_OFFSET, true);
  }

  get valueLength(): number {
    return this.#hdv.getUint32(VERSION_VALUE_LENGTH_OFFSET, true);
  }

  /** The row of the version whose header was read last (same link!): null for a tombstone, else a fresh row. */
  rowOfHeader(pageId: number, itemId: number): BinaryRow | null {
    if (this.isTombstone) return null;
    const bytes = this.#rowBytes.take(this.valueLength);
    this.#store.readAt(pageId, itemId, VERSION_HEADER_SIZE, bytes, 0, bytes.length);
    return { schemaVersion: this.schemaVersion, bytes };
  }

  /** Header and row of the version at the link. */
  readRow(pageId: number, itemId: number): BinaryRow | null {
    this.readHeader(pageId, itemId);
    return this.rowOfHeader(pageId, itemId);
  }

  /** Stores a new version (commit ts 0/0 = write intent) and fills `out` with its link. Copies the row's bytes. */
  insert(row: BinaryRow | null, hi: number, lo: number, nextPage: number, nextItem: number, out: RowLink): void {
    const len = this.#assemble(row, hi, lo, nextPage, nextItem);
    this.#store.insert(this.#scratch, out, 0, len);
  }

  /**
   * Replaces the version at the link with a new one (its link may change: `out` holds the link to use from now
   * on). On OutOfMemoryError the old version is intact.
   */
  replace(pageId: number, itemId: number, row: BinaryRow | null, hi: number, lo: number, nextPage: number, nextItem: number, out: RowLink): void {
    const len = this.#assemble(row, hi, lo, nextPage, nextItem);
    this.#store.update(pageId, itemId, this.#scratch, out, 0, len);
  }

  /** Writes the commit timestamp in place (commit of a write intent). */
  setCommitTs(pageId: number, itemId: number, hi: number, lo: number): void {
    writeTs(this.#pdv, 0, hi, lo);
    this.#store.writeAt(pageId, itemId, VERSION_COMMIT_TS_OFFSET, this.#patch, 0, 8);
  }

  /** Writes the next link in place (0 = the version becomes the oldest). */
  setNext(pageId: number, itemId: number, nextPage: number, nextItem: number): void {
    writePageId(this.#pdv, 0, nextPage, nextItem);
    this.#store.writeAt(pageId, itemId, VERSION_NEXT_OFFSET, this.#patch, 0, 8);
  }

  remove(pageId: number, itemId: number): void {
    this.#store.remove(pageId, itemId);
  }

  /** Header + value into the scratch buffer; returns the row length. */
  #assemble(row: BinaryRow | null, hi: number, lo: number, nextPage: number, nextItem: number): number {
    const valueLen = row === null ? 0 : row.bytes.length;
    const len = VERSION_HEADER_SIZE + valueLen;
    if (this.#scratch.length < len) this.#grow(len);
    const dv = this.#sdv;
    writeTs(dv, VERSION_COMMIT_TS_OFFSET, hi, lo);
    writePageId(dv, VERSION_NEXT_OFFSET, nextPage, nextItem);
    dv.setInt32(VERSION_SCHEMA_OFFSET, row === null ? 0 : row.schemaVersion, true);
    dv.setUint32(VERSION_FLAGS_OFFSET, row === null ? VERSION_FLAG_TOMBSTONE : 0, true);
    dv.setUint32(VERSION_VALUE_LENGTH_OFFSET, valueLen, true);
    if (row !== null) copyBytes(row.bytes, 0, this.#scratch, VERSION_HEADER_SIZE, valueLen);
    return len;
  }

  #grow(len: number): void {
    let size = this.#scratch.length;
    while (size < len) size *= 2;
    this.#scratch = new Uint8Array(size);
    this.#sdv = new DataView(this.#scratch.buffer);
  }
}
