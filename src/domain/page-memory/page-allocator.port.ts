/**
 * Where page structures (data pages, B+ trees) get whole pages from and give them back to. The free list's
 * reuse bucket implements it (empty data pages are reused for tree pages before new memory is taken); a plain
 * adapter over PageMemory is enough for structures that run alone.
 */
export interface PageAllocator {
  /** A page whose content past the common header is zeroed, with its page id in the header. */
  allocatePage(partitionId: number, flags: number): number;
  /** Gives a page that no structure uses any more back; its id must not be used afterwards. */
  recyclePage(pageId: number): void;
}
