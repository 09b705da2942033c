import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, PageBuckets } from '../../../../src/domain/freelist/page-buckets';
import { envSize, seeded } from '../datapage/row-store.fixture';

const OPS = envSize('PAGE_BUCKETS_OPS', 20000);

describe('PageBuckets', () => {
  it('finds the first non-empty bucket at or above a start', () => {
    const b = new PageBuckets();
    expect(b.firstNonEmpty(0)).toBe(-1);
    b.push(31, 1);
    b.push(32, 2);
    b.push(255, 3);
    expect([b.firstNonEmpty(0), b.firstNonEmpty(31), b.firstNonEmpty(32), b.firstNonEmpty(33), b.firstNonEmpty(255)]).toEqual([31, 31, 32, 255, 255]);
    expect(b.firstNonEmpty(256)).toBe(-1);
    expect(b.pop(32)).toBe(2);
    expect(b.firstNonEmpty(32)).toBe(255);
    expect(b.pop(32)).toBe(0);
    expect(b.check()).toBeNull();
  });

  it(`matches a model over ${OPS} random pushes, removals and pops`, () => {
    const b = new PageBuckets();
    const model = new Map<number, number>(); // page → bucket
    const rnd = seeded(11);
    let next = 1;
    for (let i = 0; i < OPS; i++) {
      const r = rnd();
      if (r < 0.45 || model.size === 0) {
        const bucket = Math.floor(rnd() * BUCKET_COUNT);
        b.push(bucket, next);
        model.set(next++, bucket);
      } else if (r < 0.8) {
        const pages = [...model.keys()];
        const p = pages[Math.floor(rnd() * pages.length)]!;
        expect(b.remove(p)).toBe(true);
        expect(b.remove(p)).toBe(false);
        model.delete(p);
      } else {
        const from = Math.floor(rnd() * BUCKET_COUNT);
        const expected = Math.min(...[...model.values()].filter((x) => x >= from), Infinity);
        const found = b.firstNonEmpty(from);
        expect(found).toBe(expected === Infinity ? -1 : expected);
        if (found >= 0) {
          const top = b.top(found);
          expect(model.get(top)).toBe(found);
          expect(b.pop(found)).toBe(top);
          model.delete(top);
        }
      }
      if (i % 1000 === 0) expect(b.check()).toBeNull();
    }
    expect(b.size).toBe(model.size);
    for (const [p, bucket] of model) expect(b.bucketOf(p)).toBe(bucket);
    expect(b.check()).toBeNull();
  });
});
