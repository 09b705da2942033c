/**
 * Rebalancing after a removal. A non-root page below its fill threshold (minFill: a quarter of its capacity) is
 * merged with a sibling under the same parent when both fit one page (the left sibling first, then the right),
 * otherwise evened out with a sibling (left first). A merge always frees the right page of the pair, so a level's
 * first page only goes away with its level. A merge removes a separator from the parent, which may leave the
 * parent underfull in turn; an inner root left with a single child is replaced by that child (one level less).
 * Removals allocate nothing.
 */
import { copyBytes } from './btree-bytes';
import type { BTreeCore } from './btree-core';
import {
  INNER_CHILD0_OFFSET, LEAF_ITEMS_OFFSET, PAGE_ID_SIZE, innerChild, innerKeyOffset, nodeCount, nodeRight, setNodeCount,
  setNodeLeft, setNodeRight,
} from './btree-node.layout';

/** Restores the fill rules from pathPage[level] (just lost an item or a separator) upwards. Nothing pinned on entry. */
export function rebalance(core: BTreeCore, level: number): void {
  const { pm, groupId: g, v1: v } = core;
  while (level < core.levels - 1) {
    const page = core.pathPage[level]!;
    const parent = core.pathPage[level + 1]!;
    const i = core.pathIdx[level + 1]!;
    const leaf = level === 0;
    const cnt = countOf(core, page);
    if (cnt >= (leaf ? core.leafMin : core.innerMin)) return;
    pm.acquireRead(g, parent, v);
    const n = nodeCount(v.dv, v.off);
    const leftId = i > 0 ? innerChild(v.dv, v.off, i - 1, core.entrySize) : 0;
    const rightId = i < n ? innerChild(v.dv, v.off, i + 1, core.entrySize) : 0;
    pm.release(v);
    const cap = leaf ? core.leafCap : core.innerCap;
    const extra = leaf ? 0 : 1; // an inner merge pulls the parent's separator down
    if (leftId !== 0 && countOf(core, leftId) + cnt + extra <= cap) {
      join(core, level, leftId, page, i - 1, true);
    } else if (rightId !== 0 && cnt + countOf(core, rightId) + extra <= cap) {
      join(core, level, page, rightId, i, true);
    } else {
      if (leftId !== 0) join(core, level, leftId, page, i - 1, false);
      else join(core, level, page, rightId, i, false);
      return;
    }
    if (level + 1 === core.levels - 1) {
      if (countOf(core, parent) === 0) collapseRoot(core);
      return;
    }
    level++;
  }
}

function countOf(core: BTreeCore, pageId: number): number {
  const v = core.v2;
  core.pm.acquireRead(core.groupId, pageId, v);
  const n = nodeCount(v.dv, v.off);
  core.pm.release(v);
  return n;
}

/**
 * Combines siblings `leftId`/`rightId` (parent separator index `sepIdx`, parent = pathPage[level + 1]) in scratch,
 * then either keeps everything in the left page and frees the right one (`merge`), or splits the content evenly.
 */
function join(core: BTreeCore, level: number, leftId: number, rightId: number, sepIdx: number, merge: boolean): void {
  const { pm, groupId: g, v1: a, v2: b, v3: c, itemSize: s, entrySize: e, scratch: sc } = core;
  const parent = core.pathPage[level + 1]!;
  const leaf = level === 0;
  pm.acquireRead(g, leftId, a);
  pm.acquireRead(g, rightId, b);
  const ln = nodeCount(a.dv, a.off);
  const rn = nodeCount(b.dv, b.off);
  const nextRight = nodeRight(b.dv, b.off);
  let total: number;
  if (leaf) {
    copyBytes(a.buf, a.off + LEAF_ITEMS_OFFSET, sc, 0, ln * s);
    copyBytes(b.buf, b.off + LEAF_ITEMS_OFFSET, sc, ln * s, rn * s);
    total = ln + rn;
  } else {
    const leftLen = PAGE_ID_SIZE + ln * e;
    copyBytes(a.buf, a.off + INNER_CHILD0_OFFSET, sc, 0, leftLen);
    pm.acquireRead(g, parent, c);
    copyBytes(c.buf, innerKeyOffset(c.off, sepIdx, e), sc, leftLen, s);
    pm.release(c);
    copyBytes(b.buf, b.off + INNER_CHILD0_OFFSET, sc, leftLen + s, PAGE_ID_SIZE + rn * e);
    total = ln + 1 + rn;
  }
  pm.release(a);
  pm.release(b);
  if (merge) mergeInto(core, leaf, parent, leftId, rightId, nextRight, total, sepIdx);
  else redistribute(core, leaf, parent, leftId, rightId, total, sepIdx);
}

/** Writes all `total` items/keys of scratch into the left page, unlinks and frees the right one. */
function mergeInto(
  core: BTreeCore, leaf: boolean, parent: number, leftId: number, rightId: number, nextRight: number, total: number, sepIdx: number,
): void {
  const { pm, groupId: g, v1: a, itemSize: s, entrySize: e, scratch: sc } = core;
  pm.acquireWrite(g, leftId, a);
  if (leaf) copyBytes(sc, 0, a.buf, a.off + LEAF_ITEMS_OFFSET, total * s);
  else copyBytes(sc, 0, a.buf, a.off + INNER_CHILD0_OFFSET, PAGE_ID_SIZE + total * e);
  setNodeCount(a.dv, a.off, total);
  setNodeRight(a.dv, a.off, nextRight);
  pm.release(a);
  if (leaf && nextRight !== 0) {
    pm.acquireWrite(g, nextRight, a);
    setNodeLeft(a.dv, a.off, leftId);
    pm.release(a);
  }
  // Parent: drop separator sepIdx and the child after it (the right page).
  pm.acquireWrite(g, parent, a);
  const n = nodeCount(a.dv, a.off);
  const at = innerKeyOffset(a.off, sepIdx, e);
  copyBytes(a.buf, at + e, a.buf, at, (n - sepIdx - 1) * e);
  setNodeCount(a.dv, a.off, n - 1);
  pm.release(a);
  core.allocator.recyclePage(rightId);
}

/** Splits the `total` items/keys of scratch evenly between the two pages and updates the parent's separator. */
function redistribute(core: BTreeCore, leaf: boolean, parent: number, leftId: number, rightId: number, total: number, sepIdx: number): void {
  const { pm, groupId: g, v1: a, itemSize: s, entrySize: e, scratch: sc } = core;
  const m = total >>> 1;
  let sepAt: number;
  pm.acquireWrite(g, leftId, a);
  if (leaf) {
    copyBytes(sc, 0, a.buf, a.off + LEAF_ITEMS_OFFSET, m * s);
    sepAt = (m - 1) * s;
  } else {
    copyBytes(sc, 0, a.buf, a.off + INNER_CHILD0_OFFSET, PAGE_ID_SIZE + m * e);
    sepAt = PAGE_ID_SIZE + m * e;
  }
  setNodeCount(a.dv, a.off, m);
  pm.release(a);
  pm.acquireWrite(g, rightId, a);
  const rightN = leaf ? total - m : total - m - 1;
  if (leaf) copyBytes(sc, m * s, a.buf, a.off + LEAF_ITEMS_OFFSET, rightN * s);
  else copyBytes(sc, sepAt + s, a.buf, a.off + INNER_CHILD0_OFFSET, PAGE_ID_SIZE + rightN * e);
  setNodeCount(a.dv, a.off, rightN);
  pm.release(a);
  pm.acquireWrite(g, parent, a);
  copyBytes(sc, sepAt, a.buf, innerKeyOffset(a.off, sepIdx, e), s);
  pm.release(a);
}

/** The inner root has no separator left: its only child becomes the root. */
function collapseRoot(core: BTreeCore): void {
  const { pm, v1: v } = core;
  const old = core.root;
  pm.acquireRead(core.groupId, old, v);
  const child = innerChild(v.dv, v.off, 0, core.entrySize);
  pm.release(v);
  core.allocator.recyclePage(old);
  core.levels--;
  core.firstPages[core.levels] = 0;
  core.root = child;
  core.writeMeta();
}
