/** Runs the PageMemory contract against the persistent page cache (aipersist). */
import { describePageMemoryContract } from './page-memory.contract';
import { MAX_PAGES, persistentPageMemory } from './support/page-memories';

describePageMemoryContract('PersistentPageMemory', persistentPageMemory, { maxPages: MAX_PAGES, positionalIds: true });
