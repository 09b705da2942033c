/**
 * The page memories the page-memory and free-list contract suites run against: the volatile region (aimem) on heap
 * buffers and the HeapPageMemory test fake. Both are bounded to MAX_PAGES pages so the out-of-memory cases run.
 * The volatile memory starts with a quarter of its slots, so the cases also cross a segment growth.
 */
import { VolatilePageMemory } from '../../../src/domain/page-memory/volatile-page-memory';
import { slotSizeOf } from '../../../src/domain/page-memory/volatile-page.layout';
import type { MemoryProvider } from '../../../src/domain/ports/memory-provider.port';
import { HeapPageMemory } from '../../support/heap-page-memory';
import { MemoryPageStore } from '../../support/memory-page-store';
import { PersistentPageMemory } from '../../../src/domain/page-memory/persistent-page-memory';
import type { PageMemoryFactory } from '../page-memory-factory';

export const MAX_PAGES = 256;

const heapBuffers: MemoryProvider = {
  allocate: (bytes) => new ArrayBuffer(bytes),
  release: () => undefined,
};

export const volatilePageMemory: PageMemoryFactory = (pageSize) => {
  const slot = slotSizeOf(pageSize);
  const memory = new VolatilePageMemory({
    name: 'contract', pageSize, initSizeBytes: (MAX_PAGES / 4) * slot, maxSizeBytes: MAX_PAGES * slot, memory: heapBuffers,
  });
  return {
    memory,
    close: () => memory.close(),
    allocatedPages: () => memory.stats().allocatedPages,
    pinnedPages: () => memory.stats().pinnedPages,
    checkInvariants: () => memory.checkInvariants(),
  };
};

export const heapPageMemory: PageMemoryFactory = (pageSize) => {
  const memory = new HeapPageMemory(pageSize, MAX_PAGES);
  return {
    memory,
    close: () => undefined,
    allocatedPages: () => memory.allocatedPages,
    pinnedPages: () => memory.pinnedPages(),
  };
};

/** The persistent page cache (aipersist) over an empty in-memory store, MAX_PAGES frames, nothing checkpointed. */
export const persistentPageMemory: PageMemoryFactory = (pageSize) => {
  const memory = new PersistentPageMemory({
    name: 'contract', pageSize, sizeBytes: MAX_PAGES * pageSize, replacementMode: 'CLOCK', store: new MemoryPageStore(pageSize),
  });
  return {
    memory,
    close: () => memory.close(),
    allocatedPages: () => memory.allocatedPages(),
    pinnedPages: () => memory.pinnedPages,
    checkInvariants: () => memory.checkInvariants(),
  };
};
