/**
 * What a B+ tree stores and how it orders it. Items have one fixed size per tree and are compared where they lie
 * (in a page, in a caller's buffer): no decoding, no allocation. Lookups and range bounds use a search key
 * (BTreeKey), which may be a whole item or only a prefix of one (e.g. a RowId over (RowId, timestamp) items).
 */

/** Item size and total order of one tree's items. `compare` must be a pure, allocation-free function of the bytes. */
export interface BTreeItemType {
  /** Bytes per item, 1..MAX_ITEM_SIZE (btree-node.layout.ts). */
  readonly itemSize: number;
  /** Sign of (a − b) for the items at `aBuf[aOff..]` and `bBuf[bOff..]`; 0 means "the same item" (put replaces). */
  compare(aBuf: Uint8Array, aOff: number, bBuf: Uint8Array, bOff: number): number;
}

/**
 * A search key compared with stored items in place. Contract: the sign of `compareTo` is monotone along the item
 * order (for items a ≤ b, compareTo(a) ≥ compareTo(b)); the items with compareTo = 0 (the key's matches) are
 * therefore one contiguous run. A key object may be reused after the call it was passed to returns, except for
 * cursor bounds, which must stay unchanged while the cursor is in use.
 */
export interface BTreeKey {
  /** Sign of (this key − the item at `itemBuf[itemOff..]`); 0 when the item matches the key. */
  compareTo(itemBuf: Uint8Array, itemOff: number): number;
  /**
   * When set, a byte-prefix key that orders every item exactly as this key does: the in-page searches then take the
   * bytewise search (no call per probe, interpolation) instead of calling compareTo.
   */
  readonly bytewise?: BytePrefixKey | null;
}

const EMPTY = new Uint8Array(0);

/** A key that sorts before every item (stateless, shared). */
export const KEY_BEFORE_ALL: BTreeKey = { compareTo: () => -1 };
/** A key that sorts after every item (stateless, shared). */
export const KEY_AFTER_ALL: BTreeKey = { compareTo: () => 1 };

/** Unsigned lexicographic comparison of `len` bytes (big-endian numbers and order-preserving encodings). */
export function compareBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const d = a[aOff + i]! - b[bOff + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Items ordered by their first `keySize` bytes, unsigned lexicographically; the rest of the item is a value that
 * does not take part in the order (put with an equal key replaces the value).
 */
export class BytewiseItemType implements BTreeItemType {
  constructor(
    readonly itemSize: number,
    readonly keySize: number = itemSize,
  ) {
    if (!Number.isInteger(keySize) || keySize < 1 || keySize > itemSize) {
      throw new RangeError(`keySize must be an integer in 1..itemSize (${itemSize}), got ${keySize}`);
    }
  }

  compare(aBuf: Uint8Array, aOff: number, bBuf: Uint8Array, bOff: number): number {
    return compareBytes(aBuf, aOff, bBuf, bOff, this.keySize);
  }
}

/** A whole item as the key, compared with the tree's item order. Point it at a caller buffer with `set`. */
export class ItemKey implements BTreeKey {
  buf: Uint8Array = EMPTY;
  off = 0;

  constructor(readonly itemType: BTreeItemType) {}

  set(buf: Uint8Array, off = 0): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  compareTo(itemBuf: Uint8Array, itemOff: number): number {
    return this.itemType.compare(this.buf, this.off, itemBuf, itemOff);
  }
}

/**
 * The first `length` bytes of an item, compared unsigned lexicographically: matches every item that starts with
 * these bytes. Fits trees whose order is bytewise on a leading key (BytewiseItemType, big-endian encodings).
 */
export class BytePrefixKey implements BTreeKey {
  buf: Uint8Array = EMPTY;
  off = 0;
  length = 0;

  set(buf: Uint8Array, off: number, length: number): this {
    this.buf = buf;
    this.off = off;
    this.length = length;
    return this;
  }

  compareTo(itemBuf: Uint8Array, itemOff: number): number {
    return compareBytes(this.buf, this.off, itemBuf, itemOff, this.length);
  }
}
