/**
 * VersionChainTree items (DESIGN.md §4): one fixed-size B+ tree item per RowId that has at least one version. The
 * tree orders items by their first 16 bytes, the RowId's order-preserving UUID bytes (RowId.writeUuidBytes), so
 * byte order is RowId order within the partition. Layout (links: page-id.ts, 8 bytes; integers little-endian;
 * timestamps big-endian, hybrid-ts-bytes.ts):
 *
 *   rowId 16 | head link 8 | newest commit link 8 | newest commit ts 8 | flags u8
 *                                             (41 bytes: no padding — items are byte-addressed, and every byte
 *   of a chain item costs ~1.45 bytes per row at the tree's typical fill)
 *
 * Invariants (checked by version-chain-invariants.ts):
 * - head ≠ 0: the newest version (the write intent when flags has WRITE_INTENT, else the newest commit). A chain
 *   that loses its last version loses its item.
 * - newest commit link/ts: the newest committed version and its timestamp (both 0 when there is none); equal to
 *   head when there is no write intent, to the intent's next link otherwise. Saves a data-page read per visibility
 *   decision.
 * - WRITE_INTENT: the head is a write intent. Its txId and commit target live in the intent's own version header
 *   (row-version.layout.ts, INTENT_META), not here: only intents need them, and every row has an item.
 * - NEWEST_TOMBSTONE: the newest commit is a tombstone (meaningful only when there is one).
 */
import { BytewiseItemType, type BTreeItemType } from '../btree/btree-item';
import { copyBytes } from '../datapage/byte-copy';
import { readItemId, readPageId, writePageId } from '../page/page-id';
import { TS_BYTES, readTs, tsHi, tsLo, writeTs } from './hybrid-ts-bytes';

export const ROW_ID_BYTES = 16;
export const LINK_BYTES = 8;

export const CHAIN_ROW_ID_OFFSET = 0;
export const CHAIN_HEAD_OFFSET = CHAIN_ROW_ID_OFFSET + ROW_ID_BYTES;
export const CHAIN_NEWEST_COMMIT_OFFSET = CHAIN_HEAD_OFFSET + LINK_BYTES;
export const CHAIN_NEWEST_COMMIT_TS_OFFSET = CHAIN_NEWEST_COMMIT_OFFSET + LINK_BYTES;
export const CHAIN_FLAGS_OFFSET = CHAIN_NEWEST_COMMIT_TS_OFFSET + TS_BYTES;
export const CHAIN_ITEM_SIZE = CHAIN_FLAGS_OFFSET + 1;

export const CHAIN_FLAG_WRITE_INTENT = 0x01;
export const CHAIN_FLAG_NEWEST_TOMBSTONE = 0x02;

/** Chain items ordered by RowId bytes; the rest of the item is value (a put with an equal RowId replaces it). */
export const VERSION_CHAIN_ITEM_TYPE: BTreeItemType = new BytewiseItemType(CHAIN_ITEM_SIZE, CHAIN_ROW_ID_OFFSET + ROW_ID_BYTES);

/**
 * A caller-owned copy of one chain item with typed access. Load it from a page or cursor buffer, read and change
 * the fields, store it back; nothing here touches a page.
 */
export class ChainItem {
  readonly buf = new Uint8Array(CHAIN_ITEM_SIZE);
  readonly dv = new DataView(this.buf.buffer);

  load(src: Uint8Array, off: number): this {
    copyBytes(src, off, this.buf, 0, CHAIN_ITEM_SIZE);
    return this;
  }

  store(dst: Uint8Array, off: number): void {
    copyBytes(this.buf, 0, dst, off, CHAIN_ITEM_SIZE);
  }

  /** An item for the RowId whose 16 bytes are at `rowId[off..]`, every other field zero. */
  reset(rowId: Uint8Array, off: number): this {
    this.buf.fill(0);
    copyBytes(rowId, off, this.buf, CHAIN_ROW_ID_OFFSET, ROW_ID_BYTES);
    return this;
  }

  get headPage(): number {
    return readPageId(this.dv, CHAIN_HEAD_OFFSET);
  }

  get headItem(): number {
    return readItemId(this.dv, CHAIN_HEAD_OFFSET);
  }

  setHead(pageId: number, itemId: number): void {
    writePageId(this.dv, CHAIN_HEAD_OFFSET, pageId, itemId);
  }

  get hasCommit(): boolean {
    return this.newestPage !== 0;
  }

  get newestPage(): number {
    return readPageId(this.dv, CHAIN_NEWEST_COMMIT_OFFSET);
  }

  get newestItem(): number {
    return readItemId(this.dv, CHAIN_NEWEST_COMMIT_OFFSET);
  }

  get newestTsHi(): number {
    return tsHi(this.dv, CHAIN_NEWEST_COMMIT_TS_OFFSET);
  }

  get newestTsLo(): number {
    return tsLo(this.dv, CHAIN_NEWEST_COMMIT_TS_OFFSET);
  }

  /** The newest commit timestamp as a bigint, or null (allocates: results only). */
  newestTimestamp(): bigint | null {
    return this.hasCommit ? readTs(this.dv, CHAIN_NEWEST_COMMIT_TS_OFFSET) : null;
  }

  get newestIsTombstone(): boolean {
    return (this.flags & CHAIN_FLAG_NEWEST_TOMBSTONE) !== 0;
  }

  /** Sets the newest commit (pageId 0 = none: then ts and the tombstone flag are cleared too). */
  setNewest(pageId: number, itemId: number, hi: number, lo: number, tombstone: boolean): void {
    writePageId(this.dv, CHAIN_NEWEST_COMMIT_OFFSET, pageId, itemId);
    writeTs(this.dv, CHAIN_NEWEST_COMMIT_TS_OFFSET, pageId === 0 ? 0 : hi, pageId === 0 ? 0 : lo);
    const f = this.flags & ~CHAIN_FLAG_NEWEST_TOMBSTONE;
    this.flags = pageId !== 0 && tombstone ? f | CHAIN_FLAG_NEWEST_TOMBSTONE : f;
  }

  get hasWriteIntent(): boolean {
    return (this.flags & CHAIN_FLAG_WRITE_INTENT) !== 0;
  }

  /** Marks the head as a write intent (the intent's meta is in its version header). */
  setIntent(): void {
    this.flags |= CHAIN_FLAG_WRITE_INTENT;
  }

  /** Drops the write intent mark (the caller moves head). */
  clearIntent(): void {
    this.flags &= ~CHAIN_FLAG_WRITE_INTENT;
  }

  get flags(): number {
    return this.buf[CHAIN_FLAGS_OFFSET]!;
  }

  set flags(v: number) {
    this.buf[CHAIN_FLAGS_OFFSET] = v;
  }
}
