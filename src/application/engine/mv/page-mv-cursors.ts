/**
 * Cursors of the page-based MV partition storage. Every call checks, in this order: closed by the caller
 * (StorageClosedError), then the partition lifecycle since the cursor opened (StorageLifecycle.checkCursor: a
 * close, destroy, clear or rebalance that happened since fails it for good, with that transition's error).
 * `for..of` drains a cursor; leaving the loop early closes it.
 *
 * PageMvScanCursor is live: it walks the version chain tree with a B+ tree cursor (which re-seeks after concurrent
 * changes, btree-cursor.ts) and resolves each row as of ts when it reaches it. scanVersions uses PageArrayCursor
 * (page-cursor.ts) over the versions of one row, read at once so that no link into data pages is kept across calls
 * — a vacuum in between could free those versions.
 */
import type { BTreeCursor } from '../../../domain/btree/btree-cursor';
import type { PageVersionChains } from '../../../domain/mvcc/page-version-chains';
import { StorageError } from '../../../domain/shared/errors';
import type { BinaryRow } from '../../../domain/storage/binary-row';
import type { ReadResult } from '../../../domain/storage/results';
import type { RowId } from '../../../domain/storage/row-id';
import type { PartitionTimestampCursor } from '../../../domain/storage/storage-engine.api';
import { checkTimestamp } from './mv-arguments';
import { noSuchElement, PageCursor } from './page-cursor';
import type { StorageLifecycle } from './storage-lifecycle';

export class PageMvScanCursor extends PageCursor<ReadResult> implements PartitionTimestampCursor {
  readonly #chains: PageVersionChains;
  readonly #cursor: BTreeCursor;
  readonly #ts: bigint;
  /** The result hasNext found and next has not returned yet. */
  #cached: ReadResult | null = null;
  /** The row the last next returned; null before the first next and once exhausted. */
  #current: RowId | null = null;
  #finished = false;
  #reuseRows = false;

  constructor(lifecycle: StorageLifecycle, chains: PageVersionChains, ts: bigint) {
    super(lifecycle);
    this.#chains = chains;
    this.#cursor = chains.openCursor();
    this.#ts = ts;
  }

  hasNext(): boolean {
    this.guard();
    if (this.#cached !== null) return true;
    if (this.#finished) return false;
    const c = this.#cursor;
    const chains = this.#chains;
    const reuse = this.#reuseRows;
    if (reuse) chains.transientRows = true;
    try {
      while (c.next()) {
        const result = chains.readItem(null, c.itemBuf, c.itemOff, this.#ts, true, c.itemDv);
        if (result !== null) {
          this.#cached = result;
          return true;
        }
      }
    } finally {
      if (reuse) chains.transientRows = false;
    }
    this.#finished = true;
    this.#current = null;
    return false;
  }

  reuseRows(): void {
    this.guard();
    this.#reuseRows = true;
  }

  next(): ReadResult {
    if (!this.hasNext()) throw noSuchElement();
    const result = this.#cached!;
    this.#cached = null;
    this.#current = result.rowId;
    return result;
  }

  committed(ts: bigint): BinaryRow | null {
    this.guard();
    if (this.#current === null) {
      throw new StorageError('committed() needs a current row: call it after next() and before the cursor is exhausted', 'NO_CURRENT_ROW');
    }
    return this.#chains.read(this.#current, checkTimestamp(ts)).binaryRow;
  }

  override close(): void {
    super.close();
    this.#cursor.close();
  }
}
