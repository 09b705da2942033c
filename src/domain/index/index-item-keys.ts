/**
 * Keys of index items: comparison of the encoded keys two items (or a caller's key bytes and an item) carry, and
 * access to an item's whole key, inline or in its overflow row (index-item.layout.ts).
 *
 * Order = unsigned lexicographic order of the whole encoded keys, a proper prefix first (byte-compare.ts). The
 * inline bytes decide unless they tie and both keys are longer than the inline size; only then are overflow rows
 * read from data pages (into scratch buffers owned here).
 *
 * Lifetimes: a buffer returned by `fullKey` is scratch, valid until the next call on this object. Overflow rows
 * are read through the partition's RowStore, which pins only data pages: this may run while a tree page is
 * pinned. Not reentrant; one instance per tree.
 */
import { copyBytes } from '../datapage/byte-copy';
import type { RowStore } from '../datapage/row-store';
import { readU32LE } from '../shared/byte-order';
import { compareKeys } from './byte-compare';
import { compareRange, readLinkItemId, readLinkPageId } from './index-item-fields';
import type { IndexItemLayout } from './index-item.layout';

/** A growable buffer holding one whole encoded key in `bytes[0..length)` (caller-owned; reuse it). */
export class KeyBytes {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 64) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `n` bytes (the content is not kept when the buffer grows); returns the buffer. */
  ensure(n: number): Uint8Array {
    if (this.bytes.length < n) this.bytes = new Uint8Array(Math.max(n, this.bytes.length * 2));
    return this.bytes;
  }

  set(src: Uint8Array, off: number, len: number): this {
    copyBytes(src, off, this.ensure(len), 0, len);
    this.length = len;
    return this;
  }
}

export class IndexItemKeys {
  readonly #layout: IndexItemLayout;
  readonly #rows: RowStore;
  /** Two scratch buffers: an item-vs-item comparison may need both overflow keys at once. */
  #scratch0 = new Uint8Array(256);
  #scratch1 = new Uint8Array(256);

  /**
   * The item being inserted (`ownItem[ownOff..]`) and its whole key: comparisons against it use these bytes
   * instead of reading its fresh overflow row back (the key is `ownKey[0..ownKeyLen)`). Set by the tree around its
   * own put; null otherwise.
   */
  ownItem: Uint8Array | null = null;
  ownOff = 0;
  ownKey: Uint8Array = this.#scratch0;
  ownKeyLen = 0;
  /** Offset of the key in the buffer the last `fullKey` call returned. */
  keyOffset = 0;

  constructor(layout: IndexItemLayout, rows: RowStore) {
    this.#layout = layout;
    this.#rows = rows;
  }

  get layout(): IndexItemLayout {
    return this.#layout;
  }

  keyLength(item: Uint8Array, off: number): number {
    const l = this.#layout;
    return l.keyLenOff < 0 ? l.fixedKeyLength : readU32LE(item, off + l.keyLenOff);
  }

  /** True when the item's key lives (whole) in an overflow row. */
  isOverflow(item: Uint8Array, off: number): boolean {
    return this.keyLength(item, off) > this.#layout.inlineSize;
  }

  /**
   * The item's whole key: `[buffer, offset]` is either the item itself (inline keys) or a scratch buffer
   * (slot 0 or 1) the overflow row was read into. Returns the buffer; the key starts at `keyOffset`.
   */
  fullKey(item: Uint8Array, off: number, slot: 0 | 1): Uint8Array {
    const l = this.#layout;
    const len = this.keyLength(item, off);
    if (len <= l.inlineSize) {
      this.keyOffset = off + l.keyOff;
      return item;
    }
    let dst = slot === 0 ? this.#scratch0 : this.#scratch1;
    if (dst.length < len) {
      dst = new Uint8Array(Math.max(len, dst.length * 2));
      if (slot === 0) this.#scratch0 = dst;
      else this.#scratch1 = dst;
    }
    this.#rows.read(readLinkPageId(item, off + l.linkOff), readLinkItemId(item, off + l.linkOff), dst, 0);
    this.keyOffset = 0;
    return dst;
  }

  /** Copies the item's whole key (inline, or read from its overflow row) into `out`. */
  copyKey(item: Uint8Array, off: number, out: KeyBytes): void {
    const l = this.#layout;
    const len = this.keyLength(item, off);
    if (len <= l.inlineSize) {
      out.set(item, off + l.keyOff, len);
      return;
    }
    this.#rows.read(readLinkPageId(item, off + l.linkOff), readLinkItemId(item, off + l.linkOff), out.ensure(len), 0);
    out.length = len;
  }

  /** Sign of (key of item a − key of item b). */
  compareItemKeys(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number): number {
    if (a === this.ownItem && aOff === this.ownOff) return this.compareKeyWithItem(this.ownKey, 0, this.ownKeyLen, b, bOff);
    if (b === this.ownItem && bOff === this.ownOff) return -this.compareKeyWithItem(this.ownKey, 0, this.ownKeyLen, a, aOff);
    const l = this.#layout;
    const inline = l.inlineSize;
    const la = this.keyLength(a, aOff);
    const lb = this.keyLength(b, bOff);
    const n = Math.min(la, lb, inline);
    const c = compareRange(a, aOff + l.keyOff, b, bOff + l.keyOff, n);
    if (c !== 0 || la <= inline || lb <= inline) return c !== 0 ? c : la - lb;
    const ka = this.fullKey(a, aOff, 0);
    const kb = this.fullKey(b, bOff, 1);
    return compareKeys(ka, inline, la - inline, kb, inline, lb - inline);
  }

  /** Sign of (key bytes k[kOff..kOff+kLen) − key of the item). */
  compareKeyWithItem(k: Uint8Array, kOff: number, kLen: number, item: Uint8Array, off: number): number {
    const l = this.#layout;
    const inline = l.inlineSize;
    const li = this.keyLength(item, off);
    const n = Math.min(kLen, li, inline);
    const c = compareRange(k, kOff, item, off + l.keyOff, n);
    if (c !== 0 || kLen <= inline || li <= inline) return c !== 0 ? c : kLen - li;
    const ki = this.fullKey(item, off, 1);
    return compareKeys(k, kOff + inline, kLen - inline, ki, inline, li - inline);
  }
}
