/**
 * vacuum on one chain (DESIGN.md §6; semantics of test/support/reference-engine/version-chains.ts): the GC entry
 * (ts, RowId) was just taken off the queue; remove every version older than the one committed at ts and hand back
 * the newest removed row. The removed versions that had something under them had GC entries of their own: those go
 * too. When the version at ts is a tombstone it is now alone at the bottom, so it goes as well ("a tombstone left
 * alone is removed with its last value"); the version above it becomes the oldest (its GC entry goes), or the
 * chain loses its newest commit (under an intent) or its item (when nothing is left).
 *
 * Nothing here allocates pages (removals only), so no step can fail half-way for lack of memory.
 */
import { INVOKE_IN_PLACE, INVOKE_NOOP, INVOKE_REMOVE, type InvokeOutcome } from '../btree/btree';
import { DataCorruptionError } from '../shared/errors';
import { ChainClosure } from './chain-closure';

export class VacuumClosure extends ChainClosure {
  #hi = 0;
  #lo = 0;
  // The version above the one at ts (0 = it is the head), and what it is.
  #abovePage = 0;
  #aboveItem = 0;
  #aboveIsIntent = false;
  #aboveHi = 0;
  #aboveLo = 0;
  /** Item id of the version at ts (its page is what #findVersion returns). */
  #foundItem = 0;

  prepare(hi: number, lo: number): this {
    this.#hi = hi;
    this.#lo = lo;
    return this;
  }

  protected apply(found: boolean): InvokeOutcome {
    if (!found) throw new DataCorruptionError('GC queue entry names a RowId without a version chain');
    const { item, versions } = this;
    const page = this.#findVersion(item.headPage, item.headItem);
    const slot = this.#foundItem;
    const tombstone = versions.isTombstone;
    if (versions.nextPage === 0) throw new DataCorruptionError('GC queue entry names the oldest version of its chain');
    this.#removeFrom(versions.nextPage, versions.nextItem);
    if (!tombstone) {
      versions.setNext(page, slot, 0, 0);
      return INVOKE_NOOP;
    }
    versions.remove(page, slot);
    if (this.#abovePage === 0) return INVOKE_REMOVE;
    versions.setNext(this.#abovePage, this.#aboveItem, 0, 0);
    if (!this.#aboveIsIntent) {
      this.gc.remove(this.#aboveHi, this.#aboveLo, this.rowId, 0);
      return INVOKE_NOOP;
    }
    item.setNewest(0, 0, 0, 0, false);
    return INVOKE_IN_PLACE;
  }

  /** Walks from the head to the version committed at ts (its header stays in `versions`); returns its page. */
  #findVersion(page: number, slot: number): number {
    const versions = this.versions;
    this.#abovePage = 0;
    for (;;) {
      if (page === 0) throw new DataCorruptionError('GC queue entry names a commit timestamp its chain does not have');
      versions.readHeader(page, slot);
      if (!versions.isWriteIntent && versions.commitHi === this.#hi && versions.commitLo === this.#lo) {
        this.#foundItem = slot;
        return page;
      }
      this.#abovePage = page;
      this.#aboveItem = slot;
      this.#aboveIsIntent = versions.isWriteIntent;
      this.#aboveHi = versions.commitHi;
      this.#aboveLo = versions.commitLo;
      const nextPage = versions.nextPage;
      slot = versions.nextItem;
      page = nextPage;
    }
  }

  /** Removes the versions from the link to the oldest; `row` = the first one's row. */
  #removeFrom(page: number, slot: number): void {
    const versions = this.versions;
    this.row = versions.readRow(page, slot);
    for (;;) {
      const nextPage = versions.nextPage;
      const nextItem = versions.nextItem;
      if (nextPage !== 0) this.gc.remove(versions.commitHi, versions.commitLo, this.rowId, 0);
      versions.remove(page, slot);
      if (nextPage === 0) return;
      page = nextPage;
      slot = nextItem;
      versions.readHeader(page, slot);
    }
  }
}
