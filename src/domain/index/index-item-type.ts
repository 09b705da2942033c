/**
 * The order of index items and the search keys compared with them in place (btree-item.ts contracts).
 *
 *   sorted items: (encoded key, RowId)          hash items: (hash u32, encoded key, RowId)
 *
 * Keys compare as whole encoded keys (index-item-keys.ts); RowIds by their 16 order-preserving UUID bytes. Two
 * items are "the same item" (put replaces, remove finds) exactly when they carry the same entry.
 */
import { BytePrefixKey, type BTreeItemType, type BTreeKey } from '../btree/btree-item';
import { readU32BE } from '../shared/byte-order';
import { compareRange, equalRange } from './index-item-fields';
import type { IndexItemKeys } from './index-item-keys';
import { ROW_ID_SIZE } from './index-item.layout';

const EMPTY = new Uint8Array(0);

export class IndexItemType implements BTreeItemType {
  readonly itemSize: number;
  readonly #keys: IndexItemKeys;
  readonly #hashed: boolean;
  readonly #rowIdOff: number;

  constructor(keys: IndexItemKeys) {
    this.#keys = keys;
    this.itemSize = keys.layout.itemSize;
    this.#hashed = keys.layout.hashed;
    this.#rowIdOff = keys.layout.rowIdOff;
  }

  compare(aBuf: Uint8Array, aOff: number, bBuf: Uint8Array, bOff: number): number {
    if (this.#hashed) {
      const h = readU32BE(aBuf, aOff) - readU32BE(bBuf, bOff);
      if (h !== 0) return h;
    }
    const c = this.#keys.compareItemKeys(aBuf, aOff, bBuf, bOff);
    if (c !== 0) return c;
    return compareRange(aBuf, aOff + this.#rowIdOff, bBuf, bOff + this.#rowIdOff, ROW_ID_SIZE);
  }
}

/**
 * A search key: encoded key bytes (with their hash in hash trees) and optionally a RowId. Without a RowId it matches
 * every item whose key equals those bytes and orders the others by comparing the bytes with their keys — so in
 * sorted trees any byte string (a scan bound of key-bounds.ts) works as well as a whole key. The key and RowId
 * bytes are the caller's (`set*` stores references): keep them unchanged while the key is in use.
 */
export class IndexSearchKey implements BTreeKey {
  hash = 0;
  key: Uint8Array = EMPTY;
  keyOff = 0;
  keyLen = 0;
  rowId: Uint8Array = EMPTY;
  rowIdOff = 0;
  withRowId = false;
  /**
   * BTreeKey.bytewise: set while the key is a whole key of a tree whose keys all have one length, stored inline at the
   * start of the item (no hash, no length field, no overflow: a NOT NULL BIGINT primary key, say) and no RowId is
   * given — then comparing the key's bytes with an item's first bytes is exactly compareTo.
   */
  bytewise: BytePrefixKey | null = null;
  readonly #prefix = new BytePrefixKey();
  /** The length of every key when such keys can be compared bytewise, else -1. */
  readonly #bytewiseLength: number;
  readonly #keys: IndexItemKeys;
  readonly #hashed: boolean;
  readonly #itemRowIdOff: number;

  constructor(keys: IndexItemKeys) {
    const l = keys.layout;
    this.#bytewiseLength = !l.hashed && l.keyOff === 0 && l.fixedKeyLength >= 0 && l.fixedKeyLength <= l.inlineSize ? l.fixedKeyLength : -1;
    this.#keys = keys;
    this.#hashed = keys.layout.hashed;
    this.#itemRowIdOff = keys.layout.rowIdOff;
  }

  /** Every item of this key (its hash is ignored in sorted trees). */
  setKey(key: Uint8Array, keyOff: number, keyLen: number, hash: number): this {
    this.key = key;
    this.keyOff = keyOff;
    this.keyLen = keyLen;
    this.hash = hash;
    this.withRowId = false;
    this.bytewise = keyLen === this.#bytewiseLength ? this.#prefix.set(key, keyOff, keyLen) : null;
    return this;
  }

  /** Exactly the entry (key, RowId); the RowId as its 16 UUID bytes at `rowId[rowIdOff..]`. */
  setEntry(key: Uint8Array, keyOff: number, keyLen: number, hash: number, rowId: Uint8Array, rowIdOff: number): this {
    this.setKey(key, keyOff, keyLen, hash);
    this.rowId = rowId;
    this.rowIdOff = rowIdOff;
    this.withRowId = true;
    this.bytewise = null;
    return this;
  }

  compareTo(itemBuf: Uint8Array, itemOff: number): number {
    if (this.#hashed) {
      const h = this.hash - readU32BE(itemBuf, itemOff);
      if (h !== 0) return h;
    }
    const c = this.#keys.compareKeyWithItem(this.key, this.keyOff, this.keyLen, itemBuf, itemOff);
    if (c !== 0 || !this.withRowId) return c;
    return compareRange(this.rowId, this.rowIdOff, itemBuf, itemOff + this.#itemRowIdOff, ROW_ID_SIZE);
  }
}

/**
 * Finds out whether a removed item still lives on as a separator in the tree's inner pages (the tree keeps
 * separators of removed items). Descending for the removed entry compares it with every separator equal to it
 * (such separators lie on its path, and a lower-bound binary search always probes the element it returns), so
 * `seen` tells whether one of them carries the removed item's overflow link.
 */
export class StaleLinkProbe implements BTreeKey {
  seen = false;
  readonly entry: IndexSearchKey;
  /** The removed item's link bytes (LINK_SIZE at `link[linkOff..]`). */
  link: Uint8Array = EMPTY;
  linkOff = 0;
  readonly #itemLinkOff: number;

  constructor(keys: IndexItemKeys) {
    this.entry = new IndexSearchKey(keys);
    this.#itemLinkOff = keys.layout.linkOff;
  }

  compareTo(itemBuf: Uint8Array, itemOff: number): number {
    const c = this.entry.compareTo(itemBuf, itemOff);
    if (c === 0 && equalRange(this.link, this.linkOff, itemBuf, itemOff + this.#itemLinkOff, 8)) this.seen = true;
    return c;
  }
}
