/**
 * PageMemory contract: acquireRead / acquireWrite / release — what a filled view addresses, that writes persist
 * past release and stay on their page, and pin accounting (a page pinned through several views counts once).
 */
import { describe, expect, it } from 'vitest';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET, PAGE_VERSION_OFFSET } from '../../../src/domain/page/page-header.layout';
import { FLAG_DATA, readPageId } from '../../../src/domain/page/page-id';
import { PageView } from '../../../src/domain/page-memory/page-memory.port';
import { AistorageError, IllegalPageAccessError } from '../../../src/domain/shared/errors';
import { expectPage, freshImage, stamp, stampedImage, type PageMemoryFixture } from './fixture';

export function describeAccessCases(fx: PageMemoryFixture, pageSize: number): void {
  describe('page access', () => {
    it('fills the caller\'s view so that buf and dv address the page\'s pageSize bytes from off', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const ids = [0, 1, 2].map(() => m.allocatePage(4, 1, FLAG_DATA));
      const id = ids[1]!; // not the first page: a slot inside shared memory, if the memory has any
      const v = new PageView();
      m.acquireRead(4, id, v);
      expect([v.groupId, v.pageId, v.writable]).toEqual([4, id, false]);
      expect(v.slot).not.toBe(-1);
      expect(Number.isInteger(v.off) && v.off >= 0).toBe(true);
      expect(v.off + pageSize).toBeLessThanOrEqual(Math.min(v.buf.length, v.dv.byteLength));
      expect(readPageId(v.dv, v.off + PAGE_ID_OFFSET)).toBe(id);
      expect(v.contentOff).toBe(v.off + COMMON_HEADER_END);
      m.release(v);
      expect([v.slot, v.writable]).toEqual([-1, false]);

      m.acquireWrite(4, id, v);
      expect([v.groupId, v.pageId, v.writable]).toEqual([4, id, true]);
      v.dv.setUint16(v.off + PAGE_TYPE_OFFSET, 0x0102, true); // callers format the header's type and version
      v.dv.setUint16(v.off + PAGE_VERSION_OFFSET, 3, true);
      v.buf[v.off + COMMON_HEADER_END] = 0xa5;
      v.buf[v.off + pageSize - 1] = 0x5a; // the page's last byte
      v.dv.setUint32(v.off + pageSize / 2, 0xdeadbeef, true);
      // buf and dv are the same bytes at the same offsets.
      expect([v.dv.getUint8(v.off + COMMON_HEADER_END), v.dv.getUint8(v.off + pageSize - 1)]).toEqual([0xa5, 0x5a]);
      expect([...v.buf.subarray(v.off + pageSize / 2, v.off + pageSize / 2 + 4)]).toEqual([0xef, 0xbe, 0xad, 0xde]);
      m.release(v);

      const image = freshImage(pageSize, id);
      const dv = new DataView(image.buffer);
      dv.setUint16(PAGE_TYPE_OFFSET, 0x0102, true);
      dv.setUint16(PAGE_VERSION_OFFSET, 3, true);
      image[COMMON_HEADER_END] = 0xa5;
      image[pageSize - 1] = 0x5a;
      dv.setUint32(pageSize / 2, 0xdeadbeef, true);
      expectPage(m, 4, id, image);
      for (const other of [ids[0]!, ids[2]!]) expectPage(m, 4, other, freshImage(pageSize, other));
      expect(pm.pinnedPages()).toBe(0);
    });

    it('reads back what was written through acquireWrite after release; other pages keep their bytes', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const pages = Array.from({ length: 8 }, (_, i) => ({ group: i % 2, id: m.allocatePage(i % 2, 0, FLAG_DATA), seed: i }));
      for (const p of pages) stamp(m, p.group, p.id, p.seed);
      for (const p of pages) expectPage(m, p.group, p.id, stampedImage(pageSize, p.id, p.seed));
      for (const p of [pages[3]!, pages[4]!]) {
        p.seed += 100;
        stamp(m, p.group, p.id, p.seed);
      }
      for (const p of pages) expectPage(m, p.group, p.id, stampedImage(pageSize, p.id, p.seed));
      expect(pm.pinnedPages()).toBe(0);
    });

    it('release unpins; a page pinned through several views counts once', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const [a, b] = [m.allocatePage(1, 0, FLAG_DATA), m.allocatePage(1, 0, FLAG_DATA)];
      const [v1, v2, v3] = [new PageView(), new PageView(), new PageView()];
      m.acquireRead(1, a, v1);
      expect(pm.pinnedPages()).toBe(1);
      m.acquireWrite(1, a, v2);
      expect(pm.pinnedPages()).toBe(1);
      m.acquireRead(1, b, v3);
      expect(pm.pinnedPages()).toBe(2);
      m.release(v1);
      expect(pm.pinnedPages()).toBe(2); // v2 still pins a
      m.release(v2);
      expect(pm.pinnedPages()).toBe(1);
      m.release(v3);
      expect(pm.pinnedPages()).toBe(0);
      m.freePage(1, a); // unpinned pages can be freed
      expect(pm.allocatedPages()).toBe(1);
    });

    it('releasing an empty view or a view twice throws IllegalPageAccessError and unpins nothing', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const a = m.allocatePage(1, 0, FLAG_DATA);
      const [v1, v2] = [new PageView(), new PageView()];
      expect(() => m.release(new PageView())).toThrow(IllegalPageAccessError);
      m.acquireRead(1, a, v1);
      m.acquireRead(1, a, v2);
      m.release(v1);
      expect(() => m.release(v1)).toThrow(IllegalPageAccessError);
      expect(() => m.release(v1)).toThrow(IllegalPageAccessError);
      expect(pm.pinnedPages()).toBe(1); // the double release did not take v2's pin
      expect(() => m.freePage(1, a)).toThrow(AistorageError);
      m.release(v2);
      expect(pm.pinnedPages()).toBe(0);
      expect(() => m.release(v2)).toThrow(IllegalPageAccessError);
      m.freePage(1, a);
      expect(pm.allocatedPages()).toBe(0);
    });

    it('refuses to acquire into a view that holds a page, and changes nothing', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const [a, b] = [m.allocatePage(2, 1, FLAG_DATA), m.allocatePage(2, 1, FLAG_DATA)];
      const v = new PageView();
      m.acquireRead(2, a, v);
      expect(() => m.acquireRead(2, b, v)).toThrow(AistorageError);
      expect(() => m.acquireWrite(2, b, v)).toThrow(AistorageError);
      expect(() => m.acquireWrite(2, a, v)).toThrow(AistorageError);
      expect([v.pageId, v.writable, pm.pinnedPages()]).toEqual([a, false, 1]);
      expect(readPageId(v.dv, v.off + PAGE_ID_OFFSET)).toBe(a);
      m.freePage(2, b); // b was never pinned
      m.release(v);
      expect([pm.pinnedPages(), pm.allocatedPages()]).toEqual([0, 1]);
    });
  });
}
