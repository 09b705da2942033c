/**
 * vacuum on one chain (DESIGN.md §6; semantics of test/support/reference-engine/version-chains.ts): the GC entry
 * (ts, RowId) was just taken off the queue; remove every version older than the one committed at ts and hand back
 * the newest removed row. The removed versions that had something under them had GC entries of their own: those go
 * too. When the version at ts is a tombstone it is now alone at the bottom, so it goes as well ("a tombstone left
 * alone is removed with its last value"); the version above it becomes the oldest (its GC entry goes), or the
 * chain ends (when the tombstone was its head).
 *
 * The version that becomes the oldest keeps its HAS_NEXT flag with an empty link (cleared in place, so no row
 * moves); the next rewrite of that version drops it. Nothing here allocates pages, so no step can fail half-way.
 */
import type { BinaryRow } from '../storage/binary-row';
import type { RowId } from '../storage/row-id';
import { DataCorruptionError } from '../shared/errors';
import type { ChainCore } from './chain-core';

export class ChainVacuum {
  // The version above the one at ts (abovePage 0: it is the head), and what it is.
  #abovePage = 0;
  #aboveItem = 0;
  #aboveIsIntent = false;
  #aboveHi = 0;
  #aboveLo = 0;

  constructor(readonly core: ChainCore) {}

  /** Removes what the queued entry (ts, rowId) made garbage; returns the newest removed row (null: a tombstone). */
  vacuum(rowId: RowId, hi: number, lo: number): BinaryRow | null {
    const { core } = this;
    const versions = core.versions;
    if (!core.locate(rowId)) throw new DataCorruptionError(`GC queue entry names ${rowId}, which has no version chain`);
    this.#findVersion(hi, lo);
    const vPage = versions.page;
    const vItem = versions.item;
    const tombstone = versions.isTombstone;
    if (!versions.hasNext) throw new DataCorruptionError(`GC queue entry names the oldest version of ${rowId}`);
    const row = this.#removeFrom(versions.nextPage, versions.nextItem);
    if (!tombstone) {
      versions.clearNext(vPage, vItem);
      return row;
    }
    if (this.#abovePage === 0) {
      versions.readAnchor(core.anchorPage, core.anchorItem);
      core.killChain();
      return row;
    }
    versions.clearNext(this.#abovePage, this.#aboveItem);
    versions.remove(vPage, vItem);
    if (!this.#aboveIsIntent) core.gc.remove(this.#aboveHi, this.#aboveLo, core.item, 0);
    return row;
  }

  /** Walks from the head (read by locate) to the version committed at ts; its header stays in `versions`. */
  #findVersion(hi: number, lo: number): void {
    const versions = this.core.versions;
    this.#abovePage = 0;
    for (;;) {
      if (!versions.isWriteIntent && versions.commitHi === hi && versions.commitLo === lo) return;
      if (!versions.hasNext) throw new DataCorruptionError('GC queue entry names a commit timestamp its chain does not have');
      this.#abovePage = versions.page;
      this.#aboveItem = versions.item;
      this.#aboveIsIntent = versions.isWriteIntent;
      this.#aboveHi = versions.commitHi;
      this.#aboveLo = versions.commitLo;
      versions.readVersion(versions.nextPage, versions.nextItem);
    }
  }

  /** Removes the versions from the link to the oldest (never an anchor); returns the first one's row. */
  #removeFrom(page: number, item: number): BinaryRow | null {
    const { core } = this;
    const versions = core.versions;
    const row = versions.readRow(page, item);
    for (;;) {
      const nextPage = versions.nextPage;
      const nextItem = versions.nextItem;
      if (nextPage !== 0) core.gc.remove(versions.commitHi, versions.commitLo, core.item, 0);
      versions.remove(page, item);
      if (nextPage === 0) return row;
      page = nextPage;
      item = nextItem;
      versions.readVersion(page, item);
    }
  }
}
