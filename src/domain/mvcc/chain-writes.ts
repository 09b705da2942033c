/**
 * The write operations on one version chain (DESIGN.md §6, §6.1; semantics of test/support/reference-engine/
 * version-chains.ts, operation by operation), on anchored chains (row-version.layout.ts):
 *
 * - a new head is pushed by copying the anchor's version to a new row (it becomes the older version; a redirect
 *   anchor's target simply stays where it is) and rewriting the anchor with the new version pointing at it;
 * - a head is dropped (abort, a commit that changes nothing) by moving the next version back into the anchor — or
 *   redirecting the anchor to it when it does not fit — or, when there is none, by ending the chain;
 * - commitWrite rewrites the intent as committed in the anchor (it only shrinks);
 * - a commit over an older commit queues (ts, RowId) for GC before anything else changes;
 * - commit timestamps increase per row: a commit (commitWrite, addWriteCommitted — also one that would leave no
 *   version) at or before the row's newest committed version throws CommitTimestampOrderError, nothing changed;
 * - tombstones that change nothing leave no version behind; `estimatedSize` follows the newest commit.
 *
 * Failure atomicity: steps that allocate (a new row, a GC entry, a tree item) come first and are undone in reverse
 * when a later one runs out of memory; the anchor rewrite is last. Results follow mv-results.ts.
 */
import { RowLink } from '../datapage/row-link';
import type { BinaryRow } from '../storage/binary-row';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult,
} from '../storage/results';
import type { RowId } from '../storage/row-id';
import { CommitTimestampOrderError } from '../shared/errors';
import type { ChainCore } from './chain-core';
import { compareTs, tsBigint } from './hybrid-ts-bytes';
import { CHAIN_ITEM_SIZE } from './version-chain.layout';
import {
  ABORT_NO_WRITE_INTENT, ADD_WRITE_COMMITTED_SUCCESS, COMMIT_NO_WRITE_INTENT, COMMIT_SUCCESS, abortSuccess,
  abortTxMismatch, addWriteSuccess, addWriteTxMismatch, commitTxMismatch, writeIntentExists,
} from './mv-results';

export class ChainWrites {
  readonly #link = new RowLink();
  readonly #copy = new RowLink();
  /** The committed row of the last commitWrite that asked for it (null for a tombstone or when not asked). */
  committedRow: BinaryRow | null = null;

  constructor(readonly core: ChainCore) {}

  addWrite(rowId: RowId, row: BinaryRow | null, txId: Uint8Array, zone: number, part: number): AddWriteResult {
    const { core } = this;
    const versions = core.versions;
    if (!core.hinted(rowId) && this.#tryNewChain(rowId, versions.encodeIntent(row, txId, zone, part, 0, 0, 0))) return addWriteSuccess(null);
    if (!core.locate(rowId)) {
      this.#newChain(rowId, versions.encodeIntent(row, txId, zone, part, 0, 0, 0));
      return addWriteSuccess(null);
    }
    if (versions.isWriteIntent) {
      if (!versions.isIntentOf(txId, 0)) return addWriteTxMismatch(versions.txIdString(), this.#newestCommitTs());
      const previous = versions.rowOfHeader();
      this.#rewriteHead(versions.encodeIntent(row, txId, zone, part, versions.nextPage, versions.nextItem, versions.anchorRefs));
      return addWriteSuccess(previous);
    }
    const refs = versions.anchorRefs;
    const older = this.#pushHead();
    try {
      versions.setAnchor(core.anchorPage, core.anchorItem, versions.encodeIntent(row, txId, zone, part, older.pageId, older.itemId, refs));
    } catch (e) {
      this.#undoPush(older);
      throw e;
    }
    return addWriteSuccess(null);
  }

  abortWrite(rowId: RowId, txId: Uint8Array): AbortResult {
    const { core } = this;
    const versions = core.versions;
    if (!core.locate(rowId) || !versions.isWriteIntent) return ABORT_NO_WRITE_INTENT;
    if (!versions.isIntentOf(txId, 0)) return abortTxMismatch(versions.txIdString());
    const row = versions.rowOfHeader();
    this.#dropHead();
    return abortSuccess(row);
  }

  /** `wantRow`: also leave the committed row (null for a tombstone) in `committedRow`. */
  commitWrite(rowId: RowId, hi: number, lo: number, txId: Uint8Array, wantRow: boolean): CommitResult {
    const { core } = this;
    const versions = core.versions;
    this.committedRow = null;
    if (!core.locate(rowId) || !versions.isWriteIntent) return COMMIT_NO_WRITE_INTENT;
    if (!versions.isIntentOf(txId, 0)) return commitTxMismatch(versions.txIdString());
    const hasCommit = versions.hasNext;
    let newestWasTombstone = false;
    if (hasCommit) {
      versions.peekCommitted(versions.nextPage, versions.nextItem);
      checkOrder(rowId, hi, lo, versions.peekHi, versions.peekLo);
      newestWasTombstone = versions.peekTombstone;
    }
    const tombstone = versions.isTombstone;
    if (wantRow) this.committedRow = versions.rowOfHeader();
    if (tombstone && (!hasCommit || newestWasTombstone)) {
      this.#dropHead();
      return COMMIT_SUCCESS;
    }
    if (hasCommit) core.gc.add(hi, lo, core.item, 0);
    try {
      this.#rewriteHead(versions.encodeFromLast(true, hi, lo, versions.nextPage, versions.nextItem, versions.anchorRefs));
    } catch (e) {
      if (hasCommit) core.gc.remove(hi, lo, core.item, 0);
      throw e;
    }
    core.estimatedSize += liveDelta(hasCommit, newestWasTombstone, tombstone);
    return COMMIT_SUCCESS;
  }

  addWriteCommitted(rowId: RowId, row: BinaryRow | null, hi: number, lo: number): AddWriteCommittedResult {
    const { core } = this;
    const versions = core.versions;
    const tombstone = row === null;
    if (!tombstone && !core.hinted(rowId) && this.#tryNewChain(rowId, versions.encodeCommitted(row, hi, lo, 0, 0, 0))) {
      core.estimatedSize++;
      return ADD_WRITE_COMMITTED_SUCCESS;
    }
    if (!core.locate(rowId)) {
      if (tombstone) return ADD_WRITE_COMMITTED_SUCCESS;
      this.#newChain(rowId, versions.encodeCommitted(row, hi, lo, 0, 0, 0));
      core.estimatedSize++;
      return ADD_WRITE_COMMITTED_SUCCESS;
    }
    if (versions.isWriteIntent) return writeIntentExists(versions.txIdString(), this.#newestCommitTs());
    checkOrder(rowId, hi, lo, versions.commitHi, versions.commitLo);
    const wasTombstone = versions.isTombstone;
    if (tombstone && wasTombstone) return ADD_WRITE_COMMITTED_SUCCESS;
    const refs = versions.anchorRefs;
    const older = this.#pushHead();
    try {
      core.gc.add(hi, lo, core.item, 0);
    } catch (e) {
      this.#undoPush(older);
      throw e;
    }
    try {
      versions.setAnchor(core.anchorPage, core.anchorItem, versions.encodeCommitted(row, hi, lo, older.pageId, older.itemId, refs));
    } catch (e) {
      core.gc.remove(hi, lo, core.item, 0);
      this.#undoPush(older);
      throw e;
    }
    core.estimatedSize += liveDelta(true, wasTombstone, tombstone);
    return ADD_WRITE_COMMITTED_SUCCESS;
  }

  /** A chain for the version in the versions' scratch: anchor first, then the tree item (undone when that fails). */
  #newChain(rowId: RowId, len: number): void {
    const { core } = this;
    const anchor = core.versions.newAnchor(len, this.#link);
    try {
      core.addChain(rowId, anchor.pageId, anchor.itemId);
    } catch (e) {
      this.#dropAnchor(anchor.pageId, anchor.itemId);
      throw e;
    }
  }

  /**
   * A new chain for a RowId that carries no hint (most often a row never written): anchor first, then the tree item
   * in one descent instead of a search and an insert. True when the chain is new. False, with nothing changed, when
   * the RowId had a chain after all (written through another RowId object of the same id): the caller goes the usual
   * way.
   */
  #tryNewChain(rowId: RowId, len: number): boolean {
    const { core } = this;
    const anchor = core.versions.newAnchor(len, this.#link);
    let existed: boolean;
    try {
      existed = core.putChain(rowId, anchor.pageId, anchor.itemId, this.#oldItem);
    } catch (e) {
      this.#dropAnchor(anchor.pageId, anchor.itemId);
      throw e;
    }
    if (!existed) return true;
    core.restoreChain(this.#oldItem);
    this.#dropAnchor(anchor.pageId, anchor.itemId);
    return false;
  }

  readonly #oldItem = new Uint8Array(CHAIN_ITEM_SIZE);

  /** Removes an anchor no tree item names (and the row a redirect anchor points to). */
  #dropAnchor(page: number, item: number): void {
    const versions = this.core.versions;
    versions.readAnchor(page, item);
    if (versions.anchorRedirect) versions.remove(versions.page, versions.item);
    versions.remove(page, item);
  }

  /**
   * The head version (read by locate) as a row of its own, for it to become the older version under a new head:
   * a redirect anchor's target already is one; an inline version is copied.
   */
  #pushHead(): RowLink {
    const versions = this.core.versions;
    if (versions.anchorRedirect) return this.#copy.set(versions.page, versions.item);
    return versions.insertScratch(versions.encodeCopyOf(versions.page, versions.item, versions.rowLength, 0), this.#copy);
  }

  /**
   * Undoes #pushHead after a later step failed: removes the copy it made (a redirect target stays). The anchor's
   * fields are still those #pushHead saw: nothing in between reads another anchor.
   */
  #undoPush(older: RowLink): void {
    if (!this.core.versions.anchorRedirect) this.core.versions.remove(older.pageId, older.itemId);
  }

  /**
   * Drops the head version (read by locate; an intent): the next version moves into the anchor (or the anchor
   * redirects to it when it does not fit); without one the chain ends. Allocates nothing.
   */
  #dropHead(): void {
    const { core } = this;
    const versions = core.versions;
    const oldRedirect = versions.anchorRedirect;
    const oldPage = versions.page;
    const oldItem = versions.item;
    if (!versions.hasNext) {
      core.killChain();
      return;
    }
    const refs = versions.anchorRefs;
    const nextPage = versions.nextPage;
    const nextItem = versions.nextItem;
    versions.readVersion(nextPage, nextItem);
    const len = versions.rowLength;
    if (len <= versions.maxInline && versions.inlineAnchor(core.anchorPage, core.anchorItem, versions.encodeCopyOf(nextPage, nextItem, len, refs))) {
      versions.remove(nextPage, nextItem);
    } else {
      versions.redirectAnchor(core.anchorPage, core.anchorItem, refs, nextPage, nextItem);
    }
    if (oldRedirect) versions.remove(oldPage, oldItem);
  }

  /** Replaces the head version (read by locate) with the scratch version, keeping its next link. */
  #rewriteHead(len: number): void {
    const { core } = this;
    const versions = core.versions;
    const oldRedirect = versions.anchorRedirect;
    const oldPage = versions.page;
    const oldItem = versions.item;
    versions.setAnchor(core.anchorPage, core.anchorItem, len);
    if (oldRedirect) versions.remove(oldPage, oldItem);
  }

  /** The newest commit timestamp under the intent read by locate, or null (re-reads nothing else). */
  #newestCommitTs(): bigint | null {
    const versions = this.core.versions;
    if (!versions.hasNext) return null;
    versions.readVersion(versions.nextPage, versions.nextItem);
    return versions.commitTimestamp();
  }
}

/**
 * Commit timestamps increase per row: a commit at (hi, lo) over a newest committed version at (newestHi, newestLo)
 * that is not older is refused before anything changes (it would hide that version from every later read).
 */
function checkOrder(rowId: RowId, hi: number, lo: number, newestHi: number, newestLo: number): void {
  if (compareTs(hi, lo, newestHi, newestLo) > 0) return;
  throw new CommitTimestampOrderError(rowId.toString(), tsBigint(hi, lo), tsBigint(newestHi, newestLo));
}

/**
 * Live-row accounting of DESIGN.md §6 (estimatedSize counts rows whose newest commit is a row): the change when a
 * commit of a row (or tombstone) lands on a chain whose newest commit was a row, a tombstone, or absent.
 */
export function liveDelta(hadCommit: boolean, newestWasTombstone: boolean, tombstone: boolean): number {
  const wasLive = hadCommit && !newestWasTombstone;
  if (tombstone) return wasLive ? -1 : 0;
  return wasLive ? 0 : 1;
}
