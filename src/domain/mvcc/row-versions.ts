/**
 * Row versions and chain anchors in data pages (row-version.layout.ts) on top of the partition's RowStore: header
 * reads for chain walks, value reads, encoding of new versions, and the anchor primitives (create, rewrite in
 * place or redirect, kill, hint references).
 *
 * Scratch and lifetimes: `readVersion` / `readAnchor` fill this object's header fields, valid until the next read;
 * values are read into pooled arrays (they become result rows); `encode*` assemble a version in a scratch buffer
 * owned here (grown on demand, never shrunk) that the next row operation consumes. Single-threaded, synchronous,
 * allocation-free except for returned rows, txId strings and scratch growth.
 */
import { copyBytes } from '../datapage/byte-copy';
import { partitionLinkPage, partitionLinkItem, writePartitionLink } from '../datapage/partition-link';
import { RowLink } from '../datapage/row-link';
import type { RowStore } from '../datapage/row-store';
import { PageView } from '../page-memory/page-memory.port';
import { readU32BE, readU32LE, writeU32BE, writeU32LE } from '../shared/byte-order';
import { DataCorruptionError } from '../shared/errors';
import type { BinaryRow } from '../storage/binary-row';
import { tsBigint } from './hybrid-ts-bytes';
import { RowBytesPool } from './row-bytes-pool';
import {
  ANCHOR_FLAG_DEAD, ANCHOR_FLAG_REDIRECT, HINT_REFS_SHIFT, MAX_VERSION_HEADER, REDIRECT_SIZE, VERSION_FLAGS_MASK,
  VERSION_FLAG_HAS_NEXT, VERSION_FLAG_INTENT, VERSION_FLAG_TOMBSTONE, VERSION_TS_BYTES, versionFieldsSize, schemaVersionSize,
} from './row-version.layout';
import { TX_ID_BYTES, formatTxId, sameTxId } from './tx-id-bytes';

const MIN_SCRATCH = 256;

export class RowVersions {
  readonly #store: RowStore;
  readonly #partitionId: number;
  readonly #hdr = new Uint8Array(MAX_VERSION_HEADER + 8);
  readonly #one = new Uint8Array(1);
  readonly #peek = new Uint8Array(1 + VERSION_TS_BYTES);
  readonly #redirect = new Uint8Array(REDIRECT_SIZE);
  readonly #link = new RowLink();
  readonly #rowBytes = new RowBytesPool();
  readonly #view = new PageView();
  #scratch = new Uint8Array(MIN_SCRATCH);

  // The version read last (readVersion): where it lives and its header.
  page = 0;
  item = 0;
  flags = 0;
  commitHi = 0;
  commitLo = 0;
  nextPage = 0;
  nextItem = 0;
  schemaVersion = 0;
  commitZoneId = 0;
  commitPartitionId = 0;
  valueOff = 0;
  valueLength = 0;
  rowLength = 0;
  #txIdOff = 0;

  // The anchor read last (readAnchor): its hint references and form. A live anchor's version is the one read last.
  anchorRefs = 0;
  anchorDead = false;
  anchorRedirect = false;

  constructor(store: RowStore, partitionId: number) {
    this.#store = store;
    this.#partitionId = partitionId;
  }

  /** Longest version kept inline in an anchor (a plain row); longer ones live behind a redirect. */
  get maxInline(): number {
    return this.#store.maxPlainRow;
  }

  get isWriteIntent(): boolean {
    return (this.flags & VERSION_FLAG_INTENT) !== 0;
  }

  get isTombstone(): boolean {
    return (this.flags & VERSION_FLAG_TOMBSTONE) !== 0;
  }

  get hasNext(): boolean {
    return this.nextPage !== 0;
  }

  /** The commit timestamp of the version read last (allocates: results only). */
  commitTimestamp(): bigint {
    return tsBigint(this.commitHi, this.commitLo);
  }

  /** Whether the intent read last belongs to the transaction whose 16 bytes are at `txId[off..]`. */
  isIntentOf(txId: Uint8Array, off: number): boolean {
    return this.isWriteIntent && sameTxId(this.#hdr, this.#txIdOff, txId, off);
  }

  copyTxId(dst: Uint8Array, off: number): void {
    copyBytes(this.#hdr, this.#txIdOff, dst, off, TX_ID_BYTES);
  }

  /** The txId string of the intent read last (allocates: results only). */
  txIdString(): string {
    return formatTxId(this.#hdr, this.#txIdOff);
  }

  /** Reads the header of the version row at the link. */
  readVersion(page: number, item: number): void {
    this.#parse(page, item, this.#store.readPrefix(page, item, this.#hdr, this.#hdr.length));
  }

  /**
   * Reads the anchor at the link: its references and form, and for a live anchor its version (readVersion of the
   * anchor itself or of its redirect target). A dead anchor leaves the version fields as they were.
   */
  readAnchor(page: number, item: number): void {
    const h = this.#hdr;
    const len = this.#store.readPrefix(page, item, h, h.length);
    const first = h[0]!;
    this.anchorRefs = first >>> HINT_REFS_SHIFT;
    this.anchorDead = (first & ANCHOR_FLAG_DEAD) !== 0;
    this.anchorRedirect = (first & ANCHOR_FLAG_REDIRECT) !== 0;
    if (this.anchorDead) return;
    if (this.anchorRedirect) this.readVersion(partitionLinkPage(h, 1, this.#partitionId), partitionLinkItem(h, 1));
    else this.#parse(page, item, len);
  }

  /**
   * The fast path of a read: when the anchor at the link holds, inline, a committed version at or before (hi, lo),
   * takes its row into `headRow` (null for a tombstone) and its timestamp into commitHi/commitLo — one page access
   * — and returns true. Returns false, having read nothing, for anything else (a dead stub, a redirect, an intent,
   * a newer version, a fragmented row): the caller then takes the general path.
   */
  readVisibleHead(page: number, item: number, hi: number, lo: number): boolean {
    const v = this.#view;
    const store = this.#store;
    const abs = store.pinPlain(page, item, v);
    if (abs < 0) return false;
    const buf = v.buf;
    const first = buf[abs]!;
    const cHi = readU32BE(buf, abs + 1);
    const cLo = readU32BE(buf, abs + 5);
    if ((first & (VERSION_FLAG_INTENT | ANCHOR_FLAG_REDIRECT | ANCHOR_FLAG_DEAD)) !== 0 || cHi > hi || (cHi === hi && cLo > lo)) {
      store.memory.release(v);
      return false;
    }
    this.commitHi = cHi;
    this.commitLo = cLo;
    this.flags = first & VERSION_FLAGS_MASK;
    if ((first & VERSION_FLAG_TOMBSTONE) !== 0) {
      store.memory.release(v);
      this.headRow = null;
      return true;
    }
    let at = abs + ((first & VERSION_FLAG_HAS_NEXT) !== 0 ? 14 : 9);
    let schema = 0;
    let shift = 0;
    for (;;) {
      const b = buf[at++]!;
      schema += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0 || shift === 28) break;
      shift += 7;
    }
    const len = abs + store.plainLength - at;
    const bytes = this.#rowBytes.take(len);
    copyBytes(buf, at, bytes, 0, len);
    store.memory.release(v);
    this.headRow = { schemaVersion: schema | 0, bytes };
    return true;
  }

  /** The row readVisibleHead took. */
  headRow: BinaryRow | null = null;

  /** Reads only the anchor's first byte: anchorRefs, anchorDead, anchorRedirect (the version fields stay). */
  readAnchorByte(page: number, item: number): void {
    this.#store.readAt(page, item, 0, this.#one, 0, 1);
    const first = this.#one[0]!;
    this.anchorRefs = first >>> HINT_REFS_SHIFT;
    this.anchorDead = (first & ANCHOR_FLAG_DEAD) !== 0;
    this.anchorRedirect = (first & ANCHOR_FLAG_REDIRECT) !== 0;
  }

  /**
   * Reads the flags and commit timestamp of the committed version row at the link into peekTombstone, peekHi and
   * peekLo; reads only its first 9 bytes (the version fields stay).
   */
  peekCommitted(page: number, item: number): void {
    const b = this.#peek;
    this.#store.readAt(page, item, 0, b, 0, b.length);
    this.peekTombstone = (b[0]! & VERSION_FLAG_TOMBSTONE) !== 0;
    this.peekHi = readU32BE(b, 1);
    this.peekLo = readU32BE(b, 5);
  }

  // The committed version peekCommitted read last.
  peekTombstone = false;
  peekHi = 0;
  peekLo = 0;

  /** Rows read from now on are transient (RowBytesPool.transient) until this is set false again. */
  set transientRows(on: boolean) {
    this.#rowBytes.transient = on;
  }

  /** The row of the version read last: null for a tombstone, else a fresh (pooled) row. */
  rowOfHeader(): BinaryRow | null {
    if (this.isTombstone) return null;
    const bytes = this.#rowBytes.take(this.valueLength);
    if (bytes.length > 0) this.#store.readAt(this.page, this.item, this.valueOff, bytes, 0, bytes.length);
    return { schemaVersion: this.schemaVersion, bytes };
  }

  /** Header and row of the version at the link. */
  readRow(page: number, item: number): BinaryRow | null {
    this.readVersion(page, item);
    return this.rowOfHeader();
  }

  // Encoding: a version assembled in the scratch buffer; returns its length.

  encodeCommitted(row: BinaryRow | null, hi: number, lo: number, nextPage: number, nextItem: number, refs: number): number {
    const flags = (row === null ? VERSION_FLAG_TOMBSTONE : 0) | (nextPage !== 0 ? VERSION_FLAG_HAS_NEXT : 0);
    let at = this.#fields(flags, refs, hi, lo, nextPage, nextItem, row);
    if (row !== null) at = writeSchema(this.#scratch, at, row.schemaVersion);
    return this.#value(row, at);
  }

  encodeIntent(row: BinaryRow | null, txId: Uint8Array, zone: number, part: number, nextPage: number, nextItem: number, refs: number): number {
    const flags = VERSION_FLAG_INTENT | (row === null ? VERSION_FLAG_TOMBSTONE : 0) | (nextPage !== 0 ? VERSION_FLAG_HAS_NEXT : 0);
    let at = this.#fields(flags, refs, 0, 0, nextPage, nextItem, row);
    const s = this.#scratch;
    copyBytes(txId, 0, s, at, TX_ID_BYTES);
    writeU32LE(s, at + TX_ID_BYTES, zone);
    writeU32LE(s, at + TX_ID_BYTES + 4, part);
    at += TX_ID_BYTES + 8;
    if (row !== null) at = writeSchema(s, at, row.schemaVersion);
    return this.#value(row, at);
  }

  /**
   * The version read last re-encoded: as committed at (hi, lo) when `commit` (its intent meta dropped), with the
   * given next link and references; value and schema kept.
   */
  encodeFromLast(commit: boolean, hi: number, lo: number, nextPage: number, nextItem: number, refs: number): number {
    const tombstone = (this.flags & VERSION_FLAG_TOMBSTONE) !== 0;
    const intent = !commit && this.isWriteIntent;
    let flags = (tombstone ? VERSION_FLAG_TOMBSTONE : 0) | (intent ? VERSION_FLAG_INTENT : 0);
    if (nextPage !== 0) flags |= VERSION_FLAG_HAS_NEXT;
    const head = versionFieldsSize(flags);
    const schemaLen = tombstone ? 0 : schemaVersionSize(this.schemaVersion);
    const len = head + schemaLen + this.valueLength;
    const s = this.#ensure(len);
    s[0] = flags | (refs << HINT_REFS_SHIFT);
    let at = 1;
    if (!intent) {
      writeU32BE(s, 1, commit ? hi : this.commitHi);
      writeU32BE(s, 5, commit ? lo : this.commitLo);
      at = 9;
    }
    if (nextPage !== 0) {
      writePartitionLink(s, at, nextPage, nextItem);
      at += 5;
    }
    if (intent) {
      copyBytes(this.#hdr, this.#txIdOff, s, at, TX_ID_BYTES);
      writeU32LE(s, at + TX_ID_BYTES, this.commitZoneId);
      writeU32LE(s, at + TX_ID_BYTES + 4, this.commitPartitionId);
      at += TX_ID_BYTES + 8;
    }
    if (!tombstone) at = writeSchema(s, at, this.schemaVersion);
    if (this.valueLength > 0) this.#store.readAt(this.page, this.item, this.valueOff, s, at, this.valueLength);
    return len;
  }

  /** The whole row at the link into the scratch buffer with its reference bits set to `refs`; returns its length. */
  encodeCopyOf(page: number, item: number, length: number, refs: number): number {
    const s = this.#ensure(length);
    this.#store.read(page, item, s, 0);
    s[0] = (s[0]! & VERSION_FLAGS_MASK) | (refs << HINT_REFS_SHIFT);
    return length;
  }

  // Row operations on what the scratch buffer holds.

  /** Stores the scratch version as a new plain or fragmented row (references cleared); fills and returns `out`. */
  insertScratch(len: number, out: RowLink): RowLink {
    this.#scratch[0] = this.#scratch[0]! & VERSION_FLAGS_MASK;
    return this.#store.insert(this.#scratch, out, 0, len);
  }

  /**
   * A new anchor for the scratch version (whose reference bits are set): inline when it fits a plain row, else a
   * redirect to a row of its own. Fills and returns `out`. On OutOfMemoryError nothing is stored.
   */
  newAnchor(len: number, out: RowLink): RowLink {
    if (len <= this.maxInline) return this.#store.insert(this.#scratch, out, 0, len);
    const refs = this.#scratch[0]! >>> HINT_REFS_SHIFT;
    const target = this.insertScratch(len, this.#link);
    this.#setRedirect(refs, target.pageId, target.itemId);
    try {
      return this.#store.insert(this.#redirect, out, 0, REDIRECT_SIZE);
    } catch (e) {
      this.#store.remove(target.pageId, target.itemId);
      throw e;
    }
  }

  /**
   * Makes the scratch version (reference bits set) the anchor's content, in place when it fits the anchor's page,
   * else as a row of its own behind a redirect. Whatever the anchor redirected to before is the caller's to keep
   * or remove. On OutOfMemoryError the anchor is unchanged.
   */
  setAnchor(page: number, item: number, len: number): void {
    if (this.inlineAnchor(page, item, len)) return;
    const refs = this.#scratch[0]! >>> HINT_REFS_SHIFT;
    const target = this.insertScratch(len, this.#link);
    this.redirectAnchor(page, item, refs, target.pageId, target.itemId);
  }

  /** Makes the scratch version the anchor's content in place; false (nothing changed) when it does not fit there. */
  inlineAnchor(page: number, item: number, len: number): boolean {
    return this.#store.replaceInPage(page, item, this.#scratch, 0, len);
  }

  /** Rewrites the anchor as a redirect to (targetPage, targetItem) (always fits: every live anchor is longer). */
  redirectAnchor(page: number, item: number, refs: number, targetPage: number, targetItem: number): void {
    this.#setRedirect(refs, targetPage, targetItem);
    if (!this.#store.replaceInPage(page, item, this.#redirect, 0, REDIRECT_SIZE)) throw this.#corrupt('an anchor too short for a redirect');
  }

  /** Ends an anchor: removed when no hint names it (returns true), else left as a dead stub holding `refs`. */
  killAnchor(page: number, item: number, refs: number): boolean {
    if (refs === 0) {
      this.#store.remove(page, item);
      return true;
    }
    this.#one[0] = ANCHOR_FLAG_DEAD | (refs << HINT_REFS_SHIFT);
    if (!this.#store.replaceInPage(page, item, this.#one, 0, 1)) throw this.#corrupt('a dead anchor that does not fit its row');
    return false;
  }

  /** Sets the anchor's reference bits, keeping its flags (the anchor was read by readAnchor). */
  writeAnchorRefs(page: number, item: number, refs: number): void {
    this.#store.readAt(page, item, 0, this.#one, 0, 1);
    this.#one[0] = (this.#one[0]! & VERSION_FLAGS_MASK) | (refs << HINT_REFS_SHIFT);
    this.#store.writeAt(page, item, 0, this.#one, 0, 1);
  }

  /** Clears the next link of the version at the link in place (the version becomes the oldest of its chain). */
  clearNext(page: number, item: number): void {
    this.readVersion(page, item);
    if (!this.hasNext) return;
    const at = (this.flags & VERSION_FLAG_INTENT) === 0 ? 9 : 1;
    this.#redirect.fill(0, 0, 5);
    this.#store.writeAt(page, item, at, this.#redirect, 0, 5);
  }

  remove(page: number, item: number): void {
    this.#store.remove(page, item);
  }

  /** Parses the version header copied to #hdr from the row at the link (`len` = the row's length). */
  #parse(page: number, item: number, len: number): void {
    const h = this.#hdr;
    this.page = page;
    this.item = item;
    this.rowLength = len;
    const flags = h[0]! & VERSION_FLAGS_MASK;
    this.flags = flags;
    if ((flags & (ANCHOR_FLAG_DEAD | ANCHOR_FLAG_REDIRECT)) !== 0) throw this.#corrupt('a version link names an anchor stub');
    let off = 1;
    if ((flags & VERSION_FLAG_INTENT) === 0) {
      this.commitHi = readU32BE(h, 1);
      this.commitLo = readU32BE(h, 5);
      off = 9;
    } else {
      this.commitHi = this.commitLo = 0;
    }
    if ((flags & VERSION_FLAG_HAS_NEXT) !== 0) {
      this.nextPage = partitionLinkPage(h, off, this.#partitionId);
      this.nextItem = partitionLinkItem(h, off);
      off += 5;
    } else {
      this.nextPage = this.nextItem = 0;
    }
    if ((flags & VERSION_FLAG_INTENT) !== 0) {
      this.#txIdOff = off;
      this.commitZoneId = readU32LE(h, off + TX_ID_BYTES) | 0;
      this.commitPartitionId = readU32LE(h, off + TX_ID_BYTES + 4) | 0;
      off += TX_ID_BYTES + 8;
    }
    if ((flags & VERSION_FLAG_TOMBSTONE) === 0) off = this.#readSchema(h, off);
    else this.schemaVersion = 0;
    if (off > len) throw this.#corrupt(`a version header of ${off} bytes in a ${len}-byte row`);
    this.valueOff = off;
    this.valueLength = len - off;
  }

  #setRedirect(refs: number, targetPage: number, targetItem: number): void {
    this.#redirect[0] = ANCHOR_FLAG_REDIRECT | (refs << HINT_REFS_SHIFT);
    writePartitionLink(this.#redirect, 1, targetPage, targetItem);
  }

  /** Sizes the scratch for the version and writes flags, commit ts and next link; returns the offset after them. */
  #fields(flags: number, refs: number, hi: number, lo: number, nextPage: number, nextItem: number, row: BinaryRow | null): number {
    const body = row === null ? 0 : schemaVersionSize(row.schemaVersion) + row.bytes.length;
    const s = this.#ensure(versionFieldsSize(flags) + body);
    s[0] = flags | (refs << HINT_REFS_SHIFT);
    let at = 1;
    if ((flags & VERSION_FLAG_INTENT) === 0) {
      writeU32BE(s, 1, hi);
      writeU32BE(s, 5, lo);
      at = 9;
    }
    if (nextPage !== 0) {
      writePartitionLink(s, at, nextPage, nextItem);
      at += 5;
    }
    return at;
  }

  #value(row: BinaryRow | null, at: number): number {
    if (row === null) return at;
    copyBytes(row.bytes, 0, this.#scratch, at, row.bytes.length);
    return at + row.bytes.length;
  }

  #readSchema(h: Uint8Array, off: number): number {
    let v = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = h[off++]!;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        this.schemaVersion = v | 0;
        return off;
      }
      shift += 7;
    }
    throw this.#corrupt('a schema version longer than 5 bytes');
  }

  #ensure(len: number): Uint8Array {
    if (this.#scratch.length < len) {
      let size = this.#scratch.length;
      while (size < len) size *= 2;
      this.#scratch = new Uint8Array(size);
    }
    return this.#scratch;
  }

  #corrupt(what: string): DataCorruptionError {
    return new DataCorruptionError(`row version at page ${this.page} item ${this.item} of partition ${this.#partitionId}: ${what}`);
  }
}

/** Writes the schema version as unsigned LEB128 of its u32 bits at `at`; returns the offset after it. */
function writeSchema(buf: Uint8Array, at: number, schemaVersion: number): number {
  let v = schemaVersion >>> 0;
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}
