/**
 * Insertion into a full leaf: the leaf splits, the separator goes to the parent, full parents split in turn and a
 * full root grows the tree by a level. Every page the cascade needs is allocated before anything is written, so
 * an OutOfMemoryError from the allocator leaves the tree as it was.
 *
 * Split points: a page whose new item/separator lands past its last entry while it is the last page of its level
 * keeps everything and hands only the new entry to the new right page (ascending inserts fill pages completely);
 * symmetrically the first page of a level keeps only the new entry when it lands in front (descending inserts).
 * Otherwise the page splits in the middle. New pages always go to the right, so a level's first page never moves.
 *
 * Before a leaf splits, it hands items to a sibling under the same parent that has room — the right one, else the
 * left one (B*-style redistribution): random inserts then fill leaves to ~3/4 or more instead of ~69% (ln 2), and
 * leaves are most of a tree's memory. Only the parent's separator between the two pages changes (it stays a copy
 * of the left page's last item).
 */
import { PAGE_TYPE_BTREE_INNER, PAGE_TYPE_BTREE_LEAF } from '../page/page-types';
import { writePageId } from '../page/page-id';
import { StorageError } from '../shared/errors';
import { copyBytes } from './btree-bytes';
import type { BTreeCore } from './btree-core';
import { MAX_LEVELS } from './btree-meta.layout';
import {
  INNER_CHILD0_OFFSET, LEAF_ITEMS_OFFSET, PAGE_ID_SIZE, innerChild, innerKeyOffset, nodeCount, nodeLeft, nodeRight, setNodeCount,
  setNodeLeft, setNodeRight,
} from './btree-node.layout';

/** Inserts the item at `buf[off..]` at position p of the full leaf core.pathPage[0] (nothing pinned on entry). */
export function splitInsert(core: BTreeCore, p: number, buf: Uint8Array, off: number): void {
  if (shiftIntoRight(core, p, buf, off) || shiftIntoLeft(core, p, buf, off)) return;
  const needed = pagesNeeded(core);
  preallocate(core, needed);
  let right = splitLeaf(core, p, buf, off, core.newPages[0]!);
  let used = 1;
  for (let level = 1; ; level++) {
    if (level === core.levels) {
      growRoot(core, right, core.newPages[used]!);
      return;
    }
    if (insertEntry(core, level, right)) return;
    right = splitInner(core, level, right, core.newPages[used++]!);
  }
}

/**
 * Inserts into the full leaf pathPage[0] by moving its last items (the new one counted) to the right sibling under
 * the same parent, when that sibling has room; false (nothing written) otherwise.
 */
function shiftIntoRight(core: BTreeCore, p: number, buf: Uint8Array, off: number): boolean {
  const ci = core.pathIdx[1]!;
  const moved = openSiblingWithRoom(core, ci + 1);
  if (moved === 0) return false;
  const { pm, itemSize: s, scratch: sc, v1: v, v2: w } = core;
  const rn = nodeCount(w.dv, w.off);
  const leftN = gatherLeaf(core, p, buf, off) + 1 - moved;
  copyBytes(sc, 0, v.buf, v.off + LEAF_ITEMS_OFFSET, leftN * s);
  setNodeCount(v.dv, v.off, leftN);
  pm.release(v);
  const rbase = w.off + LEAF_ITEMS_OFFSET;
  copyBytes(w.buf, rbase, w.buf, rbase + moved * s, rn * s);
  copyBytes(sc, leftN * s, w.buf, rbase, moved * s);
  setNodeCount(w.dv, w.off, rn + moved);
  pm.release(w);
  setSeparator(core, ci, leftN - 1);
  return true;
}

/** Mirror of shiftIntoRight: moves the leaf's first items (the new one counted) to the end of its left sibling. */
function shiftIntoLeft(core: BTreeCore, p: number, buf: Uint8Array, off: number): boolean {
  const ci = core.pathIdx[1]!;
  const moved = openSiblingWithRoom(core, ci - 1);
  if (moved === 0) return false;
  const { pm, itemSize: s, scratch: sc, v1: v, v2: w } = core;
  const ln = nodeCount(w.dv, w.off);
  const n = gatherLeaf(core, p, buf, off);
  copyBytes(sc, moved * s, v.buf, v.off + LEAF_ITEMS_OFFSET, (n + 1 - moved) * s);
  setNodeCount(v.dv, v.off, n + 1 - moved);
  pm.release(v);
  copyBytes(sc, 0, w.buf, w.off + LEAF_ITEMS_OFFSET + ln * s, moved * s);
  setNodeCount(w.dv, w.off, ln + moved);
  pm.release(w);
  setSeparator(core, ci - 1, moved - 1);
  return true;
}

/**
 * Write-acquires child `childIdx` of the leaf's parent into core.v2 when it exists and has room, and returns how
 * many items to hand it (half its room, at least 1; the caller releases v2); 0 with nothing pinned otherwise.
 */
function openSiblingWithRoom(core: BTreeCore, childIdx: number): number {
  if (core.levels < 2 || childIdx < 0) return 0;
  const { pm, groupId: g, entrySize: e, v1: v, v2: w } = core;
  pm.acquireRead(g, core.pathPage[1]!, v);
  const siblingId = childIdx <= nodeCount(v.dv, v.off) ? innerChild(v.dv, v.off, childIdx, e) : 0;
  pm.release(v);
  if (siblingId === 0) return 0;
  pm.acquireWrite(g, siblingId, w);
  const room = core.leafCap - nodeCount(w.dv, w.off);
  if (room >= 1) return Math.max(1, room >>> 1);
  pm.release(w);
  return 0;
}

/** Sets separator `sepIdx` of the leaf's parent to scratch item `item` (the new last item of the left page). */
function setSeparator(core: BTreeCore, sepIdx: number, item: number): void {
  const { pm, itemSize: s, entrySize: e, v1: v } = core;
  pm.acquireWrite(core.groupId, core.pathPage[1]!, v);
  copyBytes(core.scratch, item * s, v.buf, innerKeyOffset(v.off, sepIdx, e), s);
  pm.release(v);
}

/**
 * Write-acquires the full leaf pathPage[0] into core.v1 (the caller releases it) and copies its items with the new
 * one at position p into core.scratch. Returns the leaf's item count before the insert.
 */
function gatherLeaf(core: BTreeCore, p: number, buf: Uint8Array, off: number): number {
  const { pm, itemSize: s, scratch: sc, v1: v } = core;
  pm.acquireWrite(core.groupId, core.pathPage[0]!, v);
  const n = nodeCount(v.dv, v.off);
  const base = v.off + LEAF_ITEMS_OFFSET;
  copyBytes(v.buf, base, sc, 0, p * s);
  copyBytes(buf, off, sc, p * s, s);
  copyBytes(v.buf, base + p * s, sc, (p + 1) * s, (n - p) * s);
  return n;
}

/** Pages the cascade will allocate: the new leaf, one per full ancestor, one more when the root splits. */
function pagesNeeded(core: BTreeCore): number {
  const v = core.v1;
  let needed = 1;
  for (let level = 1; level < core.levels; level++) {
    core.pm.acquireRead(core.groupId, core.pathPage[level]!, v);
    const full = nodeCount(v.dv, v.off) === core.innerCap;
    core.pm.release(v);
    if (!full) return needed;
    needed++;
  }
  if (core.levels === MAX_LEVELS) {
    throw new StorageError(`B+ tree (meta page ${core.metaPageId}) cannot grow beyond ${MAX_LEVELS} levels`);
  }
  return needed + 1;
}

function preallocate(core: BTreeCore, needed: number): void {
  let i = 0;
  try {
    for (; i < needed; i++) core.newPages[i] = core.allocPage();
  } catch (e) {
    while (i > 0) core.allocator.recyclePage(core.newPages[--i]!);
    throw e;
  }
}

/** Splits the full leaf pathPage[0] into itself and `newId` with the item inserted; leaves the separator in core.sep. */
function splitLeaf(core: BTreeCore, p: number, buf: Uint8Array, off: number, newId: number): number {
  const { pm, groupId: g, itemSize: s, scratch: sc, v1: v, v2: w } = core;
  const leafId = core.pathPage[0]!;
  const n = gatherLeaf(core, p, buf, off);
  const base = v.off + LEAF_ITEMS_OFFSET;
  const total = n + 1;
  const oldRight = nodeRight(v.dv, v.off);
  const first = nodeLeft(v.dv, v.off) === 0;
  const leftN = p === n && oldRight === 0 ? n : p === 0 && first ? 1 : total >>> 1;
  copyBytes(sc, 0, v.buf, base, leftN * s);
  setNodeCount(v.dv, v.off, leftN);
  setNodeRight(v.dv, v.off, newId);
  pm.release(v);
  copyBytes(sc, (leftN - 1) * s, core.sep, 0, s);

  pm.acquireWrite(g, newId, w);
  core.formatNode(w, PAGE_TYPE_BTREE_LEAF, 0);
  copyBytes(sc, leftN * s, w.buf, w.off + LEAF_ITEMS_OFFSET, (total - leftN) * s);
  setNodeCount(w.dv, w.off, total - leftN);
  setNodeRight(w.dv, w.off, oldRight);
  setNodeLeft(w.dv, w.off, leafId);
  pm.release(w);
  if (oldRight !== 0) {
    pm.acquireWrite(g, oldRight, w);
    setNodeLeft(w.dv, w.off, newId);
    pm.release(w);
  }
  return newId;
}

/**
 * Adds (core.sep, rightChild) after child pathIdx[level] of pathPage[level] when it has room; false when full
 * (nothing written then).
 */
function insertEntry(core: BTreeCore, level: number, rightChild: number): boolean {
  const { pm, v1: v, entrySize: e, itemSize: s } = core;
  pm.acquireWrite(core.groupId, core.pathPage[level]!, v);
  const n = nodeCount(v.dv, v.off);
  if (n === core.innerCap) {
    pm.release(v);
    return false;
  }
  const idx = core.pathIdx[level]!;
  const at = innerKeyOffset(v.off, idx, e);
  copyBytes(v.buf, at, v.buf, at + e, (n - idx) * e);
  copyBytes(core.sep, 0, v.buf, at, s);
  writePageId(v.dv, at + s, rightChild);
  setNodeCount(v.dv, v.off, n + 1);
  pm.release(v);
  return true;
}

/** Splits the full inner page pathPage[level] with (core.sep, rightChild) inserted; core.sep becomes the key going up. */
function splitInner(core: BTreeCore, level: number, rightChild: number, newId: number): number {
  const { pm, groupId: g, itemSize: s, entrySize: e, scratch: sc, v1: v, v2: w } = core;
  const pageId = core.pathPage[level]!;
  const idx = core.pathIdx[level]!;
  pm.acquireWrite(g, pageId, v);
  const n = nodeCount(v.dv, v.off);
  const body = v.off + INNER_CHILD0_OFFSET;
  // scratch: child0 (key child)*, the new entry at idx
  const head = PAGE_ID_SIZE + idx * e;
  copyBytes(v.buf, body, sc, 0, head);
  copyBytes(core.sep, 0, sc, head, s);
  writePageId(core.scratchDv, head + s, rightChild);
  copyBytes(v.buf, body + head, sc, head + e, (n - idx) * e);
  const total = n + 1;
  const oldRight = nodeRight(v.dv, v.off);
  const first = core.firstPages[level] === pageId;
  const m = idx === n && oldRight === 0 ? n - 1 : idx === 0 && first ? 1 : total >>> 1;
  copyBytes(sc, 0, v.buf, body, PAGE_ID_SIZE + m * e);
  setNodeCount(v.dv, v.off, m);
  setNodeRight(v.dv, v.off, newId);
  pm.release(v);
  const up = PAGE_ID_SIZE + m * e;
  copyBytes(sc, up, core.sep, 0, s);

  pm.acquireWrite(g, newId, w);
  core.formatNode(w, PAGE_TYPE_BTREE_INNER, level);
  copyBytes(sc, up + s, w.buf, w.off + INNER_CHILD0_OFFSET, PAGE_ID_SIZE + (total - m - 1) * e);
  setNodeCount(w.dv, w.off, total - m - 1);
  setNodeRight(w.dv, w.off, oldRight);
  pm.release(w);
  return newId;
}

/** The root split into itself and `rightChild`: a new root above both, one more level. */
function growRoot(core: BTreeCore, rightChild: number, newRootId: number): void {
  const { pm, v1: v, entrySize: e, itemSize: s } = core;
  const level = core.levels;
  pm.acquireWrite(core.groupId, newRootId, v);
  core.formatNode(v, PAGE_TYPE_BTREE_INNER, level);
  writePageId(v.dv, v.off + INNER_CHILD0_OFFSET, core.root);
  const at = innerKeyOffset(v.off, 0, e);
  copyBytes(core.sep, 0, v.buf, at, s);
  writePageId(v.dv, at + s, rightChild);
  setNodeCount(v.dv, v.off, 1);
  pm.release(v);
  core.root = newRootId;
  core.firstPages[level] = newRootId;
  core.levels = level + 1;
  core.writeMeta();
}
