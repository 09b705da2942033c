/**
 * HashIndexStorage on page memory (aimem now, aipersist's page cache later, unchanged): a HashIndexTree in the
 * partition's pages; keys encoded with every column ascending, nulls first (hashKeyPlan), so keys equal by value
 * ('1.5' and '1.50', -0 and 0) have equal bytes and equal hashes. Checks and lifecycle: page-index-base.ts.
 * get() takes the RowIds of the key when called. Hot paths reuse the storage's encoder and the tree's scratch.
 */
import { HashIndexTree } from '../../../domain/index/hash-index-tree';
import { KeyEncoder } from '../../../domain/index/key-codec';
import { hashKeyPlan } from '../../../domain/index/key-hash';
import type { Cursor } from '../../../domain/storage/cursor';
import type { HashIndexDescriptor, IndexRow } from '../../../domain/storage/index-descriptors';
import type { RowId } from '../../../domain/storage/row-id';
import type { HashIndexStorage } from '../../../domain/storage/storage-engine.api';
import { PageIndexStorageBase } from './page-index-base';
import { PageArrayCursor } from './page-index-cursor';
import type { PartitionContext } from './partition-context';

export class PageHashIndexStorage extends PageIndexStorageBase<HashIndexTree> implements HashIndexStorage {
  readonly descriptor: HashIndexDescriptor;

  constructor(ctx: PartitionContext, descriptor: HashIndexDescriptor) {
    const columns = descriptor.columns;
    super(ctx, descriptor.id, descriptor.primary === true, new KeyEncoder(hashKeyPlan(columns)), (pages) => new HashIndexTree(pages, columns));
    this.descriptor = descriptor;
  }

  get(key: readonly unknown[]): Cursor<RowId> {
    this.checkReadable(true);
    const len = this.encodeKey(key);
    const rowIds: RowId[] = [];
    this.tree.rowIdsOf(this.encoder.buffer, len, rowIds);
    return new PageArrayCursor(this, rowIds);
  }

  put(row: IndexRow): void {
    this.checkPut();
    const len = this.encodeKey(row.key);
    const rowId = this.checkRowId(row.rowId);
    if (this.tree.put(this.encoder.buffer, len, rowId)) this.record(true, row.key, rowId);
  }

  remove(row: IndexRow): void {
    this.checkRemove();
    const len = this.encodeKey(row.key);
    const rowId = this.checkRowId(row.rowId);
    if (this.tree.remove(this.encoder.buffer, len, rowId)) this.record(false, row.key, rowId);
  }
}
