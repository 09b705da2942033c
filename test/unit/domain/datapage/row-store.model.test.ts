/**
 * Random insert / update / remove / writeAt sequences against a Map model. Links must keep naming their rows
 * while other rows come and go and pages compact; the free list must stay consistent; nothing stays pinned;
 * and once every row is gone and the reuse bucket is released, page memory is back where it started.
 * Size: ROWSTORE_MODEL_OPS (default 2000 operations per run).
 */
import { describe, expect, it } from 'vitest';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import { envSize, newStore, pattern, seeded, type StoreFixture } from './row-store.fixture';

const OPS = envSize('ROWSTORE_MODEL_OPS', 2000);

interface ModelRow {
  link: RowLink;
  bytes: Uint8Array;
}

/** Mostly small rows, some near the page size, a few spanning several pages. */
function rowSize(rnd: () => number, f: StoreFixture, pageSize: number): number {
  const r = rnd();
  if (r < 0.6) return Math.floor(rnd() * 200);
  if (r < 0.85) return Math.floor(rnd() * f.store.maxPlainRow);
  if (r < 0.95) return f.store.maxPlainRow - 3 + Math.floor(rnd() * 8);
  return Math.floor(rnd() * 4 * pageSize);
}

function verifyAll(f: StoreFixture, model: Map<number, ModelRow>): void {
  for (const row of model.values()) {
    expect(Buffer.from(f.store.readBytes(row.link.pageId, row.link.itemId)).equals(row.bytes)).toBe(true);
  }
  f.freeList.checkInvariants();
}

function step(f: StoreFixture, model: Map<number, ModelRow>, rnd: () => number, key: number, pageSize: number): void {
  const keys = [...model.keys()];
  const op = rnd();
  if (keys.length === 0 || op < 0.4) {
    const bytes = pattern(rowSize(rnd, f, pageSize), key);
    model.set(key, { link: f.store.insert(bytes, new RowLink()), bytes });
    return;
  }
  const k = keys[Math.floor(rnd() * keys.length)]!;
  const row = model.get(k)!;
  if (op < 0.7) {
    f.store.remove(row.link.pageId, row.link.itemId);
    model.delete(k);
  } else if (op < 0.9) {
    const bytes = pattern(rowSize(rnd, f, pageSize), key);
    const out = new RowLink();
    const kept = f.store.update(row.link.pageId, row.link.itemId, bytes, out);
    expect(kept).toBe(out.pageId === row.link.pageId && out.itemId === row.link.itemId);
    model.set(k, { link: out, bytes });
  } else if (row.bytes.length > 0) {
    const at = Math.floor(rnd() * row.bytes.length);
    const len = Math.min(row.bytes.length - at, 1 + Math.floor(rnd() * 16));
    const patch = pattern(len, key + 1000);
    f.store.writeAt(row.link.pageId, row.link.itemId, at, patch, 0, len);
    row.bytes.set(patch, at);
  }
}

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
      step(f, model, rnd, i, pageSize);
      expect(f.memory.pinnedPages()).toBe(0);
      if (i % 97 === 0) verifyAll(f, model);
    }
    verifyAll(f, model);
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
