/**
 * Gradual destruction: frees the tree's pages level by level (leaves first, each level along its forward links),
 * the meta page last. Progress is written to the meta page (META_FLAG_DESTROYING; firstPage[l] = the next page of
 * level l still to free), so a tree reopened from its meta page continues where the last step stopped.
 * Once destruction has started, every other operation refuses with StorageDestroyedError.
 */
import type { BTreeCore } from './btree-core';
import { nodeRight } from './btree-node.layout';

/** Frees up to `maxPages` pages; true when every page, the meta page included, is gone. */
export function destroyStep(core: BTreeCore, maxPages: number): boolean {
  if (core.metaFreed) return true;
  if (!core.destroying) {
    core.destroying = true;
    core.modCount++;
    core.writeMeta();
  }
  const { pm, groupId: g, v1: v } = core;
  let budget = maxPages;
  for (let level = 0; level < core.levels; level++) {
    let id = core.firstPages[level]!;
    while (id !== 0 && budget > 0) {
      pm.acquireRead(g, id, v);
      const next = nodeRight(v.dv, v.off);
      pm.release(v);
      core.allocator.recyclePage(id);
      budget--;
      id = next;
    }
    core.firstPages[level] = id;
    if (id !== 0) break;
  }
  if (budget === 0) {
    core.writeMeta();
    return false;
  }
  core.allocator.recyclePage(core.metaPageId);
  core.metaFreed = true;
  return true;
}
