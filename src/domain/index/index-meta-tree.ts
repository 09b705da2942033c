/**
 * The index meta tree of one partition (index-meta.layout.ts): index id → where the index's tree is, its build
 * state and its pending overflow rows. Written whenever one of those changes, so the partition meta page leads to
 * every index of the partition. Not reentrant; synchronous.
 */
import { BTree } from '../btree/btree';
import { BytewiseItemType, BytePrefixKey } from '../btree/btree-item';
import type { PageAllocator } from '../page-memory/page-allocator.port';
import type { PageMemory } from '../page-memory/page-memory.port';
import { FLAG_DATA, readItemId, readPageId, writePageId } from '../page/page-id';
import { RowId } from '../storage/row-id';
import { IndexItemLayout } from './index-item.layout';
import {
  INDEX_KIND_HASH, INDEX_META_FINGERPRINT_OFFSET, INDEX_META_FLAGS_OFFSET, INDEX_META_FLAG_BUILDING, INDEX_META_FLAG_KEY_LENGTH,
  INDEX_META_FLAG_OVERFLOW, INDEX_META_ID_OFFSET,
  INDEX_META_INLINE_OFFSET, INDEX_META_ITEM_SIZE, INDEX_META_ITEM_SIZE_OFFSET, INDEX_META_KIND_OFFSET,
  INDEX_META_NEXT_ROW_ID_OFFSET, INDEX_META_PENDING_OFFSET, INDEX_META_TREE_OFFSET,
} from './index-meta.layout';

/** One index's stored meta. */
export interface IndexMetaRecord {
  readonly indexId: number;
  /** INDEX_KIND_SORTED or INDEX_KIND_HASH. */
  readonly kind: number;
  readonly treeMetaPageId: number;
  /** null: the index is built. */
  readonly nextRowIdToBuild: RowId | null;
  readonly pendingPage: number;
  readonly pendingItem: number;
  readonly inlineSize: number;
  readonly itemSize: number;
  readonly fingerprint: number;
  /** The item layout's shape (with kind and inlineSize it rebuilds the layout). */
  readonly hasOverflow: boolean;
  readonly hasKeyLength: boolean;
}

/** The item layout a stored index meta describes (a fixed key length is the inline size: chooseInlineSize). */
export function storedLayout(rec: IndexMetaRecord): IndexItemLayout {
  return new IndexItemLayout(rec.kind === INDEX_KIND_HASH, rec.inlineSize, rec.hasOverflow, rec.hasKeyLength ? -1 : rec.inlineSize);
}

const ITEM_TYPE = new BytewiseItemType(INDEX_META_ITEM_SIZE, 4);

export class IndexMetaTree {
  #tree: BTree;
  readonly #partitionId: number;
  readonly #pm: PageMemory;
  readonly #groupId: number;
  readonly #allocator: PageAllocator;
  readonly #item = new Uint8Array(INDEX_META_ITEM_SIZE);
  readonly #dv = new DataView(this.#item.buffer);
  readonly #keyBytes = new Uint8Array(4);
  readonly #key = new BytePrefixKey().set(this.#keyBytes, 0, 4);
  readonly #keyDv = new DataView(this.#keyBytes.buffer);

  private constructor(pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator, metaPageId: number | null) {
    this.#pm = pm;
    this.#groupId = groupId;
    this.#partitionId = partitionId;
    this.#allocator = allocator;
    this.#tree = metaPageId === null
      ? BTree.create(pm, groupId, partitionId, allocator, ITEM_TYPE, FLAG_DATA)
      : BTree.open(pm, groupId, partitionId, allocator, ITEM_TYPE, metaPageId, FLAG_DATA);
  }

  static create(pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator): IndexMetaTree {
    return new IndexMetaTree(pm, groupId, partitionId, allocator, null);
  }

  static open(pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator, metaPageId: number): IndexMetaTree {
    return new IndexMetaTree(pm, groupId, partitionId, allocator, metaPageId);
  }

  /** A new empty tree in place of the old one, whose pages were dropped wholesale with the partition's (a clear). */
  resetAfterDrop(): void {
    this.#tree = BTree.create(this.#pm, this.#groupId, this.#partitionId, this.#allocator, ITEM_TYPE, FLAG_DATA);
  }

  get metaPageId(): number {
    return this.#tree.metaPageId;
  }

  get(indexId: number): IndexMetaRecord | null {
    if (!this.#tree.findOne(this.#setKey(indexId), this.#item)) return null;
    return this.#decode();
  }

  /** Inserts or replaces the meta of `rec.indexId` (may run out of memory when it is new: nothing changes then). */
  put(rec: IndexMetaRecord): void {
    const dv = this.#dv;
    this.#item.fill(0);
    dv.setUint32(INDEX_META_ID_OFFSET, rec.indexId);
    dv.setUint8(INDEX_META_KIND_OFFSET, rec.kind);
    dv.setUint8(INDEX_META_FLAGS_OFFSET, (rec.nextRowIdToBuild === null ? 0 : INDEX_META_FLAG_BUILDING)
      | (rec.hasOverflow ? INDEX_META_FLAG_OVERFLOW : 0) | (rec.hasKeyLength ? INDEX_META_FLAG_KEY_LENGTH : 0));
    dv.setUint16(INDEX_META_INLINE_OFFSET, rec.inlineSize, true);
    writePageId(dv, INDEX_META_TREE_OFFSET, rec.treeMetaPageId);
    rec.nextRowIdToBuild?.writeUuidBytes(dv, INDEX_META_NEXT_ROW_ID_OFFSET);
    writePageId(dv, INDEX_META_PENDING_OFFSET, rec.pendingPage, rec.pendingItem);
    dv.setUint16(INDEX_META_ITEM_SIZE_OFFSET, rec.itemSize, true);
    dv.setUint32(INDEX_META_FINGERPRINT_OFFSET, rec.fingerprint, true);
    this.#tree.put(this.#item);
  }

  remove(indexId: number): boolean {
    return this.#tree.remove(this.#setKey(indexId));
  }

  destroy(): void {
    this.#tree.destroy();
  }

  checkInvariants(): void {
    this.#tree.checkInvariants();
  }

  #setKey(indexId: number): BytePrefixKey {
    this.#keyDv.setUint32(0, indexId);
    return this.#key;
  }

  #decode(): IndexMetaRecord {
    const dv = this.#dv;
    const flags = dv.getUint8(INDEX_META_FLAGS_OFFSET);
    const building = (flags & INDEX_META_FLAG_BUILDING) !== 0;
    return {
      indexId: dv.getUint32(INDEX_META_ID_OFFSET),
      kind: dv.getUint8(INDEX_META_KIND_OFFSET),
      treeMetaPageId: readPageId(dv, INDEX_META_TREE_OFFSET),
      nextRowIdToBuild: building ? RowId.readUuidBytes(this.#partitionId, dv, INDEX_META_NEXT_ROW_ID_OFFSET) : null,
      pendingPage: readPageId(dv, INDEX_META_PENDING_OFFSET),
      pendingItem: readItemId(dv, INDEX_META_PENDING_OFFSET),
      inlineSize: dv.getUint16(INDEX_META_INLINE_OFFSET, true),
      itemSize: dv.getUint16(INDEX_META_ITEM_SIZE_OFFSET, true),
      fingerprint: dv.getUint32(INDEX_META_FINGERPRINT_OFFSET, true),
      hasOverflow: (flags & INDEX_META_FLAG_OVERFLOW) !== 0,
      hasKeyLength: (flags & INDEX_META_FLAG_KEY_LENGTH) !== 0,
    };
  }
}
