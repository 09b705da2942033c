/** Runs the PageMemory contract against the volatile page memory (aimem) and the HeapPageMemory test fake. */
import { describePageMemoryContract } from './page-memory.contract';
import { heapPageMemory, MAX_PAGES, volatilePageMemory } from './support/page-memories';

describePageMemoryContract('VolatilePageMemory', volatilePageMemory, { maxPages: MAX_PAGES });
describePageMemoryContract('HeapPageMemory (test fake)', heapPageMemory, { maxPages: MAX_PAGES });
