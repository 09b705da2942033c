/**
 * The page memory port: what data pages, free lists and B+ trees run on. Implemented by the volatile region
 * (aimem, ArrayBuffer segments) and later by the persistent page cache (aipersist), unchanged for callers.
 *
 * Contract:
 * - Pages are identified by (groupId, pageId); groupId is the table id (0 for region-internal structures). A
 *   page's slot carries a tag (groupId, pageId) that every acquire checks: a freed, never-allocated or foreign
 *   page id throws IllegalPageAccessError.
 * - `acquireRead`/`acquireWrite` fill a caller-owned PageView and pin the page; `release` unpins it. The view's
 *   `buf`/`dv` stay valid only until `release` (a persistent cache may evict or move the page after that).
 * - Every modification of page content goes through `acquireWrite` (it marks the page dirty and, during a
 *   checkpoint, takes the copy-on-write image first). Writing through a read view is a bug.
 * - Everything here is synchronous and allocation-free per call (hot path).
 */
import { COMMON_HEADER_END } from '../page/page-header.layout';

const EMPTY_BUFFER = new ArrayBuffer(0);

/**
 * Caller-owned view of one acquired page. Page content (`pageSize` bytes, starting with the common header of
 * page-header.layout.ts) is `buf[off .. off + pageSize)`, also reachable as `dv` at the same offsets. Reuse one
 * view per call site (never module-global); do not keep `buf`/`dv` past `release`.
 */
export class PageView {
  groupId = 0;
  pageId = 0;
  /** The whole segment (or cache buffer) the page lives in. */
  buf: Uint8Array = new Uint8Array(EMPTY_BUFFER);
  dv: DataView = new DataView(EMPTY_BUFFER);
  /** Byte offset of the page content in `buf`/`dv`. */
  off = 0;
  /** Opaque handle of the page memory (slot number); -1 when the view holds no page. */
  slot = -1;
  writable = false;

  /** Offset of the first byte after the common page header. */
  get contentOff(): number {
    return this.off + COMMON_HEADER_END;
  }
}

export interface PageMemory {
  /** Page content size in bytes (power of two in 1024..16384). */
  readonly pageSize: number;

  /**
   * Allocates a zeroed page whose common header carries its page id (type 0 = no content yet). Freed pages are
   * reused before new memory is taken. Throws OutOfMemoryError when no page can be had; nothing stored is
   * touched then.
   */
  allocatePage(groupId: number, partitionId: number, flags: number): number;

  /**
   * A floor under allocation (optional: a memory that cannot run out this way, such as a page cache that evicts,
   * leaves it out). While `pages` > 0, allocatePage throws OutOfMemoryError, having changed nothing, when no more
   * than `pages` (at most 1/16 of the memory) could still be allocated; 0, the default, lets it use every page. The
   * engine raises it for a write closure's first mutation only, so that the last pages are kept for closures that
   * already changed something and must finish their remaining small mutations (closures are not rolled back). It
   * refuses only the mutation's first page: the floor drops to 0 once a page is given, so a mutation that needs
   * several pages is never cut after its first.
   */
  setAllocationFloor?(pages: number): void;

  /**
   * Admission of a write closure that adds data (optional, as setAllocationFloor): throws OutOfMemoryError, having
   * changed nothing, when no more than `pages` (at most 1/32 of the memory) could still be allocated — those are kept
   * for closures already under way, whatever the new closure's first write would need.
   */
  admitClosure?(pages: number): void;

  /** Returns a page to the memory. The page must not be pinned. Its id is invalid afterwards. */
  freePage(groupId: number, pageId: number): void;

  /**
   * Returns every page of (groupId, partitionId, flags) at once, in time that does not grow with their number (a
   * partition's clear or destroy; the volatile memory retires their owner list, a persistent one starts a new
   * generation of the partition's file). None may be pinned; their ids are invalid afterwards. Returns how many
   * pages went.
   */
  dropPages(groupId: number, partitionId: number, flags: number): number;

  /** Pins the page and fills `view` for reading. */
  acquireRead(groupId: number, pageId: number, view: PageView): void;

  /** Pins the page, marks it dirty and fills `view` for writing. */
  acquireWrite(groupId: number, pageId: number, view: PageView): void;

  /** Unpins the page held by `view` and empties the view. */
  release(view: PageView): void;
}
