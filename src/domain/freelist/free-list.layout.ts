/**
 * Free-list layouts (format v1). The free list of a partition keeps its 256 buckets on pages: each bucket is a
 * doubly linked list threaded through the listed pages themselves, so moving a page between buckets touches that
 * page, its two neighbours and one meta page — no separate node pages, no scan on open.
 *
 * List fields, right after the common header of every page the free list can hold — data pages
 * (data-page.layout.ts starts its own fields after them) and free pages (PAGE_TYPE_FREELIST_NODE: a page waiting
 * in the reuse bucket with no other content). Page links are page indexes within the partition (0 = none):
 *
 *   prev u32 | next u32 | bucket + 1 u16 (0 = not listed)
 *
 * Meta pages (PAGE_TYPE_FREELIST_META), a chain from the partition meta page's free-list root, each holding the
 * heads of `count` consecutive buckets from `first` (one page at 16 KiB, three at 1 KiB):
 *
 *   next meta page id 8 | first bucket u16 | bucket count u16 | per bucket: head page index u32, page count u32
 */
import { COMMON_HEADER_END } from '../page/page-header.layout';

export const FREE_LIST_LAYOUT_VERSION = 1;

/** Buckets of a free list; the last one is the reuse bucket (empty and recycled pages). */
export const BUCKET_COUNT = 256;
export const REUSE_BUCKET = BUCKET_COUNT - 1;

export const LIST_PREV_OFFSET = COMMON_HEADER_END;
export const LIST_NEXT_OFFSET = LIST_PREV_OFFSET + 4;
export const LIST_BUCKET_OFFSET = LIST_NEXT_OFFSET + 4;
export const LIST_FIELDS_END = LIST_BUCKET_OFFSET + 2;

export const FL_META_NEXT_OFFSET = COMMON_HEADER_END;
export const FL_META_FIRST_OFFSET = FL_META_NEXT_OFFSET + 8;
export const FL_META_COUNT_OFFSET = FL_META_FIRST_OFFSET + 2;
export const FL_META_ENTRIES_OFFSET = FL_META_COUNT_OFFSET + 2;
export const FL_META_ENTRY_SIZE = 8;

/** Bucket heads one meta page of `pageSize` bytes holds. */
export function bucketsPerMetaPage(pageSize: number): number {
  return Math.floor((pageSize - FL_META_ENTRIES_OFFSET) / FL_META_ENTRY_SIZE);
}
