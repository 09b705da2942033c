import { describe, expect, it } from 'vitest';
import { BucketedFreeList, REUSE_BUCKET } from '../../../../src/domain/freelist/bucketed-free-list';
import { RowStore } from '../../../../src/domain/datapage/row-store';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { DATA_FREE_SPACE_OFFSET, dataPageMaxBody } from '../../../../src/domain/datapage/data-page.layout';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../../../../src/domain/page/page-header.layout';
import { FLAG_AUX, FLAG_DATA, readPageId } from '../../../../src/domain/page/page-id';
import { PAGE_TYPE_BTREE_LEAF, PAGE_TYPE_DATA } from '../../../../src/domain/page/page-types';
import { DataCorruptionError, InvalidArgumentError } from '../../../../src/domain/shared/errors';
import { GROUP, PARTITION, newStore, pattern, type StoreFixture } from '../datapage/row-store.fixture';

/** Stores one row per page, then shrinks each so page i has about rooms[i] bytes free; returns the page ids. */
function pagesWithRooms(f: StoreFixture, rooms: number[]): { pages: number[]; links: RowLink[] } {
  const links = rooms.map((_, i) => f.store.insert(pattern(f.store.maxPlainRow, i), new RowLink()));
  rooms.forEach((room, i) => f.store.update(links[i]!.pageId, links[i]!.itemId, pattern(f.store.maxPlainRow - room, i), new RowLink()));
  return { pages: links.map((l) => l.pageId), links };
}

function typeOf(f: StoreFixture, pageId: number): number {
  const v = new PageView();
  f.memory.acquireRead(GROUP, pageId, v);
  const type = v.dv.getUint16(v.off + PAGE_TYPE_OFFSET, true);
  f.memory.release(v);
  return type;
}

describe.each([1024, 16384])('BucketedFreeList (%i-byte pages)', (pageSize) => {
  it('quantizes room into buckets 0..254 and keeps 255 for empty pages', () => {
    const { freeList } = newStore(pageSize);
    const maxBody = dataPageMaxBody(pageSize);
    expect(freeList.step).toBe(pageSize === 1024 ? 4 : 65);
    expect(freeList.bucketForRoom(maxBody)).toBe(REUSE_BUCKET);
    expect(freeList.bucketForRoom(maxBody - 1)).toBeLessThanOrEqual(254);
    expect(freeList.bucketForRoom(0)).toBe(0);
    expect(freeList.bucketForRoom(freeList.step)).toBe(1);
    expect(freeList.bucketForRoom(freeList.step - 1)).toBe(0);
    expect(() => freeList.pageWithRoom(maxBody + 1)).toThrow(InvalidArgumentError);
    expect(() => freeList.pageWithRoom(0)).toThrow(InvalidArgumentError);
  });

  it('puts a row on the page with the least room that surely fits it', () => {
    const f = newStore(pageSize);
    const s = f.freeList.step;
    const rooms = [600, 200, 400, 100].map((r) => Math.floor((r * pageSize) / 1024));
    const { pages } = pagesWithRooms(f, rooms);
    f.freeList.checkInvariants();
    const placed = (len: number): number => f.store.insert(pattern(len, 9), new RowLink()).pageId;
    expect(placed(rooms[3]! + 3 * s)).toBe(pages[1]); // too big for the 100 page, fits the 200 page
    expect(placed(rooms[2]! - 3 * s)).toBe(pages[2]);
    expect(placed(rooms[3]! - 3 * s)).toBe(pages[3]);
    expect(placed(rooms[0]! - 3 * s)).toBe(pages[0]);
    const before = (f.memory.allocatedPages - f.freeList.metaPageCount);
    const fresh = placed(rooms[0]!);
    expect(pages).not.toContain(fresh);
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(before + 1);
    f.freeList.checkInvariants();
  });

  it('moves emptied pages to the reuse bucket, reuses them, and frees past the limit', () => {
    const f = newStore(pageSize, { maxReusePages: 2 });
    const links = [0, 1, 2, 3].map((i) => f.store.insert(pattern(f.store.maxPlainRow, i), new RowLink()));
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(4);
    for (const l of links) f.store.remove(l.pageId, l.itemId);
    expect(f.freeList.reusePageCount).toBe(2);
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(2);
    expect(f.freeList.bucketOfPage(links[0]!.pageId)).toBe(REUSE_BUCKET);
    f.freeList.checkInvariants();
    const again = f.store.insert(pattern(10, 5), new RowLink());
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(2);
    expect([links[0]!.pageId, links[1]!.pageId]).toContain(again.pageId);
    expect(f.freeList.reusePageCount).toBe(1);
    expect(f.freeList.releaseReusePages(1)).toBe(0);
    expect(f.freeList.releaseReusePages()).toBe(1);
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(1);
    f.freeList.checkInvariants();
  });

  it('serves tree pages from the reuse bucket, zeroed, and takes recycled tree pages back for data', () => {
    const f = newStore(pageSize);
    const r = f.store.insert(pattern(100, 1), new RowLink());
    f.store.remove(r.pageId, r.itemId);
    const tree = f.freeList.allocatePage(PARTITION, FLAG_AUX);
    expect(tree).toBe(r.pageId); // the emptied data page, not new memory
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(1);
    const v = new PageView();
    f.memory.acquireWrite(GROUP, tree, v);
    expect(readPageId(v.dv, v.off + PAGE_ID_OFFSET)).toBe(tree);
    expect(v.buf.subarray(v.off, v.off + PAGE_ID_OFFSET).every((b) => b === 0)).toBe(true);
    expect(v.buf.subarray(v.off + COMMON_HEADER_END, v.off + pageSize).every((b) => b === 0)).toBe(true);
    v.dv.setUint16(v.off + PAGE_TYPE_OFFSET, PAGE_TYPE_BTREE_LEAF, true); // the tree uses it ...
    v.buf.fill(0xab, v.off + COMMON_HEADER_END, v.off + pageSize);
    f.memory.release(v);
    expect(f.freeList.allocatePage(PARTITION, FLAG_AUX)).not.toBe(tree); // reuse bucket empty: new memory
    f.freeList.recyclePage(tree); // ... and gives it back
    expect(() => f.freeList.recyclePage(tree)).toThrow(InvalidArgumentError);
    f.freeList.checkInvariants();
    const row = f.store.insert(pattern(50, 2), new RowLink());
    expect(row.pageId).toBe(tree);
    expect(typeOf(f, tree)).toBe(PAGE_TYPE_DATA);
    expect(Buffer.from(f.store.readBytes(row.pageId, row.itemId)).equals(pattern(50, 2))).toBe(true);
    f.freeList.checkInvariants();
    expect(f.memory.pinnedPages()).toBe(0);
  });

  it('leaves pages of other partitions to page memory', () => {
    const f = newStore(pageSize);
    const r = f.store.insert(pattern(100, 1), new RowLink());
    f.store.remove(r.pageId, r.itemId);
    const other = f.freeList.allocatePage(PARTITION + 1, FLAG_DATA);
    expect(other).not.toBe(r.pageId);
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(2);
    f.freeList.recyclePage(other);
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(1);
    expect(f.freeList.reusePageCount).toBe(1);
  });

  it('checkInvariants catches a page whose bucket or content disagrees with its room', () => {
    const f = newStore(pageSize);
    const r = f.store.insert(pattern(100, 1), new RowLink());
    f.freeList.checkInvariants();
    f.freeList.pageChanged(r.pageId, 0); // a wrong report
    expect(() => f.freeList.checkInvariants()).toThrow(DataCorruptionError);
    f.store.update(r.pageId, r.itemId, pattern(90, 1), new RowLink()); // reports the true room again
    f.freeList.checkInvariants();
    const v = new PageView();
    f.memory.acquireWrite(GROUP, r.pageId, v);
    v.dv.setUint16(v.off + DATA_FREE_SPACE_OFFSET, v.dv.getUint16(v.off + DATA_FREE_SPACE_OFFSET, true) - 1, true);
    f.memory.release(v);
    expect(() => f.freeList.checkInvariants()).toThrow(/free space/);
    expect(f.memory.pinnedPages()).toBe(0);
  });
});

describe.each([1024, 16384])('BucketedFreeList on pages (%i-byte pages)', (pageSize) => {
  it('opens from its meta page into the same buckets, and both objects keep the pages consistent', () => {
    const f = newStore(pageSize, { maxReusePages: 5 });
    const links = Array.from({ length: 300 }, (_, i) => f.store.insert(pattern((i * 53) % (f.store.maxPlainRow * 2), i), new RowLink()));
    for (let i = 0; i < links.length; i += 4) f.store.remove(links[i]!.pageId, links[i]!.itemId);
    f.freeList.checkInvariants();
    const reopened = BucketedFreeList.open(f.memory, GROUP, PARTITION, f.freeList.metaPageId, { maxReusePages: 5 });
    const buckets = (l: BucketedFreeList) => Array.from({ length: 256 }, (_, b) => l.bucketPages(b));
    expect(buckets(reopened)).toEqual(buckets(f.freeList));
    expect([reopened.pageCount, reopened.reusePageCount]).toEqual([f.freeList.pageCount, f.freeList.reusePageCount]);
    reopened.checkInvariants();
    // The reopened list carries on: a store over it places rows on the pages it knows.
    const store = new RowStore(f.memory, reopened);
    for (let i = 0; i < 50; i++) store.insert(pattern(30 + i, i), new RowLink());
    reopened.checkInvariants();
    expect(() => BucketedFreeList.open(f.memory, GROUP, PARTITION, links[1]!.pageId)).toThrow(DataCorruptionError);
  });
});

describe('BucketedFreeList.recyclePage refusals', () => {
  it('refuses a page still listed — recycled twice, an empty data page waiting for reuse, a page holding rows — and changes nothing', () => {
    for (const maxReusePages of [0, 1, 5]) {
      const f = newStore(1024, { maxReusePages });
      const tree = f.freeList.allocatePage(PARTITION, FLAG_DATA);
      f.freeList.recyclePage(tree);
      if (maxReusePages > 0) expect(() => f.freeList.recyclePage(tree)).toThrow(InvalidArgumentError);
      const row = f.store.insert(pattern(40, 1), new RowLink());
      expect(() => f.freeList.recyclePage(row.pageId)).toThrow(InvalidArgumentError);
      expect(f.store.readBytes(row.pageId, row.itemId)).toEqual(pattern(40, 1));
      f.freeList.checkInvariants();
    }
  });
});
