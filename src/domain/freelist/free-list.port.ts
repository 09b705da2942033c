/**
 * What the row store needs from a free list of data pages. Implemented by BucketedFreeList (pages tracked in
 * memory, the volatile engine); the persistent engine will implement it over free-list pages (a later issue).
 *
 * Lock context: single-threaded, synchronous. Between `pageWithRoom` and `pageChanged` for that page the caller
 * holds no other page of this list pinned that the list could free.
 */
import type { PageAllocator } from '../page-memory/page-allocator.port';

export interface DataPageFreeList extends PageAllocator {
  /** Group (table) id the pages belong to in page memory. */
  readonly groupId: number;
  /** Partition whose data pages this list tracks; new data pages get this partition and FLAG_DATA. */
  readonly partitionId: number;

  /**
   * The page to put a body of `need` bytes on (1 <= need <= DataPageIo.maxBody): the tracked data page with the
   * least room that is still sure to fit it, else an empty page of the reuse bucket, else a new page from page
   * memory (may throw OutOfMemoryError; nothing changes then). The page stays where it is in the list until
   * `pageChanged`. A page from the reuse bucket or page memory may not be formatted as a data page yet (type !=
   * PAGE_TYPE_DATA): the caller formats it.
   */
  pageWithRoom(need: number): number;

  /**
   * Reports the room (DataPageIo.room) of a data page after the caller changed it and released it. The page
   * moves to the bucket of its room; an empty page goes to the reuse bucket, or back to page memory when the
   * reuse bucket is full. Untracked pages (new ones from pageWithRoom) become tracked.
   */
  pageChanged(pageId: number, room: number): void;
}
