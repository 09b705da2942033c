/**
 * PageMemory contract: what is refused — page ids that name no live page of the group (foreign group, never
 * allocated, freed, also after the freed page's memory was handed out again) and freeing a pinned page. A refusal
 * changes nothing: no pin is taken, the view stays empty, no page is freed or touched.
 */
import { describe, expect, it } from 'vitest';
import { FLAG_AUX, FLAG_DATA, NULL_PAGE_ID, pageId, pageIndex } from '../../../src/domain/page/page-id';
import { PageView, type PageMemory } from '../../../src/domain/page-memory/page-memory.port';
import { AistorageError, IllegalPageAccessError } from '../../../src/domain/shared/errors';
import type { PageMemoryContractOptions } from '../page-memory-factory';
import { expectPage, freshImage, stamp, stampedImage, type PageMemoryFixture } from './fixture';

/** Every operation on (groupId, id) throws IllegalPageAccessError, leaving the view empty. */
export function expectRefused(m: PageMemory, groupId: number, id: number): void {
  const v = new PageView();
  expect(() => m.acquireRead(groupId, id, v), `acquireRead(${groupId}, ${id})`).toThrow(IllegalPageAccessError);
  expect(() => m.acquireWrite(groupId, id, v), `acquireWrite(${groupId}, ${id})`).toThrow(IllegalPageAccessError);
  expect(v.slot).toBe(-1);
  expect(() => m.freePage(groupId, id), `freePage(${groupId}, ${id})`).toThrow(IllegalPageAccessError);
}

export function describeRefusalCases(fx: PageMemoryFixture, pageSize: number, options: PageMemoryContractOptions = {}): void {
  describe('refused page ids', () => {
    it('refuses a foreign group\'s page and a never-allocated id, and the real page stays as it was', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const a = m.allocatePage(1, 2, FLAG_DATA);
      const b = m.allocatePage(1, 2, FLAG_DATA);
      stamp(m, 1, a, 1);
      for (const group of [0, 2, 0xffff_ffff]) expectRefused(m, group, a);
      const neverAllocated = [
        NULL_PAGE_ID,
        pageId(FLAG_DATA, 77, pageIndex(a)), // same index, a partition never used
        pageId(FLAG_AUX, 2, pageIndex(a)), // same index, other flags
        pageId(FLAG_DATA, 2, 0xffff_ffff),
      ];
      for (const id of neverAllocated) expectRefused(m, 1, id);
      expect([pm.allocatedPages(), pm.pinnedPages()]).toEqual([2, 0]);
      expectPage(m, 1, a, stampedImage(pageSize, a, 1));
      expectPage(m, 1, b, freshImage(pageSize, b));
    });

    if (options.positionalIds === true) {
      it('refuses a freed id until its position is handed out again, then names the fresh page (many times)', () => {
        const pm = fx.open(pageSize);
        const m = pm.memory;
        const keep = m.allocatePage(1, 2, FLAG_DATA);
        let id = m.allocatePage(1, 2, FLAG_DATA);
        for (let round = 0; round < 40; round++) {
          stamp(m, 1, id, round);
          m.freePage(1, id);
          expectRefused(m, 1, id);
          const again = m.allocatePage(1, 2, FLAG_DATA);
          expect(again).toBe(id); // freed positions are reused first
          expectPage(m, 1, again, freshImage(pageSize, again));
          id = again;
        }
        expect([pm.allocatedPages(), pm.pinnedPages()]).toEqual([2, 0]);
        expectPage(m, 1, keep, freshImage(pageSize, keep));
      });
    } else it('refuses a freed id for good, also after its memory was handed out again (many times)', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const keep = m.allocatePage(1, 2, FLAG_DATA);
      const dead: number[] = [];
      for (let round = 0; round < 40; round++) {
        const id = m.allocatePage(1, 2, FLAG_DATA);
        expect(dead).not.toContain(id);
        expectPage(m, 1, id, freshImage(pageSize, id));
        stamp(m, 1, id, round);
        m.freePage(1, id);
        dead.push(id);
        for (const old of dead.slice(-5)) expectRefused(m, 1, old);
      }
      for (const old of dead) expectRefused(m, 1, old);
      expect([pm.allocatedPages(), pm.pinnedPages()]).toEqual([1, 0]);
      expectPage(m, 1, keep, freshImage(pageSize, keep));
    });

    it('refuses to free a pinned page (read or write pin) and changes nothing', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const a = m.allocatePage(3, 0, FLAG_DATA);
      stamp(m, 3, a, 9);
      for (const acquire of [m.acquireRead, m.acquireWrite]) {
        const v = new PageView();
        acquire.call(m, 3, a, v);
        expect(() => m.freePage(3, a)).toThrow(AistorageError);
        expect([pm.allocatedPages(), pm.pinnedPages()]).toEqual([1, 1]);
        expect(readView(v, pageSize)).toEqual(stampedImage(pageSize, a, 9)); // the view still shows the page
        m.release(v);
      }
      expectPage(m, 3, a, stampedImage(pageSize, a, 9));
      m.freePage(3, a);
      expectRefused(m, 3, a);
      expect(pm.allocatedPages()).toBe(0);
    });

    it('keeps groups and partitions apart: freeing the pages of one leaves the others intact', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const pages: Array<{ group: number; id: number; seed: number }> = [];
      for (const group of [0, 1, 2]) {
        for (const partition of [0, 1, 0xffff]) {
          for (const flags of [FLAG_DATA, FLAG_AUX]) pages.push({ group, id: m.allocatePage(group, partition, flags), seed: pages.length });
        }
      }
      for (const p of pages) stamp(m, p.group, p.id, p.seed);
      const [gone, kept] = [pages.filter((p) => p.group === 1), pages.filter((p) => p.group !== 1)];
      for (const p of gone) m.freePage(1, p.id);
      expect(pm.allocatedPages()).toBe(kept.length);
      for (const p of gone) expectRefused(m, 1, p.id);
      for (const p of kept) expectPage(m, p.group, p.id, stampedImage(pageSize, p.id, p.seed));
      const fresh = [0, 1, 2].map(() => m.allocatePage(1, 1, FLAG_DATA));
      for (const id of fresh) expectPage(m, 1, id, freshImage(pageSize, id));
      for (const p of kept) expectPage(m, p.group, p.id, stampedImage(pageSize, p.id, p.seed));
    });
  });
}

function readView(v: PageView, pageSize: number): Uint8Array {
  return v.buf.slice(v.off, v.off + pageSize);
}
