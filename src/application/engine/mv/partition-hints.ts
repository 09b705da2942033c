/**
 * The row hints of one partition's index entries (domain/index/row-hints.ts), served by the partition's current
 * version chains: the MV storage sets `chains` whenever it creates them (creation, clear, rebalance) and clears it
 * when it drops them, so the indexes never hold on to a replaced instance.
 */
import type { PageVersionChains } from '../../../domain/mvcc/page-version-chains';
import type { RowHints } from '../../../domain/index/row-hints';
import type { RowId } from '../../../domain/storage/row-id';

export class PartitionHints implements RowHints {
  chains: PageVersionChains | null = null;
  pinnedPage = 0;
  pinnedItem = 0;

  pinHint(rowId: RowId): boolean {
    const chains = this.chains;
    if (chains === null || !chains.pinHint(rowId)) return false;
    this.pinnedPage = chains.pinnedPage;
    this.pinnedItem = chains.pinnedItem;
    return true;
  }

  unpinHint(page: number, item: number): void {
    this.chains?.unpinHint(page, item);
  }

  attachHint(rowId: RowId, page: number, item: number): void {
    this.chains?.attachHint(rowId, page, item);
  }
}
