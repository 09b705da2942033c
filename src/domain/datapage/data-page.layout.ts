/**
 * Data page layout (PAGE_TYPE_DATA, version 1): a slotted page. Offsets are relative to the start of the page
 * content; little-endian. After the common header and the free list's link fields (free-list.layout.ts):
 *
 *   freeSpace u16 | itemCount u16 | freeItems u16 | bodyStart u16 | item table (itemCount × u16) ... bodies
 *
 * - The item table grows forward from DATA_HEADER_END; entry `i` is the page offset of the body of item id `i`,
 *   or 0 when id `i` is free. Item ids are what links carry (one byte), so a page holds at most MAX_ITEMS.
 *   An id keeps its entry while its row lives: moving bodies (compaction, growth) only rewrites the entry.
 * - Bodies grow backward from the page end; `bodyStart` is the lowest body byte (pageSize when none).
 * - `freeSpace` counts every byte not used by the header, the table or live bodies: the contiguous gap between
 *   the table end and `bodyStart` plus holes left between bodies by removals (reclaimed by compaction).
 * - `freeItems` counts table entries that are 0 (free ids below itemCount). The last entry is never free: the
 *   table is trimmed when its last item goes, so an empty page has itemCount 0.
 */
import { LIST_FIELDS_END } from '../freelist/free-list.layout';

export const DATA_PAGE_VERSION = 1;

export const DATA_FREE_SPACE_OFFSET = LIST_FIELDS_END;
export const DATA_ITEM_COUNT_OFFSET = DATA_FREE_SPACE_OFFSET + 2;
export const DATA_FREE_ITEMS_OFFSET = DATA_ITEM_COUNT_OFFSET + 2;
export const DATA_BODY_START_OFFSET = DATA_FREE_ITEMS_OFFSET + 2;
export const DATA_HEADER_END = DATA_BODY_START_OFFSET + 2;

export const ITEM_TABLE_OFFSET = DATA_HEADER_END;
export const ITEM_ENTRY_SIZE = 2;
/** Item ids are one byte in a link. */
export const MAX_ITEMS = 256;

/**
 * Item body, at the offset its table entry names:
 *
 *   plain row:       lenFlags u16 | payload
 *   head fragment:   lenFlags u16 (FRAGMENT|HEAD) | next link 8 | row length u32 | payload
 *   other fragment:  lenFlags u16 (FRAGMENT)      | next link 8 | payload
 *
 * lenFlags: bits 0..13 = payload bytes in this body (a body never exceeds a 16 KiB page), bit 14 = HEAD,
 * bit 15 = FRAGMENT. A fragmented row is a chain head → … → last fragment; the next link of the last is 0 (the
 * null page id never names a page). A row's link always names its plain body or its head fragment.
 */
export const BODY_LEN_OFFSET = 0;
export const BODY_NEXT_OFFSET = BODY_LEN_OFFSET + 2;
export const PLAIN_BODY_HEADER = BODY_NEXT_OFFSET;
export const FRAGMENT_BODY_HEADER = BODY_NEXT_OFFSET + 8;
export const HEAD_ROW_LENGTH_OFFSET = FRAGMENT_BODY_HEADER;
export const HEAD_BODY_HEADER = HEAD_ROW_LENGTH_OFFSET + 4;

export const BODY_FRAGMENT_FLAG = 0x8000;
export const BODY_HEAD_FLAG = 0x4000;
export const BODY_LEN_MASK = 0x3fff;

/** Rows are at most this long (the head fragment stores the row length as u32). */
export const MAX_ROW_SIZE = 0xffff_ffff;

/** The largest body one empty page takes (its item entry included in the page). */
export function dataPageMaxBody(pageSize: number): number {
  return pageSize - DATA_HEADER_END - ITEM_ENTRY_SIZE;
}

/** Smallest page a data page works on: a head fragment carrying at least one payload byte. */
export function dataPageMinSize(): number {
  return DATA_HEADER_END + ITEM_ENTRY_SIZE + HEAD_BODY_HEADER + 1;
}
