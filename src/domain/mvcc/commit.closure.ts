/**
 * commitWrite and addWriteCommitted on one chain (DESIGN.md §6, §6.1): a committed version lands on top of the
 * chain's committed versions. Rules shared by both:
 * - a tombstone over nothing or over a tombstone changes nothing and leaves no version (a committed intent
 *   tombstone is removed);
 * - a commit over an older commit queues (ts, RowId) for GC — before anything else changes, so that running out
 *   of memory there leaves the chain as it was (commitWrite takes the entry back when its rewrite then fails);
 * - commitWrite rewrites the intent without its intent meta (row-version.layout.ts); when the rewrite moves the
 *   version, head and newest commit follow the new link (the item is written back by this same invoke);
 * - `sizeDelta` follows the newest commit from row to tombstone and back (chain-closure.ts liveDelta).
 */
import { INVOKE_IN_PLACE, INVOKE_NOOP, INVOKE_REMOVE, type InvokeOutcome } from '../btree/btree';
import { copyBytes } from '../datapage/byte-copy';
import type { BinaryRow } from '../storage/binary-row';
import { ChainClosure, liveDelta } from './chain-closure';
import { TX_ID_BYTES } from './tx-id-bytes';

export class CommitWriteClosure extends ChainClosure {
  readonly #txId = new Uint8Array(TX_ID_BYTES);
  #hi = 0;
  #lo = 0;
  #wantRow = false;

  /** `wantRow`: read the committed row into `row` (for change publication; costs a value read). */
  prepare(hi: number, lo: number, txId: Uint8Array, wantRow: boolean): this {
    this.#hi = hi;
    this.#lo = lo;
    copyBytes(txId, 0, this.#txId, 0, TX_ID_BYTES);
    this.#wantRow = wantRow;
    return this;
  }

  protected apply(found: boolean): InvokeOutcome {
    const { item, versions } = this;
    if (!found || !item.hasWriteIntent) {
      this.status = 'NO_WRITE_INTENT';
      return INVOKE_NOOP;
    }
    const page = item.headPage;
    const slot = item.headItem;
    versions.readHeader(page, slot);
    if (!versions.isIntentOf(this.#txId, 0)) return this.refuse('TX_MISMATCH');
    const tombstone = versions.isTombstone;
    if (this.#wantRow) this.row = versions.rowOfHeader(page, slot);
    if (tombstone && (!item.hasCommit || item.newestIsTombstone)) {
      versions.remove(page, slot);
      if (!item.hasCommit) return INVOKE_REMOVE;
      item.setHead(item.newestPage, item.newestItem);
      item.clearIntent();
      return INVOKE_IN_PLACE;
    }
    const link = this.link;
    if (item.hasCommit) this.gc.add(this.#hi, this.#lo, this.rowId, 0);
    try {
      versions.commitIntent(page, slot, this.#hi, this.#lo, link);
    } catch (e) {
      if (item.hasCommit) this.gc.remove(this.#hi, this.#lo, this.rowId, 0);
      throw e;
    }
    this.sizeDelta = liveDelta(item.hasCommit, item.newestIsTombstone, tombstone);
    item.setHead(link.pageId, link.itemId);
    item.setNewest(link.pageId, link.itemId, this.#hi, this.#lo, tombstone);
    item.clearIntent();
    return INVOKE_IN_PLACE;
  }
}

export class AddWriteCommittedClosure extends ChainClosure {
  #newRow: BinaryRow | null = null;
  #hi = 0;
  #lo = 0;

  prepare(row: BinaryRow | null, hi: number, lo: number): this {
    this.#newRow = row;
    this.#hi = hi;
    this.#lo = lo;
    return this;
  }

  protected apply(found: boolean): InvokeOutcome {
    const { item, versions, link } = this;
    const row = this.#newRow;
    this.#newRow = null;
    if (found && item.hasWriteIntent) {
      versions.readHeader(item.headPage, item.headItem);
      return this.refuse('WRITE_INTENT_EXISTS');
    }
    // A chain without an intent always has a commit: `found` says whether there is an older version.
    const tombstone = row === null;
    if (tombstone && (!found || item.newestIsTombstone)) return INVOKE_NOOP;
    versions.insert(row, this.#hi, this.#lo, found ? item.headPage : 0, found ? item.headItem : 0, link);
    if (found) {
      try {
        this.gc.add(this.#hi, this.#lo, this.rowId, 0);
      } catch (e) {
        versions.remove(link.pageId, link.itemId);
        throw e;
      }
    }
    this.sizeDelta = liveDelta(found, found && item.newestIsTombstone, tombstone);
    item.setHead(link.pageId, link.itemId);
    item.setNewest(link.pageId, link.itemId, this.#hi, this.#lo, tombstone);
    return this.written(found);
  }
}
