/**
 * The 32-byte system header in front of every page slot of the volatile page memory (the spec's "32-byte overhead
 * per page for header and locking structures"). A slot is this header followed by `pageSize` bytes of page
 * content (which starts with the common header of page-header.layout.ts):
 *
 *   groupId u32 | pageId 8 bytes (tag) | pin count u32 | state u32 | next u32 | owner u32 | prev u32
 *
 * The header never leaves memory (pages go to disk without it), so it is accessed through a per-buffer
 * Uint32Array in platform byte order; every field is 4-byte aligned and slots are 32-byte aligned. The pageId tag
 * is the page id as page-id.ts lays it out (low word = page index, high word = partition | flags << 16), so the
 * check on every acquire is two word compares. A fresh buffer is zero-filled, which reads as "never allocated".
 */
export const SYS_GROUP_OFFSET = 0;
/** Low word: page index (generation and slot number, see segment-plan.ts); high word: partition | flags << 16. */
export const SYS_PAGE_ID_OFFSET = SYS_GROUP_OFFSET + 4;
export const SYS_PIN_COUNT_OFFSET = SYS_PAGE_ID_OFFSET + 8;
export const SYS_STATE_OFFSET = SYS_PIN_COUNT_OFFSET + 4;
/**
 * Next link, slot number + 1 (0 = end): in FREE state the next slot of the free stack; in ALLOCATED state the next
 * page of its owner list (every page of one (group, partition, flags) is on one doubly linked list, so that the
 * whole partition can be dropped at once: volatile-owner-lists.ts).
 */
export const SYS_NEXT_FREE_OFFSET = SYS_STATE_OFFSET + 4;
/** Owner list id of an ALLOCATED page (a dropped list's pages are dead until reclaimed). */
export const SYS_OWNER_OFFSET = SYS_NEXT_FREE_OFFSET + 4;
/** Previous page of the owner list, slot number + 1 (0 = the list's head). */
export const SYS_PREV_OFFSET = SYS_OWNER_OFFSET + 4;
export const SYS_HEADER_SIZE = SYS_PREV_OFFSET + 4;

/** Word indexes of the same fields, for the per-buffer Uint32Array. */
export const W_GROUP = SYS_GROUP_OFFSET >>> 2;
export const W_ID_LO = SYS_PAGE_ID_OFFSET >>> 2;
export const W_ID_HI = W_ID_LO + 1;
export const W_PINS = SYS_PIN_COUNT_OFFSET >>> 2;
export const W_STATE = SYS_STATE_OFFSET >>> 2;
export const W_NEXT_FREE = SYS_NEXT_FREE_OFFSET >>> 2;
export const W_OWNER = SYS_OWNER_OFFSET >>> 2;
export const W_PREV = SYS_PREV_OFFSET >>> 2;

/** State flags. A slot below the bump pointer is exactly one of ALLOCATED or FREE; above it the state is 0. */
export const STATE_ALLOCATED = 1;
/** On the free stack, waiting for reuse. */
export const STATE_FREE = 2;
/** Written through acquireWrite since allocation (volatile memory never cleans it: there are no checkpoints). */
export const STATE_DIRTY = 4;

/** Bytes one page takes in a segment: the system header plus the content. */
export function slotSizeOf(pageSize: number): number {
  return SYS_HEADER_SIZE + pageSize;
}
