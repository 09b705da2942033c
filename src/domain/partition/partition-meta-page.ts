/**
 * The partition meta page (partition-meta.layout.ts) with its fields cached: getters read the cache, setters write
 * through to the page (one write access each), so the page is the truth at every point between calls and `open`
 * rebuilds the cache from it alone. Synchronous, not reentrant; one instance per open partition.
 */
import { PageView, type PageMemory } from '../page-memory/page-memory.port';
import { PAGE_TYPE_OFFSET, PAGE_VERSION_OFFSET } from '../page/page-header.layout';
import { FLAG_AUX, pageIdToString, readItemId, readPageId, writePageId } from '../page/page-id';
import { PAGE_TYPE_PARTITION_META } from '../page/page-types';
import { DataCorruptionError } from '../shared/errors';
import {
  PARTITION_FLAG_REBALANCING, PARTITION_META_MAGIC, PARTITION_META_VERSION, PM_APPLIED_INDEX_OFFSET,
  PM_APPLIED_TERM_OFFSET, PM_CHAIN_TREE_OFFSET, PM_CHECKPOINT_POSITION_OFFSET, PM_ESTIMATED_SIZE_OFFSET, PM_FLAGS_OFFSET,
  PM_FORMAT_OFFSET, PM_FREE_LIST_OFFSET, PM_GC_QUEUE_OFFSET, PM_GENERATION_OFFSET, PM_GROUP_CONFIG_OFFSET,
  PM_INDEX_META_OFFSET, PM_LEASE_NODE_ID_OFFSET, PM_LEASE_NODE_NAME_OFFSET, PM_LEASE_START_OFFSET, PM_MAGIC_OFFSET,
  PM_PAGE_COUNT_OFFSET,
} from './partition-meta.layout';

/** The page ids of a partition's structures. */
export interface PartitionRoots {
  readonly freeList: number;
  readonly chainTree: number;
  readonly gcQueue: number;
  readonly indexMeta: number;
}

/** A stored lease: start time as hybrid halves (both 0: none), node id bytes, node name row link. */
export interface StoredLease {
  readonly startHi: number;
  readonly startLo: number;
  readonly nodeId: Uint8Array;
  readonly namePage: number;
  readonly nameItem: number;
}

const NO_LEASE: StoredLease = Object.freeze({ startHi: 0, startLo: 0, nodeId: new Uint8Array(16), namePage: 0, nameItem: 0 });

export class PartitionMetaPage {
  readonly #pm: PageMemory;
  readonly #groupId: number;
  readonly #view = new PageView();
  flags = 0;
  generation = 0;
  /** Pages of the partition file (format field; aipersist keeps the count in its delta file headers instead). */
  pageCount = 0;
  roots: PartitionRoots = { freeList: 0, chainTree: 0, gcQueue: 0, indexMeta: 0 };
  lastAppliedIndex = 0;
  lastAppliedTerm = 0;
  estimatedSize = 0;
  lease: StoredLease = NO_LEASE;
  groupConfigPage = 0;
  groupConfigItem = 0;
  /**
   * Position of the last delta-log batch whose changes are on these pages (aipersist): a checkpoint writes this page
   * with the rest, so it names what the checkpoint covers; recovery replays the batches after it.
   */
  checkpointPosition = 0;

  private constructor(pm: PageMemory, groupId: number, readonly pageId: number) {
    this.#pm = pm;
    this.#groupId = groupId;
  }

  /**
   * A fresh meta page (all values initial, no roots yet) straight from page memory. It is the partition's only
   * FLAG_AUX page: dropping the partition's FLAG_DATA pages (a clear) leaves it in place.
   */
  static create(pm: PageMemory, groupId: number, partitionId: number): PartitionMetaPage {
    const meta = new PartitionMetaPage(pm, groupId, pm.allocatePage(groupId, partitionId, FLAG_AUX));
    const v = meta.#view;
    pm.acquireWrite(groupId, meta.pageId, v);
    v.dv.setUint16(v.off + PAGE_TYPE_OFFSET, PAGE_TYPE_PARTITION_META, true);
    v.dv.setUint16(v.off + PAGE_VERSION_OFFSET, PARTITION_META_VERSION, true);
    v.dv.setUint32(v.off + PM_MAGIC_OFFSET, PARTITION_META_MAGIC, true);
    v.dv.setUint16(v.off + PM_FORMAT_OFFSET, PARTITION_META_VERSION, true);
    pm.release(v);
    return meta;
  }

  /** The meta page at `pageId` (DataCorruptionError when it is not one this build reads). */
  static open(pm: PageMemory, groupId: number, pageId: number): PartitionMetaPage {
    const meta = new PartitionMetaPage(pm, groupId, pageId);
    meta.#load();
    return meta;
  }

  get rebalancing(): boolean {
    return (this.flags & PARTITION_FLAG_REBALANCING) !== 0;
  }

  setRoots(roots: PartitionRoots): void {
    this.roots = { ...roots };
    const v = this.#write();
    writePageId(v.dv, v.off + PM_FREE_LIST_OFFSET, roots.freeList);
    writePageId(v.dv, v.off + PM_CHAIN_TREE_OFFSET, roots.chainTree);
    writePageId(v.dv, v.off + PM_GC_QUEUE_OFFSET, roots.gcQueue);
    writePageId(v.dv, v.off + PM_INDEX_META_OFFSET, roots.indexMeta);
    this.#pm.release(v);
  }

  setRebalancing(on: boolean): void {
    this.flags = on ? this.flags | PARTITION_FLAG_REBALANCING : this.flags & ~PARTITION_FLAG_REBALANCING;
    const v = this.#write();
    v.dv.setUint16(v.off + PM_FLAGS_OFFSET, this.flags, true);
    this.#pm.release(v);
  }

  /** A new data generation (clear, rebalance start). */
  nextGeneration(): void {
    this.generation = (this.generation + 1) >>> 0;
    const v = this.#write();
    v.dv.setUint32(v.off + PM_GENERATION_OFFSET, this.generation, true);
    this.#pm.release(v);
  }

  setLastApplied(index: number, term: number): void {
    this.lastAppliedIndex = index;
    this.lastAppliedTerm = term;
    const v = this.#write();
    v.dv.setFloat64(v.off + PM_APPLIED_INDEX_OFFSET, index, true);
    v.dv.setFloat64(v.off + PM_APPLIED_TERM_OFFSET, term, true);
    this.#pm.release(v);
  }

  setEstimatedSize(size: number): void {
    this.estimatedSize = size;
    const v = this.#write();
    v.dv.setFloat64(v.off + PM_ESTIMATED_SIZE_OFFSET, size, true);
    this.#pm.release(v);
  }

  setLease(lease: StoredLease): void {
    this.lease = { ...lease, nodeId: lease.nodeId.slice() };
    const v = this.#write();
    v.dv.setUint32(v.off + PM_LEASE_START_OFFSET, lease.startHi);
    v.dv.setUint32(v.off + PM_LEASE_START_OFFSET + 4, lease.startLo);
    v.buf.set(lease.nodeId.subarray(0, 16), v.off + PM_LEASE_NODE_ID_OFFSET);
    writePageId(v.dv, v.off + PM_LEASE_NODE_NAME_OFFSET, lease.namePage, lease.nameItem);
    this.#pm.release(v);
  }

  setGroupConfig(page: number, item: number): void {
    this.groupConfigPage = page;
    this.groupConfigItem = item;
    const v = this.#write();
    writePageId(v.dv, v.off + PM_GROUP_CONFIG_OFFSET, page, item);
    this.#pm.release(v);
  }

  setCheckpointPosition(position: number): void {
    this.checkpointPosition = position;
    const v = this.#write();
    v.dv.setFloat64(v.off + PM_CHECKPOINT_POSITION_OFFSET, position, true);
    this.#pm.release(v);
  }

  /** Gives the page back to page memory (the partition is destroyed). */
  free(): void {
    this.#pm.freePage(this.#groupId, this.pageId);
  }

  #write(): PageView {
    this.#pm.acquireWrite(this.#groupId, this.pageId, this.#view);
    return this.#view;
  }

  #load(): void {
    const v = this.#view;
    this.#pm.acquireRead(this.#groupId, this.pageId, v);
    try {
      const dv = v.dv;
      const o = v.off;
      const type = dv.getUint16(o + PAGE_TYPE_OFFSET, true);
      const version = dv.getUint16(o + PM_FORMAT_OFFSET, true);
      if (type !== PAGE_TYPE_PARTITION_META || dv.getUint32(o + PM_MAGIC_OFFSET, true) !== PARTITION_META_MAGIC) {
        throw new DataCorruptionError(`${pageIdToString(this.pageId)} is not a partition meta page (type ${type})`);
      }
      if (version < 1 || version > PARTITION_META_VERSION) {
        throw new DataCorruptionError(`partition meta page ${pageIdToString(this.pageId)} has format version ${version}; this build reads 1..${PARTITION_META_VERSION}`);
      }
      this.flags = dv.getUint16(o + PM_FLAGS_OFFSET, true);
      this.generation = dv.getUint32(o + PM_GENERATION_OFFSET, true);
      this.pageCount = dv.getUint32(o + PM_PAGE_COUNT_OFFSET, true);
      this.roots = {
        freeList: readPageId(dv, o + PM_FREE_LIST_OFFSET),
        chainTree: readPageId(dv, o + PM_CHAIN_TREE_OFFSET),
        gcQueue: readPageId(dv, o + PM_GC_QUEUE_OFFSET),
        indexMeta: readPageId(dv, o + PM_INDEX_META_OFFSET),
      };
      this.lastAppliedIndex = dv.getFloat64(o + PM_APPLIED_INDEX_OFFSET, true);
      this.lastAppliedTerm = dv.getFloat64(o + PM_APPLIED_TERM_OFFSET, true);
      this.estimatedSize = dv.getFloat64(o + PM_ESTIMATED_SIZE_OFFSET, true);
      this.lease = {
        startHi: dv.getUint32(o + PM_LEASE_START_OFFSET),
        startLo: dv.getUint32(o + PM_LEASE_START_OFFSET + 4),
        nodeId: v.buf.slice(o + PM_LEASE_NODE_ID_OFFSET, o + PM_LEASE_NODE_ID_OFFSET + 16),
        namePage: readPageId(dv, o + PM_LEASE_NODE_NAME_OFFSET),
        nameItem: readItemId(dv, o + PM_LEASE_NODE_NAME_OFFSET),
      };
      this.groupConfigPage = readPageId(dv, o + PM_GROUP_CONFIG_OFFSET);
      this.groupConfigItem = readItemId(dv, o + PM_GROUP_CONFIG_OFFSET);
      this.checkpointPosition = dv.getFloat64(o + PM_CHECKPOINT_POSITION_OFFSET, true);
    } finally {
      this.#pm.release(v);
    }
  }
}
