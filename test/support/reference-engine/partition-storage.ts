/**
 * Reference MV partition storage: VersionChains plus lifecycle, the consistency closure and the partition meta.
 *
 * Allowed per state (DESIGN.md §6.1): RUNNABLE everything; REBALANCE only runConsistently, flush, addWrite,
 * commitWrite, addWriteCommitted and the getters lastAppliedIndex/Term (-1) and committedGroupConfiguration()
 * (null) — the rest throws StorageRebalanceError; CLOSED/DESTROYED nothing (StorageClosedError /
 * StorageDestroyedError). Cursors opened before a transition fail with the error of the state that ended them.
 * Every mutation (and index put/remove/setNextRowIdToBuild) needs a running runConsistently closure of this
 * partition, checked after the state (OutsideClosureError); an async closure is refused before it runs; the locker
 * is closed when its outermost closure ends. A closure that throws keeps what it did (no rollback).
 */
import { InvalidArgumentError, OutsideClosureError, StorageRebalanceError } from '../../../src/domain/shared/errors';
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import type { Cursor } from '../../../src/domain/storage/cursor';
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../../../src/domain/storage/index-descriptors';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, GcEntry, ReadResult,
} from '../../../src/domain/storage/results';
import { RowId } from '../../../src/domain/storage/row-id';
import { MIN_VALUE } from '../../../src/domain/storage/hybrid-timestamp';
import type {
  Locker, MvPartitionStorage, PartitionTimestampCursor,
} from '../../../src/domain/storage/storage-engine.api';
import { ArrayCursor } from './guarded-cursor';
import { ReferenceHashIndex } from './hash-index';
import type { ReferenceIndexBase } from './index-base';
import { ClosureGate, CursorRegistry, Lifecycle } from './lifecycle';
import { PartitionScanCursor } from './partition-scan-cursor';
import { checkClosure, checkCommitTarget, checkCount, checkLastApplied, checkRow, checkTrigger } from '../../../src/application/engine/mv/mv-arguments';
import { checkTimestamp, checkTxId } from './partition-arguments';
import { ReferenceSortedIndex } from './sorted-index';
import { VersionChains } from './version-chains';

/**
 * Row locks of one outermost runConsistently call (single-threaded: a lock is always granted). Closed when that
 * call ends: any use afterwards is an OutsideClosureError; a non-RowId, or one of another partition, is refused.
 */
class SetLocker implements Locker {
  readonly #locked = new Set<string>();
  open = true;

  constructor(private readonly partitionId: number) {}

  lock(rowId: RowId): void {
    this.#locked.add(this.#key(rowId, 'lock'));
  }

  tryLock(rowId: RowId): boolean {
    this.#locked.add(this.#key(rowId, 'tryLock'));
    return true;
  }

  isLocked(rowId: RowId): boolean {
    return this.#locked.has(this.#key(rowId, 'isLocked'));
  }

  #key(rowId: RowId, call: string): string {
    if (!this.open) throw new OutsideClosureError(`Locker.${call} after its runConsistently closure ended`);
    if (!(rowId instanceof RowId) || rowId.partitionId !== this.partitionId) {
      throw new InvalidArgumentError(`Locker.${call} expects a RowId of partition ${this.partitionId}`);
    }
    return rowId.toString();
  }
}

export interface RebalanceMeta {
  readonly lastAppliedIndex: number;
  readonly lastAppliedTerm: number;
  readonly groupConfig: Uint8Array;
}

export class ReferencePartitionStorage implements MvPartitionStorage {
  readonly indexes = new Map<number, ReferenceIndexBase>();
  readonly #lifecycle: Lifecycle;
  readonly #cursors = new CursorRegistry();
  readonly #chains = new VersionChains();
  #locker: SetLocker | null = null;
  readonly #gate: ClosureGate;
  #lastAppliedIndex = 0;
  #lastAppliedTerm = 0;
  #groupConfig: Uint8Array | null = null;
  #lease: { readonly start: bigint; readonly nodeId: string; readonly nodeName: string } | null = null;

  constructor(readonly partitionId: number) {
    this.#lifecycle = new Lifecycle(`MV partition ${partitionId}`);
    this.#gate = new ClosureGate(`MV partition ${partitionId}`);
  }

  /** The reference is volatile: durable at once. */
  async runDurably<T>(closure: (locker: Locker) => T): Promise<T> {
    if (this.#locker !== null) throw new InvalidArgumentError('runDurably inside a closure of this partition');
    return this.runConsistently(closure);
  }

  /** The reference engine never throttles. */
  writeGate(): Promise<void> {
    this.#lifecycle.requireRunnableOrRebalance();
    return Promise.resolve();
  }

  runConsistently<T>(closure: (locker: Locker) => T): T {
    this.#lifecycle.requireRunnableOrRebalance();
    checkClosure(closure);
    if (this.#locker !== null) return closure(this.#locker);
    const locker = new SetLocker(this.partitionId);
    this.#locker = locker;
    this.#gate.running = true;
    try {
      return closure(locker);
    } finally {
      this.#locker = null;
      locker.open = false;
      this.#gate.running = false;
    }
  }

  read(rowId: RowId, ts: bigint): ReadResult {
    this.#lifecycle.requireRunnable();
    return this.#chains.read(this.#own(rowId), checkTimestamp(ts));
  }

  addWrite(rowId: RowId, row: BinaryRow | null, txId: string, commitZoneId: number, commitPartitionId: number): AddWriteResult {
    this.#lifecycle.requireRunnableOrRebalance();
    this.#gate.require('addWrite');
    checkCommitTarget(commitZoneId, commitPartitionId);
    return this.#chains.addWrite(this.#own(rowId), checkRow(row), checkTxId(txId), commitZoneId, commitPartitionId);
  }

  commitWrite(rowId: RowId, ts: bigint, txId: string): CommitResult {
    this.#lifecycle.requireRunnableOrRebalance();
    this.#gate.require('commitWrite');
    return this.#chains.commitWrite(this.#own(rowId), checkTimestamp(ts), checkTxId(txId));
  }

  abortWrite(rowId: RowId, txId: string): AbortResult {
    this.#lifecycle.requireRunnable();
    this.#gate.require('abortWrite');
    return this.#chains.abortWrite(this.#own(rowId), checkTxId(txId));
  }

  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult {
    this.#lifecycle.requireRunnableOrRebalance();
    this.#gate.require('addWriteCommitted');
    return this.#chains.addWriteCommitted(this.#own(rowId), checkRow(row), checkTimestamp(ts));
  }

  scan(ts: bigint): PartitionTimestampCursor {
    this.#lifecycle.requireRunnable();
    return new PartitionScanCursor(this.#cursors, `MV partition ${this.partitionId}`, this.#chains, checkTimestamp(ts));
  }

  scanVersions(rowId: RowId): Cursor<ReadResult> {
    this.#lifecycle.requireRunnable();
    return new ArrayCursor(this.#cursors, `MV partition ${this.partitionId}`, this.#chains.versions(this.#own(rowId)));
  }

  closestRowId(lowerInclusive: RowId): RowId | null {
    this.#lifecycle.requireRunnable();
    return this.#chains.closest(this.#own(lowerInclusive));
  }

  highestRowId(): RowId | null {
    this.#lifecycle.requireRunnable();
    return this.#chains.highest();
  }

  estimatedSize(): number {
    this.#lifecycle.requireRunnable();
    return this.#chains.estimatedSize;
  }

  peek(lowWatermark: bigint, count: number): GcEntry[] {
    this.#lifecycle.requireRunnable();
    checkTimestamp(lowWatermark);
    return checkCount(count) <= 0 ? [] : this.#chains.peek(lowWatermark, count);
  }

  vacuum(entry: GcEntry): BinaryRow | null {
    this.#lifecycle.requireRunnable();
    this.#gate.require('vacuum');
    if (entry === null || typeof entry !== 'object') throw new InvalidArgumentError('vacuum needs a GC entry { rowId, timestamp }');
    return this.#chains.vacuum({ rowId: this.#own(entry.rowId), timestamp: entry.timestamp });
  }

  lastAppliedIndex(): number {
    this.#lifecycle.requireRunnableOrRebalance();
    return this.#lastAppliedIndex;
  }

  lastAppliedTerm(): number {
    this.#lifecycle.requireRunnableOrRebalance();
    return this.#lastAppliedTerm;
  }

  lastApplied(index: number, term: number): void {
    this.#lifecycle.requireRunnable();
    this.#gate.require('lastApplied');
    checkLastApplied(index, term);
    this.#lastAppliedIndex = index;
    this.#lastAppliedTerm = term;
  }

  committedGroupConfiguration(): Uint8Array | null;
  committedGroupConfiguration(bytes: Uint8Array): void;
  committedGroupConfiguration(bytes?: Uint8Array): Uint8Array | null | void {
    if (bytes === undefined) {
      this.#lifecycle.requireRunnableOrRebalance();
      return this.#groupConfig === null ? null : this.#groupConfig.slice();
    }
    this.#lifecycle.requireRunnable();
    this.#gate.require('committedGroupConfiguration');
    if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('The group configuration must be a Uint8Array');
    this.#groupConfig = bytes.slice();
  }

  updateLease(leaseStartTime: bigint, primaryReplicaNodeId: string, primaryReplicaNodeName: string): void {
    this.#lifecycle.requireRunnable();
    this.#gate.require('updateLease');
    checkTimestamp(leaseStartTime);
    const nodeId = checkTxId(primaryReplicaNodeId);
    if (typeof primaryReplicaNodeName !== 'string') throw new InvalidArgumentError('A primary replica node name must be a string');
    if (this.#lease !== null && leaseStartTime <= this.#lease.start) return;
    this.#lease = { start: leaseStartTime, nodeId, nodeName: primaryReplicaNodeName };
  }

  leaseStartTime(): bigint {
    this.#lifecycle.requireRunnableOrRebalance();
    return this.#lease?.start ?? MIN_VALUE;
  }

  primaryReplicaNodeId(): string | null {
    this.#lifecycle.requireRunnableOrRebalance();
    return this.#lease?.nodeId ?? null;
  }

  primaryReplicaNodeName(): string | null {
    this.#lifecycle.requireRunnableOrRebalance();
    return this.#lease?.nodeName ?? null;
  }

  async flush(trigger?: boolean): Promise<void> {
    this.#lifecycle.requireRunnableOrRebalance();
    checkTrigger(trigger);
  }

  /** Closing a rebalancing partition is refused; closing twice, or after destroy, does nothing. */
  close(): void {
    if (this.#lifecycle.state === 'REBALANCE') {
      throw new StorageRebalanceError(`MV partition ${this.partitionId} is being rebalanced; finish or abort the rebalance before closing it`);
    }
    this.closeForTable();
  }

  // Table-facing lifecycle.

  get state(): Lifecycle['state'] {
    return this.#lifecycle.state;
  }

  closeForTable(): void {
    if (this.#lifecycle.isEnded) return;
    this.#lifecycle.state = 'CLOSED';
    this.#cursors.invalidateAll('CLOSED');
    for (const index of this.indexes.values()) index.close();
  }

  destroy(): void {
    this.#lifecycle.state = 'DESTROYED';
    this.#cursors.invalidateAll('DESTROYED');
    this.#resetData(0, 0, null);
    for (const index of this.indexes.values()) index.destroy();
    this.indexes.clear();
  }

  clear(): void {
    this.#lifecycle.requireRunnable();
    this.#lifecycle.state = 'CLEANUP';
    this.#cursors.invalidateAll('CLEANUP');
    this.#resetData(0, 0, null);
    for (const index of this.indexes.values()) index.clear();
    this.#lifecycle.state = 'RUNNABLE';
  }

  startRebalance(): void {
    if (this.#lifecycle.state !== 'RUNNABLE') {
      throw new StorageRebalanceError(`MV partition ${this.partitionId} cannot start a rebalance in state ${this.#lifecycle.state}`);
    }
    this.#lifecycle.state = 'REBALANCE';
    this.#cursors.invalidateAll('REBALANCE');
    this.#resetData(-1, -1, null);
    for (const index of this.indexes.values()) index.startRebalance();
  }

  abortRebalance(): void {
    this.#lifecycle.requireOpen();
    if (this.#lifecycle.state !== 'REBALANCE') return;
    this.#resetData(0, 0, null);
    for (const index of this.indexes.values()) index.abortRebalance();
    this.#lifecycle.state = 'RUNNABLE';
  }

  finishRebalance(meta: RebalanceMeta): void {
    if (this.#lifecycle.state !== 'REBALANCE') {
      throw new StorageRebalanceError(`MV partition ${this.partitionId} is not being rebalanced (state ${this.#lifecycle.state})`);
    }
    this.#lastAppliedIndex = meta.lastAppliedIndex;
    this.#lastAppliedTerm = meta.lastAppliedTerm;
    this.#groupConfig = meta.groupConfig.slice();
    for (const index of this.indexes.values()) index.finishRebalance();
    this.#lifecycle.state = 'RUNNABLE';
  }

  createSortedIndex(desc: SortedIndexDescriptor): ReferenceSortedIndex {
    this.#lifecycle.requireOpen();
    const existing = this.indexes.get(desc.id);
    if (existing instanceof ReferenceSortedIndex) return existing;
    if (existing !== undefined) throw new InvalidArgumentError(`Index ${desc.id} already exists as a hash index`);
    const index = new ReferenceSortedIndex(this.partitionId, desc, this.#gate);
    if (this.#lifecycle.state === 'REBALANCE') index.startRebalance();
    this.indexes.set(desc.id, index);
    return index;
  }

  createHashIndex(desc: HashIndexDescriptor): ReferenceHashIndex {
    this.#lifecycle.requireOpen();
    const existing = this.indexes.get(desc.id);
    if (existing instanceof ReferenceHashIndex) return existing;
    if (existing !== undefined) throw new InvalidArgumentError(`Index ${desc.id} already exists as a sorted index`);
    const index = new ReferenceHashIndex(this.partitionId, desc, this.#gate);
    if (this.#lifecycle.state === 'REBALANCE') index.startRebalance();
    this.indexes.set(desc.id, index);
    return index;
  }

  destroyIndex(indexId: number): void {
    this.indexes.get(indexId)?.destroy();
    this.indexes.delete(indexId);
  }

  checkInvariants(): void {
    this.#chains.checkInvariants();
  }

  #resetData(lastAppliedIndex: number, lastAppliedTerm: number, groupConfig: Uint8Array | null): void {
    this.#chains.clear();
    this.#lease = null;
    this.#lastAppliedIndex = lastAppliedIndex;
    this.#lastAppliedTerm = lastAppliedTerm;
    this.#groupConfig = groupConfig;
  }

  #own(rowId: RowId): RowId {
    if (!(rowId instanceof RowId)) throw new InvalidArgumentError('Expected a RowId');
    if (rowId.partitionId !== this.partitionId) {
      throw new InvalidArgumentError(`${rowId} belongs to partition ${rowId.partitionId}, not to MV partition ${this.partitionId}`);
    }
    return rowId;
  }
}
