/**
 * Fixture of the index tree tests: trees on a real VolatilePageMemory (pages at non-zero offsets in shared
 * segments) with the partition's free list and row store, plus read-only inspection of what a tree holds: its
 * items in order, and the overflow links its separators (inner pages) name — read straight from the B+ tree page
 * layouts, so the tests see stale separators the tree API never shows.
 */
import { BTREE_META_MAGIC, META_LEVELS_OFFSET, META_MAGIC_OFFSET, metaFirstPageOffset } from '../../../../src/domain/btree/btree-meta.layout';
import { innerKeyOffset, nodeCount, nodeRight, PAGE_ID_SIZE } from '../../../../src/domain/btree/btree-node.layout';
import { RowStore } from '../../../../src/domain/datapage/row-store';
import { BucketedFreeList } from '../../../../src/domain/freelist/bucketed-free-list';
import { readLinkItemId, readLinkPageId } from '../../../../src/domain/index/index-item-fields';
import { KeyBytes } from '../../../../src/domain/index/index-item-keys';
import type { IndexItemTree, IndexTreePages } from '../../../../src/domain/index/index-item-tree';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { VolatilePageMemory } from '../../../../src/domain/page-memory/volatile-page-memory';
import { slotSizeOf } from '../../../../src/domain/page-memory/volatile-page.layout';
import { readPageId } from '../../../../src/domain/page/page-id';
import { RowId } from '../../../../src/domain/storage/row-id';

export const GROUP = 7;
export const PARTITION = 3;

export interface TreeEnv {
  readonly memory: VolatilePageMemory;
  readonly freeList: BucketedFreeList;
  readonly rowStore: RowStore;
  readonly pages: IndexTreePages;
}

export function newTreeEnv(pageSize: number): TreeEnv {
  const slot = slotSizeOf(pageSize);
  const memory = new VolatilePageMemory({
    name: 'index-tree', pageSize, initSizeBytes: 1024 * slot, maxSizeBytes: 256 * 1024 * 1024,
    memory: { allocate: (bytes) => new ArrayBuffer(bytes), release: () => undefined },
  });
  const freeList = BucketedFreeList.create(memory, GROUP, PARTITION, { maxReusePages: 4 });
  const rowStore = new RowStore(memory, freeList);
  return { memory, freeList, rowStore, pages: { pageMemory: memory, groupId: GROUP, partitionId: PARTITION, allocator: freeList, rowStore } };
}

/** Environment size for randomized runs: env var `name`, else `fallback`. */
export function envSize(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** mulberry32 */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rowIdOf(n: number): RowId {
  return new RowId(PARTITION, BigInt(n % 5) - 2n, BigInt(n) * 7919n - 100_000n);
}

export interface TreeItem {
  readonly key: Uint8Array;
  readonly rowId: string;
  readonly id: RowId;
  readonly overflow: boolean;
  readonly hash: number;
  /** "pageId:itemId" of the overflow row, or null. */
  readonly link: string | null;
}

/** Every item of the tree in order, with its whole key (read through the tree). */
export function treeItems(tree: IndexItemTree): TreeItem[] {
  const c = tree.newCursor();
  const key = new KeyBytes();
  const out: TreeItem[] = [];
  const l = tree.layout;
  while (c.next()) {
    const dv = new DataView(c.itemBuf.buffer, c.itemBuf.byteOffset, c.itemBuf.byteLength);
    tree.keys.copyKey(c.itemBuf, c.itemOff, key);
    const overflow = tree.keys.isOverflow(c.itemBuf, c.itemOff);
    const id = tree.readRowId(c.itemBuf, dv, c.itemOff);
    out.push({
      key: key.bytes.slice(0, key.length), rowId: id.toString(), id, overflow,
      hash: l.hashed ? dv.getUint32(c.itemOff) : 0,
      link: overflow ? `${readLinkPageId(c.itemBuf, c.itemOff + l.linkOff)}:${readLinkItemId(c.itemBuf, c.itemOff + l.linkOff)}` : null,
    });
  }
  return out;
}

/** The overflow links named by separators in the tree's inner pages ("pageId:itemId"), with repetitions. */
export function separatorLinks(env: TreeEnv, tree: IndexItemTree): string[] {
  const v = new PageView();
  const m = env.memory;
  m.acquireRead(GROUP, tree.metaPageId, v);
  if (v.dv.getUint32(v.off + META_MAGIC_OFFSET, true) !== BTREE_META_MAGIC) throw new Error('not a meta page');
  const levels = v.dv.getUint16(v.off + META_LEVELS_OFFSET, true);
  const first: number[] = [];
  for (let l = 1; l < levels; l++) first.push(readPageId(v.dv, v.off + metaFirstPageOffset(l)));
  m.release(v);
  const lay = tree.layout;
  const entry = lay.itemSize + PAGE_ID_SIZE;
  const out: string[] = [];
  for (let id of first) {
    while (id !== 0) {
      m.acquireRead(GROUP, id, v);
      for (let i = 0; i < nodeCount(v.dv, v.off); i++) {
        const at = innerKeyOffset(v.off, i, entry);
        if (tree.keys.isOverflow(v.buf, at)) out.push(`${readLinkPageId(v.buf, at + lay.linkOff)}:${readLinkItemId(v.buf, at + lay.linkOff)}`);
      }
      const next = nodeRight(v.dv, v.off);
      m.release(v);
      id = next;
    }
  }
  return out;
}

/** Frees what the free list keeps for reuse and returns the pages still allocated (the free list's own excluded). */
export function allocatedAfterRelease(env: TreeEnv): number {
  env.freeList.releaseReusePages();
  return env.memory.stats().allocatedPages - env.freeList.metaPageCount;
}
