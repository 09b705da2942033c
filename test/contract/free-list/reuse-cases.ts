/**
 * Free-list contract: the reuse bucket. Emptied data pages wait there and serve rows and tree pages
 * (PageAllocator.allocatePage: zero except the page id) before new memory; pages trees give back (recyclePage)
 * come back for rows; at most maxReusePages wait, the rest go back to page memory.
 */
import { describe, expect, it } from 'vitest';
import { COMMON_HEADER_END, PAGE_TYPE_OFFSET } from '../../../src/domain/page/page-header.layout';
import { FLAG_AUX, FLAG_DATA, flagsOf, partitionIdOf } from '../../../src/domain/page/page-id';
import { PAGE_TYPE_BTREE_LEAF } from '../../../src/domain/page/page-types';
import { PageView } from '../../../src/domain/page-memory/page-memory.port';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import { GROUP, PARTITION, REUSE, snapshot, type FreeListFixture, type FreeListHarness } from './fixture';

/** Fills a page handed out for a tree with bytes a free list must neither need nor keep. */
function scribble(h: FreeListHarness, pageId: number): void {
  const v = new PageView();
  h.memory.acquireWrite(GROUP, pageId, v);
  v.dv.setUint16(v.off + PAGE_TYPE_OFFSET, PAGE_TYPE_BTREE_LEAF, true);
  v.buf.fill(0xab, v.off + COMMON_HEADER_END, v.off + h.memory.pageSize);
  h.memory.release(v);
}

/** `n` rows of maxPlainRow bytes (one page each), all removed again: n pages go to the reuse bucket (or memory). */
function emptiedPages(h: FreeListHarness, n: number): number[] {
  const rows = Array.from({ length: n }, (_, i) => h.insert(h.store.maxPlainRow, i));
  for (const r of rows) h.store.remove(r.link.pageId, r.link.itemId);
  return rows.map((r) => r.link.pageId);
}

export function describeReuseCases(fx: FreeListFixture, pageSize: number): void {
  describe('reuse bucket', () => {
    it('moves a page whose rows all went to the reuse bucket and puts the next row there', () => {
      const h = fx.open(pageSize);
      const rows = [0, 1, 2].map((i) => h.insert(40, i));
      const page = rows[0]!.link.pageId;
      expect(rows.map((r) => r.link.pageId)).toEqual([page, page, page]);
      h.store.remove(page, rows[0]!.link.itemId);
      h.store.remove(page, rows[1]!.link.itemId);
      expect(h.list.bucketOfPage(page)).toBe(h.bucketOf(h.roomOf(page)));
      h.store.remove(page, rows[2]!.link.itemId);
      expect([h.list.bucketOfPage(page), h.list.reusePageCount, h.list.pageCount]).toEqual([REUSE, 1, 1]);
      h.expectAccounted();
      const big = h.insert(h.store.maxPlainRow, 9);
      expect(big.link.pageId).toBe(page);
      expect(h.list.reusePageCount).toBe(0);
      h.expectAccounted();
      h.expectRow(big);
      h.list.checkInvariants();
    });

    it('hands tree pages out of the reuse bucket, zero except the page id, then from page memory', () => {
      const h = fx.open(pageSize);
      const emptied = emptiedPages(h, 3);
      const allocated = h.pm.allocatedPages();
      const other = h.list.allocatePage(PARTITION + 1, FLAG_DATA); // another partition: never from this list
      expect([partitionIdOf(other), h.list.reusePageCount, h.pm.allocatedPages()]).toEqual([PARTITION + 1, 3, allocated + 1]);
      h.memory.freePage(GROUP, other);
      const trees: number[] = [];
      for (let i = 0; i < 3; i++) {
        const id = h.list.allocatePage(PARTITION, FLAG_AUX);
        expect(emptied).toContain(id);
        expect([h.list.reusePageCount, h.list.pageCount, h.pm.allocatedPages()]).toEqual([2 - i, 2 - i, allocated]);
        trees.push(id);
      }
      trees.push(h.list.allocatePage(PARTITION, FLAG_AUX)); // reuse bucket empty: new memory
      expect(h.pm.allocatedPages()).toBe(allocated + 1);
      expect(new Set(trees).size).toBe(4);
      for (const id of trees) {
        expect([partitionIdOf(id), flagsOf(id)]).toEqual([PARTITION, FLAG_DATA]); // every page of a partition: FLAG_DATA
        h.expectFresh(id);
        scribble(h, id);
      }
      const row = h.insert(100, 1); // rows never land on tree pages
      expect(trees).not.toContain(row.link.pageId);
      h.expectAccounted(4);
      h.list.checkInvariants();
    });

    it('takes recycled tree pages back for rows; recycling a page twice is refused; other partitions\' pages go to memory', () => {
      const h = fx.open(pageSize);
      const trees = [0, 1, 2].map(() => h.list.allocatePage(PARTITION, FLAG_AUX));
      for (const id of trees) scribble(h, id);
      h.expectAccounted(3);
      for (const id of trees) h.list.recyclePage(id);
      expect([h.list.reusePageCount, h.list.pageCount]).toEqual([3, 3]);
      h.expectAccounted();
      h.list.checkInvariants();
      const before = snapshot(h.list);
      expect(() => h.list.recyclePage(trees[1]!)).toThrow(InvalidArgumentError);
      expect(snapshot(h.list)).toEqual(before);
      const other = h.list.allocatePage(PARTITION + 1, FLAG_DATA);
      h.list.recyclePage(other);
      expect(h.isAllocated(other)).toBe(false);
      const rows = [0, 1, 2].map((i) => h.insert(h.store.maxPlainRow, i));
      expect(rows.map((r) => r.link.pageId).sort()).toEqual([...trees].sort());
      for (const r of rows) h.expectRow(r);
      h.expectAccounted();
      h.list.checkInvariants();
    });

    it('keeps at most maxReusePages pages for reuse; the others go back to page memory', () => {
      const h = fx.open(pageSize, { maxReusePages: 2 });
      const emptied = emptiedPages(h, 5);
      expect(h.list.reusePageCount).toBe(2);
      expect(emptied.filter((p) => h.isAllocated(p))).toHaveLength(2);
      h.expectAccounted();
      const trees = [0, 1, 2].map(() => h.list.allocatePage(PARTITION, FLAG_AUX)); // 2 reused + 1 new
      h.expectAccounted(3);
      for (const id of trees) h.list.recyclePage(id);
      expect(h.list.reusePageCount).toBe(2);
      expect(trees.filter((p) => h.isAllocated(p))).toHaveLength(2);
      h.expectAccounted();
      expect(h.list.releaseReusePages(1)).toBe(1);
      expect(h.list.reusePageCount).toBe(1);
      expect(h.list.releaseReusePages()).toBe(1);
      expect([h.list.reusePageCount, h.list.pageCount]).toEqual([0, 0]);
      h.expectAccounted();
      h.list.checkInvariants();
    });

    it('with maxReusePages 0 gives every emptied or recycled page straight back', () => {
      const h = fx.open(pageSize, { maxReusePages: 0 });
      const emptied = emptiedPages(h, 3);
      const tree = h.list.allocatePage(PARTITION, FLAG_AUX);
      h.list.recyclePage(tree);
      expect([...emptied, tree].some((p) => h.isAllocated(p))).toBe(false);
      expect([h.list.reusePageCount, h.list.pageCount]).toEqual([0, 0]);
      h.expectAccounted();
    });
  });
}
