/**
 * The hash index tree (DESIGN §4 "Indexes"): items (hash, encoded key, RowId) ordered by the 32-bit key hash
 * (key-hash.ts), then the whole encoded key, then RowId; the RowIds of a key are one contiguous run. Keys are
 * encoded with every column ascending, nulls first (hashKeyPlan), so equal values have equal bytes. Key prefix
 * inline, whole key in an overflow row when longer (index-item.layout.ts, index-item-tree.ts).
 */
import type { RowId } from '../storage/row-id';
import type { KeyColumn } from './column-values';
import { IndexItemTree, type IndexTreePages } from './index-item-tree';
import { IndexItemLayout } from './index-item.layout';
import { hashKey } from './key-hash';

export class HashIndexTree extends IndexItemTree {
  /** A new empty tree, or (metaPageId) the existing one. */
  constructor(pages: IndexTreePages, columns: readonly KeyColumn[], metaPageId: number | null = null, pending: { page: number; item: number } | null = null) {
    super(pages, IndexItemLayout.forColumns(true, columns, pages.pageMemory.pageSize), metaPageId, pending);
  }

  /** Adds the entry (key = key[0..keyLen), encoded with hashKeyPlan); false when it was there already. */
  put(key: Uint8Array, keyLen: number, rowId: RowId): boolean {
    return this.putEntry(key, keyLen, hashKey(key, 0, keyLen), rowId);
  }

  /** Removes the entry; false when it was not there. */
  remove(key: Uint8Array, keyLen: number, rowId: RowId): boolean {
    return this.removeEntry(key, keyLen, hashKey(key, 0, keyLen), rowId);
  }

  contains(key: Uint8Array, keyLen: number, rowId: RowId): boolean {
    return this.containsEntry(key, keyLen, hashKey(key, 0, keyLen), rowId);
  }

  /** Appends the RowIds stored under the key (ascending). */
  rowIdsOf(key: Uint8Array, keyLen: number, out: RowId[]): void {
    this.collectRowIds(key, keyLen, hashKey(key, 0, keyLen), out);
  }
}
