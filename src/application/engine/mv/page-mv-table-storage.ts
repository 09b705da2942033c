/**
 * MvTableStorage on page memory (aimem now, aipersist's page cache later): partitions in slots, each with its own
 * free list and trees in the table's page group.
 *
 * Checks, in this order: the table's state (closed → StorageClosedError, destroyed → StorageDestroyedError), the
 * partition id (outside 0..partitions-1 → InvalidArgumentError), the partition's existence (absent → StorageError
 * PARTITION_NOT_FOUND, or StorageRebalanceError for the rebalance calls). Promise-returning methods report every
 * failure as a rejection.
 */
import type { PageMemory } from '../../../domain/page-memory/page-memory.port';
import type { DeltaLog } from '../../../domain/ports/delta-log.port';
import { InvalidArgumentError, StorageError, StorageRebalanceError } from '../../../domain/shared/errors';
import { describeValue } from '../../../domain/shared/describe-value';
import { checkHashIndexDescriptor, checkSortedIndexDescriptor } from '../../../domain/storage/index-descriptor-checks';
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../../../domain/storage/index-descriptors';
import type {
  HashIndexStorage, IndexStorage, MvPartitionStorage, MvTableStorage, SortedIndexStorage,
} from '../../../domain/storage/storage-engine.api';
import { checkIndexId, checkRebalanceMeta } from './mv-arguments';
import { PagePartitionSlot } from './page-partition-slot';
import type { WriteCounter, WriteGate } from '../../../domain/throttling/write-gate';
import { StorageLifecycle } from './storage-lifecycle';

export interface PageTableOptions {
  readonly tableId: number;
  readonly partitions: number;
  /** Page group of this table instance in `pageMemory` (unique per created table, so stale page ids never match). */
  readonly groupId: number;
  readonly pageMemory: PageMemory;
  readonly deltaLog: DeltaLog;
  /** Volatile engines free a table's pages when it closes. */
  readonly volatile: boolean;
  /** Called once when the table is destroyed (the engine forgets it). */
  readonly onDestroyed: (table: PageMvTableStorage) => void | Promise<void>;
  /** A durable engine: the meta page of a partition that exists on its pages (createMvPartition opens it), else null. */
  readonly storedMetaPage?: (partitionId: number) => number | null;
  /** A durable engine: resolves after a checkpoint covering every change made before the call. */
  readonly flush?: (trigger: boolean) => Promise<void>;
  /** A durable engine: an index was created or opened on a partition (the engine keeps its descriptor for recovery). */
  readonly onIndex?: (entry: { sorted: SortedIndexDescriptor | null; hash: HashIndexDescriptor | null }) => void;
  /** A durable engine: recovery of a partition just created or opened (the log's batches after its checkpoint). */
  readonly recover?: (partitionId: number, slot: PagePartitionSlot) => void;
  /** The region's write gate (aipersist: its write throttle; default: never delays) and its write-closure counter. */
  readonly gate?: WriteGate;
  readonly writes?: WriteCounter;
  /** A durable engine: called after a partition was destroyed (its files go). */
  readonly onPartitionDestroyed?: (partitionId: number) => void | Promise<void>;
}

export class PageMvTableStorage implements MvTableStorage {
  readonly tableId: number;
  readonly partitions: number;
  readonly #lifecycle: StorageLifecycle;
  readonly #slots: Array<PagePartitionSlot | undefined>;

  constructor(private readonly opts: PageTableOptions) {
    this.tableId = opts.tableId;
    this.partitions = opts.partitions;
    this.#lifecycle = new StorageLifecycle(`Table ${opts.tableId}`);
    this.#slots = new Array<PagePartitionSlot | undefined>(opts.partitions).fill(undefined);
  }

  get isOpen(): boolean {
    return this.#lifecycle.state === 'RUNNABLE';
  }

  /** Slots of existing partitions (for the engine's stats and tests). */
  existingSlots(): PagePartitionSlot[] {
    return this.#slots.filter((s): s is PagePartitionSlot => s !== undefined);
  }

  async createMvPartition(partitionId: number): Promise<MvPartitionStorage> {
    this.#check(partitionId);
    if (this.#slots[partitionId] !== undefined) {
      throw new StorageError(`Partition ${partitionId} of table ${this.tableId} already exists; use getMvPartition`, 'PARTITION_EXISTS');
    }
    const { tableId, opts } = this;
    const stored = opts.storedMetaPage?.(partitionId) ?? null;
    const slot = stored === null
      ? new PagePartitionSlot(tableId, opts.groupId, partitionId, opts.pageMemory, opts.deltaLog)
      : PagePartitionSlot.open(tableId, opts.groupId, partitionId, opts.pageMemory, opts.deltaLog, stored);
    if (opts.flush !== undefined) slot.mv.durableFlush = opts.flush;
    if (opts.gate !== undefined) slot.mv.gate = opts.gate;
    if (opts.writes !== undefined) slot.mv.writes = opts.writes;
    try {
      opts.recover?.(partitionId, slot);
    } catch (e) {
      slot.close(false);
      throw e;
    }
    this.#slots[partitionId] = slot;
    return slot.mv;
  }

  /**
   * Drops the partition's objects (it reads as closed to whoever held them) and opens it again from its meta page on
   * the same pages — what a durable engine does on restart; its indexes come back as they are created again with
   * their ids. Not part of the SPI: tests use it to prove that a partition keeps no state outside its pages.
   */
  async reopenPartition(partitionId: number): Promise<MvPartitionStorage> {
    const slot = this.#existing(partitionId);
    slot.close(false);
    const { tableId, opts } = this;
    const reopened = PagePartitionSlot.open(tableId, opts.groupId, partitionId, opts.pageMemory, opts.deltaLog, slot.metaPageId);
    if (opts.flush !== undefined) reopened.mv.durableFlush = opts.flush;
    this.#slots[partitionId] = reopened;
    return reopened.mv;
  }

  getMvPartition(partitionId: number): MvPartitionStorage | null {
    this.#check(partitionId);
    return this.#slots[partitionId]?.mv ?? null;
  }

  async destroyPartition(partitionId: number): Promise<void> {
    const slot = this.#existing(partitionId);
    this.#slots[partitionId] = undefined;
    slot.destroy();
    await this.opts.onPartitionDestroyed?.(partitionId);
  }

  async clearPartition(partitionId: number): Promise<void> {
    this.#existing(partitionId).clear();
  }

  createSortedIndex(partitionId: number, desc: SortedIndexDescriptor): SortedIndexStorage {
    const slot = this.#existing(partitionId);
    const checked = checkSortedIndexDescriptor(desc);
    this.opts.onIndex?.({ sorted: checked, hash: null });
    return slot.createSortedIndex(checked);
  }

  createHashIndex(partitionId: number, desc: HashIndexDescriptor): HashIndexStorage {
    const slot = this.#existing(partitionId);
    const checked = checkHashIndexDescriptor(desc);
    this.opts.onIndex?.({ sorted: null, hash: checked });
    return slot.createHashIndex(checked);
  }

  getIndex(partitionId: number, indexId: number): IndexStorage | null {
    this.#check(partitionId);
    checkIndexId(indexId);
    return this.#slots[partitionId]?.indexes.get(indexId) ?? null;
  }

  /** Destroys the index in every partition; unknown ids, and a destroyed table, are fine. */
  async destroyIndex(indexId: number): Promise<void> {
    checkIndexId(indexId);
    if (this.#lifecycle.state === 'DESTROYED') return;
    this.#lifecycle.checkRunnable();
    for (const slot of this.#slots) slot?.destroyIndex(indexId);
  }

  async startRebalancePartition(partitionId: number): Promise<void> {
    this.#forRebalance(partitionId).startRebalance();
  }

  async abortRebalancePartition(partitionId: number): Promise<void> {
    this.#forRebalance(partitionId).abortRebalance();
  }

  async finishRebalancePartition(
    partitionId: number,
    meta: { lastAppliedIndex: number; lastAppliedTerm: number; groupConfig: Uint8Array },
  ): Promise<void> {
    const slot = this.#forRebalance(partitionId);
    checkRebalanceMeta(meta);
    slot.finishRebalance(meta);
  }

  async close(): Promise<void> {
    const s = this.#lifecycle.state;
    if (s === 'CLOSED' || s === 'DESTROYED') return;
    this.#lifecycle.transition('CLOSED');
    for (const slot of this.#slots) slot?.close(this.opts.volatile);
  }

  /** Frees every page of every partition and index; idempotent. */
  async destroy(): Promise<void> {
    if (this.#lifecycle.state === 'DESTROYED') return;
    this.#lifecycle.transition('DESTROYED');
    this.#slots.forEach((slot, i) => {
      slot?.destroy();
      this.#slots[i] = undefined;
    });
    await this.opts.onDestroyed(this);
  }

  #check(partitionId: number): void {
    this.#lifecycle.checkRunnable();
    if (!Number.isInteger(partitionId) || partitionId < 0 || partitionId >= this.partitions) {
      throw new InvalidArgumentError(
        `Partition id ${describeValue(partitionId)} is outside table ${this.tableId}'s range 0..${this.partitions - 1}`);
    }
  }

  #existing(partitionId: number): PagePartitionSlot {
    this.#check(partitionId);
    const slot = this.#slots[partitionId];
    if (slot === undefined) {
      throw new StorageError(`Partition ${partitionId} of table ${this.tableId} does not exist; create it first`, 'PARTITION_NOT_FOUND');
    }
    return slot;
  }

  #forRebalance(partitionId: number): PagePartitionSlot {
    this.#check(partitionId);
    const slot = this.#slots[partitionId];
    if (slot === undefined) {
      throw new StorageRebalanceError(`Partition ${partitionId} of table ${this.tableId} does not exist; nothing to rebalance`);
    }
    return slot;
  }
}
