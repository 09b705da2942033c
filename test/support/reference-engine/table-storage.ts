/**
 * Reference MV table storage: an array of partitions (each owning its indexes) and the table lifecycle.
 *
 * Checks, in this order: the table's state (closed → StorageClosedError, destroyed → StorageDestroyedError), then
 * the partition id (outside 0..partitions-1 → InvalidArgumentError), then the partition's existence (absent →
 * StorageError 'PARTITION_NOT_FOUND', or StorageRebalanceError for the rebalance calls). Promise-returning
 * methods report every failure as a rejection, never by throwing synchronously.
 */
import {
  InvalidArgumentError, StorageError, StorageRebalanceError,
} from '../../../src/domain/shared/errors';
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../../../src/domain/storage/index-descriptors';
import type {
  HashIndexStorage, IndexStorage, MvPartitionStorage, MvTableStorage, SortedIndexStorage,
} from '../../../src/domain/storage/storage-engine.api';
import { checkIndexId, checkRebalanceMeta } from '../../../src/application/engine/mv/mv-arguments';
import { checkHashIndexDescriptor, checkSortedIndexDescriptor } from '../../../src/domain/storage/index-descriptor-checks';
import { describeValue } from '../../../src/domain/shared/describe-value';
import { Lifecycle } from './lifecycle';
import { type RebalanceMeta, ReferencePartitionStorage } from './partition-storage';

export class ReferenceTableStorage implements MvTableStorage {
  readonly #lifecycle: Lifecycle;
  readonly #partitions: Array<ReferencePartitionStorage | undefined>;

  constructor(
    readonly tableId: number,
    readonly partitions: number,
    private readonly onDestroyed: (table: ReferenceTableStorage) => void,
  ) {
    this.#lifecycle = new Lifecycle(`Table ${tableId}`);
    this.#partitions = new Array<ReferencePartitionStorage | undefined>(partitions).fill(undefined);
  }

  /** False once closed or destroyed (the engine may then create the id again). */
  get isOpen(): boolean {
    return !this.#lifecycle.isEnded;
  }

  async createMvPartition(partitionId: number): Promise<MvPartitionStorage> {
    this.#check(partitionId);
    if (this.#partitions[partitionId] !== undefined) {
      throw new StorageError(`Partition ${partitionId} of table ${this.tableId} already exists`, 'PARTITION_EXISTS');
    }
    const partition = new ReferencePartitionStorage(partitionId);
    this.#partitions[partitionId] = partition;
    return partition;
  }

  getMvPartition(partitionId: number): MvPartitionStorage | null {
    this.#check(partitionId);
    return this.#partitions[partitionId] ?? null;
  }

  async destroyPartition(partitionId: number): Promise<void> {
    const partition = this.#existing(partitionId);
    this.#partitions[partitionId] = undefined;
    partition.destroy();
  }

  async clearPartition(partitionId: number): Promise<void> {
    this.#existing(partitionId).clear();
  }

  createSortedIndex(partitionId: number, desc: SortedIndexDescriptor): SortedIndexStorage {
    const partition = this.#existing(partitionId);
    return partition.createSortedIndex(checkSortedIndexDescriptor(desc));
  }

  createHashIndex(partitionId: number, desc: HashIndexDescriptor): HashIndexStorage {
    const partition = this.#existing(partitionId);
    return partition.createHashIndex(checkHashIndexDescriptor(desc));
  }

  getIndex(partitionId: number, indexId: number): IndexStorage | null {
    this.#check(partitionId);
    checkIndexId(indexId);
    return (this.#partitions[partitionId]?.indexes.get(indexId) as IndexStorage | undefined) ?? null;
  }

  /** Destroys the index in every partition; unknown ids, and a destroyed table, are fine. */
  async destroyIndex(indexId: number): Promise<void> {
    checkIndexId(indexId);
    if (this.#lifecycle.state === 'DESTROYED') return;
    this.#lifecycle.requireRunnable();
    for (const partition of this.#partitions) partition?.destroyIndex(indexId);
  }

  async startRebalancePartition(partitionId: number): Promise<void> {
    this.#forRebalance(partitionId).startRebalance();
  }

  /** Aborting a partition that is not being rebalanced does nothing. */
  async abortRebalancePartition(partitionId: number): Promise<void> {
    this.#forRebalance(partitionId).abortRebalance();
  }

  async finishRebalancePartition(partitionId: number, meta: RebalanceMeta): Promise<void> {
    const partition = this.#forRebalance(partitionId);
    checkRebalanceMeta(meta);
    partition.finishRebalance(meta);
  }

  async close(): Promise<void> {
    if (this.#lifecycle.isEnded) return;
    this.#lifecycle.state = 'CLOSED';
    for (const partition of this.#partitions) partition?.closeForTable();
  }

  async destroy(): Promise<void> {
    if (this.#lifecycle.state === 'DESTROYED') return;
    this.#lifecycle.state = 'DESTROYED';
    this.#partitions.forEach((partition, i) => {
      partition?.destroy();
      this.#partitions[i] = undefined;
    });
    this.onDestroyed(this);
  }

  #check(partitionId: number): void {
    this.#lifecycle.requireRunnable();
    if (!Number.isInteger(partitionId) || partitionId < 0 || partitionId >= this.partitions) {
      throw new InvalidArgumentError(
        `Partition id ${describeValue(partitionId)} is outside table ${this.tableId}'s range 0..${this.partitions - 1}`);
    }
  }

  #existing(partitionId: number): ReferencePartitionStorage {
    this.#check(partitionId);
    const partition = this.#partitions[partitionId];
    if (partition === undefined) {
      throw new StorageError(`Partition ${partitionId} of table ${this.tableId} does not exist; create it first`, 'PARTITION_NOT_FOUND');
    }
    return partition;
  }

  #forRebalance(partitionId: number): ReferencePartitionStorage {
    this.#check(partitionId);
    const partition = this.#partitions[partitionId];
    if (partition === undefined) {
      throw new StorageRebalanceError(`Partition ${partitionId} of table ${this.tableId} does not exist; nothing to rebalance`);
    }
    return partition;
  }
}
