/**
 * Everything the page-based storages of one MV partition share: the table's page group in the region's page
 * memory, the partition's free list and row store (data pages, reused by its trees), its lifecycle (which also
 * governs its indexes and every cursor opened on them), and its Partition aggregate.
 *
 * Lifetime: created by the table storage with the partition; `resetData` of each owner runs on clear, rebalance
 * start and abort; `destroyData` on destroy. Pages: every structure of the partition allocates through `freeList`
 * (PageAllocator), so destroying the trees and then `freeList.freeAllPages()` returns every page of the partition.
 */
import type { BucketedFreeList } from '../../../domain/freelist/bucketed-free-list';
import type { RowStore } from '../../../domain/datapage/row-store';
import type { PageMemory } from '../../../domain/page-memory/page-memory.port';
import type { Partition } from '../../../domain/partition/partition';
import type { StorageLifecycle } from './storage-lifecycle';

export interface PartitionContext {
  readonly tableId: number;
  readonly partitionId: number;
  /** Page group of the table's pages in `pageMemory` (the table id). */
  readonly groupId: number;
  readonly pageMemory: PageMemory;
  readonly freeList: BucketedFreeList;
  readonly rowStore: RowStore;
  readonly lifecycle: StorageLifecycle;
  readonly partition: Partition;
}

/** What the table storage asks of each page-based storage of a partition (MV data, each index). */
export interface PartitionDataOwner {
  /**
   * Drops every row / entry and starts again empty (new trees), keeping the object usable. Called on clear and on
   * rebalance start/abort, after the owners' old trees were destroyed or before `freeAllPages` — see the table
   * storage; the owner must not touch its old pages afterwards.
   */
  resetData(): void;
  /** Destroys the owner's trees (their pages go to the free list); the owner is unusable afterwards. */
  destroyData(): void;
}
