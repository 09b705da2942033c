/**
 * One MV partition of a page-based table: its PartitionContext (meta page, free list, row store, index meta,
 * lifecycle, aggregate), its MV storage and its indexes, and the lifecycle transitions the table drives (DESIGN
 * §6.1). Data wipes follow the protocol of partition-context.ts: destroy every owner's trees, free every page of the
 * partition, start again. A slot is created on fresh pages or opened on existing ones from its meta page (`open`):
 * then the indexes come back as they are created again with their ids (createSortedIndex / createHashIndex).
 */
import type { PageMemory } from '../../../domain/page-memory/page-memory.port';
import type { DeltaLog } from '../../../domain/ports/delta-log.port';
import { InvalidArgumentError, StorageRebalanceError } from '../../../domain/shared/errors';
import { destroyStoredIndexTree } from './page-index-base';
import { FLAG_DATA } from '../../../domain/page/page-id';
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../../../domain/storage/index-descriptors';
import { createPartitionContext, dropPartitionData, openPartitionContext, type PartitionContext, type PartitionContextOptions } from './partition-context';
import { PageHashIndexStorage } from './page-hash-index-storage';
import { PageMvPartitionStorage } from './page-mv-partition-storage';
import { PageSortedIndexStorage } from './page-sorted-index-storage';
import type { StorageLifecycle } from './storage-lifecycle';

export type PageIndexStorage = PageSortedIndexStorage | PageHashIndexStorage;

export class PagePartitionSlot {
  readonly ctx: PartitionContext;
  readonly mv: PageMvPartitionStorage;
  readonly indexes = new Map<number, PageIndexStorage>();
  /** True once the pages were freed on a volatile close. */
  #released = false;

  /** A new partition on fresh pages. */
  constructor(tableId: number, groupId: number, partitionId: number, pageMemory: PageMemory, log: DeltaLog);
  /** The partition whose meta page is `metaPageId`, on existing pages (see `open`). */
  constructor(tableId: number, groupId: number, partitionId: number, pageMemory: PageMemory, log: DeltaLog, metaPageId: number);
  constructor(tableId: number, groupId: number, partitionId: number, pageMemory: PageMemory, log: DeltaLog, metaPageId?: number) {
    const options: PartitionContextOptions = { tableId, groupId, partitionId, pageMemory, log };
    this.ctx = metaPageId === undefined ? createPartitionContext(options) : openPartitionContext(options, metaPageId);
    this.mv = new PageMvPartitionStorage(this.ctx, metaPageId !== undefined);
    this.ctx.partition.emit('partition.created');
  }

  /** Opens the partition whose meta page is `metaPageId` (a reopen: DataCorruptionError when it is not one). */
  static open(tableId: number, groupId: number, partitionId: number, pageMemory: PageMemory, log: DeltaLog, metaPageId: number): PagePartitionSlot {
    return new PagePartitionSlot(tableId, groupId, partitionId, pageMemory, log, metaPageId);
  }

  /** The partition meta page: where a reopen starts. */
  get metaPageId(): number {
    return this.ctx.meta.pageId;
  }

  get lifecycle(): StorageLifecycle {
    return this.ctx.lifecycle;
  }

  createSortedIndex(desc: SortedIndexDescriptor): PageSortedIndexStorage {
    this.#requireOpen();
    const existing = this.indexes.get(desc.id);
    if (existing instanceof PageSortedIndexStorage) return existing;
    if (existing !== undefined) throw new InvalidArgumentError(`Index ${desc.id} already exists as a hash index in partition ${this.ctx.partitionId}`);
    const stored = this.ctx.indexMeta.get(desc.id);
    const index = new PageSortedIndexStorage(this.ctx, desc, stored);
    this.indexes.set(desc.id, index);
    if (stored === null) this.ctx.partition.recordNow({ type: 'index.created', indexId: desc.id, sorted: copyDescriptor(desc), hash: null });
    return index;
  }

  createHashIndex(desc: HashIndexDescriptor): PageHashIndexStorage {
    this.#requireOpen();
    const existing = this.indexes.get(desc.id);
    if (existing instanceof PageHashIndexStorage) return existing;
    if (existing !== undefined) throw new InvalidArgumentError(`Index ${desc.id} already exists as a sorted index in partition ${this.ctx.partitionId}`);
    const stored = this.ctx.indexMeta.get(desc.id);
    const index = new PageHashIndexStorage(this.ctx, desc, stored);
    this.indexes.set(desc.id, index);
    if (stored === null) this.ctx.partition.recordNow({ type: 'index.created', indexId: desc.id, sorted: null, hash: copyDescriptor(desc) });
    return index;
  }

  /** Destroys the index (opened here, or only stored on the pages of a reopened partition); absent: nothing. */
  destroyIndex(indexId: number): void {
    const index = this.indexes.get(indexId);
    if (index !== undefined) {
      this.indexes.delete(indexId);
      index.destroyIndex();
    } else {
      const stored = this.ctx.indexMeta.get(indexId);
      if (stored === null) return;
      destroyStoredIndexTree(this.ctx, stored);
      this.ctx.indexMeta.remove(indexId);
    }
    this.ctx.partition.recordNow({ type: 'index.destroyed', indexId });
  }

  clear(): void {
    this.lifecycle.checkRunnable();
    this.lifecycle.transition('CLEANUP');
    this.#wipe();
    this.lifecycle.transition('RUNNABLE');
    this.ctx.partition.recordNow({ type: 'partition.cleared' });
    this.ctx.partition.emit('partition.cleared');
  }

  startRebalance(): void {
    if (this.lifecycle.state !== 'RUNNABLE') {
      // §6.1: starting a rebalance of a closed (or rebalancing) partition is a StorageRebalanceError.
      throw new StorageRebalanceError(`${this.lifecycle.what} cannot start a rebalance in state ${this.lifecycle.state}`);
    }
    this.lifecycle.transition('REBALANCE');
    this.#wipe();
    this.mv.beginRebalance();
    this.ctx.partition.recordNow({ type: 'partition.rebalanceStarted' });
    this.ctx.partition.emit('partition.rebalanceStarted');
  }

  /** Aborting a partition that is not being rebalanced does nothing. */
  abortRebalance(): void {
    this.#requireOpen();
    if (this.lifecycle.state !== 'REBALANCE') return;
    this.#wipe();
    this.lifecycle.transition('RUNNABLE');
    this.ctx.partition.recordNow({ type: 'partition.rebalanceAborted' });
    this.ctx.partition.emit('partition.rebalanceAborted');
  }

  finishRebalance(meta: { lastAppliedIndex: number; lastAppliedTerm: number; groupConfig: Uint8Array }): void {
    if (this.lifecycle.state !== 'REBALANCE') {
      throw new StorageRebalanceError(`${this.lifecycle.what} is not being rebalanced (state ${this.lifecycle.state})`);
    }
    this.mv.finishRebalance(meta.lastAppliedIndex, meta.lastAppliedTerm, meta.groupConfig);
    for (const index of this.indexes.values()) index.finishRebalance();
    this.lifecycle.transition('RUNNABLE');
    this.ctx.partition.recordNow({
      type: 'partition.rebalanceFinished', lastAppliedIndex: meta.lastAppliedIndex, lastAppliedTerm: meta.lastAppliedTerm,
      groupConfig: meta.groupConfig.slice(),
    });
    this.ctx.partition.emitRebalanceFinished(meta.lastAppliedIndex);
  }

  /**
   * Table close: the partition, its indexes and their cursors refuse further use. A volatile engine also frees
   * the partition's pages (its data cannot be opened again); a persistent one keeps them for the next open.
   */
  close(releasePages: boolean): void {
    const s = this.lifecycle.state;
    if (s === 'DESTROYED') return;
    if (s !== 'CLOSED') {
      this.lifecycle.transition('CLOSED');
      this.ctx.partition.emit('partition.closed');
      this.ctx.partition.complete();
    }
    if (releasePages && !this.#released) {
      this.#released = true;
      this.#destroyPages(true);
    }
  }

  /** Frees every page of the partition. */
  destroy(): void {
    if (this.lifecycle.state === 'DESTROYED') return;
    this.lifecycle.transition('DESTROYED');
    this.ctx.partition.onAppended = null; // its meta page goes with it
    this.ctx.partition.recordNow({ type: 'partition.destroyed' });
    if (!this.#released) this.#destroyPages(true);
    this.indexes.clear();
    this.ctx.partition.emit('partition.destroyed');
    this.ctx.partition.complete();
  }

  /**
   * Every page of the partition goes at once (PageMemory.dropPages, time independent of its size); the owners let
   * go of their trees without walking them. Indexes stored on the pages but not opened in this slot (a reopened
   * partition whose index was not created again) go with the index meta tree: a later create starts them empty, as
   * a clear leaves every index. `final` (destroy, volatile close): the meta page too; otherwise everything starts
   * over empty.
   */
  #destroyPages(final: boolean): void {
    const { ctx } = this;
    this.mv.forgetData();
    for (const index of this.indexes.values()) index.forgetData();
    if (final) {
      ctx.pageMemory.dropPages(ctx.groupId, ctx.partitionId, FLAG_DATA);
      ctx.meta.free();
      return;
    }
    dropPartitionData(ctx);
  }

  #wipe(): void {
    this.#destroyPages(false);
    this.mv.resetData();
    for (const index of this.indexes.values()) index.resetData();
  }

  #requireOpen(): void {
    const s = this.lifecycle.state;
    if (s === 'CLOSED' || s === 'DESTROYED') this.lifecycle.checkWritable();
  }
}

/** A copy of a descriptor for a record (the caller may change its own afterwards). */
function copyDescriptor<D extends SortedIndexDescriptor | HashIndexDescriptor>(desc: D): D {
  return { ...desc, columns: desc.columns.map((c) => ({ ...c })) } as D;
}
