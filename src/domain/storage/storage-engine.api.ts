/**
 * The storage engine SPI (level 3): the contract a database builds on. Semantics: DESIGN.md §6 and §6.1.
 * Implemented by every engine (aimem, aipersist) and checked by one contract suite (test/contract).
 *
 * Errors are the typed errors of src/domain/shared/errors.ts, named below by class and `code`. Every method checks,
 * in this order: the state of what it is called on (closed, destroyed, being cleared, being rebalanced), then — for
 * mutations — that a runConsistently closure of the partition is running, then its arguments; a refused call
 * changes nothing. Promise-returning methods report every failure as a rejection, never by throwing synchronously.
 */
import type { BinaryRow } from './binary-row';
import type { Cursor, PeekCursor } from './cursor';
import type { HashIndexDescriptor, IndexRow, SortedIndexDescriptor } from './index-descriptors';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, GcEntry, ReadResult,
} from './results';
import type { RowId } from './row-id';

/** The engines of a node: `aimem` (volatile page memory) and `aipersist` (durable; the `default` profile's). */
export type EngineName = 'aimem' | 'aipersist';

/**
 * A storage engine (`node.engine(name)`): MV tables in the regions of its storage profiles. Its objects live until
 * the node closes (which closes every table) or until they are destroyed.
 */
export interface StorageEngine {
  /** The engine's name: `aimem` or `aipersist`. */
  readonly name: EngineName;
  /** True when the data does not outlive the node (aimem), false for a durable engine (aipersist). */
  readonly isVolatile: boolean;
  /**
   * Creates an MV table of `partitions` partitions (ids 0..partitions−1, none created yet) in the region of the storage
   * profile `storageProfile` (created on the profile's first use). aimem: always a new, empty table (volatile data does
   * not outlive its table storage). aipersist (DESIGN.md §5.1): a table id that exists on disk opens that table.
   * @throws TableExistsError (TABLE_EXISTS) when a table with this id is open in this node; that table is unchanged
   *   (close or destroy it first to create the id again).
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a malformed descriptor: tableId not a 32-bit integer,
   *   partitions not an integer in 1..65536, storageProfile not a string; or a profile of another engine.
   * @throws UnknownProfileError (PROFILE_NOT_FOUND) when no profile of that name is configured.
   * @throws EngineNotAvailableError (ENGINE_NOT_AVAILABLE) from aipersist until its engine lands.
   * @throws StorageClosedError (STORAGE_CLOSED) after the node was closed.
   */
  createMvTable(desc: { tableId: number; partitions: number; storageProfile: string }): MvTableStorage;
  /**
   * Destroys the table with this id — every partition and index, its pages freed (aipersist: its files too) — as
   * MvTableStorage.destroy() does; an id with no table resolves and changes nothing. Objects and cursors of the table
   * refuse further use with StorageDestroyedError (STORAGE_DESTROYED).
   * Rejects with InvalidArgumentError (INVALID_ARGUMENT) for an id that is not a 32-bit integer, StorageClosedError
   * (STORAGE_CLOSED) after the node was closed.
   */
  destroyMvTable(tableId: number): Promise<void>;
}

/**
 * Row locks taken inside a runConsistently closure, held until the outermost closure ends (nested closures share one
 * Locker). Closures are synchronous and run one at a time, so a lock is never contended by another closure; the
 * locker records what its closure holds. Valid only during its closure: every call after the closure ended throws
 * OutsideClosureError (OUTSIDE_CLOSURE). Every call throws InvalidArgumentError (INVALID_ARGUMENT) for an argument
 * that is not a RowId, or a RowId of another partition.
 */
export interface Locker {
  /** Locks the row until the outermost closure ends (locking a row already held is fine). */
  lock(rowId: RowId): void;
  /** Locks the row if it can (always, as nothing else runs during the closure) and says so. */
  tryLock(rowId: RowId): boolean;
  /** Whether this closure holds the row's lock. */
  isLocked(rowId: RowId): boolean;
}

/** The cursor of MvPartitionStorage.scan: the rows visible at its timestamp, in RowId order, as ReadResults. */
export interface PartitionTimestampCursor extends Cursor<ReadResult> {
  /**
   * Re-reads the current row (the one the last next() returned) as of `ts`, with read()'s visibility (so after the
   * row's newest commit it is the write intent's row); null when nothing is visible then (or a tombstone).
   * @throws StorageError NO_CURRENT_ROW before the first next() and after the cursor is exhausted.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a ts outside [MIN_VALUE, MAX_VALUE]; the cursor errors of
   *   Cursor.
   */
  committed(ts: bigint): BinaryRow | null;
  /**
   * Optional (an engine may lack it, or ignore it): from now on the rows of the results this cursor hands out are
   * valid only until its next call, or until another reuseRows cursor of the partition steps — a caller that is done
   * with each row before anything else reads (decoding it, say) spares the engine a fresh copy per row. committed()
   * rows, and rows of other reads, stay the caller's for good.
   * @throws the errors of Cursor (a closed cursor: StorageClosedError).
   */
  reuseRows?(): void;
}

/**
 * The multi-version storage of one partition of a table (DESIGN.md §6, §6.1): for each RowId a version chain —
 * at most one write intent (uncommitted, of one transaction) over committed versions, newest first — reads at hybrid
 * timestamps, the GC queue, and the partition's meta (last applied index and term, group configuration, lease).
 *
 * Mutations (addWrite, commitWrite, abortWrite, addWriteCommitted, vacuum, lastApplied, committedGroupConfiguration
 * with bytes, updateLease, and the index calls put, remove, setNextRowIdToBuild) run inside a runConsistently closure
 * of this partition, else they throw OutsideClosureError (OUTSIDE_CLOSURE). Each mutation is atomic — it completes,
 * or throws having changed nothing (also on OutOfMemoryError) — but a closure is not: when it throws, what it did
 * before stays (there is no rollback) and its commits are published on `changes$` flagged `closureFailed`. When a
 * region runs low, a closure is refused at its first write (OutOfMemoryError, nothing changed), while a closure
 * admitted before finishes its remaining small writes from a reserve of the region's pages (32, at most 1/16 of the
 * region): a closure that writes a row and then its index entries is not cut between them by memory running out,
 * unless its later writes need more than the reserve (large rows). Callers that need all-or-nothing compensate in
 * their catch (e.g. remove the row they wrote).
 *
 * Errors every method may throw, by the partition's state (checked first):
 * - StorageClosedError (STORAGE_CLOSED) after close() of the partition or of its table (and the node's close);
 * - StorageDestroyedError (STORAGE_DESTROYED) after destroyPartition or the table's destroy;
 * - StorageError STORAGE_CLEANUP while clearPartition runs;
 * - StorageRebalanceError (STORAGE_REBALANCE) during a rebalance, except for runConsistently, flush, addWrite,
 *   commitWrite, addWriteCommitted and the meta getters (which then answer −1, null or MIN_VALUE).
 * And for malformed arguments InvalidArgumentError (INVALID_ARGUMENT): a value that is not a RowId or a RowId of
 * another partition, a timestamp that is not a bigint in [MIN_VALUE, MAX_VALUE], a row that is neither null (a
 * tombstone) nor { schemaVersion: 32-bit integer, bytes: Uint8Array }, a transaction id that is not a UUID string.
 * Rows returned may view a larger shared ArrayBuffer: use `bytes` (or its byteOffset/byteLength), not `bytes.buffer`.
 */
export interface MvPartitionStorage {
  /**
   * Runs `closure` synchronously and returns its result, atomically with respect to checkpoints (a checkpoint or the
   * delta log sees all of its completed mutations together); nested calls from inside a closure of this partition run
   * at once with the outer closure's Locker. Commits are published on `changes$` when the outermost closure ends. A
   * closure that throws is not rolled back (see above); its error propagates. Allowed during a rebalance.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) when `closure` is not a function, or is an `async` function (its
   *   code after the first await would run outside the closure); code after an await in a closure that returns a
   *   promise runs outside it, and its mutations throw OutsideClosureError (OUTSIDE_CLOSURE).
   */
  runConsistently<T>(closure: (locker: Locker) => T): T;
  /**
   * Runs `closure` exactly as runConsistently does, then resolves with its value once its changes are durable under
   * the engine's `deltaLog.syncMode` — aipersist `fsync` (default): after the fdatasync of the delta log that covers
   * them (group commit: concurrent callers share it); `background`: at once, synced within
   * backgroundSyncIntervalMillis; `none`: at once, durable at the next checkpoint. aimem: at once (volatile).
   * A closure that throws rejects with its error (what it completed before the throw is kept and logged).
   * @throws InvalidArgumentError (INVALID_ARGUMENT) — as a rejection — inside a closure of this partition (the outer
   *   closure decides when its changes are logged), or for a closure runConsistently refuses.
   * @throws StorageIoError (STORAGE_IO / DISK_FULL) — as a rejection — when the log cannot be written or synced.
   */
  runDurably<T>(closure: (locker: Locker) => T): Promise<T>;
  /**
   * The write gate of write throttling, for callers of the synchronous runConsistently: await it before each write
   * closure (runDurably passes it on its own). Resolves at once unless the engine is slowing writers down — aipersist
   * while a checkpoint cannot keep up (README "Write throttling") — then after the delay the policy sets, a timer,
   * never a busy wait. aimem: always at once. Not awaiting it is safe (nothing is blocked or damaged), only unpaced.
   * @throws the state errors above (a closed, destroyed or cleaning partition), synchronously.
   */
  writeGate(): Promise<void>;
  /**
   * The version of `rowId` visible at `ts`: the newest committed version with a commit timestamp ≤ ts — or the write
   * intent, when it has no committed version under it, or when ts is MAX_VALUE ("latest, including a write intent") or
   * later than its newest commit. A tombstone, or no version, gives an empty result (`isEmpty`, `binaryRow` null).
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a RowId of another partition or a bad ts; the state errors
   *   above (refused during a rebalance).
   */
  read(rowId: RowId, ts: bigint): ReadResult;
  /**
   * Creates or replaces transaction `txId`'s write intent on `rowId` (`row` null: a delete). `commitZoneId` and
   * `commitPartitionId` name the transaction's commit partition; reads return them with the intent. Result: SUCCESS
   * with the replaced intent's row in `previousWriteIntent` (null if none); TX_MISMATCH with `currentWriteIntentTxId`
   * and `latestCommitTimestamp` when another transaction's intent is there (nothing changed). Allowed during a
   * rebalance.
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure of this partition.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad RowId, row or txId, a commitZoneId that is not a 32-bit
   *   integer, a commitPartitionId that is not an integer in 0..2^31−1.
   * @throws OutOfMemoryError (OUT_OF_MEMORY) when the region has no room for the intent (nothing changed).
   */
  addWrite(rowId: RowId, row: BinaryRow | null, txId: string, commitZoneId: number, commitPartitionId: number): AddWriteResult;
  /**
   * Commits transaction `txId`'s write intent on `rowId` at `ts`: it becomes the row's newest committed version (a
   * delete that changes nothing — no live row under it — leaves no version). Result: SUCCESS; NO_WRITE_INTENT when the
   * row has no intent; TX_MISMATCH with `expectedTxId` when the intent is another transaction's (nothing changed in
   * both). Allowed during a rebalance.
   * @throws CommitTimestampOrderError (COMMIT_TIMESTAMP_ORDER) when `ts` is not later than the row's newest committed
   *   version; the intent stays an intent.
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure of this partition.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad RowId, ts or txId.
   * @throws OutOfMemoryError (OUT_OF_MEMORY) when the region has no room for the commit (nothing changed).
   */
  commitWrite(rowId: RowId, ts: bigint, txId: string): CommitResult;
  /**
   * Removes transaction `txId`'s write intent on `rowId`. Result: SUCCESS with the removed intent's row in
   * `previousWriteIntent`; NO_WRITE_INTENT when the row has none; TX_MISMATCH with `expectedTxId` when it is another
   * transaction's (nothing changed). Refused during a rebalance (StorageRebalanceError, STORAGE_REBALANCE).
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure of this partition.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad RowId or txId.
   */
  abortWrite(rowId: RowId, txId: string): AbortResult;
  /**
   * Adds a committed version of `rowId` at `ts` without a transaction (replication, rebalance, bulk loads); `row` null
   * is a delete (left out when there is no live row to delete). Result: SUCCESS; WRITE_INTENT_EXISTS with
   * `currentWriteIntentTxId` and `latestCommitTimestamp` when the row has a write intent (nothing changed). Allowed
   * during a rebalance.
   * @throws CommitTimestampOrderError (COMMIT_TIMESTAMP_ORDER) when `ts` is not later than the row's newest committed
   *   version (nothing changed: the newer version stays visible).
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure of this partition.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad RowId, row or ts.
   * @throws OutOfMemoryError (OUT_OF_MEMORY) when the region has no room for the version (nothing changed).
   */
  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult;
  /**
   * A cursor over the rows visible at `ts` (read()'s visibility) in RowId order, skipping committed tombstones; write
   * intents come as results with `isWriteIntent`. Close it when done (a for..of loop closes it when left early).
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad ts; the state errors above (refused during a rebalance).
   */
  scan(ts: bigint): PartitionTimestampCursor;
  /**
   * A cursor over every stored version of `rowId`, newest first (the write intent, if any, then the committed ones);
   * empty for a row without versions.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a RowId of another partition; the state errors above.
   */
  scanVersions(rowId: RowId): Cursor<ReadResult>;
  /**
   * The smallest RowId ≥ `lowerInclusive` that has versions in this partition, or null.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a RowId of another partition; the state errors above.
   */
  closestRowId(lowerInclusive: RowId): RowId | null;
  /** The largest RowId that has versions in this partition, or null when it has none. Throws the state errors above. */
  highestRowId(): RowId | null;
  /**
   * The number of live committed rows (committed inserts minus committed deletes; never below 0; write intents do not
   * count). Throws the state errors above.
   */
  estimatedSize(): number;
  /**
   * Up to `count` entries of the GC queue with a timestamp ≤ `lowWatermark`, oldest first, without removing them. An
   * entry (rowId, timestamp) names a committed version that has older versions under it: once no reader needs a
   * snapshot before `timestamp`, vacuum(entry) removes those.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad lowWatermark, or a count that is not an integer ≥ 0.
   */
  peek(lowWatermark: bigint, count: number): GcEntry[];
  /**
   * Removes what a GC entry (from peek) made garbage: every version older than the one committed at `entry.timestamp`
   * (and that version too when it is a tombstone, then alone at the bottom). Returns the newest removed row (null for a
   * tombstone) — and null, changing nothing, when the entry is not queued (any more).
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure of this partition.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) when `entry` is not an object or its rowId is bad.
   */
  vacuum(entry: GcEntry): BinaryRow | null;
  /** The replication log index last applied to this partition (0 initially); −1 during a rebalance. */
  lastAppliedIndex(): number;
  /** The term of that index (0 initially); −1 during a rebalance. */
  lastAppliedTerm(): number;
  /**
   * Stores the last applied replication log index and term (on the partition meta page).
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure of this partition.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) unless both are integers. Refused during a rebalance.
   */
  lastApplied(index: number, term: number): void;
  /** The stored replication group configuration (opaque bytes), or null; null during a rebalance. */
  committedGroupConfiguration(): Uint8Array | null;
  /**
   * Stores the replication group configuration (a copy of `bytes`).
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure of this partition.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) unless `bytes` is a Uint8Array. Refused during a rebalance.
   */
  committedGroupConfiguration(bytes: Uint8Array): void;
  /**
   * Stores the primary replica's lease when it starts after the stored one (an older or equal start changes
   * nothing, as replication may replay it). Node id: a UUID string.
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure of this partition.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad leaseStartTime, a node id that is not a UUID string, a
   *   node name that is not a string. Refused during a rebalance.
   */
  updateLease(leaseStartTime: bigint, primaryReplicaNodeId: string, primaryReplicaNodeName: string): void;
  /** Start of the stored lease (hybrid timestamp); MIN_VALUE when there is none, and during a rebalance. */
  leaseStartTime(): bigint;
  /** The stored lease's node id (lowercase UUID), or null (also during a rebalance). */
  primaryReplicaNodeId(): string | null;
  /** The stored lease's node name, or null (also during a rebalance). */
  primaryReplicaNodeName(): string | null;
  /**
   * Resolves once a checkpoint covering every change made before the call has finished (aimem: at once, nothing is
   * durable). `trigger` asks for that checkpoint now rather than at the next scheduled one. Allowed during a rebalance.
   * Rejects with the state errors above, or InvalidArgumentError (INVALID_ARGUMENT) for a trigger that is not a
   * boolean.
   */
  flush(trigger?: boolean): Promise<void>;
  /**
   * Closes the partition storage: it, its indexes and their cursors refuse further use with StorageClosedError
   * (STORAGE_CLOSED). Closing again, or after destroy, does nothing.
   * @throws StorageRebalanceError (STORAGE_REBALANCE) during a rebalance: finish or abort it first.
   */
  close(): void;
}

/**
 * An index of one partition: entries (key → RowId), where a key is one value per column of the descriptor (JS
 * values: README "Column types"). Errors of every method, checked in this order: StorageDestroyedError
 * (STORAGE_DESTROYED) after destroyIndex (or the partition's destroy); the partition's state errors (see
 * MvPartitionStorage: reads, scans, remove and the build-state calls need it RUNNABLE, put also works during a
 * rebalance); OutsideClosureError (OUTSIDE_CLOSURE) for put, remove and setNextRowIdToBuild outside a runConsistently
 * closure of the partition; IndexNotBuiltError (INDEX_NOT_BUILT) for get, scan and readOnlyScan while the index is
 * being built (getNextRowIdToBuild() not null); InvalidArgumentError (INVALID_ARGUMENT) for a key that does not fit
 * the columns (wrong count or type, null in a NOT NULL column, longer than a declared length or precision), a value
 * that is not a RowId, or a RowId of another partition.
 */
export interface IndexStorage {
  /** The RowIds stored under exactly `key` (all columns; `[null]` finds entries stored with null), as of the call. */
  get(key: readonly unknown[]): Cursor<RowId>;
  /**
   * Adds the entry `row.key` → `row.rowId` (an entry already there: nothing changes). Allowed during a rebalance.
   * @throws OutOfMemoryError (OUT_OF_MEMORY) when the region has no room for it (nothing changed); see above.
   */
  put(row: IndexRow): void;
  /** Removes the entry `row.key` → `row.rowId` (an absent entry: nothing changes). See above for errors. */
  remove(row: IndexRow): void;
  /**
   * Build progress: the next RowId an index build must process, or null when the index is built (reads allowed).
   * Initially null for a primary index and RowId.lowest(partitionId) for others; back to that after a finished
   * rebalance, a clear or a re-create.
   */
  getNextRowIdToBuild(): RowId | null;
  /**
   * Records build progress; null marks the index built, which lets get / scan / readOnlyScan read it.
   * @throws OutsideClosureError (OUTSIDE_CLOSURE) outside a runConsistently closure; InvalidArgumentError for a bad
   *   RowId.
   */
  setNextRowIdToBuild(rowId: RowId | null): void;
}

/**
 * A sorted index: entries in key order (each column ASC or DESC, nulls first or last), then RowId order. Scan bounds
 * are key prefixes — arrays of values of the leading columns — or null for no bound; `flags` combine GREATER or
 * GREATER_OR_EQUAL (the lower bound) with LESS or LESS_OR_EQUAL (the upper bound), and BACKWARDS for the entries in
 * descending order. Scans throw InvalidArgumentError (INVALID_ARGUMENT) for a bound that is neither an array nor null
 * or holds values of the wrong type, and the errors of IndexStorage; their cursors, the errors of Cursor.
 */
export interface SortedIndexStorage extends IndexStorage {
  /** The descriptor the index was created with (id, columns, primary). */
  readonly descriptor: SortedIndexDescriptor;
  /**
   * A live cursor over the entries between the bounds: it sees entries put or removed after it opened beyond its
   * position. A peek() answer — even null — is what the next hasNext() / next() use. Refused while being built.
   */
  scan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): PeekCursor<IndexRow>;
  /**
   * A cursor over the entries between the bounds as of its creation (later puts and removes are not seen). Refused
   * while being built.
   */
  readOnlyScan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): Cursor<IndexRow>;
  /**
   * As scan(), but also while the index is being built (for the build itself, or readers that can do with a partial
   * index).
   */
  tolerantScan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): PeekCursor<IndexRow>;
}

/** A hash index: get / put / remove by the whole key (no order, no scans). */
export interface HashIndexStorage extends IndexStorage {
  /** The descriptor the index was created with (id, columns, primary). */
  readonly descriptor: HashIndexDescriptor;
}

/**
 * The storage of one MV table: its partitions (each an MvPartitionStorage with its indexes), created one by one, and
 * the table's lifecycle (rebalance of a partition, close, destroy). Errors of every method, checked in this order:
 * StorageClosedError (STORAGE_CLOSED) after close() (or the node's close), StorageDestroyedError (STORAGE_DESTROYED)
 * after destroy(); InvalidArgumentError (INVALID_ARGUMENT) for a partition id that is not an integer in
 * 0..partitions−1; StorageError PARTITION_NOT_FOUND for a partition that was not created (StorageRebalanceError,
 * STORAGE_REBALANCE, for the rebalance calls). Promise-returning methods report these as rejections.
 */
export interface MvTableStorage {
  /** The table id given to createMvTable. */
  readonly tableId: number;
  /** The number of partitions: valid partition ids are 0..partitions−1. */
  readonly partitions: number;
  /**
   * Creates partition `partitionId`, empty and RUNNABLE (aipersist, DESIGN.md §5.1: a partition on disk is opened with
   * its data). Rejects with StorageError PARTITION_EXISTS when it exists (use getMvPartition), OutOfMemoryError
   * (OUT_OF_MEMORY) when the region has no room for its first pages, or the errors above.
   */
  createMvPartition(partitionId: number): Promise<MvPartitionStorage>;
  /**
   * The partition's storage — the same object createMvPartition gave — or null when it was not created (or was
   * destroyed). Throws the errors above (not PARTITION_NOT_FOUND).
   */
  getMvPartition(partitionId: number): MvPartitionStorage | null;
  /**
   * Destroys the partition with its indexes and frees its pages: its storage, indexes and cursors refuse further use
   * with StorageDestroyedError (STORAGE_DESTROYED); creating the id again gives an empty partition. Rejects with the
   * errors above (PARTITION_NOT_FOUND for an absent one).
   */
  destroyPartition(partitionId: number): Promise<void>;
  /**
   * Removes every row and index entry of the partition and resets its indexes' build state, in time independent of its
   * size (its pages are dropped at once); the storage objects stay usable, cursors opened before
   * throw StorageError STORAGE_CLEANUP. Rejects with StorageClosedError (STORAGE_CLOSED) for a closed partition,
   * StorageRebalanceError (STORAGE_REBALANCE) for a rebalancing one, or the errors above.
   */
  clearPartition(partitionId: number): Promise<void>;
  /**
   * Creates the sorted index `desc.id` in the partition (empty; built at once when primary, else being built:
   * getNextRowIdToBuild() = RowId.lowest(partitionId)); an existing sorted index of that id is returned as it is.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a malformed descriptor (see SortedIndexDescriptor), or an id
   *   used by a hash index of the partition; the errors above.
   */
  createSortedIndex(partitionId: number, desc: SortedIndexDescriptor): SortedIndexStorage;
  /**
   * Creates the hash index `desc.id` in the partition, as createSortedIndex does for sorted indexes.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a malformed descriptor (see HashIndexDescriptor), or an id used
   *   by a sorted index of the partition; the errors above.
   */
  createHashIndex(partitionId: number, desc: HashIndexDescriptor): HashIndexStorage;
  /**
   * The index `indexId` of the partition — the object its create call gave — or null (no such index, or no such
   * partition). Throws InvalidArgumentError (INVALID_ARGUMENT) for an index id that is not an integer in 0..2^31−1, and
   * the errors above (not PARTITION_NOT_FOUND).
   */
  getIndex(partitionId: number, indexId: number): IndexStorage | null;
  /**
   * Destroys the index `indexId` in every partition (its pages freed; its storage and cursors then throw
   * StorageDestroyedError); an unknown id, or a destroyed table, resolves and changes nothing. Rejects with
   * InvalidArgumentError (INVALID_ARGUMENT) for a bad id, StorageClosedError (STORAGE_CLOSED) for a closed table.
   */
  destroyIndex(indexId: number): Promise<void>;
  /**
   * Starts a full rebalance of the partition: its rows and index entries are dropped and it accepts only the writes of
   * the incoming data (addWrite, commitWrite, addWriteCommitted, index put) until finish or abort; other calls, and
   * cursors opened before, throw StorageRebalanceError (STORAGE_REBALANCE). Rejects with StorageRebalanceError for an
   * absent partition or one that is not RUNNABLE (closed, or already rebalancing), or the errors above.
   */
  startRebalancePartition(partitionId: number): Promise<void>;
  /**
   * Aborts the partition's rebalance: what it received is dropped and the partition is RUNNABLE and empty again (a
   * partition that is not being rebalanced is left as it is). Rejects with StorageRebalanceError (STORAGE_REBALANCE)
   * for an absent partition, or the errors above.
   */
  abortRebalancePartition(partitionId: number): Promise<void>;
  /**
   * Finishes the partition's rebalance: stores `meta` (last applied index and term, group configuration) and makes the
   * partition RUNNABLE with the data it received; index build state returns to its initial value. Rejects with
   * StorageRebalanceError (STORAGE_REBALANCE) for an absent partition or one that is not being rebalanced,
   * InvalidArgumentError (INVALID_ARGUMENT) for malformed meta (index and term not integers, groupConfig not a
   * Uint8Array), or the errors above.
   */
  finishRebalancePartition(
    partitionId: number,
    meta: { lastAppliedIndex: number; lastAppliedTerm: number; groupConfig: Uint8Array },
  ): Promise<void>;
  /**
   * Closes the table: every partition, index and cursor refuses further use with StorageClosedError (STORAGE_CLOSED);
   * a volatile engine frees the pages. Idempotent; after destroy() it does nothing.
   */
  close(): Promise<void>;
  /**
   * Destroys the table: every partition and index, their pages freed (aipersist: their files too); its objects refuse
   * further use with StorageDestroyedError (STORAGE_DESTROYED); the engine forgets the id, so it can be created again
   * (empty). Idempotent.
   */
  destroy(): Promise<void>;
}
