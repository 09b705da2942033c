/**
 * B+ tree inner and leaf pages (PAGE_TYPE_BTREE_INNER / PAGE_TYPE_BTREE_LEAF, version 1). Little-endian, after the
 * common header (page-header.layout.ts):
 *
 *   count u16 | level u16 | reserved u32 | right page id 8 | left page id 8 | body
 *
 * - count: items (leaf) or separator keys (inner). level: 0 for leaves, +1 per level up.
 * - right: the next page of the same level (every level is a forward-linked list from the meta page's first page
 *   of that level), 0 on the last page. left: the previous leaf (leaves only; 0 on the first leaf and on inner pages).
 * - leaf body: `count` items of `itemSize` bytes, in ascending order.
 * - inner body: child0 (8 bytes) then `count` entries of (separator key `itemSize` bytes, child page id 8 bytes):
 *   child0 k0 child1 k1 child2 … k(n-1) child(n). Separator k(i) is ≥ every item under child0..child(i) and
 *   < every item under child(i+1)..child(n): child i holds the items in (k(i-1), k(i)].
 * Page ids are written with page-id.ts (8 bytes, item byte 0).
 */
import { COMMON_HEADER_END } from '../page/page-header.layout';
import { readPageId, writePageId } from '../page/page-id';

export const BTREE_NODE_VERSION = 1;
export const PAGE_ID_SIZE = 8;

export const NODE_COUNT_OFFSET = COMMON_HEADER_END;
export const NODE_LEVEL_OFFSET = NODE_COUNT_OFFSET + 2;
export const NODE_RESERVED_OFFSET = NODE_LEVEL_OFFSET + 2;
export const NODE_RIGHT_OFFSET = NODE_RESERVED_OFFSET + 4;
export const NODE_LEFT_OFFSET = NODE_RIGHT_OFFSET + PAGE_ID_SIZE;
export const NODE_BODY_OFFSET = NODE_LEFT_OFFSET + PAGE_ID_SIZE;

/** Leaf items start here. */
export const LEAF_ITEMS_OFFSET = NODE_BODY_OFFSET;
/** Inner pages: child0, then the entries (key, right child). */
export const INNER_CHILD0_OFFSET = NODE_BODY_OFFSET;
export const INNER_ENTRIES_OFFSET = INNER_CHILD0_OFFSET + PAGE_ID_SIZE;

/**
 * The largest item size: at the smallest page (1 KiB) an inner page still holds 4 separators (fanout 5) and a
 * leaf 4 items.
 */
export const MAX_ITEM_SIZE = 224;

/** Items a leaf page of `pageSize` bytes holds. */
export function leafCapacity(pageSize: number, itemSize: number): number {
  return Math.floor((pageSize - LEAF_ITEMS_OFFSET) / itemSize);
}

/** Separator keys an inner page of `pageSize` bytes holds (children = keys + 1). */
export function innerCapacity(pageSize: number, itemSize: number): number {
  return Math.floor((pageSize - INNER_ENTRIES_OFFSET) / (itemSize + PAGE_ID_SIZE));
}

/**
 * Fill threshold: a page below it after a removal is merged with a sibling (when both fit one page) or evened
 * out with it. A quarter of the capacity, at least 1 (as bbolt): splits leave ≥ half, so a page must lose a
 * quarter of its capacity before it is touched again, which keeps split/merge ping-pong away.
 */
export function minFill(capacity: number): number {
  return Math.max(1, Math.floor(capacity / 4));
}

// Accessors; `page` is the page's start offset in `dv`/`buf` (PageView.off).

export function nodeCount(dv: DataView, page: number): number {
  return dv.getUint16(page + NODE_COUNT_OFFSET, true);
}

export function setNodeCount(dv: DataView, page: number, count: number): void {
  dv.setUint16(page + NODE_COUNT_OFFSET, count, true);
}

export function nodeLevel(dv: DataView, page: number): number {
  return dv.getUint16(page + NODE_LEVEL_OFFSET, true);
}

export function nodeRight(dv: DataView, page: number): number {
  return readPageId(dv, page + NODE_RIGHT_OFFSET);
}

export function setNodeRight(dv: DataView, page: number, id: number): void {
  writePageId(dv, page + NODE_RIGHT_OFFSET, id);
}

export function nodeLeft(dv: DataView, page: number): number {
  return readPageId(dv, page + NODE_LEFT_OFFSET);
}

export function setNodeLeft(dv: DataView, page: number, id: number): void {
  writePageId(dv, page + NODE_LEFT_OFFSET, id);
}

/** Offset of leaf item i. */
export function leafItemOffset(page: number, i: number, itemSize: number): number {
  return page + LEAF_ITEMS_OFFSET + i * itemSize;
}

/** Offset of inner child i (0..count); `entrySize` = itemSize + PAGE_ID_SIZE. */
export function innerChildOffset(page: number, i: number, entrySize: number): number {
  return page + INNER_CHILD0_OFFSET + i * entrySize;
}

/** Offset of inner separator key i (0..count-1). */
export function innerKeyOffset(page: number, i: number, entrySize: number): number {
  return page + INNER_ENTRIES_OFFSET + i * entrySize;
}

export function innerChild(dv: DataView, page: number, i: number, entrySize: number): number {
  return readPageId(dv, page + INNER_CHILD0_OFFSET + i * entrySize);
}
