/**
 * B+ tree meta page (PAGE_TYPE_BTREE_META, version 1). Little-endian, after the common header:
 *
 *   magic u32 | itemSize u16 | levels u16 | flags u32 | root page id 8 | item count f64 | first page id 8 × MAX_LEVELS
 *
 * - levels: 1 = the root is a leaf. firstPage[l] is the leftmost page of level l (0 = leaves), for l < levels;
 *   slots at and above `levels` are 0. The root is the only page of level levels-1 (= firstPage[levels-1]).
 * - item count: the number of items, an exact integer (< 2^53).
 * - flags: META_FLAG_DESTROYING once destroy() has started; then firstPage[l] is the next page of level l still to
 *   free (0 = level done) and the root field is meaningless.
 * The meta page is written whenever one of these fields changes (the item count on every insert and removal).
 */
import { COMMON_HEADER_END } from '../page/page-header.layout';
import { PAGE_ID_SIZE } from './btree-node.layout';

export const BTREE_META_VERSION = 1;
/** "BTRE" read as a little-endian u32. */
export const BTREE_META_MAGIC = 0x45525442;
export const MAX_LEVELS = 40;
export const META_FLAG_DESTROYING = 1;

export const META_MAGIC_OFFSET = COMMON_HEADER_END;
export const META_ITEM_SIZE_OFFSET = META_MAGIC_OFFSET + 4;
export const META_LEVELS_OFFSET = META_ITEM_SIZE_OFFSET + 2;
export const META_FLAGS_OFFSET = META_LEVELS_OFFSET + 2;
export const META_ROOT_OFFSET = META_FLAGS_OFFSET + 4;
export const META_COUNT_OFFSET = META_ROOT_OFFSET + PAGE_ID_SIZE;
export const META_FIRST_PAGES_OFFSET = META_COUNT_OFFSET + 8;
export const META_END = META_FIRST_PAGES_OFFSET + MAX_LEVELS * PAGE_ID_SIZE;

/** Offset (from the page start) of firstPage[level]. */
export function metaFirstPageOffset(level: number): number {
  return META_FIRST_PAGES_OFFSET + level * PAGE_ID_SIZE;
}
