/**
 * Common header at the start of every page's content (the `pageSize` bytes that are the same in memory and on
 * disk). Type-specific layouts start at COMMON_HEADER_END. Little-endian.
 *
 *   type u16 | version u16 | crc32 u32 | pageId 8 bytes (see page-id.ts)
 *
 * type 0 means "no content yet" (a freshly allocated, zeroed page). crc32 is written by the page store when the
 * page goes to disk and is 0 in memory.
 */
export const PAGE_TYPE_OFFSET = 0;
export const PAGE_VERSION_OFFSET = PAGE_TYPE_OFFSET + 2;
export const PAGE_CRC_OFFSET = PAGE_VERSION_OFFSET + 2;
export const PAGE_ID_OFFSET = PAGE_CRC_OFFSET + 4;
export const COMMON_HEADER_END = PAGE_ID_OFFSET + 8;

/** The smallest page size any engine accepts; every layout must fit it. */
export const MIN_PAGE_SIZE = 1024;
export const MAX_PAGE_SIZE = 16384;
export const DEFAULT_PAGE_SIZE = 16384;
