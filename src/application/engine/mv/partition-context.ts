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
import type { PartitionHints } from './partition-hints';

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
  /** Row hints of the indexes' entries, served by the MV storage's current chains. */
  readonly hints: PartitionHints;
}

/**
 * What the table storage asks of each page-based storage of a partition (MV data, each index). Protocol:
 *
 *   clear / rebalance start / rebalance abort:  every owner.destroyData(); freeList.freeAllPages(); every owner.resetData()
 *   destroy partition:                          every owner.destroyData(); freeList.freeAllPages()
 *   destroy one index:                          index.destroyData() (its pages go to the free list's reuse bucket)
 */
export interface PartitionDataOwner {
  /** Destroys the owner's trees (their pages go back through the free list). Touches no page afterwards. */
  destroyData(): void;
  /** After destroyData + freeAllPages: creates new empty trees and resets counters / meta to initial values. */
  resetData(): void;
}
