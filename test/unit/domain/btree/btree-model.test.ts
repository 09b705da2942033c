/**
 * Model-based: long seeded mixes of every operation against a sorted array, at the smallest and the largest page
 * size and at small and large items (so fanouts range from 5 to 2000). BTREE_OPS scales the runs (default: a few
 * seconds in total; the 1 KiB and 16 KiB runs each do at least 100,000 operations at the default).
 */
import { describe, expect, it } from 'vitest';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { runMixed } from '../../../support/btree-model-runner';
import { VolatilePageMemory } from '../../../../src/domain/page-memory/volatile-page-memory';

const OPS = Number(process.env.BTREE_OPS ?? 100_000);

describe('BTree against a sorted-array model', () => {
  const cases = [
    { pageSize: 1024, itemSize: 16, ops: OPS, maxSize: 3000, levels: 3 },
    { pageSize: 1024, itemSize: 224, ops: Math.ceil(OPS / 4), maxSize: 600, levels: 4 },
    { pageSize: 16384, itemSize: 200, ops: OPS, maxSize: 6000, levels: 3 },
    { pageSize: 16384, itemSize: 8, ops: Math.ceil(OPS / 4), maxSize: 3000, levels: 2 },
    { pageSize: 4096, itemSize: 40, ops: Math.ceil(OPS / 2), maxSize: 8000, levels: 3 },
  ];
  for (const c of cases) {
    it(`${c.ops} mixed operations, ${c.pageSize}-byte pages, ${c.itemSize}-byte items`, () => {
      const heap = new HeapPageMemory(c.pageSize);
      const writesBefore = heap.writeCount;
      const r = runMixed({ pm: heap, pinned: () => heap.pinnedPages(), itemSize: c.itemSize, ops: c.ops, maxSize: c.maxSize, seed: c.pageSize + c.itemSize, batch: 1000 });
      // The runs must really reach the interesting shapes: several levels, drained to empty, every invoke outcome.
      expect(r.maxLevels).toBeGreaterThanOrEqual(c.levels);
      expect(r.emptied).toBeGreaterThanOrEqual(1);
      for (const outcome of [0, 1, 2, 3] as const) expect(r.invokes[outcome]).toBeGreaterThan(0);
      expect(heap.writeCount).toBeGreaterThan(writesBefore);
      expect(r.tree.destroy()).toBe(true);
      expect(heap.allocatedPages).toBe(0);
      expect(heap.pinnedPages()).toBe(0);
    });
  }

  it('runs on the volatile page memory as well (free-stack reuse, page id generations)', () => {
    const pm = new VolatilePageMemory({
      name: 'btree-test',
      pageSize: 1024,
      initSizeBytes: 1 << 20,
      maxSizeBytes: 8 << 20,
      memory: { allocate: (n: number) => new ArrayBuffer(n), release: () => undefined },
    });
    const r = runMixed({ pm, pinned: () => pm.stats().pinnedPages, itemSize: 24, ops: Math.ceil(OPS / 5), maxSize: 2500, seed: 99, batch: 2000 });
    expect(r.maxLevels).toBeGreaterThanOrEqual(3);
    expect(r.tree.destroy()).toBe(true);
    expect(pm.stats().allocatedPages).toBe(0);
    pm.checkInvariants();
    pm.close();
  });
});
