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
import type { PartitionContext } from './partition-context';

export class PageHashIndexStorage extends PageIndexStorageBase<HashIndexTree> implements HashIndexStorage {
  readonly descriptor: HashIndexDescriptor;

  constructor(ctx: PartitionContext, descriptor: HashIndexDescriptor) {
    const columns = descriptor.columns;
    super(ctx, descriptor.id, descriptor.primary === true, new KeyEncoder(hashKeyPlan(columns)), (pages) => new HashIndexTree(pages, columns));
    this.descriptor = descriptor;
  }

}
