/**
 * The MVCC data of one partition on pages (DESIGN.md §4, §6): the VersionChainTree (RowId → chain item,
 * version-chain.layout.ts), row versions in data pages (row-version.layout.ts) and the GC queue (gc-queue.ts).
 * Semantics are those of test/support/reference-engine/version-chains.ts, operation by operation.
 *
 * Arguments are validated by the caller (RowIds of this partition, timestamps in range, txIds as 16 bytes).
 * Hot paths (read, addWrite, commitWrite, abortWrite, addWriteCommitted): one tree descent each (`invoke` for the
 * writes), page access through scratch objects owned here, allocation limited to the result objects, their rows
 * and txId strings. Not reentrant; single-threaded. Trees and versions allocate pages through `allocator` (the
 * partition's free list), so `destroy` + freeing the free list's pages returns every page.
 */
import { BTree } from '../btree/btree';
import type { BTreeCursor } from '../btree/btree-cursor';
import { ItemKey } from '../btree/btree-item';
import type { RowStore } from '../datapage/row-store';
import type { PageAllocator } from '../page-memory/page-allocator.port';
import type { PageMemory } from '../page-memory/page-memory.port';
import type { BinaryRow } from '../storage/binary-row';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, GcEntry, ReadResult,
} from '../storage/results';
import { RowId } from '../storage/row-id';
import type { ChainClosure } from './chain-closure';
import { AddWriteCommittedClosure, CommitWriteClosure } from './commit.closure';
import { GcQueue } from './gc-queue';
import { TimestampHalves, compareTs } from './hybrid-ts-bytes';
import {
  ABORT_NO_WRITE_INTENT, ADD_WRITE_COMMITTED_SUCCESS, COMMIT_NO_WRITE_INTENT, COMMIT_SUCCESS, abortSuccess,
  abortTxMismatch, addWriteSuccess, addWriteTxMismatch, commitTxMismatch, committedRead, emptyRead, writeIntentExists,
  writeIntentRead,
} from './mv-results';
import { RowVersions } from './row-versions';
import { formatTxId } from './tx-id-bytes';
import { checkVersionChains, type VersionChainsShape } from './version-chain-invariants';
import { ChainItem, VERSION_CHAIN_ITEM_TYPE } from './version-chain.layout';
import { VacuumClosure } from './vacuum.closure';
import { AbortWriteClosure, AddWriteClosure } from './write-intent.closure';

const VISIBLE_NONE = 0;
const VISIBLE_INTENT = 1;
const VISIBLE_COMMITTED = 2;

export class PageVersionChains {
  readonly #tree: BTree;
  readonly #gc: GcQueue;
  readonly #versions: RowVersions;
  readonly #partitionId: number;
  /** Key scratch: RowId bytes at 0 (the rest unused); also the RowId the closures see. */
  readonly #keyItem = new ChainItem();
  readonly #key = new ItemKey(VERSION_CHAIN_ITEM_TYPE).set(this.#keyItem.buf, 0);
  /** The RowId whose bytes #keyItem holds (nothing else writes #keyItem). */
  #keyRowId: RowId | null = null;
  /** The item of a read (findOne copies it here). */
  readonly #found = new ChainItem();
  readonly #ts = new TimestampHalves();
  readonly #addWrite: AddWriteClosure;
  readonly #abort: AbortWriteClosure;
  readonly #commit: CommitWriteClosure;
  readonly #addCommitted: AddWriteCommittedClosure;
  readonly #vacuum: VacuumClosure;
  /** Link of the version #resolve found visible. */
  #visiblePage = 0;
  #visibleItem = 0;
  #estimatedSize = 0;
  /** The committed row of the last commitWrite that asked for it (see commitWrite). */
  committedRow: BinaryRow | null = null;
  /** Whether the last vacuum found its entry queued (and removed versions). */
  vacuumed = false;

  private constructor(tree: BTree, gc: GcQueue, versions: RowVersions, partitionId: number) {
    this.#tree = tree;
    this.#gc = gc;
    this.#versions = versions;
    this.#partitionId = partitionId;
    const rowId = this.#keyItem.buf;
    this.#addWrite = new AddWriteClosure(versions, gc, rowId);
    this.#abort = new AbortWriteClosure(versions, gc, rowId);
    this.#commit = new CommitWriteClosure(versions, gc, rowId);
    this.#addCommitted = new AddWriteCommittedClosure(versions, gc, rowId);
    this.#vacuum = new VacuumClosure(versions, gc, rowId);
  }

  /** New empty trees in page group `groupId` of `pm`, pages from `allocator` (the partition's free list). */
  static create(pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator, rowStore: RowStore): PageVersionChains {
    const tree = BTree.create(pm, groupId, partitionId, allocator, VERSION_CHAIN_ITEM_TYPE);
    let gc: GcQueue;
    try {
      gc = GcQueue.create(pm, groupId, partitionId, allocator);
    } catch (e) {
      tree.destroy();
      throw e;
    }
    return new PageVersionChains(tree, gc, new RowVersions(rowStore), partitionId);
  }

  /** Rows whose newest commit is a row (maintained incrementally; never below 0). */
  get estimatedSize(): number {
    return this.#estimatedSize;
  }

  /** Number of chains (RowIds with at least one version). */
  get chainCount(): number {
    return this.#tree.size();
  }

  read(rowId: RowId, ts: bigint): ReadResult {
    if (!this.#tree.findOne(this.#setKey(rowId), this.#found.buf)) return emptyRead(rowId);
    return this.readItem(rowId, this.#found, ts, false)!;
  }

  /**
   * The read of an item the caller copied (scan cursors). `rowId`: the result's RowId, or null to make it from the
   * item's bytes (only when a result is built). `skipInvisible`: return null instead of a result when nothing at ts
   * is a row or an intent (a committed tombstone, or nothing committed yet).
   */
  readItem(rowId: RowId | null, item: ChainItem, ts: bigint, skipInvisible: boolean): ReadResult | null {
    const versions = this.#versions;
    const t = this.#ts.set(ts);
    switch (this.#resolve(item, t.hi, t.lo)) {
      case VISIBLE_INTENT:
        return this.#intentRead(rowId ?? this.#rowIdOf(item), item, item.newestTimestamp());
      case VISIBLE_COMMITTED:
        if (skipInvisible && versions.isTombstone) return null;
        return committedRead(rowId ?? this.#rowIdOf(item), versions.rowOfHeader(this.#visiblePage, this.#visibleItem),
          versions.commitTimestamp());
      default:
        return skipInvisible ? null : emptyRead(rowId ?? this.#rowIdOf(item));
    }
  }

  /** Every version, newest first (an intent's newestCommitTimestamp is null here, as in the reference). */
  versions(rowId: RowId): ReadResult[] {
    const out: ReadResult[] = [];
    const item = this.#found;
    if (!this.#tree.findOne(this.#setKey(rowId), item.buf)) return out;
    const versions = this.#versions;
    if (item.hasWriteIntent) out.push(this.#intentRead(rowId, item, null));
    let page = item.newestPage;
    let slot = item.newestItem;
    while (page !== 0) {
      versions.readHeader(page, slot);
      out.push(committedRead(rowId, versions.rowOfHeader(page, slot), versions.commitTimestamp()));
      page = versions.nextPage;
      slot = versions.nextItem;
    }
    return out;
  }

  addWrite(rowId: RowId, row: BinaryRow | null, txId: Uint8Array, commitZoneId: number, commitPartitionId: number): AddWriteResult {
    const c = this.#invoke(rowId, this.#addWrite.prepare(row, txId, commitZoneId, commitPartitionId));
    if (c.status === 'SUCCESS') return addWriteSuccess(c.row);
    return addWriteTxMismatch(formatTxId(c.intentTxId, 0), c.item.newestTimestamp());
  }

  /** `wantRow`: also leave the committed row (null for a tombstone) in `committedRow`. */
  commitWrite(rowId: RowId, ts: bigint, txId: Uint8Array, wantRow: boolean): CommitResult {
    const t = this.#ts.set(ts);
    const c = this.#invoke(rowId, this.#commit.prepare(t.hi, t.lo, txId, wantRow));
    this.committedRow = c.row;
    if (c.status === 'SUCCESS') return COMMIT_SUCCESS;
    if (c.status === 'NO_WRITE_INTENT') return COMMIT_NO_WRITE_INTENT;
    return commitTxMismatch(formatTxId(c.intentTxId, 0));
  }

  abortWrite(rowId: RowId, txId: Uint8Array): AbortResult {
    const c = this.#invoke(rowId, this.#abort.prepare(txId));
    if (c.status === 'SUCCESS') return abortSuccess(c.row);
    if (c.status === 'NO_WRITE_INTENT') return ABORT_NO_WRITE_INTENT;
    return abortTxMismatch(formatTxId(c.intentTxId, 0));
  }

  /** The caller's row is copied into the data pages (it may change its bytes afterwards). */
  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult {
    const t = this.#ts.set(ts);
    const c = this.#invoke(rowId, this.#addCommitted.prepare(row, t.hi, t.lo));
    if (c.status === 'SUCCESS') return ADD_WRITE_COMMITTED_SUCCESS;
    return writeIntentExists(formatTxId(c.intentTxId, 0), c.item.newestTimestamp());
  }

  /** The first RowId ≥ `lowerInclusive` with a chain, or null. */
  closest(lowerInclusive: RowId): RowId | null {
    if (!this.#tree.findNext(this.#setKey(lowerInclusive), true, this.#found.buf)) return null;
    return RowId.readUuidBytes(this.#partitionId, this.#found.dv, 0);
  }

  highest(): RowId | null {
    if (!this.#tree.findLast(this.#found.buf)) return null;
    return RowId.readUuidBytes(this.#partitionId, this.#found.dv, 0);
  }

  /** A new cursor over all chain items in RowId order (survives concurrent modification, btree-cursor.ts). */
  openCursor(): BTreeCursor {
    return this.#tree.cursor(null, true, null, true);
  }

  peek(lowWatermark: bigint, count: number): GcEntry[] {
    const t = this.#ts.set(lowWatermark);
    return this.#gc.peek(t.hi, t.lo, count, this.#partitionId);
  }

  /**
   * Vacuums the queued entry (ts, rowId) and returns the newest removed row (null for a tombstone); null, and
   * nothing changed, when the entry is not queued — `vacuumed` tells the two nulls apart.
   */
  vacuum(rowId: RowId, ts: bigint): BinaryRow | null {
    const t = this.#ts.set(ts);
    this.vacuumed = this.#gc.remove(t.hi, t.lo, this.#setKey(rowId).buf, 0);
    if (!this.vacuumed) return null;
    return this.#invoke(rowId, this.#vacuum.prepare(t.hi, t.lo)).row;
  }

  /** Frees every page of both trees (the versions' data pages go with the free list's freeAllPages). */
  destroy(): void {
    this.#tree.destroy();
    this.#gc.destroy();
  }

  /** Throws DataCorruptionError on the first broken rule (version-chain-invariants.ts). */
  checkInvariants(): VersionChainsShape {
    return checkVersionChains(this.#tree, this.#gc, this.#versions, this.#estimatedSize);
  }

  /** The read result of the item's write intent (its txId and commit target come from the intent's header). */
  #intentRead(rowId: RowId, item: ChainItem, newestCommitTimestamp: bigint | null): ReadResult {
    const versions = this.#versions;
    const row = versions.readRow(item.headPage, item.headItem);
    return writeIntentRead(rowId, row, versions.txIdString(), versions.commitZoneId, versions.commitPartitionId, newestCommitTimestamp);
  }

  #rowIdOf(item: ChainItem): RowId {
    return RowId.readUuidBytes(this.#partitionId, item.dv, 0);
  }

  #setKey(rowId: RowId): ItemKey {
    // RowIds are immutable: the same object (addWrite, then commitWrite of one row) keeps its encoded bytes.
    if (rowId !== this.#keyRowId) {
      rowId.writeUuidBytes(this.#keyItem.dv, 0);
      this.#keyRowId = rowId;
    }
    return this.#key;
  }

  #invoke<C extends ChainClosure>(rowId: RowId, closure: C): C {
    try {
      this.#tree.invoke(this.#setKey(rowId), closure);
    } catch (e) {
      closure.undoPendingPut();
      throw e;
    }
    this.#estimatedSize += closure.sizeDelta;
    return closure;
  }

  /** Which version of `item` is visible at ts (hi, lo); for COMMITTED its header is left in #versions. */
  #resolve(item: ChainItem, hi: number, lo: number): number {
    if (item.hasWriteIntent && (!item.hasCommit || compareTs(hi, lo, item.newestTsHi, item.newestTsLo) > 0)) return VISIBLE_INTENT;
    const versions = this.#versions;
    let page = item.newestPage;
    let slot = item.newestItem;
    while (page !== 0) {
      versions.readHeader(page, slot);
      if (compareTs(versions.commitHi, versions.commitLo, hi, lo) <= 0) {
        this.#visiblePage = page;
        this.#visibleItem = slot;
        return VISIBLE_COMMITTED;
      }
      page = versions.nextPage;
      slot = versions.nextItem;
    }
    return VISIBLE_NONE;
  }
}
