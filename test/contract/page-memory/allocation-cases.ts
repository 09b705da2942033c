/**
 * PageMemory contract: allocatePage and freePage bookkeeping — fresh pages, distinct ids, argument checks, reuse
 * of freed pages, and out of memory (when the factory's memory is bounded).
 */
import { describe, expect, it } from 'vitest';
import { FLAG_AUX, FLAG_DATA, NULL_PAGE_ID, flagsOf, pageIndex, partitionIdOf } from '../../../src/domain/page/page-id';
import { PageView } from '../../../src/domain/page-memory/page-memory.port';
import { InvalidArgumentError, OutOfMemoryError } from '../../../src/domain/shared/errors';
import type { PageMemoryContractOptions } from '../page-memory-factory';
import { expectPage, freshImage, stamp, stampedImage, type PageMemoryFixture } from './fixture';

export function describeAllocationCases(fx: PageMemoryFixture, pageSize: number, options: PageMemoryContractOptions): void {
  describe('allocation', () => {
    it('hands out zeroed pages whose header carries their page id and type 0', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const asked: Array<[number, number, number]> = [[0, 0, FLAG_DATA], [7, 3, FLAG_AUX], [0xffff_ffff, 0xffff, 0xf], [1, 0, FLAG_DATA]];
      asked.forEach(([groupId, partitionId, flags], n) => {
        const id = m.allocatePage(groupId, partitionId, flags);
        expect(pm.allocatedPages()).toBe(n + 1);
        // Partition links (partition-link.ts) rebuild page ids from (partition, index) and use index 0 as "none".
        expect([partitionIdOf(id), flagsOf(id)]).toEqual([partitionId, flags]);
        expect(id).not.toBe(NULL_PAGE_ID);
        expect(pageIndex(id)).not.toBe(0);
        expectPage(m, groupId, id, freshImage(pageSize, id));
      });
      expect(pm.pinnedPages()).toBe(0);
    });

    it('gives every live page a distinct id', () => {
      const pm = fx.open(pageSize);
      // The port names a page by (group, page id).
      const ids = new Set<string>();
      for (let i = 0; i < 120; i++) ids.add(`1:${pm.memory.allocatePage(1, i % 3, i % 2)}`);
      for (let i = 0; i < 30; i++) ids.add(`2:${pm.memory.allocatePage(2, 0, FLAG_DATA)}`);
      expect(ids.size).toBe(150);
      expect(pm.allocatedPages()).toBe(150);
    });

    it('refuses ids out of range with InvalidArgumentError and allocates nothing', () => {
      const pm = fx.open(pageSize);
      const keep = pm.memory.allocatePage(1, 1, FLAG_DATA);
      stamp(pm.memory, 1, keep, 5);
      const bad: Array<[number, number, number]> = [
        [-1, 0, 0], [2 ** 32, 0, 0], [1.5, 0, 0], [NaN, 0, 0],
        [0, -1, 0], [0, 0x1_0000, 0], [0, 0.5, 0],
        [0, 0, -1], [0, 0, 16], [0, 0, 1.5],
      ];
      for (const [g, p, f] of bad) {
        expect(() => pm.memory.allocatePage(g, p, f), `allocatePage(${g}, ${p}, ${f})`).toThrow(InvalidArgumentError);
      }
      expect(pm.allocatedPages()).toBe(1);
      expectPage(pm.memory, 1, keep, stampedImage(pageSize, keep, 5));
    });

    it('reuses freed pages: the count goes back, new pages come zeroed under new ids, the rest is untouched', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const ids = Array.from({ length: 40 }, () => m.allocatePage(3, 2, FLAG_DATA));
      ids.forEach((id, i) => stamp(m, 3, id, i));
      const freed = ids.filter((_, i) => i % 2 === 0);
      for (const id of freed) m.freePage(3, id);
      expect(pm.allocatedPages()).toBe(20);
      const again = Array.from({ length: 20 }, () => m.allocatePage(3, 2, FLAG_DATA));
      expect(pm.allocatedPages()).toBe(40);
      const live = ids.filter((_, i) => i % 2 === 1);
      for (const id of again) {
        // Neither a live page's id nor (unless ids are positions) a freed one's: those stay invalid.
        expect(options.positionalIds === true ? live : ids).not.toContain(id);
        expectPage(m, 3, id, freshImage(pageSize, id)); // no bytes of the freed page survive
      }
      ids.forEach((id, i) => { if (i % 2 === 1) expectPage(m, 3, id, stampedImage(pageSize, id, i)); });
    });
  });

  const maxPages = options.maxPages;
  if (maxPages === undefined) return;

  describe(`out of memory (at most ${maxPages} pages)`, () => {
    it('refuses the page past the limit with OutOfMemoryError and leaves every stored page intact', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const ids = Array.from({ length: maxPages }, (_, i) => m.allocatePage(1 + (i % 2), i % 5, FLAG_DATA));
      ids.forEach((id, i) => stamp(m, 1 + (i % 2), id, i));
      const pinned = new PageView();
      m.acquireRead(1, ids[0]!, pinned);
      for (const [g, p] of [[1, 0], [9, 9], [0, 0xffff]] as const) expect(() => m.allocatePage(g, p, FLAG_DATA)).toThrow(OutOfMemoryError);
      expect([pm.allocatedPages(), pm.pinnedPages()]).toEqual([maxPages, 1]);
      // A view filled before the failure still shows its page.
      expect(Buffer.from(pinned.buf.subarray(pinned.off, pinned.off + pageSize)).equals(stampedImage(pageSize, ids[0]!, 0))).toBe(true);
      m.release(pinned);
      ids.forEach((id, i) => expectPage(m, 1 + (i % 2), id, stampedImage(pageSize, id, i)));
      // Still usable: a freed page makes room for exactly one more.
      m.freePage(2, ids[1]!);
      const next = m.allocatePage(4, 4, FLAG_AUX);
      expectPage(m, 4, next, freshImage(pageSize, next));
      expect(() => m.allocatePage(4, 4, FLAG_AUX)).toThrow(OutOfMemoryError);
      expect(pm.allocatedPages()).toBe(maxPages);
    });

    it('takes freed pages before new memory: a full memory emptied can be filled again', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      for (let round = 0; round < 3; round++) {
        const ids = Array.from({ length: maxPages }, (_, i) => m.allocatePage(round, i % 3, FLAG_DATA));
        expect(() => m.allocatePage(round, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
        for (const id of ids) m.freePage(round, id);
        expect(pm.allocatedPages()).toBe(0);
      }
    });
  });
}
