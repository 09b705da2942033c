/**
 * Range cursor over a B+ tree: items between `lower` and `upper` (each null = unbounded, inclusive or not), in
 * ascending or descending order.
 *
 * It copies the in-range items of one leaf at a time into its own buffer and pins nothing between calls. When the
 * tree's modification counter moved since the copy, the next call re-seeks from the last returned item (strictly
 * after it ascending, strictly before it descending): items removed meanwhile are not returned, items added
 * beyond the last returned one and within the bounds are, and no item is returned twice.
 *
 * Lifetimes: `itemBuf`/`itemOff` (the current item) stay valid until the next call of `next`/`reset`; `itemBuf` may
 * be a different (grown) array after a call, and `itemDv` (a view of it) changes with it: read both after each call.
 * The bound keys are the caller's and must not change while the cursor is in use. Reuse a cursor with `reset`.
 */
import { PageView } from '../page-memory/page-memory.port';
import { StorageDestroyedError } from '../shared/errors';
import { copyBytes, searchBound } from './btree-bytes';
import type { BTreeCore } from './btree-core';
import { ItemKey, KEY_AFTER_ALL, KEY_BEFORE_ALL, type BTreeKey } from './btree-item';
import { LEAF_ITEMS_OFFSET, nodeCount, nodeLeft, nodeRight } from './btree-node.layout';

export class BTreeCursor {
  readonly #core: BTreeCore;
  readonly #view = new PageView();
  /** In-range items copied from the current leaf. */
  /** Sized for the in-range items of one leaf as they come (a short range never costs a page-sized array). */
  #buf: Uint8Array;
  /** A view of #buf, rebuilt wherever #buf is assigned. */
  #dv: DataView;
  /** The last returned item, saved before a re-seek overwrites #buf. */
  readonly #last: Uint8Array;
  readonly #lastKey: ItemKey;
  #lower: BTreeKey | null = null;
  #lowerInclusive = true;
  #upper: BTreeKey | null = null;
  #upperInclusive = true;
  #descending = false;
  /** Index in #buf of the current item (the last returned one once something was returned). */
  #pos = 0;
  /** Ascending: items at pos < #end are in range; descending: items at pos ≥ #end. */
  #end = 0;
  /** Leaf to continue with when #buf is used up; 0 = none (end of the level or beyond the bound). */
  #nextPage = 0;
  #modCount = -1;
  #returned = false;
  #done = false;

  /** The current item is `itemBuf[itemOff .. itemOff + itemSize)` (see lifetimes above). */
  get itemBuf(): Uint8Array {
    return this.#buf;
  }

  /** A DataView of `itemBuf`, valid as long as itemBuf is (the same array). */
  get itemDv(): DataView {
    return this.#dv;
  }

  itemOff = 0;

  constructor(core: BTreeCore) {
    this.#core = core;
    this.#buf = new Uint8Array(Math.min(core.pm.pageSize, Math.max(64, 4 * core.itemSize)));
    this.#dv = new DataView(this.#buf.buffer);
    this.#last = new Uint8Array(core.itemSize);
    this.#lastKey = new ItemKey(core.itemType).set(this.#last, 0);
  }

  /** Restarts the cursor on a new range; the first `next` returns its first item. */
  reset(lower: BTreeKey | null, lowerInclusive: boolean, upper: BTreeKey | null, upperInclusive: boolean, descending = false): this {
    this.#lower = lower;
    this.#lowerInclusive = lowerInclusive;
    this.#upper = upper;
    this.#upperInclusive = upperInclusive;
    this.#descending = descending;
    this.#modCount = -1;
    this.#returned = false;
    this.#done = false;
    return this;
  }

  /** Moves to the next item in range; false when there is none (then the cursor stays exhausted). */
  next(): boolean {
    if (this.#done) return false;
    const desc = this.#descending;
    if (this.#core.modCount !== this.#modCount) this.#seek();
    else if (desc) this.#pos--;
    else this.#pos++;
    while (desc ? this.#pos < this.#end : this.#pos >= this.#end) {
      if (this.#nextPage === 0) {
        this.#done = true;
        return false;
      }
      this.#load(this.#nextPage, desc ? KEY_AFTER_ALL : KEY_BEFORE_ALL, false);
    }
    this.#returned = true;
    this.itemOff = this.#pos * this.#core.itemSize;
    return true;
  }

  /** Copies the current item to `out[outOff..]`. */
  copyItem(out: Uint8Array, outOff = 0): void {
    copyBytes(this.#buf, this.itemOff, out, outOff, this.#core.itemSize);
  }

  /** Ends the cursor early (it pins nothing, so this only makes further `next` calls return false). */
  close(): void {
    this.#done = true;
  }

  /** (Re)positions on the first item not returned yet: after the last returned one, or at the range start. */
  #seek(): void {
    const core = this.#core;
    if (core.destroying) throw new StorageDestroyedError(`B+ tree (meta page ${core.metaPageId}) was destroyed`);
    let key: BTreeKey;
    let strict: boolean;
    if (this.#returned) {
      copyBytes(this.#buf, this.#pos * core.itemSize, this.#last, 0, core.itemSize);
      key = this.#lastKey;
      strict = !this.#descending;
    } else if (this.#descending) {
      key = this.#upper ?? KEY_AFTER_ALL;
      strict = this.#upperInclusive;
    } else {
      key = this.#lower ?? KEY_BEFORE_ALL;
      strict = !this.#lowerInclusive;
    }
    this.#load(core.descend(key, strict), key, strict);
  }

  /**
   * Copies the in-range items of `leafId` into #buf: ascending those after `from` (searchBound with `strict`) and
   * not beyond the upper bound, descending those before it and not below the lower bound.
   */
  #load(leafId: number, from: BTreeKey, strict: boolean): void {
    const core = this.#core;
    const v = this.#view;
    const s = core.itemSize;
    core.pm.acquireRead(core.groupId, leafId, v);
    const n = nodeCount(v.dv, v.off);
    const base = v.off + LEAF_ITEMS_OFFSET;
    const cut = searchBound(from, v.buf, base, s, n, strict);
    let lo: number;
    let hi: number;
    if (this.#descending) {
      hi = cut;
      lo = this.#lower === null ? 0 : searchBound(this.#lower, v.buf, base, s, hi, !this.#lowerInclusive);
      this.#nextPage = lo > 0 ? 0 : nodeLeft(v.dv, v.off);
    } else {
      lo = cut;
      hi = this.#upper === null ? n : lo + searchBound(this.#upper, v.buf, base + lo * s, s, n - lo, this.#upperInclusive);
      this.#nextPage = hi < n ? 0 : nodeRight(v.dv, v.off);
    }
    const bytes = (hi - lo) * s;
    if (this.#buf.length < bytes) {
      this.#buf = new Uint8Array(Math.min(this.#core.pm.pageSize, Math.max(bytes, 2 * this.#buf.length)));
      this.#dv = new DataView(this.#buf.buffer);
    }
    copyBytes(v.buf, base + lo * s, this.#buf, 0, bytes);
    core.pm.release(v);
    this.#modCount = core.modCount;
    if (this.#descending) {
      this.#pos = hi - lo - 1;
      this.#end = 0;
    } else {
      this.#pos = 0;
      this.#end = hi - lo;
    }
  }
}
