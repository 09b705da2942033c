/**
 * Everything the page-based storages of one MV partition share: the table's page group in the region's page
 * memory, the partition's meta page (the root of all its state on pages), free list and row store (data pages,
 * reused by its trees), index meta tree, its lifecycle (which also governs its indexes and every cursor opened on
 * them), its Partition aggregate and the row hints of its indexes.
 *
 * Lifetime: created with the partition (createPartitionContext) or found again on existing pages from its meta page
 * (openPartitionContext: what a reopen does); `resetData` of each owner runs on clear, rebalance start and abort;
 * `destroyData` on destroy. Pages: every structure of the partition allocates through `freeList` (PageAllocator),
 * so destroying the trees and then `freeList.freeAllPages()` returns every data and tree page; the meta page, the
 * free list's meta pages and the index meta tree stay until the partition is destroyed.
 */
import { BucketedFreeList } from '../../../domain/freelist/bucketed-free-list';
import { RowStore } from '../../../domain/datapage/row-store';
import { IndexMetaTree } from '../../../domain/index/index-meta-tree';
import type { PageMemory } from '../../../domain/page-memory/page-memory.port';
import { Partition } from '../../../domain/partition/partition';
import { PartitionMetaPage } from '../../../domain/partition/partition-meta-page';
import type { DeltaLog } from '../../../domain/ports/delta-log.port';
import { StorageLifecycle } from './storage-lifecycle';
import { FLAG_DATA } from '../../../domain/page/page-id';
import { PartitionHints } from './partition-hints';

export interface PartitionContext {
  readonly tableId: number;
  readonly partitionId: number;
  /** Page group of the table's pages in `pageMemory` (the table id). */
  readonly groupId: number;
  readonly pageMemory: PageMemory;
  readonly meta: PartitionMetaPage;
  readonly freeList: BucketedFreeList;
  readonly rowStore: RowStore;
  readonly indexMeta: IndexMetaTree;
  readonly lifecycle: StorageLifecycle;
  readonly partition: Partition;
  /** Row hints of the indexes' entries, served by the MV storage's current chains. */
  readonly hints: PartitionHints;
}

export interface PartitionContextOptions {
  readonly tableId: number;
  readonly groupId: number;
  readonly partitionId: number;
  readonly pageMemory: PageMemory;
  readonly log: DeltaLog;
  /** Empty pages the free list keeps for reuse (default: its own default). */
  readonly maxReusePages?: number;
}

/** A new partition: meta page, free list and index meta tree on fresh pages (OutOfMemoryError: nothing kept). */
export function createPartitionContext(o: PartitionContextOptions): PartitionContext {
  const { pageMemory: pm, groupId: g, partitionId: p } = o;
  const meta = PartitionMetaPage.create(pm, g, p);
  let freeList: BucketedFreeList | null = null;
  try {
    freeList = BucketedFreeList.create(pm, g, p, reuse(o));
    const indexMeta = IndexMetaTree.create(pm, g, p, freeList);
    meta.setRoots({ freeList: freeList.metaPageId, chainTree: 0, gcQueue: 0, indexMeta: indexMeta.metaPageId });
    return context(o, meta, freeList, indexMeta);
  } catch (e) {
    freeList?.destroy();
    meta.free();
    throw e;
  }
}

/** The partition whose meta page is `metaPageId`, on existing pages (DataCorruptionError when they are not one). */
export function openPartitionContext(o: PartitionContextOptions, metaPageId: number): PartitionContext {
  const { pageMemory: pm, groupId: g, partitionId: p } = o;
  const meta = PartitionMetaPage.open(pm, g, metaPageId);
  const freeList = BucketedFreeList.open(pm, g, p, meta.roots.freeList, reuse(o));
  const indexMeta = IndexMetaTree.open(pm, g, p, freeList, meta.roots.indexMeta);
  return context(o, meta, freeList, indexMeta);
}

/**
 * Drops every data and tree page of the partition at once (PageMemory.dropPages: time independent of the
 * partition's size) and starts the free list and the index meta tree over on fresh pages; the meta page stays.
 * Call after every owner's forgetData, before their resetData.
 */
export function dropPartitionData(ctx: PartitionContext): void {
  ctx.pageMemory.dropPages(ctx.groupId, ctx.partitionId, FLAG_DATA);
  ctx.freeList.resetAfterDrop();
  ctx.indexMeta.resetAfterDrop();
  ctx.meta.setRoots({ freeList: ctx.freeList.metaPageId, chainTree: 0, gcQueue: 0, indexMeta: ctx.indexMeta.metaPageId });
}

/**
 * The last step of destroying a partition page by page, after every owner's destroyData: the index meta tree, the
 * free list (its listed pages and its meta pages) and the meta page go back to page memory.
 */
export function destroyPartitionPages(ctx: PartitionContext): void {
  ctx.indexMeta.destroy();
  ctx.freeList.destroy();
  ctx.meta.free();
}

/**
 * What the table storage asks of each page-based storage of a partition (MV data, each index). Protocol (the
 * slot, page-partition-slot.ts):
 *
 *   clear / rebalance start / rebalance abort:  every owner.forgetData(); dropPartitionData(ctx); every owner.resetData()
 *   destroy partition:                          every owner.forgetData(); dropPartitionData(ctx); the meta page freed
 *   destroy one index:                          index.destroyIndex() (its pages go to the free list's reuse bucket)
 *
 * Tools that free page by page (tests) may use destroyData + freeList.freeAllPages instead of the wholesale drop.
 */
export interface PartitionDataOwner {
  /** Destroys the owner's trees (their pages go back through the free list). Touches no page afterwards. */
  destroyData(): void;
  /** Lets go of the owner's trees without touching a page: the partition's pages are dropped wholesale. */
  forgetData(): void;
  /** After destroyData + freeAllPages: creates new empty trees and resets counters / meta to initial values. */
  resetData(): void;
}

/**
 * Pages of a region kept for write closures under way (at most 1/16 of the region): enough for the remaining row
 * writes and index puts of an ordinary closure (a few B+ tree splits and data pages), not for large rows.
 */
const CLOSURE_RESERVE_PAGES = 32;
/**
 * The part of the reserve no new closure that adds data may start in. A closure whose first write fits in space
 * already allocated is admitted above it and may then use the reserve for its index puts; without this floor such
 * closures, one after another, used the reserve up and the next one ran out between its row and its index entries.
 */
const CLOSURE_HARD_RESERVE_PAGES = CLOSURE_RESERVE_PAGES / 2;

/**
 * Write admission, in two calls around each mutation that may allocate (addWrite, commitWrite, addWriteCommitted,
 * index put): `guardFirstWrite` before it raises the page memory's allocation floor while the closure has not yet
 * completed a mutation, `wrote` after it lowers the floor for the rest of the closure (runConsistently lowers it at
 * the end in any case). So when a region runs out, a closure fails at its first write that needs a new page —
 * having changed nothing — and not between a row write and its index puts; a first write that fits in space freed
 * inside the partition still succeeds while more than CLOSURE_HARD_RESERVE_PAGES are left (`addsData`: the first
 * write of a closure that adds data — rows, index entries — is refused below that even when it fits; a commitWrite,
 * which adds none, is not, so a full region still resolves intents). Frees (vacuum, abortWrite, index remove) and
 * meta updates are not guarded.
 */
export function guardFirstWrite(ctx: PartitionContext, addsData = true): void {
  if (ctx.partition.closureAdmitted) return;
  if (addsData) ctx.pageMemory.admitClosure?.(CLOSURE_HARD_RESERVE_PAGES);
  ctx.pageMemory.setAllocationFloor?.(CLOSURE_RESERVE_PAGES);
}

export function wrote(ctx: PartitionContext): void {
  const p = ctx.partition;
  if (p.closureAdmitted) return;
  p.closureAdmitted = true;
  ctx.pageMemory.setAllocationFloor?.(0);
}

function reuse(o: PartitionContextOptions): { maxReusePages?: number } {
  return o.maxReusePages === undefined ? {} : { maxReusePages: o.maxReusePages };
}

function context(o: PartitionContextOptions, meta: PartitionMetaPage, freeList: BucketedFreeList, indexMeta: IndexMetaTree): PartitionContext {
  const partition = new Partition(o.tableId, o.partitionId, o.log);
  // A logged engine: the meta page names the last batch whose changes are on the pages (what a checkpoint covers).
  if (o.log.wantsRecords) partition.onAppended = (position) => meta.setCheckpointPosition(position);
  return {
    tableId: o.tableId,
    partitionId: o.partitionId,
    groupId: o.groupId,
    pageMemory: o.pageMemory,
    meta,
    freeList,
    rowStore: new RowStore(o.pageMemory, freeList),
    indexMeta,
    lifecycle: new StorageLifecycle(`MV partition ${o.partitionId} of table ${o.tableId}`),
    partition,
    hints: new PartitionHints(),
  };
}
