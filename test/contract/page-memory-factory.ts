/**
 * What the page-memory and free-list contract suites need from a PageMemory under test. The factory builds a fresh,
 * empty memory of the given page size for every test; the suites close it after the test. Counts are read through
 * the callbacks (implementations expose them differently: stats(), getters) so the suites stay black-box.
 */
import type { PageMemory } from '../../src/domain/page-memory/page-memory.port';

export interface PageMemoryUnderTest {
  readonly memory: PageMemory;
  /** Gives everything back; the memory is not used afterwards. */
  close(): void;
  /** Pages allocated and not freed. */
  allocatedPages(): number;
  /** Pages pinned at least once (a page pinned through two views counts once). */
  pinnedPages(): number;
  /** The implementation's self-check (STYLE rule 6), when it has one: run after every case and during model runs. */
  checkInvariants?(): void;
}

/** A fresh memory whose pages are `pageSize` bytes (a power of two in 1024..16384). */
export type PageMemoryFactory = (pageSize: number) => PageMemoryUnderTest;

export interface PageMemoryContractOptions {
  /**
   * The most pages one memory from the factory holds at once; allocating another throws OutOfMemoryError. Set it
   * when the factory builds a bounded memory (the out-of-memory cases run only then); keep it in the low hundreds
   * so the cases that fill the memory stay fast.
   */
  readonly maxPages?: number;
  /**
   * Ids are page positions in a partition's file (the persistent page cache): pages are told apart by (group, id);
   * a freed or dropped id is refused until its position is handed out again, and then names the new page; and
   * `dropPages(g, p, FLAG_DATA)` drops every page of the partition but its first page when that is a FLAG_AUX page
   * (the meta page). The cases then check those rules instead of "an id is never handed out twice".
   */
  readonly positionalIds?: boolean;
}
