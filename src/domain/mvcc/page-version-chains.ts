/**
 * The MVCC data of one partition on pages (DESIGN.md §4, §6): the VersionChainTree (RowId → anchor link,
 * version-chain.layout.ts), row versions and anchors in data pages (row-version.layout.ts) and the GC queue
 * (gc-queue.ts). Semantics are those of test/support/reference-engine/version-chains.ts, operation by operation;
 * the writes live in chain-writes.ts and chain-vacuum.ts, the shared lookup in chain-core.ts.
 *
 * Arguments are validated by the caller (RowIds of this partition, timestamps in range, txIds as 16 bytes). Reads
 * take one tree descent — none when the RowId carries a valid hint (an index lookup attaches one) — and one data
 * page read for a committed head; allocation is limited to result objects, their rows and txId strings. Not
 * reentrant; single-threaded. Every page comes from `allocator` (the partition's free list), so `destroy` + freeing
 * the free list's pages returns every page.
 *
 * Row hints of index entries: `pinHint` gives an index entry the anchor of its row and counts the reference in the
 * anchor (at most MAX_HINT_REFS; beyond, no hint); `unpinHint` drops it when the entry goes. A counted anchor
 * outlives its chain as a dead stub, so a stored hint never names a reused slot.
 */
import { BTree } from '../btree/btree';
import type { BTreeCursor } from '../btree/btree-cursor';
import type { RowStore } from '../datapage/row-store';
import type { PageAllocator } from '../page-memory/page-allocator.port';
import type { PageMemory } from '../page-memory/page-memory.port';
import { FLAG_DATA } from '../page/page-id';
import { DataCorruptionError } from '../shared/errors';
import type { BinaryRow } from '../storage/binary-row';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, GcEntry, ReadResult,
} from '../storage/results';
import { RowId } from '../storage/row-id';
import { ChainCore } from './chain-core';
import { ChainVacuum } from './chain-vacuum';
import { ChainWrites } from './chain-writes';
import { GcQueue } from './gc-queue';
import { TimestampHalves, compareTs, tsBigint } from './hybrid-ts-bytes';
import { committedRead, emptyRead, writeIntentRead } from './mv-results';
import { MAX_HINT_REFS } from './row-version.layout';
import { RowVersions } from './row-versions';
import { checkVersionChains, type VersionChainsShape } from './version-chain-invariants';
import { CHAIN_ANCHOR_OFFSET, CHAIN_ITEM_SIZE, VERSION_CHAIN_ITEM_TYPE } from './version-chain.layout';
import { partitionLinkItem, partitionLinkPage } from '../datapage/partition-link';

const VISIBLE_NONE = 0;
const VISIBLE_INTENT = 1;
const VISIBLE_COMMITTED = 2;

export class PageVersionChains {
  readonly #core: ChainCore;
  readonly #writes: ChainWrites;
  readonly #vacuum: ChainVacuum;
  readonly #ts = new TimestampHalves();
  readonly #found = new Uint8Array(CHAIN_ITEM_SIZE);
  readonly #foundDv = new DataView(this.#found.buffer);
  /** Newest commit under a visible intent (#resolve): whether there is one, and its halves. */
  #newestKnown = false;
  #newestHi = 0;
  #newestLo = 0;
  #lastTsHi = 0;
  #lastTsLo = 0;
  #lastTs = 0n;
  /** Whether the last vacuum found its entry queued (and removed versions). */
  vacuumed = false;
  /** The anchor the last successful pinHint counted. */
  pinnedPage = 0;
  pinnedItem = 0;

  private constructor(core: ChainCore) {
    this.#core = core;
    this.#writes = new ChainWrites(core);
    this.#vacuum = new ChainVacuum(core);
  }

  /** New empty trees in page group `groupId` of `pm`, pages from `allocator` (the partition's free list). */
  static create(pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator, rowStore: RowStore): PageVersionChains {
    const tree = BTree.create(pm, groupId, partitionId, allocator, VERSION_CHAIN_ITEM_TYPE, FLAG_DATA);
    let gc: GcQueue;
    try {
      gc = GcQueue.create(pm, groupId, partitionId, allocator);
    } catch (e) {
      tree.destroy();
      throw e;
    }
    return new PageVersionChains(new ChainCore(tree, gc, new RowVersions(rowStore, partitionId), partitionId));
  }

  /**
   * The chains whose trees have the meta pages `chainTreeMeta` and `gcQueueMeta` (existing pages: a reopen);
   * `estimatedSize` as the partition meta page recorded it.
   */
  static open(
    pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator, rowStore: RowStore,
    chainTreeMeta: number, gcQueueMeta: number, estimatedSize: number,
  ): PageVersionChains {
    const tree = BTree.open(pm, groupId, partitionId, allocator, VERSION_CHAIN_ITEM_TYPE, chainTreeMeta, FLAG_DATA);
    const gc = GcQueue.open(pm, groupId, partitionId, allocator, gcQueueMeta);
    const core = new ChainCore(tree, gc, new RowVersions(rowStore, partitionId), partitionId);
    core.estimatedSize = estimatedSize;
    return new PageVersionChains(core);
  }

  /** Meta pages of the chain tree and the GC queue: what the partition meta page records. */
  get chainTreeMetaPageId(): number {
    return this.#core.tree.metaPageId;
  }

  get gcQueueMetaPageId(): number {
    return this.#core.gc.tree.metaPageId;
  }

  /** Rows whose newest commit is a row (maintained incrementally; never below 0). */
  get estimatedSize(): number {
    return this.#core.estimatedSize;
  }

  /** Number of chains (RowIds with at least one version). */
  get chainCount(): number {
    return this.#core.tree.size();
  }

  /** The committed row of the last commitWrite that asked for it (see commitWrite). */
  get committedRow(): BinaryRow | null {
    return this.#writes.committedRow;
  }

  set committedRow(row: BinaryRow | null) {
    this.#writes.committedRow = row;
  }

  read(rowId: RowId, ts: bigint): ReadResult {
    const core = this.#core;
    const hinted = rowId.hintPageFor(core, core.epoch);
    if (hinted !== 0) {
      const t = this.#ts.set(ts);
      const versions = core.versions;
      if (versions.readVisibleHead(hinted, rowId.hintItem, t.hi, t.lo)) {
        return committedRead(rowId, versions.headRow, this.#commitTs(versions.commitHi, versions.commitLo));
      }
    }
    if (!core.locate(rowId)) return emptyRead(rowId);
    return this.#result(rowId, ts, false)!;
  }

  /**
   * The read of the chain whose tree item a caller copied to `buf[off..]` (scan cursors). `rowId`: the result's
   * RowId, or null to make it from the item's bytes. `skipInvisible`: null instead of a result when nothing at ts is
   * a row or an intent (a committed tombstone, or nothing committed yet). `dv`: a view of `buf` (a cursor's itemDv);
   * without it, one is made when the RowId is read from the item.
   */
  readItem(rowId: RowId | null, buf: Uint8Array, off: number, ts: bigint, skipInvisible: boolean, dv?: DataView): ReadResult | null {
    const core = this.#core;
    const versions = core.versions;
    const t = this.#ts.set(ts);
    const at = off + CHAIN_ANCHOR_OFFSET;
    if (versions.readVisibleHead(partitionLinkPage(buf, at, core.partitionId), partitionLinkItem(buf, at), t.hi, t.lo)) {
      if (versions.headRow === null && skipInvisible) return null;
      return committedRead(rowId ?? this.#itemRowId(buf, off, dv), versions.headRow,
        this.#commitTs(versions.commitHi, versions.commitLo));
    }
    core.locateItem(buf, off);
    return this.#result(rowId ?? this.#itemRowId(buf, off, dv), ts, skipInvisible);
  }

  /** The RowId of the chain item at `buf[off..]` (`dv`: a view of `buf`, if the caller has one). */
  #itemRowId(buf: Uint8Array, off: number, dv: DataView | undefined): RowId {
    return RowId.readUuidBytes(this.#core.partitionId, dv ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength), off);
  }

  /** Every version, newest first (an intent's newestCommitTimestamp is null here, as in the reference). */
  versions(rowId: RowId): ReadResult[] {
    const out: ReadResult[] = [];
    const { versions } = this.#core;
    if (!this.#core.locate(rowId)) return out;
    for (;;) {
      if (versions.isWriteIntent) {
        out.push(writeIntentRead(rowId, versions.rowOfHeader(), versions.txIdString(), versions.commitZoneId, versions.commitPartitionId, null));
      } else {
        out.push(committedRead(rowId, versions.rowOfHeader(), versions.commitTimestamp()));
      }
      if (!versions.hasNext) return out;
      versions.readVersion(versions.nextPage, versions.nextItem);
    }
  }

  addWrite(rowId: RowId, row: BinaryRow | null, txId: Uint8Array, commitZoneId: number, commitPartitionId: number): AddWriteResult {
    return this.#writes.addWrite(rowId, row, txId, commitZoneId, commitPartitionId);
  }

  /** `wantRow`: also leave the committed row (null for a tombstone) in `committedRow`. */
  commitWrite(rowId: RowId, ts: bigint, txId: Uint8Array, wantRow: boolean): CommitResult {
    const t = this.#ts.set(ts);
    return this.#writes.commitWrite(rowId, t.hi, t.lo, txId, wantRow);
  }

  abortWrite(rowId: RowId, txId: Uint8Array): AbortResult {
    return this.#writes.abortWrite(rowId, txId);
  }

  /** The caller's row is copied into the data pages (it may change its bytes afterwards). */
  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult {
    const t = this.#ts.set(ts);
    return this.#writes.addWriteCommitted(rowId, row, t.hi, t.lo);
  }

  /** The first RowId ≥ `lowerInclusive` with a chain, or null. */
  closest(lowerInclusive: RowId): RowId | null {
    const core = this.#core;
    if (!core.tree.findNext(core.setKey(lowerInclusive), true, this.#found)) return null;
    return RowId.readUuidBytes(core.partitionId, this.#foundDv, 0);
  }

  highest(): RowId | null {
    if (!this.#core.tree.findLast(this.#found)) return null;
    return RowId.readUuidBytes(this.#core.partitionId, this.#foundDv, 0);
  }

  /** A new cursor over all chain items in RowId order (survives concurrent modification, btree-cursor.ts). */
  openCursor(): BTreeCursor {
    return this.#core.tree.cursor(null, true, null, true);
  }

  peek(lowWatermark: bigint, count: number): GcEntry[] {
    const t = this.#ts.set(lowWatermark);
    return this.#core.gc.peek(t.hi, t.lo, count, this.#core.partitionId);
  }

  /**
   * Vacuums the queued entry (ts, rowId) and returns the newest removed row (null for a tombstone); null, and
   * nothing changed, when the entry is not queued — `vacuumed` tells the two nulls apart.
   */
  vacuum(rowId: RowId, ts: bigint): BinaryRow | null {
    const core = this.#core;
    const t = this.#ts.set(ts);
    core.setKey(rowId);
    this.vacuumed = core.gc.remove(t.hi, t.lo, core.item, 0);
    if (!this.vacuumed) return null;
    return this.#vacuum.vacuum(rowId, t.hi, t.lo);
  }

  /**
   * Counts a row hint for a new index entry of `rowId`: true with the anchor in pinnedPage/pinnedItem, false when
   * the RowId has no chain or its anchor's count is saturated (pinnedPage/pinnedItem name it then; the entry gets
   * no hint).
   */
  pinHint(rowId: RowId): boolean {
    const core = this.#core;
    const versions = core.versions;
    if (!core.locate(rowId)) return false;
    this.pinnedPage = core.anchorPage;
    this.pinnedItem = core.anchorItem;
    if (versions.anchorRefs >= MAX_HINT_REFS) return false;
    versions.writeAnchorRefs(core.anchorPage, core.anchorItem, versions.anchorRefs + 1);
    return true;
  }

  /** Drops a hint reference an index entry held (the entry is gone); a dead anchor goes with its last reference. */
  unpinHint(page: number, item: number): void {
    const core = this.#core;
    const versions = core.versions;
    versions.readAnchorByte(page, item);
    const refs = versions.anchorRefs;
    if (refs === 0) throw new DataCorruptionError(`an index hint names the anchor at page ${page} item ${item}, which counts no hints`);
    if (versions.anchorDead && refs === 1) {
      versions.remove(page, item);
      core.anchorRemoved();
      return;
    }
    versions.writeAnchorRefs(page, item, refs - 1);
  }

  /** Rows read from now on are valid only until the next read (RowBytesPool.transient), until set false again. */
  set transientRows(on: boolean) {
    this.#core.versions.transientRows = on;
  }

  /** Gives `rowId` the row hint an index entry held (page 0: none), valid as of now. */
  attachHint(rowId: RowId, page: number, item: number): void {
    if (page !== 0) rowId.attachHint(this.#core, page, item, this.#core.epoch);
  }

  /** Frees every page of both trees (the versions' data pages go with the free list's freeAllPages). */
  destroy(): void {
    this.#core.tree.destroy();
    this.#core.gc.destroy();
  }

  /** Throws DataCorruptionError on the first broken rule (version-chain-invariants.ts). */
  checkInvariants(): VersionChainsShape {
    const core = this.#core;
    return checkVersionChains(core.tree, core.gc, core.versions, core.estimatedSize, core.partitionId);
  }

  /** The result of reading at ts the chain whose anchor was just read (see readItem for `skipInvisible`). */
  #result(rowId: RowId, ts: bigint, skipInvisible: boolean): ReadResult | null {
    const versions = this.#core.versions;
    const t = this.#ts.set(ts);
    switch (this.#resolve(t.hi, t.lo)) {
      case VISIBLE_INTENT: {
        const newest = this.#newestKnown ? tsBigint(this.#newestHi, this.#newestLo) : null;
        return writeIntentRead(rowId, versions.rowOfHeader(), versions.txIdString(), versions.commitZoneId, versions.commitPartitionId, newest);
      }
      case VISIBLE_COMMITTED:
        if (skipInvisible && versions.isTombstone) return null;
        return committedRead(rowId, versions.rowOfHeader(), this.#commitTs(versions.commitHi, versions.commitLo));
      default:
        return skipInvisible ? null : emptyRead(rowId);
    }
  }

  /** The commit timestamp (hi, lo) as a bigint; the last one is cached (rows written together share theirs). */
  #commitTs(hi: number, lo: number): bigint {
    if (hi !== this.#lastTsHi || lo !== this.#lastTsLo) {
      this.#lastTsHi = hi;
      this.#lastTsLo = lo;
      this.#lastTs = tsBigint(hi, lo);
    }
    return this.#lastTs;
  }

  /** Which version is visible at ts (hi, lo); its header is left in `versions` (the intent's for INTENT). */
  #resolve(hi: number, lo: number): number {
    const versions = this.#core.versions;
    this.#newestKnown = false;
    if (versions.isWriteIntent) {
      if (!versions.hasNext) return VISIBLE_INTENT;
      const intentPage = versions.page;
      const intentItem = versions.item;
      versions.readVersion(versions.nextPage, versions.nextItem);
      if (compareTs(hi, lo, versions.commitHi, versions.commitLo) > 0) {
        this.#newestKnown = true;
        this.#newestHi = versions.commitHi;
        this.#newestLo = versions.commitLo;
        versions.readVersion(intentPage, intentItem);
        return VISIBLE_INTENT;
      }
    }
    for (;;) {
      if (compareTs(versions.commitHi, versions.commitLo, hi, lo) <= 0) return VISIBLE_COMMITTED;
      if (!versions.hasNext) return VISIBLE_NONE;
      versions.readVersion(versions.nextPage, versions.nextItem);
    }
  }
}
