/**
 * The plainest PageAllocator: pages straight from a PageMemory group and back to it. For structures that run
 * alone (tests, standalone trees); engines use the free list's reuse bucket instead.
 */
import type { PageAllocator } from '../page-memory/page-allocator.port';
import type { PageMemory } from '../page-memory/page-memory.port';

export class PageMemoryAllocator implements PageAllocator {
  constructor(
    private readonly pm: PageMemory,
    private readonly groupId: number,
  ) {}

  allocatePage(partitionId: number, flags: number): number {
    return this.pm.allocatePage(this.groupId, partitionId, flags);
  }

  recyclePage(pageId: number): void {
    this.pm.freePage(this.groupId, pageId);
  }
}
