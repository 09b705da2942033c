/**
 * Random insert / update / remove / writeAt sequences against a Map model. Links must keep naming their rows
 * while other rows come and go and pages compact; the free list must stay consistent; nothing stays pinned;
 * and once every row is gone and the reuse bucket is released, page memory is back where it started.
 * Size: ROWSTORE_MODEL_OPS (default 2000 operations per run).
 */
import { describe, expect, it } from 'vitest';
import { envSize, newStore, seeded } from './row-store.fixture';
import { modelStep, verifyModel, type ModelRow } from './row-store.model';

const OPS = envSize('ROWSTORE_MODEL_OPS', 2000);

describe.each([
  [1024, 1],
  [1024, 2],
  [16384, 3],
])('RowStore model (%i-byte pages, seed %i)', (pageSize, seed) => {
  it(`matches a Map over ${OPS} random operations and leaks no page`, () => {
    const f = newStore(pageSize, { maxReusePages: 4 });
    const start = f.memory.allocatedPages;
    const rnd = seeded(seed);
    const model = new Map<number, ModelRow>();
    for (let i = 0; i < OPS; i++) {
      modelStep(f, model, rnd, i, pageSize);
      expect(f.memory.pinnedPages()).toBe(0);
      if (i % 97 === 0) verifyModel(f, model);
    }
    verifyModel(f, model);
    for (const row of model.values()) {
      f.store.remove(row.link.pageId, row.link.itemId);
      expect(f.memory.pinnedPages()).toBe(0);
    }
    f.freeList.checkInvariants();
    expect(f.freeList.pageCount).toBe(f.freeList.reusePageCount);
    expect(f.freeList.reusePageCount).toBeLessThanOrEqual(4);
    f.freeList.releaseReusePages();
    expect(f.memory.allocatedPages).toBe(start);
  });
});
