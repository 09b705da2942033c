/**
 * Row versions in data pages (row-version.layout.ts) on top of the partition's RowStore: insert, header reads for
 * chain walks, value reads, in-place header updates, the commit rewrite of an intent, removal.
 *
 * Scratch and lifetimes: `readHeader` fills this object's header fields (an intent's meta included), valid until
 * the next call of any method here; values are read into fresh arrays (they become result rows); inserts assemble
 * header + value in a scratch buffer owned by this object and grown on demand (never shrunk: its size is the
 * largest row written so far). Single-threaded, synchronous, allocation-free except for returned rows, txId
 * strings and scratch growth.
 */
import { RowBytesPool } from './row-bytes-pool';
import type { RowLink } from '../datapage/row-link';
import type { RowStore } from '../datapage/row-store';
import { readItemId, readPageId, writePageId } from '../page/page-id';
import type { BinaryRow } from '../storage/binary-row';
import { copyBytes } from '../datapage/byte-copy';
import { tsHi, tsLo, writeTs } from './hybrid-ts-bytes';
import { TX_ID_BYTES, formatTxId, sameTxId } from './tx-id-bytes';
import {
  VERSION_COMMIT_PARTITION_OFFSET, VERSION_COMMIT_TS_OFFSET, VERSION_COMMIT_ZONE_OFFSET, VERSION_FLAGS_OFFSET,
  VERSION_FLAG_INTENT_META, VERSION_FLAG_TOMBSTONE, VERSION_HEADER_SIZE, VERSION_INTENT_HEADER_SIZE,
  VERSION_INTENT_META_SIZE, VERSION_NEXT_OFFSET, VERSION_SCHEMA_OFFSET, VERSION_TX_ID_OFFSET, VERSION_VALUE_LENGTH_OFFSET,
} from './row-version.layout';

const MIN_SCRATCH = 256;

export class RowVersions {
  readonly #store: RowStore;
  readonly #header = new Uint8Array(VERSION_INTENT_HEADER_SIZE);
  readonly #hdv = new DataView(this.#header.buffer);
  readonly #patch = new Uint8Array(8);
  readonly #pdv = new DataView(this.#patch.buffer);
  #scratch = new Uint8Array(MIN_SCRATCH);
  #sdv = new DataView(this.#scratch.buffer);
  // The intent meta the next #assemble writes (#intent false: a committed version).
  #intent = false;
  #txId: Uint8Array = this.#header;
  #zone = 0;
  #part = 0;

  readonly #rowBytes = new RowBytesPool();

  constructor(store: RowStore) {
    this.#store = store;
  }

  /** Reads the header of the version at the link into this object (see the getters below); two reads for an intent. */
  readHeader(pageId: number, itemId: number): void {
    this.#store.readAt(pageId, itemId, 0, this.#header, 0, VERSION_HEADER_SIZE);
    if (this.hasIntentMeta) {
      this.#store.readAt(pageId, itemId, VERSION_HEADER_SIZE, this.#header, VERSION_HEADER_SIZE, VERSION_INTENT_META_SIZE);
    }
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

  get flags(): number {
    return this.#header[VERSION_FLAGS_OFFSET]!;
  }

  get isTombstone(): boolean {
    return (this.flags & VERSION_FLAG_TOMBSTONE) !== 0;
  }

  /** Whether the header carries an intent's txId and commit target (the getters below are 0 without). */
  get hasIntentMeta(): boolean {
    return (this.flags & VERSION_FLAG_INTENT_META) !== 0;
  }

  get schemaVersion(): number {
    return this.#hdv.getInt32(VERSION_SCHEMA_OFFSET, true);
  }

  get valueLength(): number {
    return this.#hdv.getUint32(VERSION_VALUE_LENGTH_OFFSET, true);
  }

  get commitZoneId(): number {
    return this.hasIntentMeta ? this.#hdv.getInt32(VERSION_COMMIT_ZONE_OFFSET, true) : 0;
  }

  get commitPartitionId(): number {
    return this.hasIntentMeta ? this.#hdv.getInt32(VERSION_COMMIT_PARTITION_OFFSET, true) : 0;
  }

  /** Whether the intent whose header was read last belongs to the transaction whose 16 bytes are at `txId[off..]`. */
  isIntentOf(txId: Uint8Array, off: number): boolean {
    return this.hasIntentMeta && sameTxId(this.#header, VERSION_TX_ID_OFFSET, txId, off);
  }

  /** Copies the txId of the intent whose header was read last to `dst[off..]`. */
  copyTxId(dst: Uint8Array, off: number): void {
    copyBytes(this.#header, VERSION_TX_ID_OFFSET, dst, off, TX_ID_BYTES);
  }

  /** The txId string of the intent whose header was read last (allocates: results only). */
  txIdString(): string {
    return formatTxId(this.#header, VERSION_TX_ID_OFFSET);
  }

  /** The row of the version whose header was read last (same link!): null for a tombstone, else a fresh row. */
  rowOfHeader(pageId: number, itemId: number): BinaryRow | null {
    if (this.isTombstone) return null;
    const bytes = this.#rowBytes.take(this.valueLength);
    this.#store.readAt(pageId, itemId, this.#valueOffset(), bytes, 0, bytes.length);
    return { schemaVersion: this.schemaVersion, bytes };
  }

  /** Header and row of the version at the link. */
  readRow(pageId: number, itemId: number): BinaryRow | null {
    this.readHeader(pageId, itemId);
    return this.rowOfHeader(pageId, itemId);
  }

  /** Stores a new committed version and fills `out` with its link. Copies the row's bytes. */
  insert(row: BinaryRow | null, hi: number, lo: number, nextPage: number, nextItem: number, out: RowLink): void {
    this.#intent = false;
    const len = this.#assemble(row, hi, lo, nextPage, nextItem);
    this.#store.insert(this.#scratch, out, 0, len);
  }

  /** Sets the intent meta of the next insertIntent / replaceIntent (`txId[0..16]` is copied then). */
  intentMeta(txId: Uint8Array, commitZoneId: number, commitPartitionId: number): this {
    this.#txId = txId;
    this.#zone = commitZoneId;
    this.#part = commitPartitionId;
    return this;
  }

  /** Stores a new write intent with the meta given by `intentMeta` and fills `out` with its link. */
  insertIntent(row: BinaryRow | null, nextPage: number, nextItem: number, out: RowLink): void {
    this.#intent = true;
    const len = this.#assemble(row, 0, 0, nextPage, nextItem);
    this.#store.insert(this.#scratch, out, 0, len);
  }

  /**
   * Replaces the version at the link with a write intent (meta from `intentMeta`); its link may change: `out`
   * holds the link to use from now on. On OutOfMemoryError the old version is intact.
   */
  replaceIntent(pageId: number, itemId: number, row: BinaryRow | null, nextPage: number, nextItem: number, out: RowLink): void {
    this.#intent = true;
    const len = this.#assemble(row, 0, 0, nextPage, nextItem);
    this.#store.update(pageId, itemId, this.#scratch, out, 0, len);
  }

  /**
   * Commits the intent at the link, whose header was read last: rewrites it with commit ts (hi, lo) and without
   * the intent meta. Returns whether it kept its link; `out` holds the link to use from now on. On
   * OutOfMemoryError (only a fragmented value can need new pages) the intent is intact.
   */
  commitIntent(pageId: number, itemId: number, hi: number, lo: number, out: RowLink): boolean {
    const valueLen = this.valueLength;
    const len = VERSION_HEADER_SIZE + valueLen;
    if (this.#scratch.length < len) this.#grow(len);
    if (valueLen > 0) this.#store.readAt(pageId, itemId, VERSION_INTENT_HEADER_SIZE, this.#scratch, VERSION_HEADER_SIZE, valueLen);
    copyBytes(this.#header, 0, this.#scratch, 0, VERSION_HEADER_SIZE);
    writeTs(this.#sdv, VERSION_COMMIT_TS_OFFSET, hi, lo);
    this.#scratch[VERSION_FLAGS_OFFSET] = this.flags & ~VERSION_FLAG_INTENT_META;
    return this.#store.update(pageId, itemId, this.#scratch, out, 0, len);
  }

  /** Writes the next link in place (0 = the version becomes the oldest). */
  setNext(pageId: number, itemId: number, nextPage: number, nextItem: number): void {
    writePageId(this.#pdv, 0, nextPage, nextItem);
    this.#store.writeAt(pageId, itemId, VERSION_NEXT_OFFSET, this.#patch, 0, 8);
  }

  remove(pageId: number, itemId: number): void {
    this.#store.remove(pageId, itemId);
  }

  #valueOffset(): number {
    return this.hasIntentMeta ? VERSION_INTENT_HEADER_SIZE : VERSION_HEADER_SIZE;
  }

  /** Header (+ intent meta when #intent) + value into the scratch buffer; returns the row length. */
  #assemble(row: BinaryRow | null, hi: number, lo: number, nextPage: number, nextItem: number): number {
    const valueLen = row === null ? 0 : row.bytes.length;
    const valueOff = this.#intent ? VERSION_INTENT_HEADER_SIZE : VERSION_HEADER_SIZE;
    const len = valueOff + valueLen;
    if (this.#scratch.length < len) this.#grow(len);
    const dv = this.#sdv;
    writeTs(dv, VERSION_COMMIT_TS_OFFSET, hi, lo);
    writePageId(dv, VERSION_NEXT_OFFSET, nextPage, nextItem);
    dv.setInt32(VERSION_SCHEMA_OFFSET, row === null ? 0 : row.schemaVersion, true);
    const flags = (row === null ? VERSION_FLAG_TOMBSTONE : 0) | (this.#intent ? VERSION_FLAG_INTENT_META : 0);
    dv.setUint8(VERSION_FLAGS_OFFSET, flags);
    dv.setUint32(VERSION_VALUE_LENGTH_OFFSET, valueLen, true);
    if (this.#intent) {
      copyBytes(this.#txId, 0, this.#scratch, VERSION_TX_ID_OFFSET, TX_ID_BYTES);
      dv.setInt32(VERSION_COMMIT_ZONE_OFFSET, this.#zone, true);
      dv.setInt32(VERSION_COMMIT_PARTITION_OFFSET, this.#part, true);
    }
    if (row !== null) copyBytes(row.bytes, 0, this.#scratch, valueOff, valueLen);
    return len;
  }

  #grow(len: number): void {
    let size = this.#scratch.length;
    while (size < len) size *= 2;
    this.#scratch = new Uint8Array(size);
    this.#sdv = new DataView(this.#scratch.buffer);
  }
}
