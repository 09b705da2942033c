/**
 * HashIndexStorage on page memory (aimem now, aipersist's page cache later, unchanged): a HashIndexTree in the
 * partition's pages; keys encoded with every column ascending, nulls first (hashKeyPlan), so keys equal by value
 * ('1.5' and '1.50', -0 and 0) have equal bytes and equal hashes. Checks and lifecycle: page-index-base.ts.
 * get() takes the RowIds of the key when called. Hot paths reuse the storage's encoder and the tree's scratch.
 */
import { HashIndexTree } from '../../../domain/index/hash-index-tree';
import { KeyEncoder } from '../../../domain/index/key-codec';
import { hashKeyPlan } from '../../../domain/index/key-hash';
import type { HashIndexDescriptor } from '../../../domain/storage/index-descriptors';
import type { HashIndexStorage } from '../../../domain/storage/storage-engine.api';
import { PageIndexStorageBase } from './page-index-base';
import type { IndexMetaRecord } from '../../../domain/index/index-meta-tree';
import { INDEX_KIND_HASH } from '../../../domain/index/index-meta.layout';
import type { PartitionContext } from './partition-context';

export class PageHashIndexStorage extends PageIndexStorageBase<HashIndexTree> implements HashIndexStorage {
  readonly descriptor: HashIndexDescriptor;

  /** `stored`: the index's meta when it exists on the partition's pages (a reopen), else null (a new index). */
  constructor(ctx: PartitionContext, descriptor: HashIndexDescriptor, stored: IndexMetaRecord | null = null) {
    const columns = descriptor.columns;
    super(ctx, descriptor.id, descriptor.primary === true, new KeyEncoder(hashKeyPlan(columns)), INDEX_KIND_HASH, columns,
      (pages, metaPageId, pending) => new HashIndexTree(pages, columns, metaPageId, pending), stored);
    this.descriptor = descriptor;
  }

}
