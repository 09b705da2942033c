/**
 * A minimal, test-only StorageEngine for the page-based index storages: tables of partitions whose only MV
 * behaviour is runConsistently (the index suites need nothing else), each partition with a real PartitionContext
 * (BucketedFreeList, RowStore, StorageLifecycle, Partition) on one real VolatilePageMemory. Clear, rebalance and
 * destroy follow the protocol of partition-context.ts. The delta log records every batch (so index mutations are
 * recorded as aipersist would), and closing the engine checks that no page is left allocated or pinned.
 *
 * The lead's page-based table storage replaces this for the engines; this stays a unit-test fixture.
 */
import { InMemoryDeltaLog } from './in-memory-delta-log';
import { StorageLifecycle } from '../../src/application/engine/mv/storage-lifecycle';
import { createPartitionContext, destroyPartitionPages, type PartitionContext } from '../../src/application/engine/mv/partition-context';
import { PageHashIndexStorage } from '../../src/application/engine/mv/page-hash-index-storage';
import { PageSortedIndexStorage } from '../../src/application/engine/mv/page-sorted-index-storage';
import { RowLocker } from '../../src/application/engine/mv/row-locker';
import { VolatilePageMemory } from '../../src/domain/page-memory/volatile-page-memory';
import { slotSizeOf } from '../../src/domain/page-memory/volatile-page.layout';
import { InvalidArgumentError, StorageError, StorageRebalanceError } from '../../src/domain/shared/errors';
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../../src/domain/storage/index-descriptors';
import type {
  EngineName, HashIndexStorage, IndexStorage, Locker, MvPartitionStorage, MvTableStorage, SortedIndexStorage, StorageEngine,
} from '../../src/domain/storage/storage-engine.api';

export type HarnessIndex = PageSortedIndexStorage | PageHashIndexStorage;

/** The MV side of a harness partition: runConsistently (with the partition aggregate's end of closure) and close. */
class HarnessPartition {
  #locker: RowLocker | null = null;

  constructor(readonly ctx: PartitionContext) {}

  runConsistently<T>(closure: (locker: Locker) => T): T {
    this.ctx.lifecycle.checkWritable();
    if (this.#locker !== null) return closure(this.#locker);
    const locker = new RowLocker(this.ctx.partitionId);
    this.#locker = locker;
    this.ctx.partition.beginClosure();
    let failed = true;
    try {
      const result = closure(locker);
      failed = false;
      return result;
    } finally {
      locker.close();
      this.#locker = null;
      this.ctx.partition.endClosure(failed);
    }
  }

  close(): void {
    if (this.ctx.lifecycle.state !== 'DESTROYED') this.ctx.lifecycle.transition('CLOSED');
  }
}

/** Only what the index suites call; every other MvPartitionStorage method is absent. */
function asMvPartition(p: HarnessPartition): MvPartitionStorage {
  return p as unknown as MvPartitionStorage;
}

export class HarnessSlot {
  readonly mv: HarnessPartition;
  readonly indexes = new Map<number, HarnessIndex>();

  constructor(readonly ctx: PartitionContext) {
    this.mv = new HarnessPartition(ctx);
  }

  /** Every owner's trees, then every page of the partition (partition-context.ts), the free list's own included. */
  destroyPages(): void {
    for (const index of this.indexes.values()) index.destroyData();
    destroyPartitionPages(this.ctx);
  }

  wipe(): void {
    for (const index of this.indexes.values()) index.destroyData();
    this.ctx.freeList.freeAllPages();
    for (const index of this.indexes.values()) index.resetData();
  }
}

export class HarnessTable implements MvTableStorage {
  readonly slots: Array<HarnessSlot | undefined>;
  readonly #lifecycle: StorageLifecycle;

  constructor(readonly tableId: number, readonly partitions: number, private readonly engine: PageIndexHarnessEngine) {
    this.slots = new Array<HarnessSlot | undefined>(partitions).fill(undefined);
    this.#lifecycle = new StorageLifecycle(`Table ${tableId}`);
  }

  async createMvPartition(partitionId: number): Promise<MvPartitionStorage> {
    this.#check(partitionId);
    if (this.slots[partitionId] !== undefined) throw new StorageError(`Partition ${partitionId} exists`, 'PARTITION_EXISTS');
    const ctx = createPartitionContext({
      tableId: this.tableId, groupId: this.tableId, partitionId, pageMemory: this.engine.memory, log: this.engine.log, maxReusePages: 8,
    });
    const slot = new HarnessSlot(ctx);
    this.slots[partitionId] = slot;
    return asMvPartition(slot.mv);
  }

  getMvPartition(partitionId: number): MvPartitionStorage | null {
    this.#check(partitionId);
    const slot = this.slots[partitionId];
    return slot === undefined ? null : asMvPartition(slot.mv);
  }

  async destroyPartition(partitionId: number): Promise<void> {
    const slot = this.#slot(partitionId);
    this.slots[partitionId] = undefined;
    slot.ctx.lifecycle.transition('DESTROYED');
    slot.destroyPages();
  }

  async clearPartition(partitionId: number): Promise<void> {
    const slot = this.#slot(partitionId);
    slot.ctx.lifecycle.checkRunnable();
    slot.ctx.lifecycle.transition('CLEANUP');
    slot.wipe();
    slot.ctx.lifecycle.transition('RUNNABLE');
  }

  createSortedIndex(partitionId: number, desc: SortedIndexDescriptor): SortedIndexStorage {
    const slot = this.#slot(partitionId);
    const existing = slot.indexes.get(desc.id);
    if (existing instanceof PageSortedIndexStorage) return existing;
    if (existing !== undefined) throw new InvalidArgumentError(`Index ${desc.id} is a hash index`);
    const index = new PageSortedIndexStorage(slot.ctx, desc);
    slot.indexes.set(desc.id, index);
    return index;
  }

  createHashIndex(partitionId: number, desc: HashIndexDescriptor): HashIndexStorage {
    const slot = this.#slot(partitionId);
    const existing = slot.indexes.get(desc.id);
    if (existing instanceof PageHashIndexStorage) return existing;
    if (existing !== undefined) throw new InvalidArgumentError(`Index ${desc.id} is a sorted index`);
    const index = new PageHashIndexStorage(slot.ctx, desc);
    slot.indexes.set(desc.id, index);
    return index;
  }

  getIndex(partitionId: number, indexId: number): IndexStorage | null {
    this.#check(partitionId);
    return this.slots[partitionId]?.indexes.get(indexId) ?? null;
  }

  async destroyIndex(indexId: number): Promise<void> {
    this.#lifecycle.checkRunnable();
    for (const slot of this.slots) {
      const index = slot?.indexes.get(indexId);
      if (index === undefined) continue;
      slot!.indexes.delete(indexId);
      index.destroyIndex();
    }
  }

  async startRebalancePartition(partitionId: number): Promise<void> {
    const slot = this.#slot(partitionId);
    if (slot.ctx.lifecycle.state !== 'RUNNABLE') throw new StorageRebalanceError(`partition ${partitionId} is ${slot.ctx.lifecycle.state}`);
    slot.ctx.lifecycle.transition('REBALANCE');
    slot.wipe();
  }

  async abortRebalancePartition(partitionId: number): Promise<void> {
    const slot = this.#slot(partitionId);
    if (slot.ctx.lifecycle.state !== 'REBALANCE') return;
    slot.wipe();
    slot.ctx.lifecycle.transition('RUNNABLE');
  }

  async finishRebalancePartition(partitionId: number): Promise<void> {
    const slot = this.#slot(partitionId);
    if (slot.ctx.lifecycle.state !== 'REBALANCE') throw new StorageRebalanceError(`partition ${partitionId} is not rebalancing`);
    for (const index of slot.indexes.values()) index.finishRebalance();
    slot.ctx.lifecycle.transition('RUNNABLE');
  }

  /** Volatile: closing frees every page of the table. */
  async close(): Promise<void> {
    if (this.#lifecycle.state !== 'RUNNABLE') return;
    this.#lifecycle.transition('CLOSED');
    for (const slot of this.slots) {
      if (slot === undefined || slot.ctx.lifecycle.state === 'DESTROYED') continue;
      slot.ctx.lifecycle.transition('CLOSED');
      slot.destroyPages();
    }
  }

  async destroy(): Promise<void> {
    if (this.#lifecycle.state === 'DESTROYED') return;
    const wasOpen = this.#lifecycle.state === 'RUNNABLE';
    this.#lifecycle.transition('DESTROYED');
    this.slots.forEach((slot, i) => {
      if (slot !== undefined && wasOpen) {
        slot.ctx.lifecycle.transition('DESTROYED');
        slot.destroyPages();
      }
      this.slots[i] = undefined;
    });
  }

  #check(partitionId: number): void {
    this.#lifecycle.checkRunnable();
    if (!Number.isInteger(partitionId) || partitionId < 0 || partitionId >= this.partitions) {
      throw new InvalidArgumentError(`Partition id ${partitionId} is outside 0..${this.partitions - 1}`);
    }
  }

  #slot(partitionId: number): HarnessSlot {
    this.#check(partitionId);
    const slot = this.slots[partitionId];
    if (slot === undefined) throw new StorageError(`Partition ${partitionId} does not exist`, 'PARTITION_NOT_FOUND');
    return slot;
  }
}

const MiB = 1024 * 1024;

export class PageIndexHarnessEngine implements StorageEngine {
  readonly name: EngineName = 'aimem';
  readonly isVolatile = true;
  readonly memory: VolatilePageMemory;
  readonly log = new InMemoryDeltaLog();
  readonly tables = new Map<number, HarnessTable>();

  constructor(readonly pageSize: number) {
    const slots = Math.ceil((4 * MiB) / slotSizeOf(pageSize));
    this.memory = new VolatilePageMemory({
      name: 'index-harness', pageSize, initSizeBytes: slots * slotSizeOf(pageSize), maxSizeBytes: 512 * MiB,
      memory: { allocate: (bytes) => new ArrayBuffer(bytes), release: () => undefined },
    });
  }

  createMvTable(desc: { tableId: number; partitions: number; storageProfile: string }): MvTableStorage {
    void this.tables.get(desc.tableId)?.close();
    const table = new HarnessTable(desc.tableId, desc.partitions, this);
    this.tables.set(desc.tableId, table);
    return table;
  }

  async destroyMvTable(tableId: number): Promise<void> {
    await this.tables.get(tableId)?.destroy();
    this.tables.delete(tableId);
  }

  /** Closes every table, then checks that every page went back and none is pinned, and closes the memory. */
  async close(): Promise<void> {
    for (const table of this.tables.values()) await table.close();
    this.tables.clear();
    const stats = this.memory.stats();
    this.memory.checkInvariants();
    this.memory.close();
    if (stats.allocatedPages !== 0 || stats.pinnedPages !== 0) {
      throw new Error(`index harness: ${stats.allocatedPages} page(s) still allocated, ${stats.pinnedPages} pinned after close`);
    }
  }
}
