import { describe, expect, it } from 'vitest';
import { FLAG_DATA, pageId } from '../../../../src/domain/page/page-id';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import { IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError } from '../../../../src/domain/shared/errors';
import { PARTITION, newStore, pattern, seeded, type StoreFixture } from './row-store.fixture';

function expectRow(f: StoreFixture, link: RowLink, bytes: Uint8Array): void {
  expect(f.store.length(link.pageId, link.itemId)).toBe(bytes.length);
  const dst = new Uint8Array(bytes.length + 3);
  expect(f.store.read(link.pageId, link.itemId, dst, 3)).toBe(bytes.length);
  expect(Buffer.from(dst.buffer, 3).equals(bytes)).toBe(true);
  expect(Buffer.from(f.store.readBytes(link.pageId, link.itemId)).equals(bytes)).toBe(true);
  expect(f.memory.pinnedPages()).toBe(0);
}

/** Sizes around the edges of plain rows, pages and fragment multiples. */
function boundarySizes(f: StoreFixture, pageSize: number): number[] {
  const plain = f.store.maxPlainRow;
  const cap = f.store.fragmentCapacity;
  const head = plain - 12; // payload of a head fragment alone on an empty page
  const sizes = [0, 1, 2, 3, plain - 1, plain, plain + 1, pageSize - 3, pageSize, pageSize + 3, 3 * pageSize];
  for (let k = 1; k <= 3; k++) sizes.push(k * cap - 1, k * cap, k * cap + 1, k * cap + head - 1, k * cap + head, k * cap + head + 1);
  return sizes;
}


/** Pages the store's rows use (the free list's own meta pages excluded). */
function dataPages(f: { memory: { allocatedPages: number }; freeList: { metaPageCount: number } }): number {
  return f.memory.allocatedPages - f.freeList.metaPageCount;
}

describe.each([1024, 16384])('RowStore (%i-byte pages)', (pageSize) => {
  it('reads back rows of every boundary size byte-exact and gives all pages back', () => {
    const f = newStore(pageSize);
    const sizes = boundarySizes(f, pageSize);
    const links = sizes.map((len, i) => {
      const writes = f.memory.writeCount;
      const link = f.store.insert(pattern(len, i), new RowLink());
      expect(f.memory.writeCount).toBeGreaterThan(writes);
      expect(f.memory.pinnedPages()).toBe(0);
      f.freeList.checkInvariants();
      return link;
    });
    sizes.forEach((len, i) => expectRow(f, links[i]!, pattern(len, i)));
    const order = sizes.map((_, i) => i).sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13));
    for (const i of order) {
      f.store.remove(links[i]!.pageId, links[i]!.itemId);
      expect(f.memory.pinnedPages()).toBe(0);
      f.freeList.checkInvariants();
      for (const j of order.slice(order.indexOf(i) + 1)) expect(f.store.length(links[j]!.pageId, links[j]!.itemId)).toBe(sizes[j]);
    }
    expect(f.freeList.pageCount).toBe(f.freeList.reusePageCount);
    f.freeList.releaseReusePages();
    expect(dataPages(f)).toBe(0);
  });

  it('stores a row of maxPlainRow bytes in one page and one byte more in two', () => {
    const f = newStore(pageSize);
    f.store.insert(pattern(f.store.maxPlainRow, 1), new RowLink());
    expect(dataPages(f)).toBe(1);
    const g = newStore(pageSize);
    g.store.insert(pattern(g.store.maxPlainRow + 1, 1), new RowLink());
    expect(dataPages(g)).toBe(2);
  });

  it('keeps links valid while other rows go and the page compacts', () => {
    const f = newStore(pageSize);
    const len = Math.floor(f.store.maxPlainRow / 9);
    const links = Array.from({ length: 8 }, (_, i) => f.store.insert(pattern(len, i), new RowLink()));
    expect(new Set(links.map((l) => l.pageId)).size).toBe(1);
    for (const i of [1, 3, 5]) f.store.remove(links[i]!.pageId, links[i]!.itemId);
    const big = f.store.insert(pattern(2 * len + len / 2, 99), new RowLink()); // larger than any hole
    expect(big.pageId).toBe(links[0]!.pageId);
    expect(dataPages(f)).toBe(1);
    for (const i of [0, 2, 4, 6, 7]) expectRow(f, links[i]!, pattern(len, i));
    expectRow(f, big, pattern(2 * len + len / 2, 99));
    f.freeList.checkInvariants();
  });

  it('updates in place when the new bytes fit the page, relocates otherwise', () => {
    const f = newStore(pageSize);
    const out = new RowLink();
    const a = f.store.insert(pattern(100, 1), new RowLink());
    expect(f.store.update(a.pageId, a.itemId, pattern(40, 2), out)).toBe(true); // shrink
    expect([out.pageId, out.itemId]).toEqual([a.pageId, a.itemId]);
    expectRow(f, a, pattern(40, 2));
    expect(f.store.update(a.pageId, a.itemId, pattern(300, 3), out)).toBe(true); // grow, page has room
    expectRow(f, a, pattern(300, 3));
    // fill the page (leaving less than 100 bytes) so a cannot grow by 100 there; the filler leaves one bucket
    // step of margin so the free list surely picks this page
    const fillerLen = f.store.maxPlainRow - 304 - f.freeList.step;
    const filler = f.store.insert(pattern(fillerLen, 4), new RowLink());
    expect(filler.pageId).toBe(a.pageId);
    expect(f.store.update(a.pageId, a.itemId, pattern(400, 5), out)).toBe(false);
    expect(out.pageId).not.toBe(a.pageId);
    expectRow(f, out, pattern(400, 5));
    expect(() => f.store.length(a.pageId, a.itemId)).toThrow(InvalidArgumentError);
    expectRow(f, filler, pattern(fillerLen, 4));
    f.freeList.checkInvariants();
  });

  it('updates fragmented rows: same length in place, shorter to a plain row in place, longer relocated', () => {
    const f = newStore(pageSize);
    const out = new RowLink();
    const big = 3 * pageSize + 5;
    const r = f.store.insert(pattern(big, 1), new RowLink());
    const pages = dataPages(f);
    expect(f.store.update(r.pageId, r.itemId, pattern(big, 2), out)).toBe(true);
    expectRow(f, r, pattern(big, 2));
    expect(dataPages(f)).toBe(pages);
    expect(f.store.update(r.pageId, r.itemId, pattern(big + 1, 3), out)).toBe(false);
    expectRow(f, out, pattern(big + 1, 3));
    const r2 = new RowLink().set(out.pageId, out.itemId);
    expect(f.store.update(r2.pageId, r2.itemId, pattern(10, 4), out)).toBe(true);
    expect([out.pageId, out.itemId]).toEqual([r2.pageId, r2.itemId]);
    expectRow(f, r2, pattern(10, 4));
    expect(f.freeList.pageCount - f.freeList.reusePageCount).toBe(1);
    f.freeList.checkInvariants();
    f.store.remove(r2.pageId, r2.itemId);
    f.freeList.releaseReusePages();
    expect(dataPages(f)).toBe(0);
  });

  it('reads and writes parts of rows in place, across fragment borders', () => {
    const f = newStore(pageSize);
    const len = 4 * pageSize;
    const bytes = pattern(len, 1);
    const r = f.store.insert(bytes, new RowLink());
    const cap = f.store.fragmentCapacity;
    const at = len - cap - 3; // spans the last two fragments
    const patch = pattern(8, 77);
    const writes = f.memory.writeCount;
    f.store.writeAt(r.pageId, r.itemId, at, patch, 0, 8);
    expect(f.memory.writeCount - writes).toBe(3); // the head (acquired to write) and the two fragments touched
    bytes.set(patch, at);
    expectRow(f, r, bytes);
    const part = new Uint8Array(20);
    f.store.readAt(r.pageId, r.itemId, at - 6, part, 0, 20);
    expect(Array.from(part)).toEqual(Array.from(bytes.subarray(at - 6, at + 14)));
    const small = f.store.insert(pattern(30, 2), new RowLink());
    f.store.writeAt(small.pageId, small.itemId, 22, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 0, 8);
    expect(Array.from(f.store.readBytes(small.pageId, small.itemId).subarray(22))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => f.store.writeAt(small.pageId, small.itemId, 23, patch, 0, 8)).toThrow(InvalidArgumentError);
    expect(() => f.store.readAt(r.pageId, r.itemId, len - 1, part, 0, 2)).toThrow(InvalidArgumentError);
    expect(() => f.store.read(r.pageId, r.itemId, new Uint8Array(len - 1))).toThrow(InvalidArgumentError);
    expect(f.memory.pinnedPages()).toBe(0);
  });

  it('refuses links that name no row, leaving nothing pinned', () => {
    const f = newStore(pageSize, { maxReusePages: 0 });
    // fragments are written first: the full fragment takes the first page after the free list's meta pages, the
    // head (no room there) the next one
    const first = f.freeList.metaPageCount + 1;
    const r = f.store.insert(pattern(f.store.maxPlainRow + 1, 1), new RowLink());
    const fragmentPage = pageId(FLAG_DATA, PARTITION, first);
    expect(r.pageId).toBe(pageId(FLAG_DATA, PARTITION, first + 1));
    const keep = f.store.insert(pattern(5, 2), new RowLink());
    expect(() => f.store.length(keep.pageId, keep.itemId + 40)).toThrow(InvalidArgumentError);
    expect(() => f.store.length(keep.pageId, -1)).toThrow(InvalidArgumentError);
    expect(() => f.store.readBytes(fragmentPage, 0)).toThrow(/no row at link/);
    expect(() => f.store.update(fragmentPage, 0, pattern(1, 1), new RowLink())).toThrow(InvalidArgumentError);
    expect(() => f.store.remove(fragmentPage, 0)).toThrow(InvalidArgumentError);
    expect(f.memory.pinnedPages()).toBe(0);
    f.store.remove(r.pageId, r.itemId);
    expect(() => f.store.remove(r.pageId, r.itemId)).toThrow(InvalidArgumentError); // head page still holds keep
    expect(() => f.store.readBytes(fragmentPage, 0)).toThrow(IllegalPageAccessError); // freed: no reuse pages kept
    expect(f.memory.pinnedPages()).toBe(0);
    expectRow(f, keep, pattern(5, 2));
  });

  it('leaves stored rows intact and leaks nothing when memory runs out mid-row', () => {
    const f = newStore(pageSize, { maxReusePages: 0 }, 6);
    const keep = f.store.insert(pattern(50, 1), new RowLink());
    expect(() => f.store.insert(pattern(8 * pageSize, 2), new RowLink())).toThrow(OutOfMemoryError);
    expect(dataPages(f)).toBe(1);
    expect(f.memory.pinnedPages()).toBe(0);
    expectRow(f, keep, pattern(50, 1));
    f.freeList.checkInvariants();
    const out = new RowLink();
    expect(() => f.store.update(keep.pageId, keep.itemId, pattern(8 * pageSize, 3), out)).toThrow(OutOfMemoryError);
    expectRow(f, keep, pattern(50, 1));
  });
});

describe('RowStore with a 64 MiB row', () => {
  it.each([1024, 16384])('stores, reads, patches and removes it on %i-byte pages', (pageSize) => {
    const f = newStore(pageSize);
    const len = 64 * 1024 * 1024;
    const bytes = new Uint8Array(len);
    const words = new Uint32Array(bytes.buffer);
    const rnd = seeded(pageSize);
    for (let i = 0; i < words.length; i += 1024) words[i] = rnd() * 2 ** 32;
    for (let i = 0; i < words.length; i++) words[i] = words[i - (i % 1024)]! ^ Math.imul(i, 0x9e3779b1);
    const r = f.store.insert(bytes, new RowLink());
    expect(f.memory.pinnedPages()).toBe(0);
    expect(f.store.length(r.pageId, r.itemId)).toBe(len);
    const back = new Uint8Array(len);
    f.store.read(r.pageId, r.itemId, back);
    expect(Buffer.from(back.buffer).equals(Buffer.from(bytes.buffer))).toBe(true);
    const patch = pattern(1000, 5);
    f.store.writeAt(r.pageId, r.itemId, len - 5000, patch, 0, patch.length);
    const tail = new Uint8Array(1000);
    f.store.readAt(r.pageId, r.itemId, len - 5000, tail, 0, 1000);
    expect(Buffer.from(tail).equals(patch)).toBe(true);
    f.freeList.checkInvariants();
    f.store.remove(r.pageId, r.itemId);
    f.freeList.releaseReusePages();
    expect(dataPages(f)).toBe(0);
    expect(f.memory.pinnedPages()).toBe(0);
  });
});

describe('RowStore write path', () => {
  it('changes pages only through acquireWrite', () => {
    const f = newStore(1024);
    const r = f.store.insert(pattern(10, 1), new RowLink());
    let writes = f.memory.writeCount;
    f.store.readBytes(r.pageId, r.itemId);
    f.store.length(r.pageId, r.itemId);
    expect(f.memory.writeCount).toBe(writes);
    for (const op of [
      () => f.store.writeAt(r.pageId, r.itemId, 0, pattern(4, 2), 0, 4),
      () => f.store.update(r.pageId, r.itemId, pattern(12, 3), new RowLink()),
      () => f.store.remove(r.pageId, r.itemId),
    ]) {
      op();
      expect(f.memory.writeCount).toBeGreaterThan(writes);
      writes = f.memory.writeCount;
    }
    expect(f.memory.pinnedPages()).toBe(0);
  });
});
