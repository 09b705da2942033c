/**
 * Range cursors: bounds (inclusive / exclusive / open) in both directions, and cursors kept open while the tree
 * changes under them: at every step the next item must be the model's first item beyond the last returned one
 * (removed items are skipped, items added in the remaining range are seen, nothing is returned twice).
 */
import { describe, expect, it } from 'vitest';
import { BTree } from '../../../../src/domain/btree/btree';
import { PageMemoryAllocator } from '../../../../src/domain/btree/page-memory-allocator';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { SortedModel, TestKey, checkPayload, itemKey, itemValue, seededRandom, testItemType, writeItem } from '../../../support/btree-model';

const STEPS = Number(process.env.BTREE_CURSOR_STEPS ?? 20_000);

function setup(pageSize: number, itemSize: number, keys: Iterable<number>): { heap: HeapPageMemory; tree: BTree; model: SortedModel } {
  const heap = new HeapPageMemory(pageSize);
  const tree = BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(itemSize));
  const model = new SortedModel();
  const item = new Uint8Array(itemSize);
  for (const k of keys) {
    writeItem(item, 0, itemSize, k, k);
    tree.put(item);
    model.put(k, k);
  }
  return { heap, tree, model };
}

function collect(tree: BTree, lo: number | null, loInc: boolean, hi: number | null, hiInc: boolean, desc: boolean): number[] {
  const c = tree.cursor(lo === null ? null : new TestKey(lo), loInc, hi === null ? null : new TestKey(hi), hiInc, desc);
  const out: number[] = [];
  while (c.next()) out.push(itemKey(c.itemBuf, c.itemOff));
  expect(c.next()).toBe(false);
  return out;
}

describe('BTreeCursor ranges', () => {
  const keys = Array.from({ length: 3000 }, (_, i) => i * 3);
  const { tree, model, heap } = setup(1024, 16, keys);

  it('returns exactly the items within the bounds, in either direction', () => {
    const rnd = seededRandom(4);
    for (let t = 0; t < 300; t++) {
      const lo = rnd() < 0.1 ? null : Math.floor(rnd() * 9100);
      const hi = rnd() < 0.1 ? null : Math.max(0, (lo ?? 0) + Math.floor(rnd() * 600) - 20);
      const loInc = rnd() < 0.5;
      const hiInc = rnd() < 0.5;
      const desc = rnd() < 0.5;
      const expected = model.keys.filter(
        (k) => (lo === null || (loInc ? k >= lo : k > lo)) && (hi === null || (hiInc ? k <= hi : k < hi)),
      );
      if (desc) expected.reverse();
      expect(collect(tree, lo, loInc, hi, hiInc, desc)).toEqual(expected);
    }
    expect(heap.pinnedPages()).toBe(0);
  });

  it('handles bounds on existing keys, empty and inverted ranges', () => {
    expect(collect(tree, 30, true, 36, true, false)).toEqual([30, 33, 36]);
    expect(collect(tree, 30, false, 36, false, false)).toEqual([33]);
    expect(collect(tree, 30, true, 36, true, true)).toEqual([36, 33, 30]);
    expect(collect(tree, 30, false, 36, false, true)).toEqual([33]);
    expect(collect(tree, 31, true, 32, true, false)).toEqual([]);
    expect(collect(tree, 40, true, 20, true, false)).toEqual([]);
    expect(collect(tree, 40, true, 20, true, true)).toEqual([]);
    expect(collect(tree, 30, true, 30, false, false)).toEqual([]);
    expect(collect(tree, 8997, true, null, true, false)).toEqual([8997]);
    expect(collect(tree, null, true, 0, true, true)).toEqual([0]);
  });

  it('is reusable with reset and copies the current item out', () => {
    const c = tree.cursor(new TestKey(3), true, new TestKey(3), true);
    const out = new Uint8Array(20);
    expect(c.next()).toBe(true);
    c.copyItem(out, 4);
    expect([itemKey(out, 4), itemValue(out, 4, 16)]).toEqual([3, 3]);
    checkPayload(out, 4, 16);
    expect(c.next()).toBe(false);
    c.reset(null, true, new TestKey(9), true, true);
    const seen: number[] = [];
    while (c.next()) seen.push(itemKey(c.itemBuf, c.itemOff));
    expect(seen).toEqual([9, 6, 3, 0]);
    c.reset(null, true, null, true);
    c.close();
    expect(c.next()).toBe(false);
  });
});

interface Fixture {
  readonly tree: BTree;
  readonly model: SortedModel;
  readonly rnd: () => number;
  readonly itemSize: number;
  readonly space: number;
}

/** Up to 3 random changes, mostly around the last returned key (and sometimes removing exactly it). */
function mutate(f: Fixture, last: number | undefined, item: Uint8Array, key: TestKey): number {
  const { tree, model, rnd } = f;
  const changes = Math.floor(rnd() * 4);
  for (let m = 0; m < changes; m++) {
    const near = last !== undefined && rnd() < 0.7;
    const k = near ? Math.max(0, last! + Math.floor(rnd() * 9) - 4) : Math.floor(rnd() * f.space);
    if (rnd() < 0.5) {
      writeItem(item, 0, f.itemSize, k, k + 1);
      tree.put(item);
      model.put(k, k + 1);
    } else {
      key.key = rnd() < 0.3 && last !== undefined ? last : k;
      tree.remove(key);
      model.remove(key.key);
    }
  }
  return changes;
}

/** Runs one cursor over a random range to its end, changing the tree before every step; returns [steps, items]. */
function driveCursor(f: Fixture, desc: boolean, item: Uint8Array, key: TestKey): [number, number] {
  const { rnd, model, space } = f;
  const lo = Math.floor(rnd() * space * 0.8);
  const hi = lo + Math.floor(rnd() * space * 0.5);
  const loInc = rnd() < 0.5;
  const hiInc = rnd() < 0.5;
  const inRange = (k: number): boolean => (loInc ? k >= lo : k > lo) && (hiInc ? k <= hi : k < hi);
  const c = f.tree.cursor(new TestKey(lo), loInc, new TestKey(hi), hiInc, desc);
  let last: number | undefined;
  let steps = 0;
  let returned = 0;
  for (;;) {
    steps += mutate(f, last, item, key) + 1;
    const start = last ?? (desc ? hi : lo);
    const startInc = last === undefined && (desc ? hiInc : loInc);
    let expected = desc ? model.previous(start, startInc) : model.next(start, startInc);
    if (expected !== undefined && !inRange(expected)) expected = undefined;
    const got = c.next() ? itemKey(c.itemBuf, c.itemOff) : undefined;
    if (got !== expected) throw new Error(`got ${got}, expected ${expected} after ${last}`);
    if (got === undefined) return [steps, returned];
    if (itemValue(c.itemBuf, c.itemOff, f.itemSize) !== model.values.get(got)) throw new Error(`stale value for ${got}`);
    last = got;
    returned++;
  }
}

describe('BTreeCursor under modification', () => {
  for (const [pageSize, itemSize, desc] of [[1024, 16, false], [1024, 16, true], [1024, 224, false], [16384, 200, true]] as const) {
    it(`sees the tree as it is at every step (${pageSize}/${itemSize}, ${desc ? 'descending' : 'ascending'})`, () => {
      const space = 6000;
      const rnd = seededRandom(pageSize + itemSize + (desc ? 1 : 0));
      const initial = Array.from({ length: 2000 }, () => Math.floor(rnd() * space));
      const { tree, model, heap } = setup(pageSize, itemSize, initial);
      const fixture: Fixture = { tree, model, rnd, itemSize, space };
      const item = new Uint8Array(itemSize);
      const key = new TestKey();
      let cursors = 0;
      let returned = 0;
      for (let steps = 0; steps < STEPS; cursors++) {
        const [s, r] = driveCursor(fixture, desc, item, key);
        steps += s;
        returned += r;
        if (heap.pinnedPages() !== 0) throw new Error('pages left pinned');
      }
      tree.checkInvariants();
      expect(cursors).toBeGreaterThan(5);
      expect(returned).toBeGreaterThan(STEPS / 4);
    });
  }
});
