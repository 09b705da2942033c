/**
 * The write path shared by put, remove and invoke: in-leaf insertion (splitting when full), replacement and
 * removal (rebalancing when underfull). Every page change goes through acquireWrite; every write bumps the
 * tree's modification counter (cursors re-seek after it moved). Nothing is pinned on entry or on return.
 */
import { copyBytes, searchBound } from './btree-bytes';
import type { BTreeCore } from './btree-core';
import { rebalance } from './btree-merge';
import { LEAF_ITEMS_OFFSET, nodeCount, setNodeCount } from './btree-node.layout';
import { splitInsert } from './btree-split';

/** Inserts or replaces the item at `buf[off..]`; true when an equal item was replaced (then copied to `oldOut`). */
export function putItem(core: BTreeCore, buf: Uint8Array, off: number, oldOut: Uint8Array | null, oldOff: number): boolean {
  const { pm, v0: v, itemSize: s } = core;
  const key = core.itemKey.set(buf, off);
  const leaf = core.descend(key, false);
  pm.acquireWrite(core.groupId, leaf, v);
  const n = nodeCount(v.dv, v.off);
  const base = v.off + LEAF_ITEMS_OFFSET;
  const p = searchBound(key, v.buf, base, s, n, false);
  core.modCount++;
  if (p < n && key.compareTo(v.buf, base + p * s) === 0) {
    if (oldOut !== null) copyBytes(v.buf, base + p * s, oldOut, oldOff, s);
    copyBytes(buf, off, v.buf, base + p * s, s);
    pm.release(v);
    return true;
  }
  insertHeld(core, n, p, buf, off);
  core.count++;
  core.writeCount();
  return false;
}

/** Inserts the item at position leafPos of leaf leafId (as left by locate, path included). */
export function insertAt(core: BTreeCore, buf: Uint8Array, off: number): void {
  const { pm, v0: v } = core;
  pm.acquireWrite(core.groupId, core.leafId, v);
  core.modCount++;
  insertHeld(core, nodeCount(v.dv, v.off), core.leafPos, buf, off);
  core.count++;
  core.writeCount();
}

/**
 * Inserts the item at position p of the leaf that core.v0 holds write-acquired with n items, splitting (or handing
 * items to a sibling) when it is full. Releases v0.
 */
function insertHeld(core: BTreeCore, n: number, p: number, buf: Uint8Array, off: number): void {
  const { pm, v0: v, itemSize: s } = core;
  if (n < core.leafCap) {
    const at = v.off + LEAF_ITEMS_OFFSET + p * s;
    copyBytes(v.buf, at, v.buf, at + s, (n - p) * s);
    copyBytes(buf, off, v.buf, at, s);
    setNodeCount(v.dv, v.off, n + 1);
    pm.release(v);
  } else {
    pm.release(v);
    splitInsert(core, p, buf, off);
  }
}

/** Overwrites the item at leafPos of leaf leafId with `buf[off..]` (same order position). */
export function replaceAt(core: BTreeCore, buf: Uint8Array, off: number): void {
  const { pm, v0: v, itemSize: s } = core;
  pm.acquireWrite(core.groupId, core.leafId, v);
  copyBytes(buf, off, v.buf, v.off + LEAF_ITEMS_OFFSET + core.leafPos * s, s);
  pm.release(v);
  core.modCount++;
}

/** Removes the item at leafPos of leaf leafId (copying it to `out` first), then restores the fill rules. */
export function removeAt(core: BTreeCore, out: Uint8Array | null, outOff: number): void {
  const { pm, v0: v, itemSize: s } = core;
  const p = core.leafPos;
  pm.acquireWrite(core.groupId, core.leafId, v);
  const n = nodeCount(v.dv, v.off);
  const at = v.off + LEAF_ITEMS_OFFSET + p * s;
  if (out !== null) copyBytes(v.buf, at, out, outOff, s);
  copyBytes(v.buf, at + s, v.buf, at, (n - p - 1) * s);
  setNodeCount(v.dv, v.off, n - 1);
  pm.release(v);
  core.modCount++;
  core.count--;
  core.writeCount();
  if (core.levels > 1 && n - 1 < core.leafMin) rebalance(core, 0);
}
