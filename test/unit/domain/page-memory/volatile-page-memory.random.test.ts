/**
 * Seeded random allocate / free / write / pin sequences against a model (a map of live pages to their stamps),
 * with checkInvariants() along the way. Size: VOLATILE_RANDOM_STEPS (default 4000 steps per seed).
 */
import { describe, expect, it } from 'vitest';
import { FLAG_AUX, FLAG_DATA } from '../../../../src/domain/page/page-id';
import { COMMON_HEADER_END } from '../../../../src/domain/page/page-header.layout';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { VolatilePageMemory } from '../../../../src/domain/page-memory/volatile-page-memory';
import { slotSizeOf } from '../../../../src/domain/page-memory/volatile-page.layout';
import { IllegalPageAccessError, OutOfMemoryError } from '../../../../src/domain/shared/errors';
import { FakeMemoryProvider } from './fake-memory-provider';

const STEPS = Number(process.env.VOLATILE_RANDOM_STEPS ?? 4000);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Live {
  readonly group: number;
  stamp: number;
}

function run(seed: number, pageSize: number): void {
  const slot = slotSizeOf(pageSize);
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const pm = new VolatilePageMemory({
    name: `seed-${seed}`, pageSize, initSizeBytes: 5 * slot, maxSizeBytes: 23 * slot + 100, memory: new FakeMemoryProvider(),
    maxBufferBytes: 3 * slot,
  });
  const maxPages = pm.stats().maxPages;
  const live = new Map<number, Live>();
  const freed: { group: number; id: number }[] = [];
  const pinned: PageView[] = [];
  const v = new PageView();
  for (let step = 0; step < STEPS; step++) {
    const r = random();
    if (r < 0.4) {
      const group = Math.floor(random() * 3);
      try {
        const id = pm.allocatePage(group, Math.floor(random() * 4), random() < 0.5 ? FLAG_DATA : FLAG_AUX);
        expect(live.has(id)).toBe(false);
        live.set(id, { group, stamp: 0 });
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
        expect(live.size).toBe(maxPages);
      }
    } else if (r < 0.65 && live.size > 0) {
      const id = pick([...live.keys()]);
      const page = live.get(id)!;
      if (pinned.some((p) => p.pageId === id)) {
        expect(() => pm.freePage(page.group, id)).toThrow(IllegalPageAccessError);
        continue;
      }
      pm.freePage(page.group, id);
      live.delete(id);
      freed.push({ group: page.group, id });
    } else if (r < 0.85 && live.size > 0) {
      const id = pick([...live.keys()]);
      const page = live.get(id)!;
      pm.acquireRead(page.group, id, v);
      expect(v.dv.getUint32(v.off + COMMON_HEADER_END, true)).toBe(page.stamp);
      expect(v.dv.getUint32(v.off + pageSize - 4, true)).toBe(page.stamp);
      pm.release(v);
      page.stamp = step + 1;
      pm.acquireWrite(page.group, id, v);
      v.dv.setUint32(v.off + COMMON_HEADER_END, page.stamp, true);
      v.dv.setUint32(v.off + pageSize - 4, page.stamp, true);
      pm.release(v);
    } else if (r < 0.92 && live.size > 0 && pinned.length < 3) {
      const id = pick([...live.keys()]);
      const view = new PageView();
      pm.acquireRead(live.get(id)!.group, id, view);
      pinned.push(view);
    } else if (r < 0.97 && pinned.length > 0) {
      pm.release(pinned.splice(Math.floor(random() * pinned.length), 1)[0]!);
    } else if (freed.length > 0) {
      const { group, id } = pick(freed);
      if (!live.has(id)) expect(() => pm.acquireRead(group, id, v)).toThrow(IllegalPageAccessError);
    }
    if (step % 97 === 0) pm.checkInvariants();
  }
  pm.checkInvariants();
  const stats = pm.stats();
  expect(stats.allocatedPages).toBe(live.size);
  expect(stats.pinnedPages).toBe(new Set(pinned.map((p) => p.pageId)).size);
  expect(stats.allocatedPages + stats.freePages + stats.unusedPages).toBe(stats.totalPages);
  for (const [id, page] of live) {
    pm.acquireRead(page.group, id, v);
    expect(v.dv.getUint32(v.off + COMMON_HEADER_END, true)).toBe(page.stamp);
    pm.release(v);
  }
  pm.close();
}

describe('VolatilePageMemory: random sequences keep the invariants', () => {
  for (const seed of [1, 2, 3, 42, 2024]) {
    it(`seed ${seed}, 1 KiB pages`, () => run(seed, 1024));
  }
  it('seed 7, 16 KiB pages', () => run(7, 16384));
});
