/**
 * A B+ tree of fixed-size items on page memory: the structure behind version chains, the GC queue and indexes.
 *
 * - Pages: one meta page (btree-meta.layout.ts) plus inner and leaf pages (btree-node.layout.ts), all from the
 *   PageAllocator and given back to it. Every page change goes through PageMemory.acquireWrite; no page stays
 *   pinned when a method returns.
 * - Everything is synchronous and allocation-free per call except cursor creation (reuse cursors with `reset`).
 * - Not reentrant: code the tree calls back while a page is pinned (invoke closures, item types, keys) must not
 *   call this tree. One instance per tree: it caches the meta fields and is the only writer of its pages.
 * - Splits, fill threshold and merges: btree-split.ts, btree-merge.ts. Cursors: btree-cursor.ts.
 */
import type { PageAllocator } from '../page-memory/page-allocator.port';
import type { PageMemory, PageView } from '../page-memory/page-memory.port';
import { FLAG_AUX } from '../page/page-id';
import { PAGE_TYPE_BTREE_LEAF } from '../page/page-types';
import { InvalidArgumentError, StorageDestroyedError } from '../shared/errors';
import { copyBytes, searchBound } from './btree-bytes';
import { BTreeCore } from './btree-core';
import { BTreeCursor } from './btree-cursor';
import { destroyStep } from './btree-destroy';
import { checkBTreeInvariants, type BTreeShape } from './btree-invariants';
import { KEY_AFTER_ALL, KEY_BEFORE_ALL, type BTreeItemType, type BTreeKey } from './btree-item';
import { LEAF_ITEMS_OFFSET, MAX_ITEM_SIZE, nodeCount, nodeLeft, nodeRight } from './btree-node.layout';
import { insertAt, putItem, removeAt, replaceAt } from './btree-write';

export const INVOKE_NOOP = 0;
export const INVOKE_PUT = 1;
export const INVOKE_REMOVE = 2;
export const INVOKE_IN_PLACE = 3;
/** What an invoke closure decided (and what invoke did). */
export type InvokeOutcome = typeof INVOKE_NOOP | typeof INVOKE_PUT | typeof INVOKE_REMOVE | typeof INVOKE_IN_PLACE;

/**
 * Read-modify-write of one item in one descent. `decide` sees the first item matching the key (bytes valid only
 * during the call, read-only) or found = false. PUT: the tree then asks `writeNewItem` for the new item, which
 * must match the key (and be equal in order to the found item: it replaces it). REMOVE removes the found item (a
 * no-op, reported as NOOP, when none was found). IN_PLACE hands the found item's bytes, writable, to
 * `updateInPlace`, which may change them but not their position in the order. The callbacks run with a page
 * pinned: they must not call the tree.
 */
export interface BTreeInvokeClosure {
  decide(found: boolean, itemBuf: Uint8Array, itemOff: number): InvokeOutcome;
  writeNewItem?(out: Uint8Array, outOff: number): void;
  updateInPlace?(itemBuf: Uint8Array, itemOff: number): void;
}

const EMPTY = new Uint8Array(0);

export class BTree {
  readonly #core: BTreeCore;

  private constructor(core: BTreeCore) {
    this.#core = core;
  }

  /** Creates an empty tree: a meta page and an empty root leaf. `groupId` is the tree's page group in `pm`. */
  static create(
    pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator, itemType: BTreeItemType, pageFlags = FLAG_AUX,
  ): BTree {
    checkItemType(itemType);
    const meta = allocator.allocatePage(partitionId, pageFlags);
    let root: number;
    try {
      root = allocator.allocatePage(partitionId, pageFlags);
    } catch (e) {
      allocator.recyclePage(meta);
      throw e;
    }
    const core = new BTreeCore(pm, groupId, partitionId, allocator, itemType, pageFlags, meta);
    pm.acquireWrite(groupId, root, core.v0);
    core.formatNode(core.v0, PAGE_TYPE_BTREE_LEAF, 0);
    pm.release(core.v0);
    core.root = root;
    core.firstPages[0] = root;
    core.writeMeta();
    return new BTree(core);
  }

  /** Opens the tree whose meta page is `metaPageId` (DataCorruptionError when it is not one of this item size). */
  static open(
    pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator, itemType: BTreeItemType, metaPageId: number,
    pageFlags = FLAG_AUX,
  ): BTree {
    checkItemType(itemType);
    const core = new BTreeCore(pm, groupId, partitionId, allocator, itemType, pageFlags, metaPageId);
    core.loadMeta();
    return new BTree(core);
  }

  get metaPageId(): number {
    return this.#core.metaPageId;
  }

  get itemSize(): number {
    return this.#core.itemSize;
  }

  /** Number of items (maintained, O(1)). */
  size(): number {
    return this.#core.count;
  }

  /** Inserts the item at `item[off..]`, or replaces the equal one (copied to `oldOut` first); true when replaced. */
  put(item: Uint8Array, off = 0, oldOut: Uint8Array | null = null, oldOff = 0): boolean {
    this.#live();
    return putItem(this.#core, item, off, oldOut, oldOff);
  }

  /** Removes the first item matching `key` (copied to `out` first); false when there is none. */
  remove(key: BTreeKey, out: Uint8Array | null = null, outOff = 0): boolean {
    this.#live();
    const core = this.#core;
    const found = core.locate(key);
    core.pm.release(core.v0);
    if (found) removeAt(core, out, outOff);
    return found;
  }

  /** Copies the first item matching `key` to `out` (when given); false when there is none. */
  findOne(key: BTreeKey, out: Uint8Array | null = null, outOff = 0): boolean {
    this.#live();
    const core = this.#core;
    const v = core.v0;
    const found = core.locate(key);
    if (found && out !== null) copyBytes(v.buf, v.off + LEAF_ITEMS_OFFSET + core.leafPos * core.itemSize, out, outOff, core.itemSize);
    core.pm.release(v);
    return found;
  }

  /**
   * Point lookups without a cursor: read-pins the leaf holding the first item matching `key` and returns its
   * position there, or -1 (nothing pinned) when no item matches. While pinned, `pinnedLeaf` views the leaf: item i
   * is at `buf[off + LEAF_ITEMS_OFFSET + i * itemSize]`, `nodeCount` of them. The caller reads what it needs —
   * matches after the first may continue in the next leaves (pinNextLeaf) — and calls `releaseLeaf()` before any
   * other call.
   */
  pinFirstMatch(key: BTreeKey): number {
    this.#live();
    const core = this.#core;
    if (core.locate(key)) return core.leafPos;
    core.pm.release(core.v0);
    return -1;
  }

  /** The leaf pinFirstMatch pinned (valid until releaseLeaf). */
  get pinnedLeaf(): PageView {
    return this.#core.v0;
  }

  /** Moves the pin of pinFirstMatch to the next leaf: false (nothing pinned any more) when this was the last. */
  pinNextLeaf(): boolean {
    const core = this.#core;
    const v = core.v0;
    const next = nodeRight(v.dv, v.off);
    core.pm.release(v);
    if (next === 0) return false;
    core.pm.acquireRead(core.groupId, next, v);
    return true;
  }

  releaseLeaf(): void {
    this.#core.pm.release(this.#core.v0);
  }

  /** The smallest item; false when the tree is empty. */
  findFirst(out: Uint8Array, outOff = 0): boolean {
    return this.#seek(KEY_BEFORE_ALL, false, false, out, outOff);
  }

  /** The largest item; false when the tree is empty. */
  findLast(out: Uint8Array, outOff = 0): boolean {
    return this.#seek(KEY_AFTER_ALL, true, true, out, outOff);
  }

  /** The first item ≥ key (`inclusive`) or > key. */
  findNext(key: BTreeKey, inclusive: boolean, out: Uint8Array, outOff = 0): boolean {
    return this.#seek(key, !inclusive, false, out, outOff);
  }

  /** The last item ≤ key (`inclusive`) or < key. */
  findPrevious(key: BTreeKey, inclusive: boolean, out: Uint8Array, outOff = 0): boolean {
    return this.#seek(key, inclusive, true, out, outOff);
  }

  /** Runs `closure` on the first item matching `key` and applies its decision; returns what was done. */
  invoke(key: BTreeKey, closure: BTreeInvokeClosure): InvokeOutcome {
    this.#live();
    const core = this.#core;
    const v = core.v0;
    const found = core.locate(key);
    let outcome: InvokeOutcome;
    try {
      outcome = found ? closure.decide(true, v.buf, v.off + LEAF_ITEMS_OFFSET + core.leafPos * core.itemSize) : closure.decide(false, EMPTY, 0);
    } finally {
      core.pm.release(v);
    }
    switch (outcome) {
      case INVOKE_NOOP:
        return outcome;
      case INVOKE_PUT:
        this.#invokePut(key, closure, found);
        return outcome;
      case INVOKE_REMOVE:
        if (!found) return INVOKE_NOOP;
        removeAt(core, null, 0);
        return outcome;
      case INVOKE_IN_PLACE:
        if (!found) throw new InvalidArgumentError('invoke: IN_PLACE needs a found item');
        this.#invokeInPlace(closure);
        return outcome;
      default:
        throw new InvalidArgumentError(`invoke: unknown outcome ${String(outcome)}`);
    }
  }

  /** A new cursor over [lower, upper] (null = unbounded); see btree-cursor.ts. */
  cursor(lower: BTreeKey | null, lowerInclusive: boolean, upper: BTreeKey | null, upperInclusive: boolean, descending = false): BTreeCursor {
    this.#live();
    return new BTreeCursor(this.#core).reset(lower, lowerInclusive, upper, upperInclusive, descending);
  }

  /**
   * Frees up to `maxPages` pages of the tree (all by default); true once every page, the meta page included, is
   * gone. Call again until it returns true; from the first call on, every other method refuses.
   */
  destroy(maxPages = Number.POSITIVE_INFINITY): boolean {
    return destroyStep(this.#core, maxPages);
  }

  /** Checks every structural rule (btree-invariants.ts); throws DataCorruptionError on the first violation. */
  checkInvariants(): BTreeShape {
    this.#live();
    return checkBTreeInvariants(this.#core);
  }

  #live(): void {
    if (this.#core.destroying) throw new StorageDestroyedError(`B+ tree (meta page ${this.#core.metaPageId}) was destroyed`);
  }

  /** Copies the first item after the key (searchBound with `strict`), or with `backward` the last one before it. */
  #seek(key: BTreeKey, strict: boolean, backward: boolean, out: Uint8Array, outOff: number): boolean {
    this.#live();
    const core = this.#core;
    const { pm, groupId: g, v0: v, itemSize: s } = core;
    pm.acquireRead(g, core.descend(key, strict), v);
    let n = nodeCount(v.dv, v.off);
    let p = searchBound(key, v.buf, v.off + LEAF_ITEMS_OFFSET, s, n, strict);
    if (backward ? p === 0 : p === n) {
      const other = backward ? nodeLeft(v.dv, v.off) : nodeRight(v.dv, v.off);
      pm.release(v);
      if (other === 0) return false;
      pm.acquireRead(g, other, v);
      n = nodeCount(v.dv, v.off);
      p = backward ? n : 0;
    }
    copyBytes(v.buf, v.off + LEAF_ITEMS_OFFSET + (backward ? p - 1 : p) * s, out, outOff, s);
    pm.release(v);
    return true;
  }

  #invokePut(key: BTreeKey, closure: BTreeInvokeClosure, found: boolean): void {
    const core = this.#core;
    if (closure.writeNewItem === undefined) throw new InvalidArgumentError('invoke: PUT needs writeNewItem');
    const item = core.item;
    closure.writeNewItem(item, 0);
    if (key.compareTo(item, 0) !== 0) throw new InvalidArgumentError('invoke: the new item does not match the key');
    if (!found) {
      insertAt(core, item, 0);
      return;
    }
    const { pm, v0: v } = core;
    pm.acquireRead(core.groupId, core.leafId, v);
    const same = core.itemType.compare(item, 0, v.buf, v.off + LEAF_ITEMS_OFFSET + core.leafPos * core.itemSize) === 0;
    pm.release(v);
    if (!same) throw new InvalidArgumentError('invoke: the new item is not equal in order to the item it replaces');
    replaceAt(core, item, 0);
  }

  #invokeInPlace(closure: BTreeInvokeClosure): void {
    const core = this.#core;
    if (closure.updateInPlace === undefined) throw new InvalidArgumentError('invoke: IN_PLACE needs updateInPlace');
    const { pm, v0: v, itemSize: s } = core;
    const before = core.sep;
    pm.acquireWrite(core.groupId, core.leafId, v);
    const at = v.off + LEAF_ITEMS_OFFSET + core.leafPos * s;
    copyBytes(v.buf, at, before, 0, s);
    let moved = true;
    try {
      closure.updateInPlace(v.buf, at);
      moved = core.itemType.compare(before, 0, v.buf, at) !== 0;
    } finally {
      if (moved) copyBytes(before, 0, v.buf, at, s);
      pm.release(v);
      core.modCount++;
    }
    if (moved) throw new InvalidArgumentError('invoke: IN_PLACE changed the item\'s position in the order (undone)');
  }
}

function checkItemType(itemType: BTreeItemType): void {
  const s = itemType.itemSize;
  if (!Number.isInteger(s) || s < 1 || s > MAX_ITEM_SIZE) {
    throw new InvalidArgumentError(`B+ tree item size must be an integer in 1..${MAX_ITEM_SIZE}, got ${s}`);
  }
}
