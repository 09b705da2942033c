/**
 * PageMemory contract: dropPages — every page of one owner (group, partition, flags) goes at once: the count comes
 * back, their ids are refused from then on (also after their memory is handed out again), other owners' pages are
 * untouched, and the memory is reused (zeroed, under new ids) before new memory is taken.
 * Not covered: dropping an owner with a pinned page (the port only says "none may be pinned").
 */
import { describe, expect, it } from 'vitest';
import { FLAG_AUX, FLAG_DATA } from '../../../src/domain/page/page-id';
import { OutOfMemoryError } from '../../../src/domain/shared/errors';
import type { PageMemoryContractOptions } from '../page-memory-factory';
import { expectPage, freshImage, stamp, stampedImage, type PageMemoryFixture } from './fixture';
import { expectRefused } from './refusal-cases';

interface Owned {
  readonly owner: string;
  readonly group: number;
  readonly id: number;
  readonly seed: number;
}

export function describeDropCases(fx: PageMemoryFixture, pageSize: number, options: PageMemoryContractOptions): void {
  describe('dropPages', () => {
    it('drops every page of one (group, partition, flags) at once and no other', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      // Positional ids: a partition's pages share one id space, so the AUX owner gets a partition of its own.
      const auxPartition = options.positionalIds === true ? 4 : 2;
      const owners: Array<[number, number, number]> = [[1, 2, FLAG_DATA], [1, auxPartition, FLAG_AUX], [1, 3, FLAG_DATA], [2, 2, FLAG_DATA]];
      const pages: Owned[] = [];
      for (let i = 0; i < 40; i++) {
        const [group, partition, flags] = owners[i % owners.length]!;
        pages.push({ owner: `${group}/${partition}/${flags}`, group, id: m.allocatePage(group, partition, flags), seed: i });
      }
      for (const p of pages) stamp(m, p.group, p.id, p.seed);
      expect(m.dropPages(1, 2, FLAG_DATA)).toBe(10);
      expect(pm.allocatedPages()).toBe(30);
      const [gone, kept] = [pages.filter((p) => p.owner === '1/2/0'), pages.filter((p) => p.owner !== '1/2/0')];
      for (const p of gone) expectRefused(m, p.group, p.id);
      for (const p of kept) expectPage(m, p.group, p.id, stampedImage(pageSize, p.id, p.seed));
      expect(m.dropPages(1, 2, FLAG_DATA)).toBe(0); // nothing left to drop
      expect(m.dropPages(9, 9, FLAG_DATA)).toBe(0); // an owner that never had a page
      // The owner lives on: new pages are fresh, live, and none takes a dropped id.
      const again = Array.from({ length: 15 }, () => m.allocatePage(1, 2, FLAG_DATA));
      for (const id of again) {
        if (options.positionalIds !== true) expect(gone.map((p) => p.id)).not.toContain(id);
        expectPage(m, 1, id, freshImage(pageSize, id));
      }
      if (options.positionalIds !== true) for (const p of gone) expectRefused(m, p.group, p.id);
      for (const p of kept) expectPage(m, p.group, p.id, stampedImage(pageSize, p.id, p.seed));
      expect([pm.allocatedPages(), pm.pinnedPages()]).toEqual([45, 0]);
      expect(m.dropPages(1, 2, FLAG_DATA)).toBe(15);
    });

    const maxPages = options.maxPages;
    if (maxPages === undefined) return;

    it('reuses the memory of dropped pages before new memory (a full memory can be filled again)', () => {
      const pm = fx.open(pageSize);
      const m = pm.memory;
      const kept = Array.from({ length: 10 }, () => m.allocatePage(3, 0, FLAG_DATA));
      kept.forEach((id, i) => stamp(m, 3, id, i));
      for (let round = 0; round < 3; round++) {
        const ids = Array.from({ length: maxPages - 10 }, () => m.allocatePage(4, round, FLAG_DATA));
        expect(() => m.allocatePage(4, round, FLAG_DATA)).toThrow(OutOfMemoryError);
        for (const id of ids.slice(-3)) expectPage(m, 4, id, freshImage(pageSize, id));
        expect(m.dropPages(4, round, FLAG_DATA)).toBe(maxPages - 10);
        expect(pm.allocatedPages()).toBe(10);
        for (const id of ids.slice(0, 3)) expectRefused(m, 4, id);
      }
      kept.forEach((id, i) => expectPage(m, 3, id, stampedImage(pageSize, id, i)));
    });
  });
}
