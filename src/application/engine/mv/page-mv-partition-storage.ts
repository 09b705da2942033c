/**
 * The MV partition storage of the page-memory engines (DESIGN.md §4, §6, §6.1): version chains, row versions and
 * the GC queue on pages (src/domain/mvcc/page-version-chains.ts) behind the SPI's lifecycle rules, argument checks,
 * the consistency closure and event recording. Runs unchanged on volatile page memory (aimem) and on a persistent
 * page cache (aipersist).
 *
 * Lifecycle (shared with the partition's indexes through `ctx.lifecycle`, transitions made by the table storage or
 * by close()): RUNNABLE allows everything; REBALANCE only runConsistently, flush, addWrite, commitWrite,
 * addWriteCommitted and the getters (lastAppliedIndex/Term −1, committedGroupConfiguration() null); CLOSED,
 * DESTROYED, CLEANUP refuse everything; cursors check the lifecycle epoch on every call.
 *
 * Closures: every mutation (addWrite, commitWrite, abortWrite, addWriteCommitted, vacuum, lastApplied,
 * committedGroupConfiguration(bytes), updateLease, and index put / remove / setNextRowIdToBuild) needs a running
 * runConsistently closure of this partition — checked after the lifecycle, before the arguments: OutsideClosureError,
 * nothing changed. Each mutation is atomic on its own (it completes, or throws having changed nothing — also on
 * OutOfMemoryError); a closure is not: there is no rollback. Write admission (partition-context.ts guardFirstWrite):
 * when a region runs low, a closure is refused at its first write that needs a new page (OutOfMemoryError), and one
 * that already changed something finishes its remaining small mutations from a reserve of pages.
 *
 * Events: a PartitionMutation is built per successful mutation only when `ctx.partition.recording`; committed
 * changes are handed to `recordCommitted` only when `ctx.partition.publishing`. The outermost runConsistently
 * closure ends with `ctx.partition.endClosure(failed)` — also when it throws: every mutation that completed is in
 * the pages and must reach the delta log too (replay must rebuild exactly this state), and its committed changes are
 * published flagged `closureFailed`.
 *
 * Partition meta (lastApplied, committed group configuration, lease, estimated size) lives on the partition meta
 * page (partition-meta-state.ts), written through on every change, so a reopen from that page finds it all.
 */
import type { Observable } from 'rxjs';
import type { PartitionStreams } from '../../../domain/partition/partition';
import { rowIdBytes, rowIdFromBytes, type CommittedChange, type PartitionEvent, type PartitionMutation } from '../../../domain/partition/partition.events';
import { guardFirstWrite, wrote, type PartitionDataOwner, type PartitionContext } from './partition-context';
import { PageVersionChains } from '../../../domain/mvcc/page-version-chains';
import type { VersionChainsShape } from '../../../domain/mvcc/version-chain-invariants';
import { TX_ID_BYTES } from '../../../domain/mvcc/tx-id-bytes';
import { DataCorruptionError, StorageDestroyedError, StorageRebalanceError, InvalidArgumentError } from '../../../domain/shared/errors';
import type { BinaryRow } from '../../../domain/storage/binary-row';
import type { Cursor } from '../../../domain/storage/cursor';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, GcEntry, ReadResult,
} from '../../../domain/storage/results';
import { RowId } from '../../../domain/storage/row-id';
import type { Locker, MvPartitionStorage, PartitionTimestampCursor } from '../../../domain/storage/storage-engine.api';
import {
  checkClosure, checkCommitTarget, checkCount, checkGroupConfig, checkLastApplied, checkOwnRowId, checkRow, checkTimestamp,
  checkTrigger, isTimestamp, parseTxIdArgument,
} from './mv-arguments';
import { describeValue } from '../../../domain/shared/describe-value';
import { PageArrayCursor } from './page-cursor';
import { PageMvScanCursor } from './page-mv-cursors';
import { OPEN_GATE, WriteCounter, type WriteGate } from '../../../domain/throttling/write-gate';
import { RowLocker } from './row-locker';
import { PartitionMetaState } from './partition-meta-state';
import { parseTxId } from '../../../domain/mvcc/tx-id-bytes';
import { MIN_VALUE } from '../../../domain/storage/hybrid-timestamp';

const copyRow = (row: BinaryRow | null): BinaryRow | null => (row === null ? null : { schemaVersion: row.schemaVersion, bytes: row.bytes.slice() });

export class PageMvPartitionStorage implements MvPartitionStorage, PartitionDataOwner, PartitionStreams {
  readonly #ctx: PartitionContext;
  readonly #what: string;
  /** Null between destroyData and resetData (and after a destroy). */
  #chains: PageVersionChains | null = null;
  /** The locker of the running outermost closure; null between closures. */
  #locker: RowLocker | null = null;
  readonly #txId = new Uint8Array(TX_ID_BYTES);
  readonly #nodeId = new Uint8Array(TX_ID_BYTES);
  readonly #meta: PartitionMetaState;

  /** `opening`: the partition exists on its pages (its meta page names the trees); else new empty trees. */
  constructor(ctx: PartitionContext, opening = false) {
    this.#ctx = ctx;
    this.#what = `MV partition ${ctx.partitionId} of table ${ctx.tableId}`;
    this.#meta = new PartitionMetaState(ctx);
    this.#setChains(opening ? this.#openChains() : this.#newChains());
  }

  /** Lifecycle facts of this partition (PartitionStreams). */
  get events$(): Observable<PartitionEvent> {
    return this.#ctx.partition.events$;
  }

  /** Committed changes, published after the closure that committed them (PartitionStreams). */
  get changes$(): Observable<CommittedChange> {
    return this.#ctx.partition.changes$;
  }

  get partitionId(): number {
    return this.#ctx.partitionId;
  }

  runConsistently<T>(closure: (locker: Locker) => T): T {
    this.#ctx.lifecycle.checkWritable();
    checkClosure(closure);
    if (this.#locker !== null) return closure(this.#locker);
    this.writes.closures++;
    const locker = new RowLocker(this.#ctx.partitionId);
    const p = this.#ctx.partition;
    this.#locker = locker;
    p.beginClosure();
    let failed = true;
    try {
      const result = closure(locker);
      // A closure that returned a promise did not finish: its writes after an await are refused (OUTSIDE_CLOSURE).
      failed = isThenable(result);
      return result;
    } finally {
      this.#locker = null;
      locker.close();
      this.#ctx.pageMemory.setAllocationFloor?.(0);
      this.syncMeta();
      p.endClosure(failed);
    }
  }

  async runDurably<T>(closure: (locker: Locker) => T): Promise<T> {
    if (this.#locker !== null) {
      throw new InvalidArgumentError(
        `runDurably on partition ${this.#ctx.partitionId} of table ${this.#ctx.tableId} was called inside a closure of that partition: ` +
          'the outer closure decides when the changes are logged. Call runConsistently inside, and await runDurably outside',
      );
    }
    const gate = this.gate.pass();
    if (gate !== null) await gate;
    const p = this.#ctx.partition;
    const result = this.runConsistently(closure);
    const appended = p.lastAppended;
    if (appended !== null) await appended.durable;
    return result;
  }

  writeGate(): Promise<void> {
    this.#ctx.lifecycle.checkWritable();
    return this.gate.pass() ?? Promise.resolve();
  }

  read(rowId: RowId, ts: bigint): ReadResult {
    this.#ctx.lifecycle.checkRunnable();
    return this.#data().read(this.#own(rowId), checkTimestamp(ts));
  }

  addWrite(rowId: RowId, row: BinaryRow | null, txId: string, commitZoneId: number, commitPartitionId: number): AddWriteResult {
    this.#ctx.lifecycle.checkWritable();
    this.#ctx.partition.requireClosure('addWrite');
    guardFirstWrite(this.#ctx);
    this.#own(rowId);
    checkRow(row);
    parseTxIdArgument(txId, this.#txId);
    checkCommitTarget(commitZoneId, commitPartitionId);
    const result = this.#data().addWrite(rowId, row, this.#txId, commitZoneId, commitPartitionId);
    wrote(this.#ctx);
    const p = this.#ctx.partition;
    if (result.status === 'SUCCESS' && p.recording) {
      p.record({ type: 'row.writeAdded', rowId: rowIdBytes(rowId), row: copyRow(row), txId: this.#txId.slice(), commitZoneId, commitPartitionId });
    }
    return result;
  }

  commitWrite(rowId: RowId, ts: bigint, txId: string): CommitResult {
    this.#ctx.lifecycle.checkWritable();
    this.#ctx.partition.requireClosure('commitWrite');
    guardFirstWrite(this.#ctx, false);
    this.#own(rowId);
    checkTimestamp(ts);
    parseTxIdArgument(txId, this.#txId);
    const p = this.#ctx.partition;
    const publishing = p.publishing;
    const chains = this.#data();
    const result = chains.commitWrite(rowId, ts, this.#txId, publishing);
    wrote(this.#ctx);
    if (result.status === 'SUCCESS') {
      if (p.recording) p.record({ type: 'row.writeCommitted', rowId: rowIdBytes(rowId), timestamp: ts, txId: this.#txId.slice() });
      if (publishing) p.recordCommitted(rowId, chains.committedRow, ts);
    }
    chains.committedRow = null;
    return result;
  }

  abortWrite(rowId: RowId, txId: string): AbortResult {
    this.#ctx.lifecycle.checkRunnable();
    this.#ctx.partition.requireClosure('abortWrite');
    this.#own(rowId);
    parseTxIdArgument(txId, this.#txId);
    const result = this.#data().abortWrite(rowId, this.#txId);
    const p = this.#ctx.partition;
    if (result.status === 'SUCCESS' && p.recording) p.record({ type: 'row.writeAborted', rowId: rowIdBytes(rowId), txId: this.#txId.slice() });
    return result;
  }

  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult {
    this.#ctx.lifecycle.checkWritable();
    this.#ctx.partition.requireClosure('addWriteCommitted');
    guardFirstWrite(this.#ctx);
    this.#own(rowId);
    checkRow(row);
    checkTimestamp(ts);
    const chains = this.#data();
    const result = chains.addWriteCommitted(rowId, row, ts);
    wrote(this.#ctx);
    const p = this.#ctx.partition;
    if (result.status === 'SUCCESS') {
      if (p.recording) p.record({ type: 'row.committedWriteAdded', rowId: rowIdBytes(rowId), row: copyRow(row), timestamp: ts });
      if (p.publishing) p.recordCommitted(rowId, copyRow(row), ts);
    }
    return result;
  }

  scan(ts: bigint): PartitionTimestampCursor {
    this.#ctx.lifecycle.checkRunnable();
    return new PageMvScanCursor(this.#ctx.lifecycle, this.#data(), checkTimestamp(ts));
  }

  scanVersions(rowId: RowId): Cursor<ReadResult> {
    this.#ctx.lifecycle.checkRunnable();
    return new PageArrayCursor(this.#ctx.lifecycle, this.#data().versions(this.#own(rowId)));
  }

  closestRowId(lowerInclusive: RowId): RowId | null {
    this.#ctx.lifecycle.checkRunnable();
    return this.#data().closest(this.#own(lowerInclusive));
  }

  highestRowId(): RowId | null {
    this.#ctx.lifecycle.checkRunnable();
    return this.#data().highest();
  }

  estimatedSize(): number {
    this.#ctx.lifecycle.checkRunnable();
    return this.#data().estimatedSize;
  }

  peek(lowWatermark: bigint, count: number): GcEntry[] {
    this.#ctx.lifecycle.checkRunnable();
    checkTimestamp(lowWatermark);
    checkCount(count);
    return this.#data().peek(lowWatermark, count);
  }

  vacuum(entry: GcEntry): BinaryRow | null {
    this.#ctx.lifecycle.checkRunnable();
    this.#ctx.partition.requireClosure('vacuum');
    if (entry === null || typeof entry !== 'object') throw new InvalidArgumentError('vacuum needs a GC entry { rowId, timestamp }');
    const { rowId, timestamp } = entry;
    this.#own(rowId);
    if (!isTimestamp(timestamp)) return null;
    const chains = this.#data();
    const row = chains.vacuum(rowId, timestamp);
    const p = this.#ctx.partition;
    if (chains.vacuumed && p.recording) p.record({ type: 'row.vacuumed', rowId: rowIdBytes(rowId), timestamp });
    return row;
  }

  lastAppliedIndex(): number {
    this.#ctx.lifecycle.checkReadableMeta();
    return this.#ctx.lifecycle.isRebalancing ? -1 : this.#meta.lastAppliedIndex;
  }

  lastAppliedTerm(): number {
    this.#ctx.lifecycle.checkReadableMeta();
    return this.#ctx.lifecycle.isRebalancing ? -1 : this.#meta.lastAppliedTerm;
  }

  lastApplied(index: number, term: number): void {
    this.#ctx.lifecycle.checkRunnable();
    this.#ctx.partition.requireClosure('lastApplied');
    checkLastApplied(index, term);
    this.#meta.setLastApplied(index, term);
    const p = this.#ctx.partition;
    if (p.recording) p.record({ type: 'partition.lastAppliedSet', index, term });
  }

  committedGroupConfiguration(): Uint8Array | null;
  committedGroupConfiguration(bytes: Uint8Array): void;
  committedGroupConfiguration(bytes?: Uint8Array): Uint8Array | null | void {
    if (bytes === undefined) {
      this.#ctx.lifecycle.checkReadableMeta();
      return this.#ctx.lifecycle.isRebalancing ? null : this.#meta.groupConfig();
    }
    this.#ctx.lifecycle.checkRunnable();
    this.#ctx.partition.requireClosure('committedGroupConfiguration');
    checkGroupConfig(bytes);
    this.#meta.setGroupConfig(bytes);
    const p = this.#ctx.partition;
    if (p.recording) p.record({ type: 'partition.groupConfigSet', bytes: bytes.slice() });
  }

  updateLease(leaseStartTime: bigint, primaryReplicaNodeId: string, primaryReplicaNodeName: string): void {
    this.#ctx.lifecycle.checkRunnable();
    this.#ctx.partition.requireClosure('updateLease');
    checkTimestamp(leaseStartTime);
    if (!parseTxId(primaryReplicaNodeId, this.#nodeId, 0)) {
      throw new InvalidArgumentError(`A primary replica node id must be a UUID string, got ${describeValue(primaryReplicaNodeId)}`);
    }
    if (typeof primaryReplicaNodeName !== 'string') {
      throw new InvalidArgumentError(`A primary replica node name must be a string, got ${describeValue(primaryReplicaNodeName)}`);
    }
    if (!this.#meta.updateLease(leaseStartTime, this.#nodeId, primaryReplicaNodeName)) return;
    const p = this.#ctx.partition;
    if (p.recording) p.record({ type: 'partition.leaseUpdated', leaseStartTime, nodeId: this.#nodeId.slice(), nodeName: primaryReplicaNodeName });
  }

  leaseStartTime(): bigint {
    this.#ctx.lifecycle.checkReadableMeta();
    return this.#ctx.lifecycle.isRebalancing ? MIN_VALUE : this.#meta.leaseStartTime();
  }

  primaryReplicaNodeId(): string | null {
    this.#ctx.lifecycle.checkReadableMeta();
    return this.#ctx.lifecycle.isRebalancing ? null : this.#meta.leaseNodeId();
  }

  primaryReplicaNodeName(): string | null {
    this.#ctx.lifecycle.checkReadableMeta();
    return this.#ctx.lifecycle.isRebalancing ? null : this.#meta.leaseNodeName();
  }

  /** A durable engine's checkpoint request (set by the table storage); null on aimem. */
  durableFlush: ((trigger: boolean) => Promise<void>) | null = null;
  /** The region's write gate (write throttling; set by the table storage) and its closure counter. */
  gate: WriteGate = OPEN_GATE;
  writes: WriteCounter = new WriteCounter();

  /**
   * Resolves once a checkpoint covering every change made before the call has finished; aimem: at once, nothing
   * to flush (rejects when the partition is closed, destroyed or being cleared).
   */
  async flush(trigger?: boolean): Promise<void> {
    this.#ctx.lifecycle.checkWritable();
    checkTrigger(trigger);
    if (this.durableFlush !== null) await this.durableFlush(trigger === true);
  }

  /** Closing a rebalancing partition is refused; closing again, or after destroy, does nothing. */
  close(): void {
    if (this.#ctx.lifecycle.isRebalancing) {
      throw new StorageRebalanceError(`${this.#what} is being rebalanced; finish or abort the rebalance before closing it`);
    }
    this.closeStorage();
  }

  // Table-facing hooks (the table storage drives the lifecycle; see partition-context.ts for the protocol).

  /**
   * CLOSED from any open state, as a table close does it: the 'partition.closed' event, then the aggregate's
   * streams complete. Idempotent. Pages stay (the owner frees them: volatile close, destroy).
   */
  closeStorage(): void {
    const state = this.#ctx.lifecycle.state;
    if (state === 'CLOSED' || state === 'DESTROYED') return;
    this.#ctx.lifecycle.transition('CLOSED');
    this.#ctx.partition.emit('partition.closed');
    this.#ctx.partition.complete();
  }

  /**
   * Writes the estimated size to the meta page if it changed: once per outermost closure (and per replayed batch), not
   * per write — it is read from the page only by a reopen, and reopens happen between closures.
   */
  syncMeta(): void {
    if (this.#chains !== null) this.#meta.syncEstimatedSize(this.#chains.estimatedSize);
  }

  /** PartitionDataOwner: frees both trees (call after the lifecycle transition, before freeList.freeAllPages). */
  destroyData(): void {
    const chains = this.#chains;
    if (chains === null) return;
    this.#setChains(null);
    chains.destroy();
  }

  /** PartitionDataOwner: lets go of the trees without touching a page (their pages are being dropped wholesale). */
  forgetData(): void {
    this.#setChains(null);
  }

  /** The trees, here and in the partition's hints (index entries' row hints read them). */
  #setChains(chains: PageVersionChains | null): void {
    this.#chains = chains;
    this.#ctx.hints.chains = chains;
  }

  /** PartitionDataOwner: new empty trees; lastApplied 0/0, no group configuration, no lease, estimated size 0. */
  resetData(): void {
    this.destroyData();
    this.#setChains(this.#newChains());
    this.#meta.reset(false);
  }

  /** Rebalance start (after resetData): the stored meta says "being rebalanced" (−1/−1, no configuration). */
  beginRebalance(): void {
    this.#meta.reset(true);
  }

  /** Rebalance finish: the meta the rebalance delivered (the bytes are copied). */
  finishRebalance(lastAppliedIndex: number, lastAppliedTerm: number, groupConfig: Uint8Array): void {
    this.#meta.finishRebalance(lastAppliedIndex, lastAppliedTerm, groupConfig);
  }

  /**
   * Applies one recorded row or meta mutation (partition-replay.ts) as it was applied when recorded: no lifecycle or
   * argument checks (it was legal then), and an outcome other than the recorded one is a DataCorruptionError (the
   * pages and the log disagree).
   */
  applyRecorded(m: PartitionMutation): void {
    const chains = this.#data();
    const rowId = 'rowId' in m ? rowIdFromBytes(this.#ctx.partitionId, m.rowId) : null;
    let status = 'SUCCESS';
    switch (m.type) {
      case 'row.writeAdded': status = chains.addWrite(rowId!, m.row, m.txId, m.commitZoneId, m.commitPartitionId).status; break;
      case 'row.writeCommitted': status = chains.commitWrite(rowId!, m.timestamp, m.txId, false).status; break;
      case 'row.writeAborted': status = chains.abortWrite(rowId!, m.txId).status; break;
      case 'row.committedWriteAdded': status = chains.addWriteCommitted(rowId!, m.row, m.timestamp).status; break;
      case 'row.vacuumed':
        chains.vacuum(rowId!, m.timestamp);
        if (!chains.vacuumed) status = 'NOT_QUEUED';
        break;
      case 'partition.lastAppliedSet': this.#meta.setLastApplied(m.index, m.term); break;
      case 'partition.groupConfigSet': this.#meta.setGroupConfig(m.bytes); break;
      case 'partition.leaseUpdated': this.#meta.updateLease(m.leaseStartTime, m.nodeId, m.nodeName); break;
      default: throw new DataCorruptionError(`${this.#what} cannot apply a ${m.type} record`);
    }
    if (status !== 'SUCCESS') throw new DataCorruptionError(`replaying ${m.type} of ${rowId} in ${this.#what} gave ${status}: the log does not match the pages`);
  }

  /** Throws DataCorruptionError when the version chains, GC queue or size disagree (tests, diagnostics). */
  checkInvariants(): VersionChainsShape | null {
    return this.#chains?.checkInvariants() ?? null;
  }

  #newChains(): PageVersionChains {
    const { pageMemory, groupId, partitionId, freeList, rowStore, meta } = this.#ctx;
    const chains = PageVersionChains.create(pageMemory, groupId, partitionId, freeList, rowStore);
    meta.setRoots({ ...meta.roots, chainTree: chains.chainTreeMetaPageId, gcQueue: chains.gcQueueMetaPageId });
    return chains;
  }

  #openChains(): PageVersionChains {
    const { pageMemory, groupId, partitionId, freeList, rowStore, meta } = this.#ctx;
    return PageVersionChains.open(pageMemory, groupId, partitionId, freeList, rowStore, meta.roots.chainTree, meta.roots.gcQueue, meta.estimatedSize);
  }

  #data(): PageVersionChains {
    if (this.#chains === null) throw new StorageDestroyedError(`${this.#what} has no data (destroyed, or being cleared or rebalanced)`);
    return this.#chains;
  }

  #own(rowId: RowId): RowId {
    return checkOwnRowId(rowId, this.#ctx.partitionId, this.#what);
  }
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
