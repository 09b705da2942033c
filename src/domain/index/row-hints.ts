/**
 * Where an index tree gets the row hints of its entries (index-item.layout.ts) and gives them back: the
 * partition's version chains (PageVersionChains implements it). A hint is counted in the anchor it names while an
 * entry holds it, so it never names a reused slot (row-version.layout.ts, "Hint references").
 *
 * Lock context: synchronous, between or inside runConsistently closures, with no tree page pinned.
 */
import type { RowId } from '../storage/row-id';

export interface RowHints {
  /** Counts a hint for a new entry of `rowId`: true with its anchor in pinnedPage/pinnedItem; false: no hint. */
  pinHint(rowId: RowId): boolean;
  readonly pinnedPage: number;
  readonly pinnedItem: number;
  /** Gives back the hint an entry held (the entry is gone). */
  unpinHint(page: number, item: number): void;
  /** Lets `rowId` (just read from an entry) carry the entry's hint to the next read of its row. */
  attachHint(rowId: RowId, page: number, item: number): void;
}

/** For trees whose entries carry no hints (standalone trees in tests and tools). */
export const NO_ROW_HINTS: RowHints = {
  pinHint: () => false,
  pinnedPage: 0,
  pinnedItem: 0,
  unpinHint(): void {},
  attachHint(): void {},
};
