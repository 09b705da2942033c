/**
 * The storage engine SPI (level 3): the contract a database builds on. Semantics: DESIGN.md §6 and §6.1.
 * Implemented by every engine (aimem, aipersist) and checked by one contract suite (test/contract).
 */
import type { BinaryRow } from './binary-row';
import type { Cursor, PeekCursor } from './cursor';
import type { HashIndexDescriptor, IndexRow, SortedIndexDescriptor } from './index-descriptors';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, GcEntry, ReadResult,
} from './results';
import type { RowId } from './row-id';

export type EngineName = 'aimem' | 'aipersist';

export interface StorageEngine {
  readonly name: EngineName;
  readonly isVolatile: boolean;
  createMvTable(desc: { tableId: number; partitions: number; storageProfile: string }): MvTableStorage;
  destroyMvTable(tableId: number): Promise<void>;
}

/** Row locks taken inside a runConsistently closure, held until the outermost closure ends. */
export interface Locker {
  lock(rowId: RowId): void;
  tryLock(rowId: RowId): boolean;
  isLocked(rowId: RowId): boolean;
}

export interface PartitionTimestampCursor extends Cursor<ReadResult> {
  /** Re-reads the current row as of `ts`. Throws before the first next() and after exhaustion. */
  committed(ts: bigint): BinaryRow | null;
}

export interface MvPartitionStorage {
  runConsistently<T>(closure: (locker: Locker) => T): T;
  read(rowId: RowId, ts: bigint): ReadResult;
  addWrite(rowId: RowId, row: BinaryRow | null, txId: string, commitZoneId: number, commitPartitionId: number): AddWriteResult;
  commitWrite(rowId: RowId, ts: bigint, txId: string): CommitResult;
  abortWrite(rowId: RowId, txId: string): AbortResult;
  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult;
  scan(ts: bigint): PartitionTimestampCursor;
  scanVersions(rowId: RowId): Cursor<ReadResult>;
  closestRowId(lowerInclusive: RowId): RowId | null;
  highestRowId(): RowId | null;
  estimatedSize(): number;
  peek(lowWatermark: bigint, count: number): GcEntry[];
  vacuum(entry: GcEntry): BinaryRow | null;
  lastAppliedIndex(): number;
  lastAppliedTerm(): number;
  lastApplied(index: number, term: number): void;
  committedGroupConfiguration(): Uint8Array | null;
  committedGroupConfiguration(bytes: Uint8Array): void;
  /**
   * Stores the primary replica's lease when it starts after the stored one (an older or equal start changes
   * nothing, as replication may replay it). Node id: a UUID string.
   */
  updateLease(leaseStartTime: bigint, primaryReplicaNodeId: string, primaryReplicaNodeName: string): void;
  /** Start of the stored lease (hybrid timestamp); MIN_VALUE when there is none. */
  leaseStartTime(): bigint;
  /** The stored lease's node id (lowercase UUID), or null. */
  primaryReplicaNodeId(): string | null;
  primaryReplicaNodeName(): string | null;
  flush(trigger?: boolean): Promise<void>;
  close(): void;
}

export interface IndexStorage {
  get(key: readonly unknown[]): Cursor<RowId>;
  put(row: IndexRow): void;
  remove(row: IndexRow): void;
  getNextRowIdToBuild(): RowId | null;
  setNextRowIdToBuild(rowId: RowId | null): void;
}

export interface SortedIndexStorage extends IndexStorage {
  readonly descriptor: SortedIndexDescriptor;
  scan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): PeekCursor<IndexRow>;
  readOnlyScan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): Cursor<IndexRow>;
  tolerantScan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): PeekCursor<IndexRow>;
}

export interface HashIndexStorage extends IndexStorage {
  readonly descriptor: HashIndexDescriptor;
}

export interface MvTableStorage {
  readonly tableId: number;
  readonly partitions: number;
  createMvPartition(partitionId: number): Promise<MvPartitionStorage>;
  getMvPartition(partitionId: number): MvPartitionStorage | null;
  destroyPartition(partitionId: number): Promise<void>;
  clearPartition(partitionId: number): Promise<void>;
  createSortedIndex(partitionId: number, desc: SortedIndexDescriptor): SortedIndexStorage;
  createHashIndex(partitionId: number, desc: HashIndexDescriptor): HashIndexStorage;
  getIndex(partitionId: number, indexId: number): IndexStorage | null;
  destroyIndex(indexId: number): Promise<void>;
  startRebalancePartition(partitionId: number): Promise<void>;
  abortRebalancePartition(partitionId: number): Promise<void>;
  finishRebalancePartition(
    partitionId: number,
    meta: { lastAppliedIndex: number; lastAppliedTerm: number; groupConfig: Uint8Array },
  ): Promise<void>;
  close(): Promise<void>;
  destroy(): Promise<void>;
}
