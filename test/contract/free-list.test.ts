/** Runs the free-list contract (BucketedFreeList through a RowStore) on the volatile page memory and on HeapPageMemory. */
import { describeFreeListContract } from './free-list.contract';
import { heapPageMemory, MAX_PAGES, volatilePageMemory } from './support/page-memories';

describeFreeListContract('BucketedFreeList on VolatilePageMemory', volatilePageMemory, { maxPages: MAX_PAGES });
describeFreeListContract('BucketedFreeList on HeapPageMemory (test fake)', heapPageMemory, { maxPages: MAX_PAGES });
