import { describe, expect, it } from 'vitest';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { DataPageIo } from '../../../../src/domain/datapage/data-page-io';
import { DATA_FREE_SPACE_OFFSET, DATA_HEADER_END, MAX_ITEMS, PLAIN_BODY_HEADER } from '../../../../src/domain/datapage/data-page.layout';
import { FLAG_DATA, readPageId } from '../../../../src/domain/page/page-id';
import { PAGE_ID_OFFSET } from '../../../../src/domain/page/page-header.layout';

/** One writable data page and helpers to put stamped plain bodies on it. */
function page(pageSize: number) {
  const memory = new HeapPageMemory(pageSize);
  const id = memory.allocatePage(1, 0, FLAG_DATA);
  const v = new PageView();
  memory.acquireWrite(1, id, v);
  const io = new DataPageIo(pageSize);
  io.init(v);
  const put = (len: number, stamp: number): number => {
    const item = io.insertItem(v, PLAIN_BODY_HEADER + len);
    const abs = io.bodyOffset(v, item);
    v.dv.setUint16(abs, len, true);
    v.buf.fill(stamp, abs + PLAIN_BODY_HEADER, abs + PLAIN_BODY_HEADER + len);
    return item;
  };
  const stampOf = (item: number): number[] => {
    const abs = io.bodyOffset(v, item);
    const len = v.dv.getUint16(abs, true);
    return [len, ...new Set(v.buf.subarray(abs + PLAIN_BODY_HEADER, abs + PLAIN_BODY_HEADER + len))];
  };
  return { memory, id, v, io, put, stampOf };
}

describe.each([1024, 16384])('DataPageIo (%i-byte pages)', (pageSize) => {
  it('formats an empty page that keeps its page id', () => {
    const { v, io, id } = page(pageSize);
    expect(io.isDataPage(v)).toBe(true);
    expect(io.freeSpace(v)).toBe(pageSize - DATA_HEADER_END);
    expect(io.room(v)).toBe(io.maxBody);
    expect(io.isEmpty(v)).toBe(true);
    expect(io.check(v)).toBeNull();
    expect(readPageId(v.dv, v.off + PAGE_ID_OFFSET)).toBe(id);
  });

  it('accounts free space exactly as items come and go, trimming trailing free ids', () => {
    const { v, io, put } = page(pageSize);
    const a = put(10, 1);
    const b = put(20, 2);
    const c = put(30, 3);
    expect([a, b, c]).toEqual([0, 1, 2]);
    expect(io.freeSpace(v)).toBe(pageSize - DATA_HEADER_END - 3 * 2 - (12 + 22 + 32));
    io.removeItem(v, b);
    expect(io.bodyOffset(v, b)).toBe(-1);
    expect(io.itemCount(v)).toBe(3);
    expect(io.room(v)).toBe(io.freeSpace(v)); // a free id: no table growth needed
    expect(io.check(v)).toBeNull();
    io.removeItem(v, c); // trims c and the free b
    expect(io.itemCount(v)).toBe(1);
    expect(io.freeSpace(v)).toBe(pageSize - DATA_HEADER_END - 2 - 12);
    expect(io.check(v)).toBeNull();
    io.removeItem(v, a);
    expect(io.isEmpty(v)).toBe(true);
    expect(io.room(v)).toBe(io.maxBody);
    expect(io.check(v)).toBeNull();
  });

  it('reuses the lowest free id and keeps the other ids on their bodies', () => {
    const { v, io, put, stampOf } = page(pageSize);
    for (let i = 0; i < 6; i++) put(5 + i, 10 + i);
    io.removeItem(v, 3);
    io.removeItem(v, 1);
    expect(put(7, 99)).toBe(1);
    expect(put(7, 98)).toBe(3);
    expect(put(7, 97)).toBe(6);
    expect([0, 2, 4, 5].map(stampOf)).toEqual([[5, 10], [7, 12], [9, 14], [10, 15]]);
    expect(io.check(v)).toBeNull();
  });

  it('compacts fragmented space when the gap is too small, without moving ids', () => {
    const { v, io, put, stampOf } = page(pageSize);
    const len = Math.floor(io.maxBody / 8) - 4; // eight items almost fill the page
    for (let i = 0; i < 8; i++) put(len, i + 1);
    for (const id of [1, 3, 5]) io.removeItem(v, id);
    expect(io.room(v)).toBe(io.freeSpace(v));
    expect(io.room(v)).toBeGreaterThan(3 * len); // more than any one hole (each is len + 2 bytes)
    const big = put(io.room(v) - PLAIN_BODY_HEADER, 0xee); // larger than any single hole: needs compaction
    expect(big).toBe(1);
    expect([0, 2, 4, 6, 7].map(stampOf)).toEqual([0, 2, 4, 6, 7].map((i) => [len, i + 1]));
    expect(stampOf(big)[1]).toBe(0xee);
    expect(io.freeSpace(v)).toBe(0);
    expect(io.check(v)).toBeNull();
  });

  it('resizes an item in place, growing through compaction or refusing when the page is full', () => {
    const { v, io, put, stampOf } = page(pageSize);
    const a = put(100, 1);
    const b = put(100, 2);
    const c = put(100, 3);
    expect(io.resizeItem(v, b, PLAIN_BODY_HEADER + 40)).toBe(true); // shrink: same place, bytes kept
    v.dv.setUint16(io.bodyOffset(v, b), 40, true);
    expect(stampOf(b)).toEqual([40, 2]);
    expect(io.check(v)).toBeNull();
    const grown = io.freeSpace(v) + PLAIN_BODY_HEADER + 40; // all the page can give b
    const before = v.buf.slice(v.off, v.off + pageSize);
    expect(io.resizeItem(v, b, grown + 1)).toBe(false);
    expect(v.buf.slice(v.off, v.off + pageSize)).toEqual(before);
    expect(io.resizeItem(v, b, grown)).toBe(true);
    const abs = io.bodyOffset(v, b);
    v.dv.setUint16(abs, grown - PLAIN_BODY_HEADER, true);
    v.buf.fill(9, abs + PLAIN_BODY_HEADER, abs + grown);
    expect(io.freeSpace(v)).toBe(0);
    expect([a, c].map(stampOf)).toEqual([[100, 1], [100, 3]]);
    expect(stampOf(b)).toEqual([grown - PLAIN_BODY_HEADER, 9]);
    expect(io.check(v)).toBeNull();
  });

  it('check() reports a broken header', () => {
    const { v, io, put } = page(pageSize);
    put(10, 1);
    v.dv.setUint16(v.off + DATA_FREE_SPACE_OFFSET, io.freeSpace(v) + 1, true);
    expect(io.check(v)).toMatch(/free space/);
  });
});

describe('DataPageIo item ids', () => {
  it('takes at most 256 items, then no room whatever the free bytes', () => {
    const { v, io, put } = page(16384); // 256 minimal items need more than a 1 KiB page
    for (let i = 0; i < MAX_ITEMS; i++) expect(put(0, 0)).toBe(i);
    expect(io.freeSpace(v)).toBeGreaterThan(0);
    expect(io.room(v)).toBe(0);
    io.removeItem(v, 17);
    expect(io.room(v)).toBe(io.freeSpace(v));
    expect(put(3, 1)).toBe(17);
    expect(io.check(v)).toBeNull();
  });
});
