/**
 * Full structural check of a B+ tree, for tests (allocates freely; reads every page once, pins one at a time):
 * - meta page = the instance's cached meta; root = firstPage[levels-1]; unused first-page slots are 0;
 * - page types, versions and levels; counts within capacity; the root of a multi-level tree has ≥ 1 separator;
 * - items strictly ascending within and across leaves; separators strictly ascending; every item under child i of
 *   an inner page lies in (k(i-1), k(i)] of every ancestor, every separator strictly inside its page's bounds;
 * - all leaves on the same level (levels equal); each level's forward chain from firstPage[l] visits exactly the
 *   pages of that level in key order; leaves' backward links mirror it; inner pages have no backward link;
 * - fill: no non-root page is empty; every page that is neither first nor last of its level holds ≥ minFill;
 * - the item count equals size().
 * Throws DataCorruptionError naming the first violation; returns the tree's shape.
 */
import { PAGE_TYPE_OFFSET, PAGE_VERSION_OFFSET } from '../page/page-header.layout';
import { PAGE_TYPE_BTREE_INNER, PAGE_TYPE_BTREE_LEAF } from '../page/page-types';
import { DataCorruptionError } from '../shared/errors';
import type { BTreeCore } from './btree-core';
import { MAX_LEVELS } from './btree-meta.layout';
import {
  BTREE_NODE_VERSION, LEAF_ITEMS_OFFSET, innerChild, innerKeyOffset, nodeCount, nodeLeft,
  nodeLevel, nodeRight,
} from './btree-node.layout';

/** What checkInvariants saw. Fill = items (or separators) / capacity over the pages of that kind. */
export interface BTreeShape {
  readonly levels: number;
  readonly items: number;
  readonly leafPages: number;
  readonly innerPages: number;
  readonly leafFill: number;
  readonly innerFill: number;
  /** Page ids per level (0 = leaves), in key order. */
  readonly pagesByLevel: readonly (readonly number[])[];
  /** Items (leaves) or separators (inner pages) of those pages. */
  readonly countsByLevel: readonly (readonly number[])[];
}

interface PageInfo {
  readonly id: number;
  readonly count: number;
  readonly right: number;
  readonly left: number;
}

type Bound = Uint8Array | null;

export function checkBTreeInvariants(core: BTreeCore): BTreeShape {
  return new InvariantWalk(core).run();
}

type Fail = (msg: string) => never;

/** One check: walks the tree depth-first from the root, then checks the level chains and the fill rules. */
class InvariantWalk {
  readonly byLevel: PageInfo[][] = [];
  /** The last item of the leaves walked so far. */
  prevLeafLast: Bound = null;
  readonly fail: Fail;

  constructor(readonly core: BTreeCore) {
    this.fail = (msg: string): never => {
      throw new DataCorruptionError(`B+ tree (meta page ${core.metaPageId}): ${msg}`);
    };
  }

  run(): BTreeShape {
    const core = this.core;
    checkMeta(core, this.fail);
    for (let l = 0; l < core.levels; l++) this.byLevel.push([]);
    const items = this.walk(core.root, core.levels - 1, null, null);
    if (items !== core.count) this.fail(`${items} items found, size() says ${core.count}`);
    checkLevels(core, this.byLevel, this.fail);
    return shapeOf(core, this.byLevel, items);
  }

  cmp(a: Uint8Array, b: Uint8Array): number {
    return this.core.itemType.compare(a, 0, b, 0);
  }

  /** Checks the subtree of page `id` (all its items in (lo, hi]); returns its item count. */
  walk(id: number, level: number, lo: Bound, hi: Bound): number {
    const core = this.core;
    const v = core.v0;
    core.pm.acquireRead(core.groupId, id, v);
    const page = v.buf.slice(v.off, v.off + core.pm.pageSize);
    core.pm.release(v);
    const dv = new DataView(page.buffer);
    const type = dv.getUint16(PAGE_TYPE_OFFSET, true);
    const n = nodeCount(dv, 0);
    const where = `page ${id} (level ${level})`;
    if (type !== (level === 0 ? PAGE_TYPE_BTREE_LEAF : PAGE_TYPE_BTREE_INNER)) this.fail(`${where} has type ${type}`);
    if (dv.getUint16(PAGE_VERSION_OFFSET, true) !== BTREE_NODE_VERSION) this.fail(`${where} has a wrong version`);
    if (nodeLevel(dv, 0) !== level) this.fail(`${where} says level ${nodeLevel(dv, 0)}`);
    if (n > (level === 0 ? core.leafCap : core.innerCap)) this.fail(`${where} holds ${n} entries, above capacity`);
    this.byLevel[level]!.push({ id, count: n, right: nodeRight(dv, 0), left: nodeLeft(dv, 0) });
    if (level === 0) {
      this.checkLeaf(page, n, lo, hi, where);
      return n;
    }
    if (nodeLeft(dv, 0) !== 0) this.fail(`${where} is an inner page with a backward link`);
    return this.walkInner(page, dv, n, level, lo, hi, where);
  }

  checkLeaf(page: Uint8Array, n: number, lo: Bound, hi: Bound, where: string): void {
    const s = this.core.itemSize;
    for (let i = 0; i < n; i++) {
      const item = page.slice(LEAF_ITEMS_OFFSET + i * s, LEAF_ITEMS_OFFSET + (i + 1) * s);
      if (this.prevLeafLast !== null && this.cmp(this.prevLeafLast, item) >= 0) this.fail(`${where} item ${i} is not above the previous item`);
      if (lo !== null && this.cmp(lo, item) >= 0) this.fail(`${where} item ${i} is not above its lower separator`);
      if (hi !== null && this.cmp(item, hi) > 0) this.fail(`${where} item ${i} is above its upper separator`);
      this.prevLeafLast = item;
    }
  }

  walkInner(page: Uint8Array, dv: DataView, n: number, level: number, lo: Bound, hi: Bound, where: string): number {
    const { itemSize: s, entrySize: e } = this.core;
    let total = 0;
    let prev = lo;
    for (let i = 0; i <= n; i++) {
      const key = i < n ? page.slice(innerKeyOffset(0, i, e), innerKeyOffset(0, i, e) + s) : hi;
      if (i < n) {
        if (prev !== null && this.cmp(prev, key!) >= 0) this.fail(`${where} separator ${i} is not above the one before / its lower bound`);
        if (hi !== null && this.cmp(key!, hi) >= 0) this.fail(`${where} separator ${i} is not below its upper bound`);
      }
      total += this.walk(innerChild(dv, 0, i, e), level - 1, prev, key);
      prev = key;
    }
    return total;
  }
}

function checkMeta(core: BTreeCore, fail: Fail): void {
  const cached = { root: core.root, levels: core.levels, count: core.count, first: Array.from(core.firstPages) };
  core.loadMeta();
  if (core.root !== cached.root || core.levels !== cached.levels || core.count !== cached.count) {
    fail(`meta page (root ${core.root}, levels ${core.levels}, count ${core.count}) differs from the cache`);
  }
  for (let l = 0; l < MAX_LEVELS; l++) {
    if (core.firstPages[l] !== cached.first[l]) fail(`meta first page of level ${l} differs from the cache`);
    if ((l < core.levels) !== (core.firstPages[l] !== 0)) fail(`meta first page of level ${l} is ${core.firstPages[l]}`);
  }
  if (core.firstPages[core.levels - 1] !== core.root) fail(`the root is not the first page of the top level`);
}

function checkLevels(core: BTreeCore, byLevel: PageInfo[][], fail: Fail): void {
  for (let l = 0; l < core.levels; l++) {
    const pages = byLevel[l]!;
    const root = l === core.levels - 1;
    if (pages[0]!.id !== core.firstPages[l]) fail(`level ${l} starts at ${pages[0]!.id}, meta says ${core.firstPages[l]}`);
    const min = l === 0 ? core.leafMin : core.innerMin;
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i]!;
      const expectRight = i + 1 < pages.length ? pages[i + 1]!.id : 0;
      if (p.right !== expectRight) fail(`page ${p.id} (level ${l}) links forward to ${p.right}, expected ${expectRight}`);
      const expectLeft = l === 0 && i > 0 ? pages[i - 1]!.id : 0;
      if (p.left !== expectLeft) fail(`page ${p.id} (level ${l}) links backward to ${p.left}, expected ${expectLeft}`);
      if (root && l > 0 && p.count < 1) fail(`inner root ${p.id} has no separator`);
      if (!root && p.count < 1) fail(`page ${p.id} (level ${l}) is empty`);
      if (i > 0 && i + 1 < pages.length && p.count < min) fail(`page ${p.id} (level ${l}) holds ${p.count} < ${min}`);
    }
  }
}

function shapeOf(core: BTreeCore, byLevel: PageInfo[][], items: number): BTreeShape {
  const leaves = byLevel[0]!;
  let separators = 0;
  let innerPages = 0;
  for (let l = 1; l < byLevel.length; l++) {
    for (const p of byLevel[l]!) separators += p.count;
    innerPages += byLevel[l]!.length;
  }
  return {
    levels: core.levels,
    items,
    leafPages: leaves.length,
    innerPages,
    leafFill: items / (leaves.length * core.leafCap),
    innerFill: innerPages === 0 ? 0 : separators / (innerPages * core.innerCap),
    pagesByLevel: byLevel.map((pages) => pages.map((p) => p.id)),
    countsByLevel: byLevel.map((pages) => pages.map((p) => p.count)),
  };
}
