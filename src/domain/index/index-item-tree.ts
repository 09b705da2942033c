/**
 * What the sorted and hash index trees share: a B+ tree of index items (index-item.layout.ts) whose long keys live
 * in overflow rows of the partition's RowStore, with entry-level put / remove / lookup.
 *
 * Overflow rows and stale separators: the B+ tree keeps copies of items as separators in inner pages, also after
 * the item itself is removed, and descents compare search keys with them — reading their overflow rows. So the
 * overflow row of a removed item is freed only once no separator carries its link: a probe descent right after the
 * removal (StaleLinkProbe) decides; rows still referenced wait in `#pending` and are probed again after as many
 * further removals as are pending (separators only disappear on removals), which costs at most one extra descent
 * per removal on average. Live cursors must not re-seek through the tree's own copy of a removed item: they keep
 * their own copy of the last entry's whole key and re-seek with it whenever `modCount` moved (see
 * page-index-scan-cursor.ts).
 *
 * Pages: tree pages from `allocator` (the partition's free list), overflow rows in `rowStore`. Nothing is pinned
 * between calls. Synchronous, not reentrant; keys are passed as `key[0..keyLen)`.
 */
import { BTree } from '../btree/btree';
import { BytePrefixKey, BytewiseItemType, type BTreeItemType, type BTreeKey } from '../btree/btree-item';
import type { BTreeCursor } from '../btree/btree-cursor';
import type { BTreeShape } from '../btree/btree-invariants';
import { LEAF_ITEMS_OFFSET, nodeCount } from '../btree/btree-node.layout';
import { copyBytes } from '../datapage/byte-copy';
import type { RowStore } from '../datapage/row-store';
import { RowLink } from '../datapage/row-link';
import type { PageAllocator } from '../page-memory/page-allocator.port';
import type { PageMemory } from '../page-memory/page-memory.port';
import { FLAG_DATA } from '../page/page-id';
import { readU32BE, writeU32BE, writeU32LE } from '../shared/byte-order';
import { DataCorruptionError, InvalidArgumentError } from '../shared/errors';
import { RowId } from '../storage/row-id';
import { readLinkItemId, readLinkPageId, writeLink } from './index-item-fields';
import { IndexItemKeys, KeyBytes } from './index-item-keys';
import { IndexItemType, IndexSearchKey, StaleLinkProbe } from './index-item-type';
import { type IndexItemLayout, LINK_SIZE, ROW_ID_SIZE } from './index-item.layout';
import { NO_ROW_HINTS, type RowHints } from './row-hints';
import { partitionLinkItem, partitionLinkPage, writePartitionLink } from '../datapage/partition-link';

/** Closed scans' cursors kept for reuse per tree, at most (a scan reuses one instead of growing a new one's buffers). */
const SPARE_CURSORS = 4;

/** Where an index tree keeps its pages and overflow rows (the partition's). */
export interface IndexTreePages {
  readonly pageMemory: PageMemory;
  readonly groupId: number;
  readonly partitionId: number;
  readonly allocator: PageAllocator;
  readonly rowStore: RowStore;
  /** Row hints of the entries (the partition's version chains); none when absent. */
  readonly hints?: RowHints;
}

const EMPTY = new Uint8Array(0);

/** #put's outcomes: a new entry; the entry was there and its item (with the new hint) replaced; nothing written. */
const PUT_ADDED = 1;
const PUT_REPLACED = 2;
const PUT_REFUSED = 0;

export class IndexItemTree {
  readonly layout: IndexItemLayout;
  readonly keys: IndexItemKeys;
  /**
   * IndexItemType in general; a BytewiseItemType over (hash, padded inline key, RowId) when keys never overflow —
   * the same order, because encoded keys are prefix-free (two different keys differ before either ends, so the
   * zero padding never decides) — which lets the B+ tree search without a call per probe.
   */
  readonly itemType: BTreeItemType;
  /** True when keys never overflow: items compare bytewise and lookups use byte-prefix keys. */
  readonly #bytewise: boolean;
  readonly #prefix: Uint8Array;
  readonly #prefixKey = new BytePrefixKey();
  readonly partitionId: number;
  /** Bumped by every put, remove and destroy call (whether or not it changed anything). */
  modCount = 0;
  readonly #tree: BTree;
  readonly #rows: RowStore;
  readonly #hints: RowHints;
  readonly #item: Uint8Array;
  /** The item a put replaced (bytewise layouts): its hint goes back. */
  readonly #old: Uint8Array;
  readonly #rowIdBytes = new Uint8Array(ROW_ID_SIZE);
  readonly #rowIdView = new DataView(this.#rowIdBytes.buffer);
  readonly #entryKey: IndexSearchKey;
  readonly #matchKey: IndexSearchKey;
  readonly #probe: StaleLinkProbe;
  readonly #probeKey = new KeyBytes();
  /** Where rows.insert/update leave a row's link (#put, #storePending; never both at once, not reentrant). */
  readonly #link = new RowLink();
  /** Removed items whose overflow rows a separator may still name (`#pendingCount` items of itemSize bytes). */
  #pending: Uint8Array = EMPTY;
  #pendingCount = 0;
  #removesSinceCheck = 0;
  #lookup: BTreeCursor | null = null;
  /** Cursors of closed scans, for the next scans (newCursor). */
  readonly #spareCursors: BTreeCursor[] = [];

  /**
   * The row (row store) holding the pending items, 0 when there are none; rewritten whenever they change, and then
   * `onPendingStored` runs (the owner records the link in the index meta tree).
   */
  pendingPage = 0;
  pendingItem = 0;
  onPendingStored: (() => void) | null = null;

  /**
   * A new empty tree (metaPageId = null) or the existing one whose meta page is `metaPageId`, with its pending
   * items in the row `pending` names (open).
   */
  constructor(pages: IndexTreePages, layout: IndexItemLayout, metaPageId: number | null = null, pending: { page: number; item: number } | null = null) {
    this.layout = layout;
    this.partitionId = pages.partitionId;
    this.#rows = pages.rowStore;
    this.#hints = pages.hints ?? NO_ROW_HINTS;
    this.keys = new IndexItemKeys(layout, pages.rowStore);
    this.#bytewise = !layout.hasOverflow;
    this.itemType = this.#bytewise ? new BytewiseItemType(layout.itemSize, layout.rowIdOff + ROW_ID_SIZE) : new IndexItemType(this.keys);
    this.#prefix = new Uint8Array(layout.rowIdOff + ROW_ID_SIZE);
    const { pageMemory: pm, groupId: g, partitionId: p, allocator: a } = pages;
    this.#tree = metaPageId === null
      ? BTree.create(pm, g, p, a, this.itemType, FLAG_DATA)
      : BTree.open(pm, g, p, a, this.itemType, metaPageId, FLAG_DATA);
    this.#item = new Uint8Array(layout.itemSize);
    this.#old = new Uint8Array(layout.itemSize);
    if (pending !== null && pending.page !== 0) this.#loadPending(pending.page, pending.item);
    this.#entryKey = new IndexSearchKey(this.keys);
    this.#matchKey = new IndexSearchKey(this.keys);
    this.#probe = new StaleLinkProbe(this.keys);
  }

  get metaPageId(): number {
    return this.#tree.metaPageId;
  }

  /** Entries in the tree. */
  size(): number {
    return this.#tree.size();
  }

  /** Overflow rows kept for separators of removed items (for tests and diagnostics). */
  get pendingOverflowRows(): number {
    return this.#pendingCount;
  }

  /** The links of the pending overflow rows as [pageId, itemId] (diagnostics; allocates). */
  pendingLinks(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.#pendingCount; i++) {
      const at = i * this.layout.itemSize + this.layout.linkOff;
      out.push([readLinkPageId(this.#pending, at), readLinkItemId(this.#pending, at)]);
    }
    return out;
  }

  /**
   * Adds the entry; false when it was there already. A new entry takes a row hint (pinned in its row's anchor, when
   * the row exists); the hint goes back when the entry turns out to be there already or the put fails.
   */
  putEntry(key: Uint8Array, keyLen: number, hash: number, rowId: RowId): boolean {
    if (keyLen > this.layout.inlineSize && !this.layout.hasOverflow) this.#tooLong(keyLen);
    this.modCount++;
    const hints = this.#hints;
    const pinned = hints.pinHint(rowId);
    const hintPage = pinned ? hints.pinnedPage : 0;
    const hintItem = pinned ? hints.pinnedItem : 0;
    let outcome = PUT_REFUSED;
    try {
      outcome = this.#put(key, keyLen, hash, rowId, hintPage, hintItem);
    } finally {
      // The pinned hint went into the tree unless nothing was written.
      if (outcome === PUT_REFUSED && pinned) hints.unpinHint(hintPage, hintItem);
    }
    return outcome === PUT_ADDED;
  }

  #put(key: Uint8Array, keyLen: number, hash: number, rowId: RowId, hintPage: number, hintItem: number): number {
    rowId.writeUuidBytes(this.#rowIdView, 0);
    const item = this.#writeItem(key, keyLen, hash, hintPage, hintItem);
    if (keyLen <= this.layout.inlineSize) {
      if (!this.#tree.put(item, 0, this.#old, 0)) return PUT_ADDED;
      // The entry was there: it keeps the new item's hint, and the old item's hint goes back.
      this.#unpinAt(this.#old, 0);
      return PUT_REPLACED;
    }
    if (this.#tree.findOne(this.#entryKey.setEntry(key, 0, keyLen, hash, this.#rowIdBytes, 0))) return PUT_REFUSED;
    const link = this.#rows.insert(key, this.#link, 0, keyLen);
    writeLink(item, this.layout.linkOff, link.pageId, link.itemId);
    const keys = this.keys;
    keys.ownItem = item;
    keys.ownOff = 0;
    keys.ownKey = key;
    keys.ownKeyLen = keyLen;
    try {
      this.#tree.put(item);
    } catch (e) {
      this.#rows.remove(link.pageId, link.itemId);
      throw e;
    } finally {
      keys.ownItem = null;
      keys.ownKey = EMPTY;
    }
    return PUT_ADDED;
  }

  /** Removes the entry; false when it was not there. */
  removeEntry(key: Uint8Array, keyLen: number, hash: number, rowId: RowId): boolean {
    if (keyLen > this.layout.inlineSize && !this.layout.hasOverflow) this.#tooLong(keyLen);
    this.modCount++;
    rowId.writeUuidBytes(this.#rowIdView, 0);
    const removed = this.#item;
    if (!this.#tree.remove(this.#entrySearch(key, keyLen, hash), removed, 0)) return false;
    this.#unpinAt(removed, 0);
    const pendingBefore = this.#pendingCount;
    if (keyLen > this.layout.inlineSize) this.#releaseOverflow(key, keyLen, hash);
    if (this.#pendingCount > 0 && ++this.#removesSinceCheck >= this.#pendingCount) this.#recheckPending();
    if (this.#pendingCount !== pendingBefore) this.#storePending();
    return true;
  }

  /**
   * Rewrites the pending items' row (or removes it when none are left). Running out of memory here leaves the
   * stored list behind the one in memory: at worst an overflow row is never freed before the index goes.
   */
  #storePending(): void {
    const len = this.#pendingCount * this.layout.itemSize;
    const rows = this.#rows;
    if (len === 0) {
      if (this.pendingPage !== 0) rows.remove(this.pendingPage, this.pendingItem);
      this.pendingPage = this.pendingItem = 0;
    } else if (this.pendingPage === 0) {
      const l = rows.insert(this.#pending, this.#link, 0, len);
      this.pendingPage = l.pageId;
      this.pendingItem = l.itemId;
    } else {
      rows.update(this.pendingPage, this.pendingItem, this.#pending, this.#link, 0, len);
      this.pendingPage = this.#link.pageId;
      this.pendingItem = this.#link.itemId;
    }
    this.onPendingStored?.();
  }

  #loadPending(page: number, item: number): void {
    const bytes = this.#rows.readBytes(page, item);
    const s = this.layout.itemSize;
    if (bytes.length % s !== 0) throw new DataCorruptionError(`index tree ${this.metaPageId}: pending list of ${bytes.length} bytes, not whole ${s}-byte items`);
    this.#pending = bytes;
    this.#pendingCount = bytes.length / s;
    this.pendingPage = page;
    this.pendingItem = item;
  }

  /** True when the entry is in the tree. */
  containsEntry(key: Uint8Array, keyLen: number, hash: number, rowId: RowId): boolean {
    if (keyLen > this.layout.inlineSize && !this.layout.hasOverflow) this.#tooLong(keyLen);
    rowId.writeUuidBytes(this.#rowIdView, 0);
    return this.#tree.findOne(this.#entrySearch(key, keyLen, hash));
  }

  /** Appends the RowIds of every entry with this key to `out`, ascending. */
  collectRowIds(key: Uint8Array, keyLen: number, hash: number, out: RowId[]): void {
    if (keyLen > this.layout.inlineSize && !this.layout.hasOverflow) this.#tooLong(keyLen);
    const k = this.#bytewise ? this.#prefixSearch(key, keyLen, hash, false) : this.#matchKey.setKey(key, 0, keyLen, hash);
    if (this.#bytewise) {
      this.#collectInLeaves(k as BytePrefixKey, out);
      return;
    }
    const c = this.lookupCursor();
    c.reset(k, true, k, true);
    while (c.next()) out.push(this.readRowId(c.itemBuf, c.itemDv, c.itemOff));
    c.close();
  }

  /** collectRowIds read in place from the leaves (no cursor, no copy): from the first match while items match. */
  #collectInLeaves(k: BytePrefixKey, out: RowId[]): void {
    const tree = this.#tree;
    let i = tree.pinFirstMatch(k);
    if (i < 0) return;
    const v = tree.pinnedLeaf;
    const s = this.layout.itemSize;
    let pinned = true;
    try {
      out.push(this.readRowId(v.buf, v.dv, v.off + LEAF_ITEMS_OFFSET + i * s));
      for (;;) {
        const n = nodeCount(v.dv, v.off);
        const buf = v.buf;
        for (i++; i < n; i++) {
          const off = v.off + LEAF_ITEMS_OFFSET + i * s;
          if (k.compareTo(buf, off) !== 0) return;
          out.push(this.readRowId(buf, v.dv, off));
        }
        pinned = tree.pinNextLeaf();
        if (!pinned) return;
        i = -1;
      }
    } finally {
      if (pinned) tree.releaseLeaf();
    }
  }

  /**
   * The tree's shared cursor for lookups that run to completion inside one call (reset it, drain it, close it);
   * never hand it out beyond that call.
   */
  lookupCursor(): BTreeCursor {
    if (this.#lookup === null) {
      this.#lookup = this.#tree.cursor(null, true, null, true);
    }
    return this.#lookup;
  }

  /**
   * A cursor of its own (for cursors that live across calls), recycled from a closed one when there is one (its
   * buffers grown already); reset it before use.
   */
  newCursor(): BTreeCursor {
    return this.#spareCursors.pop() ?? this.#tree.cursor(null, true, null, true);
  }

  /** Takes back a cursor from newCursor whose user will never touch it again (a closed scan cursor). */
  recycleCursor(c: BTreeCursor): void {
    c.close();
    if (this.#spareCursors.length < SPARE_CURSORS) this.#spareCursors.push(c);
  }

  /** The RowId of the item at `buf[off..]` (`dv` views `buf`), carrying the item's row hint. */
  readRowId(buf: Uint8Array, dv: DataView, off: number): RowId {
    const rowId = RowId.readUuidBytes(this.partitionId, dv, off + this.layout.rowIdOff);
    const page = this.#hintPage(buf, off);
    if (page !== 0) this.#hints.attachHint(rowId, page, partitionLinkItem(buf, off + this.layout.hintOff));
    return rowId;
  }

  /** Gives back the row hint of the item at `buf[off..]` (if it has one). */
  #unpinAt(buf: Uint8Array, off: number): void {
    const page = this.#hintPage(buf, off);
    if (page !== 0) this.#hints.unpinHint(page, partitionLinkItem(buf, off + this.layout.hintOff));
  }

  /** The page of the row hint of the item at `buf[off..]`, 0 when it has none (its item: at off + hintOff). */
  #hintPage(buf: Uint8Array, off: number): number {
    return partitionLinkPage(buf, off + this.layout.hintOff, this.partitionId);
  }

  /**
   * Frees every page of the tree. `alone` (an index destroyed while its partition lives): also gives back every
   * row hint and frees every overflow row; otherwise the caller frees the partition's data pages wholesale
   * (BucketedFreeList.freeAllPages) and the chains with them.
   */
  destroy(alone: boolean): void {
    this.modCount++;
    if (alone) {
      const c = this.#tree.cursor(null, true, null, true);
      while (c.next()) {
        this.#unpinAt(c.itemBuf, c.itemOff);
        if (this.layout.hasOverflow && this.keys.isOverflow(c.itemBuf, c.itemOff)) this.#removeRow(c.itemBuf, c.itemOff);
      }
      for (let i = 0; i < this.#pendingCount; i++) this.#removeRow(this.#pending, i * this.layout.itemSize);
      if (this.pendingPage !== 0) this.#rows.remove(this.pendingPage, this.pendingItem);
    }
    this.#pendingCount = 0;
    this.pendingPage = this.pendingItem = 0;
    this.#tree.destroy();
  }

  /** The B+ tree's invariants, plus: every pending item names an overflow row. */
  checkInvariants(): BTreeShape {
    const shape = this.#tree.checkInvariants();
    for (let i = 0; i < this.#pendingCount; i++) {
      const off = i * this.layout.itemSize;
      if (!this.keys.isOverflow(this.#pending, off) || readLinkPageId(this.#pending, off + this.layout.linkOff) === 0) {
        throw new DataCorruptionError(`index tree ${this.metaPageId}: pending item ${i} names no overflow row`);
      }
    }
    return shape;
  }

  /** Fills the scratch item for (key, hash, #rowIdBytes) with no link. */
  #tooLong(keyLen: number): never {
    throw new InvalidArgumentError(
      `An index key of ${keyLen} encoded bytes is longer than this index's declared column lengths allow ` +
        `(at most ${this.layout.inlineSize} bytes): use a value within the declared STRING/BYTES length or DECIMAL precision, ` +
        `or declare the column without a length.`,
    );
  }

  /** The search key of exactly the entry (key, RowId in #rowIdBytes). */
  #entrySearch(key: Uint8Array, keyLen: number, hash: number): BTreeKey {
    if (this.#bytewise) return this.#prefixSearch(key, keyLen, hash, true);
    return this.#entryKey.setEntry(key, 0, keyLen, hash, this.#rowIdBytes, 0);
  }

  /**
   * Bytewise layouts: (hash, key) — or (hash, zero-padded key, RowId) with `withRowId` — as a byte prefix of items.
   * A whole encoded key matches exactly the items of that key (prefix-free encoding).
   */
  #prefixSearch(key: Uint8Array, keyLen: number, hash: number, withRowId: boolean): BytePrefixKey {
    const l = this.layout;
    const b = this.#prefix;
    if (l.hashed) writeU32BE(b, 0, hash);
    copyBytes(key, 0, b, l.keyOff, keyLen);
    if (!withRowId) return this.#prefixKey.set(b, 0, l.keyOff + keyLen);
    b.fill(0, l.keyOff + keyLen, l.rowIdOff);
    copyBytes(this.#rowIdBytes, 0, b, l.rowIdOff, ROW_ID_SIZE);
    return this.#prefixKey.set(b, 0, l.rowIdOff + ROW_ID_SIZE);
  }

  #writeItem(key: Uint8Array, keyLen: number, hash: number, hintPage: number, hintItem: number): Uint8Array {
    const l = this.layout;
    const it = this.#item;
    if (l.hashed) writeU32BE(it, 0, hash);
    const n = keyLen < l.inlineSize ? keyLen : l.inlineSize;
    copyBytes(key, 0, it, l.keyOff, n);
    it.fill(0, l.keyOff + n, l.rowIdOff);
    copyBytes(this.#rowIdBytes, 0, it, l.rowIdOff, ROW_ID_SIZE);
    writePartitionLink(it, l.hintOff, hintPage, hintItem);
    if (l.keyLenOff >= 0) writeU32LE(it, l.keyLenOff, keyLen);
    if (l.hasOverflow) it.fill(0, l.linkOff, l.linkOff + LINK_SIZE);
    return it;
  }

  /** After removing the item now in #item (whose key is key[0..keyLen)): free its row, or keep it pending. */
  #releaseOverflow(key: Uint8Array, keyLen: number, hash: number): void {
    const probe = this.#probe;
    probe.entry.setEntry(key, 0, keyLen, hash, this.#rowIdBytes, 0);
    probe.link = this.#item;
    probe.linkOff = this.layout.linkOff;
    probe.seen = false;
    this.#tree.findOne(probe);
    if (probe.seen) this.#addPending(this.#item);
    else this.#removeRow(this.#item, 0);
  }

  #addPending(item: Uint8Array): void {
    const s = this.layout.itemSize;
    if (this.#pending.length < (this.#pendingCount + 1) * s) {
      const grown = new Uint8Array(Math.max(8 * s, this.#pending.length * 2));
      grown.set(this.#pending.subarray(0, this.#pendingCount * s));
      this.#pending = grown;
    }
    this.#pending.set(item, this.#pendingCount * s);
    this.#pendingCount++;
  }

  /** Probes every pending item again; frees the rows no separator names any more. */
  #recheckPending(): void {
    this.#removesSinceCheck = 0;
    const l = this.layout;
    const s = l.itemSize;
    const p = this.#pending;
    const probe = this.#probe;
    let i = 0;
    while (i < this.#pendingCount) {
      const off = i * s;
      this.keys.copyKey(p, off, this.#probeKey);
      const hash = l.hashed ? readU32BE(p, off) : 0;
      probe.entry.setEntry(this.#probeKey.bytes, 0, this.#probeKey.length, hash, p, off + l.rowIdOff);
      probe.link = p;
      probe.linkOff = off + l.linkOff;
      probe.seen = false;
      this.#tree.findOne(probe);
      if (probe.seen) {
        i++;
        continue;
      }
      this.#removeRow(p, off);
      this.#pendingCount--;
      p.copyWithin(off, this.#pendingCount * s, (this.#pendingCount + 1) * s);
    }
  }

  #removeRow(item: Uint8Array, off: number): void {
    const at = off + this.layout.linkOff;
    this.#rows.remove(readLinkPageId(item, at), readLinkItemId(item, at));
  }
}
