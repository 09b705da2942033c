/**
 * The sorted index tree (DESIGN §4 "Indexes"): items (encoded key, RowId) ordered by the whole encoded key — so by
 * the index order of every column, ASC/DESC and nulls placement included (key-codec.ts) — then by RowId. Key
 * prefix inline, whole key in an overflow row when longer (index-item.layout.ts, index-item-tree.ts).
 *
 * Scans use byte ranges (key-bounds.ts: lower inclusive, upper exclusive) as IndexSearchKeys without RowId.
 */
import type { RowId } from '../storage/row-id';
import type { KeyColumn } from './column-values';
import { IndexItemTree, type IndexTreePages } from './index-item-tree';
import { IndexSearchKey } from './index-item-type';
import { IndexItemLayout } from './index-item.layout';

export class SortedIndexTree extends IndexItemTree {
  /** A new empty tree, or (metaPageId) the existing one. */
  constructor(pages: IndexTreePages, columns: readonly KeyColumn[], metaPageId: number | null = null, pending: { page: number; item: number } | null = null) {
    super(pages, IndexItemLayout.forColumns(false, columns, pages.pageMemory.pageSize), metaPageId, pending);
  }

  /** Adds the entry (key = key[0..keyLen), encoded); false when it was there already. */
  put(key: Uint8Array, keyLen: number, rowId: RowId): boolean {
    return this.putEntry(key, keyLen, 0, rowId);
  }

  /** Removes the entry; false when it was not there. */
  remove(key: Uint8Array, keyLen: number, rowId: RowId): boolean {
    return this.removeEntry(key, keyLen, 0, rowId);
  }

  contains(key: Uint8Array, keyLen: number, rowId: RowId): boolean {
    return this.containsEntry(key, keyLen, 0, rowId);
  }

  /** Appends the RowIds stored under the key, ascending. */
  rowIdsOf(key: Uint8Array, keyLen: number, out: RowId[]): void {
    this.collectRowIds(key, keyLen, 0, out);
  }

  /** A search key of this tree (a scan bound, or a cursor's re-seek position); the caller sets and owns it. */
  newSearchKey(): IndexSearchKey {
    return new IndexSearchKey(this.keys);
  }
}
