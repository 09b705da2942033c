/**
 * The state one B+ tree instance works with, and the page primitives its operations share: meta cache, node
 * formatting, descent, locate. Internal to src/domain/btree (the public face is btree.ts).
 *
 * Lifetimes: the instance is the only writer of its pages; it caches the meta fields (root, levels, count, first
 * pages) and writes the meta page whenever one of them changes. The four PageViews are owned here and reused by
 * every operation; no view stays filled when a public operation returns (nothing pinned between calls).
 * Not reentrant: callbacks that run while a page is pinned (invoke closures) must not call back into the tree.
 */
import type { PageAllocator } from '../page-memory/page-allocator.port';
import { PageView, type PageMemory } from '../page-memory/page-memory.port';
import { PAGE_TYPE_OFFSET, PAGE_VERSION_OFFSET } from '../page/page-header.layout';
import { readPageId, writePageId } from '../page/page-id';
import { PAGE_TYPE_BTREE_META } from '../page/page-types';
import { DataCorruptionError } from '../shared/errors';
import { copyBytes, searchBound } from './btree-bytes';
import { ItemKey, type BTreeItemType, type BTreeKey } from './btree-item';
import {
  BTREE_META_MAGIC, BTREE_META_VERSION, MAX_LEVELS, META_COUNT_OFFSET, META_FLAGS_OFFSET, META_FLAG_DESTROYING,
  META_ITEM_SIZE_OFFSET, META_LEVELS_OFFSET, META_MAGIC_OFFSET, META_ROOT_OFFSET, metaFirstPageOffset,
} from './btree-meta.layout';
import {
  BTREE_NODE_VERSION, INNER_CHILD0_OFFSET, LEAF_ITEMS_OFFSET, NODE_COUNT_OFFSET, NODE_LEFT_OFFSET, NODE_LEVEL_OFFSET,
  NODE_RESERVED_OFFSET, NODE_RIGHT_OFFSET, PAGE_ID_SIZE, innerCapacity, leafCapacity, minFill,
} from './btree-node.layout';

export class BTreeCore {
  readonly itemSize: number;
  /** Bytes of one inner entry: separator key + child page id. */
  readonly entrySize: number;
  readonly leafCap: number;
  readonly innerCap: number;
  readonly leafMin: number;
  readonly innerMin: number;

  root = 0;
  levels = 1;
  count = 0;
  /** destroy() has started (persisted in the meta page); only destroy() may run. */
  destroying = false;
  /** destroy() finished: the meta page is gone too. */
  metaFreed = false;
  /** firstPages[l]: leftmost page of level l (see btree-meta.layout.ts). */
  readonly firstPages = new Float64Array(MAX_LEVELS);
  /** Bumped by every modification; cursors re-seek when it moved. */
  modCount = 0;

  readonly v0 = new PageView();
  readonly v1 = new PageView();
  readonly v2 = new PageView();
  readonly v3 = new PageView();

  /** The last descent: pathPage[l] is the page of level l on it, pathIdx[l] the child taken there (l ≥ 1). */
  readonly pathPage = new Float64Array(MAX_LEVELS);
  readonly pathIdx = new Int32Array(MAX_LEVELS);
  /** Result of locate(): the leaf and the position of the match or of the insertion point. */
  leafId = 0;
  leafPos = 0;

  /** Key over `item`/caller items for item-keyed descents (put, re-seek). */
  readonly itemKey: ItemKey;
  /**
   * Two pages' worth of body bytes: splits and merges assemble the combined content here. Made at the first split or
   * merge: most trees of a partition opened never split in a run (500 partitions of 5 trees held 80 MB of these).
   */
  #scratch: Uint8Array | null = null;
  #scratchDv: DataView | null = null;

  get scratch(): Uint8Array {
    return (this.#scratch ??= new Uint8Array(2 * this.pm.pageSize + 2 * this.entrySize));
  }

  get scratchDv(): DataView {
    return (this.#scratchDv ??= new DataView(this.scratch.buffer));
  }
  /** Separator handed from a split level to its parent. */
  readonly sep: Uint8Array;
  readonly item: Uint8Array;
  /** Pages allocated up front for one split cascade (so out-of-memory leaves the tree untouched). */
  readonly newPages = new Float64Array(MAX_LEVELS + 1);

  constructor(
    readonly pm: PageMemory,
    readonly groupId: number,
    readonly partitionId: number,
    readonly allocator: PageAllocator,
    readonly itemType: BTreeItemType,
    readonly pageFlags: number,
    readonly metaPageId: number,
  ) {
    const s = itemType.itemSize;
    this.itemSize = s;
    this.entrySize = s + PAGE_ID_SIZE;
    this.leafCap = leafCapacity(pm.pageSize, s);
    this.innerCap = innerCapacity(pm.pageSize, s);
    this.leafMin = minFill(this.leafCap);
    this.innerMin = minFill(this.innerCap);
    this.itemKey = new ItemKey(itemType);
    this.sep = new Uint8Array(s);
    this.item = new Uint8Array(s);
  }

  allocPage(): number {
    return this.allocator.allocatePage(this.partitionId, this.pageFlags);
  }

  /** Writes the header and the empty node fields of a page held for writing in `v`. */
  formatNode(v: PageView, type: number, level: number): void {
    const dv = v.dv;
    const o = v.off;
    dv.setUint16(o + PAGE_TYPE_OFFSET, type, true);
    dv.setUint16(o + PAGE_VERSION_OFFSET, BTREE_NODE_VERSION, true);
    dv.setUint16(o + NODE_COUNT_OFFSET, 0, true);
    dv.setUint16(o + NODE_LEVEL_OFFSET, level, true);
    dv.setUint32(o + NODE_RESERVED_OFFSET, 0, true);
    writePageId(dv, o + NODE_RIGHT_OFFSET, 0);
    writePageId(dv, o + NODE_LEFT_OFFSET, 0);
  }

  /** Writes every meta field (a fresh meta page, or after root, levels or first pages changed). */
  writeMeta(): void {
    const v = this.v3;
    this.pm.acquireWrite(this.groupId, this.metaPageId, v);
    const dv = v.dv;
    const o = v.off;
    dv.setUint16(o + PAGE_TYPE_OFFSET, PAGE_TYPE_BTREE_META, true);
    dv.setUint16(o + PAGE_VERSION_OFFSET, BTREE_META_VERSION, true);
    dv.setUint32(o + META_MAGIC_OFFSET, BTREE_META_MAGIC, true);
    dv.setUint16(o + META_ITEM_SIZE_OFFSET, this.itemSize, true);
    dv.setUint16(o + META_LEVELS_OFFSET, this.levels, true);
    dv.setUint32(o + META_FLAGS_OFFSET, this.destroying ? META_FLAG_DESTROYING : 0, true);
    writePageId(dv, o + META_ROOT_OFFSET, this.root);
    dv.setFloat64(o + META_COUNT_OFFSET, this.count, true);
    for (let l = 0; l < MAX_LEVELS; l++) writePageId(dv, o + metaFirstPageOffset(l), this.firstPages[l]!);
    this.pm.release(v);
  }

  /** Writes the item count only (every insert and removal). */
  writeCount(): void {
    const v = this.v3;
    this.pm.acquireWrite(this.groupId, this.metaPageId, v);
    v.dv.setFloat64(v.off + META_COUNT_OFFSET, this.count, true);
    this.pm.release(v);
  }

  /** Loads the cached meta fields from the meta page; throws DataCorruptionError when it is not this tree's meta. */
  loadMeta(): void {
    const v = this.v3;
    this.pm.acquireRead(this.groupId, this.metaPageId, v);
    try {
      const dv = v.dv;
      const o = v.off;
      const type = dv.getUint16(o + PAGE_TYPE_OFFSET, true);
      const magic = dv.getUint32(o + META_MAGIC_OFFSET, true);
      const size = dv.getUint16(o + META_ITEM_SIZE_OFFSET, true);
      const levels = dv.getUint16(o + META_LEVELS_OFFSET, true);
      if (type !== PAGE_TYPE_BTREE_META || magic !== BTREE_META_MAGIC || dv.getUint16(o + PAGE_VERSION_OFFSET, true) !== BTREE_META_VERSION) {
        throw new DataCorruptionError(`page ${this.metaPageId} is not a B+ tree meta page (type ${type}, magic ${magic.toString(16)})`);
      }
      if (size !== this.itemSize || levels < 1 || levels > MAX_LEVELS) {
        throw new DataCorruptionError(`B+ tree meta page ${this.metaPageId}: item size ${size} (expected ${this.itemSize}), levels ${levels}`);
      }
      this.levels = levels;
      this.destroying = (dv.getUint32(o + META_FLAGS_OFFSET, true) & META_FLAG_DESTROYING) !== 0;
      this.root = readPageId(dv, o + META_ROOT_OFFSET);
      this.count = dv.getFloat64(o + META_COUNT_OFFSET, true);
      for (let l = 0; l < MAX_LEVELS; l++) this.firstPages[l] = readPageId(dv, o + metaFirstPageOffset(l));
    } finally {
      this.pm.release(v);
    }
  }

  /**
   * Walks from the root to a leaf, choosing at each inner page the first child whose separator lies after the key
   * (searchBound with `strict`), and records the path. Returns the leaf's page id. Nothing stays pinned.
   */
  descend(key: BTreeKey, strict: boolean): number {
    const pm = this.pm;
    const g = this.groupId;
    const v = this.v0;
    const e = this.entrySize;
    let id = this.root;
    for (let level = this.levels - 1; level > 0; level--) {
      pm.acquireRead(g, id, v);
      const body = v.off + INNER_CHILD0_OFFSET;
      const n = v.dv.getUint16(v.off + NODE_COUNT_OFFSET, true);
      const i = searchBound(key, v.buf, body + PAGE_ID_SIZE, e, n, strict);
      this.pathPage[level] = id;
      this.pathIdx[level] = i;
      id = readPageId(v.dv, body + i * e);
      pm.release(v);
    }
    this.pathPage[0] = id;
    return id;
  }

  /**
   * Finds the first item matching `key`; true when there is one. Either way leaves v0 read-pinned on the leaf that
   * holds it (found) or where a matching item would be inserted (not found), with leafId/leafPos set and the path
   * leading to that leaf. The caller releases v0.
   */
  locate(key: BTreeKey): boolean {
    const pm = this.pm;
    const g = this.groupId;
    const v = this.v0;
    const s = this.itemSize;
    const leaf = this.descend(key, false);
    pm.acquireRead(g, leaf, v);
    const n = v.dv.getUint16(v.off + NODE_COUNT_OFFSET, true);
    const p = searchBound(key, v.buf, v.off + LEAF_ITEMS_OFFSET, s, n, false);
    this.leafId = leaf;
    this.leafPos = p;
    if (p < n) return key.compareTo(v.buf, v.off + LEAF_ITEMS_OFFSET + p * s) === 0;
    const next = readPageId(v.dv, v.off + NODE_RIGHT_OFFSET);
    if (next === 0) return false;
    // A key matching the routing separator whose item is gone: its first match (if any) opens the next leaf.
    pm.release(v);
    pm.acquireRead(g, next, v);
    const hit = key.compareTo(v.buf, v.off + LEAF_ITEMS_OFFSET) === 0;
    if (hit) copyBytes(v.buf, v.off + LEAF_ITEMS_OFFSET, this.item, 0, s);
    pm.release(v);
    if (!hit) {
      pm.acquireRead(g, leaf, v);
      return false;
    }
    this.leafId = this.descend(this.itemKey.set(this.item, 0), false);
    this.leafPos = 0;
    pm.acquireRead(g, this.leafId, v);
    return true;
  }
}
