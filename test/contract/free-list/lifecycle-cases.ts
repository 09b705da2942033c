/**
 * Free-list contract: the list's own lifetime — create (meta pages only), freeAllPages (every listed page back,
 * the list still usable), destroy (meta pages too: page memory back to where it was), open from the meta page at
 * any point between calls (same buckets, and it carries on), and out of memory (nothing changes).
 */
import { describe, expect, it } from 'vitest';
import { RowLink } from '../../../src/domain/datapage/row-link';
import { BucketedFreeList } from '../../../src/domain/freelist/bucketed-free-list';
import { FLAG_AUX, FLAG_DATA } from '../../../src/domain/page/page-id';
import { DataCorruptionError, OutOfMemoryError } from '../../../src/domain/shared/errors';
import type { PageMemoryContractOptions } from '../page-memory-factory';
import { GROUP, PARTITION, REUSE, emptySnapshot, pattern, snapshot, type FreeListFixture, type FreeListHarness, type ListSnapshot, type Row } from './fixture';

/** A mixed workload: small, page-sized and fragmented rows, a third of them removed. */
function workload(h: FreeListHarness, n: number): Row[] {
  const rows = Array.from({ length: n }, (_, i) => h.insert((i * 211) % (2 * h.store.maxPlainRow), i));
  for (let i = 0; i < n; i += 3) h.store.remove(rows[i]!.link.pageId, rows[i]!.link.itemId);
  return rows.filter((_, i) => i % 3 !== 0);
}

/**
 * After a refused insert the pages with rows are in the same buckets as before (their order in a bucket may
 * differ). Which empty pages wait in the reuse bucket may change: the fragments written before the failure took
 * empty pages, and removing them again files those pages anew (some go back to page memory when it is full).
 */
function expectSameRows(before: ListSnapshot, after: ListSnapshot): void {
  const sorted = (s: ListSnapshot) => s.buckets.slice(0, REUSE).map((pages) => [...pages].sort((a, b) => a - b));
  expect(sorted(after)).toEqual(sorted(before));
}

/** Updates the row to `len` bytes (its link follows a move) and returns the new bytes. */
function updated(h: FreeListHarness, row: Row, len: number, tag: number): Uint8Array {
  const bytes = pattern(len, tag);
  const out = new RowLink();
  h.store.update(row.link.pageId, row.link.itemId, bytes, out);
  row.link = out;
  return bytes;
}

export function describeLifecycleCases(fx: FreeListFixture, pageSize: number, options: PageMemoryContractOptions): void {
  describe('lifecycle', () => {
    it('create takes only its meta pages; a second list of the same memory stays apart', () => {
      const h = fx.open(pageSize);
      expect(h.list.metaPageCount).toBeGreaterThanOrEqual(1);
      expect(snapshot(h.list)).toEqual(emptySnapshot());
      h.expectAccounted();
      h.list.checkInvariants();
      const other = BucketedFreeList.create(h.memory, GROUP, PARTITION + 1);
      const rows = workload(h, 30);
      expect(other.pageCount).toBe(0);
      expect(h.pm.allocatedPages()).toBe(h.baseline + h.list.metaPageCount + h.list.pageCount + other.metaPageCount);
      other.destroy();
      h.expectAccounted();
      for (const r of rows) h.expectRow(r);
    });

    it('freeAllPages gives every listed page back and leaves the list usable', () => {
      const h = fx.open(pageSize, { maxReusePages: 4 });
      const rows = workload(h, 60);
      const listed = snapshot(h.list).buckets.flat();
      expect(h.list.reusePageCount).toBeGreaterThan(0);
      expect(h.list.freeAllPages()).toBe(listed.length);
      expect(listed.filter((p) => h.isAllocated(p))).toEqual([]);
      expect([h.list.pageCount, h.list.reusePageCount]).toEqual([0, 0]);
      h.expectAccounted();
      h.reopen();
      h.list.checkInvariants();
      const again = workload(h, 20);
      for (const r of again) h.expectRow(r);
      expect(again.length).toBeLessThan(rows.length);
      h.expectAccounted();
    });

    it('destroy gives back every page, its meta pages included', () => {
      const h = fx.open(pageSize, { maxReusePages: 4 });
      workload(h, 60);
      const tree = h.list.allocatePage(PARTITION, FLAG_AUX);
      h.list.recyclePage(tree);
      h.list.destroy();
      expect([h.pm.allocatedPages(), h.pm.pinnedPages()]).toEqual([h.baseline, 0]);
    });

    it('resetAfterDrop starts over on fresh meta pages once the partition\'s pages were dropped wholesale', () => {
      const h = fx.open(pageSize, { maxReusePages: 4 });
      workload(h, 40);
      h.list.allocatePage(PARTITION, FLAG_AUX); // a tree page: FLAG_DATA like every page of the partition, so it goes too
      const [oldMeta, tracked] = [h.list.metaPageId, h.list.pageCount];
      expect(h.memory.dropPages(GROUP, PARTITION, FLAG_DATA)).toBe(h.list.metaPageCount + tracked + 1);
      expect(h.pm.allocatedPages()).toBe(h.baseline);
      h.list.resetAfterDrop();
      expect(h.list.metaPageId).not.toBe(oldMeta);
      expect(snapshot(h.list)).toEqual(emptySnapshot());
      h.expectAccounted();
      h.list.checkInvariants();
      const rows = workload(h, 20);
      h.reopen();
      for (const r of rows) h.expectRow(r);
      h.expectAccounted();
    });

    it('opens from its meta page between any two calls into the same buckets, and carries on', () => {
      const h = fx.open(pageSize, { maxReusePages: 3 });
      const rows: Row[] = [];
      const trees: number[] = [];
      const steps: Array<() => void> = [
        () => rows.push(...workload(h, 40)),
        () => rows.push(h.insert(h.store.maxPlainRow * 2, 1000)),
        () => { const r = rows.shift()!; h.store.remove(r.link.pageId, r.link.itemId); },
        () => trees.push(h.list.allocatePage(PARTITION, FLAG_AUX), h.list.allocatePage(PARTITION, FLAG_AUX)),
        () => h.list.recyclePage(trees.pop()!),
        () => { for (const r of rows.splice(0, 10)) h.store.remove(r.link.pageId, r.link.itemId); },
        () => rows.push(h.insert(10, 1001), h.insert(h.store.maxPlainRow, 1002)),
        () => h.list.releaseReusePages(1),
        () => h.list.recyclePage(trees.pop()!),
        () => { h.list.freeAllPages(); rows.length = 0; },
        () => rows.push(...workload(h, 10)),
      ];
      for (const step of steps) {
        step();
        h.reopen();
        for (const r of rows) h.expectRow(r);
        h.expectAccounted(trees.length);
      }
    });

    it('open refuses a page that is not a free-list meta page', () => {
      const h = fx.open(pageSize);
      const row = h.insert(10, 1);
      expect(() => BucketedFreeList.open(h.memory, GROUP, PARTITION, row.link.pageId)).toThrow(DataCorruptionError);
      expect(h.pm.pinnedPages()).toBe(0);
    });
  });

  const maxPages = options.maxPages;
  if (maxPages === undefined) return;

  describe(`out of memory (at most ${maxPages} pages)`, () => {
    it('refuses a row or an update that does not fit with OutOfMemoryError; nothing changes; removing rows makes room', () => {
      const h = fx.open(pageSize, { maxReusePages: 2 });
      const big = 2 * h.store.maxPlainRow;
      const rows: Row[] = [];
      const refused = { insert: 0, update: 0 };
      for (let i = 0; (refused.insert < 3 || refused.update < 2) && i < 4 * maxPages; i++) {
        const before = snapshot(h.list);
        const victim = i % 3 === 2 && rows.length > 0 ? rows[i % rows.length]! : null;
        try {
          // An update to 3×maxPlainRow needs three empty pages: more than the reuse bucket keeps.
          if (victim !== null) victim.bytes = updated(h, victim, 3 * h.store.maxPlainRow, i);
          else rows.push(h.insert(i % 3 === 0 ? big : 20 + (i % 7) * 30, i));
        } catch (e) {
          expect(e).toBeInstanceOf(OutOfMemoryError);
          refused[victim === null ? 'insert' : 'update']++;
          expectSameRows(before, snapshot(h.list)); // fragments written before the failure are gone again
          h.expectAccounted();
          h.list.checkInvariants();
          if (victim !== null) h.expectRow(victim); // the old row is intact
        }
      }
      expect(refused.insert).toBeGreaterThanOrEqual(3);
      expect(refused.update).toBeGreaterThanOrEqual(2);
      for (const r of rows) h.expectRow(r);
      for (const r of rows.splice(0, 4)) h.store.remove(r.link.pageId, r.link.itemId);
      rows.push(h.insert(big, 99));
      for (const r of rows) h.expectRow(r);
      h.reopen();
      h.expectAccounted();
    });

    it('a fragmented row that runs out of memory halfway leaves no fragment behind', () => {
      const h = fx.open(pageSize);
      const fillers: number[] = [];
      while (h.pm.allocatedPages() < maxPages - 2) fillers.push(h.memory.allocatePage(GROUP, 9, 0));
      const before = snapshot(h.list);
      // Three full fragments and a head: two pages are written, the third fragment is refused.
      expect(() => h.insert(3 * h.store.maxPlainRow, 1)).toThrow(OutOfMemoryError);
      expectSameRows(before, snapshot(h.list));
      expect(h.list.reusePageCount).toBe(2); // the two pages the removed fragments left empty
      h.expectAccounted(fillers.length);
      h.list.checkInvariants();
      for (const id of fillers.splice(0, 2)) h.memory.freePage(GROUP, id);
      h.expectRow(h.insert(3 * h.store.maxPlainRow, 2));
      h.expectAccounted(fillers.length);
    });

    it('create refuses with OutOfMemoryError and keeps nothing when its meta pages do not fit', () => {
      const h = fx.open(pageSize);
      const meta = h.list.metaPageCount;
      const fill: number[] = [];
      while (h.pm.allocatedPages() < maxPages - meta + 1) fill.push(h.memory.allocatePage(GROUP, 9, 0));
      const create = () => BucketedFreeList.create(h.memory, GROUP, PARTITION + 1);
      expect(create).toThrow(OutOfMemoryError);
      expect(h.pm.allocatedPages()).toBe(maxPages - meta + 1);
      h.memory.freePage(GROUP, fill.pop()!);
      create().checkInvariants();
      expect(h.pm.allocatedPages()).toBe(maxPages);
    });
  });
}
