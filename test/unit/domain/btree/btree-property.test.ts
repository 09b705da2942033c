/**
 * fast-check: arbitrary put/remove sequences on a tree with fanout 5 (1 KiB pages, 224-byte items), so every few
 * operations split or merge; after each sequence the tree must equal the model and pass checkInvariants.
 * Failures shrink to a minimal sequence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTree } from '../../../../src/domain/btree/btree';
import { PageMemoryAllocator } from '../../../../src/domain/btree/page-memory-allocator';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { SortedModel, TestKey, itemKey, testItemType, writeItem } from '../../../support/btree-model';

const RUNS = Number(process.env.BTREE_PROPERTY_RUNS ?? 150);
const S = 224;

const op = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: fc.nat(200) }),
  fc.record({ kind: fc.constant('remove' as const), key: fc.nat(200) }),
  fc.record({ kind: fc.constant('putRun' as const), key: fc.nat(200), len: fc.integer({ min: 1, max: 40 }), step: fc.constantFrom(1, -1) }),
  fc.record({ kind: fc.constant('removeRun' as const), key: fc.nat(200), len: fc.integer({ min: 1, max: 40 }) }),
);

describe('BTree property', () => {
  it('equals the model after any put/remove sequence', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const heap = new HeapPageMemory(1024);
        const tree = BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(S));
        const model = new SortedModel();
        const item = new Uint8Array(S);
        const key = new TestKey();
        const put = (k: number): void => {
          writeItem(item, 0, S, k, k);
          expect(tree.put(item)).toBe(model.put(k, k));
        };
        const remove = (k: number): void => {
          key.key = k;
          expect(tree.remove(key)).toBe(model.remove(k));
        };
        for (const o of ops) {
          if (o.kind === 'put') put(o.key);
          else if (o.kind === 'remove') remove(o.key);
          else if (o.kind === 'putRun') for (let i = 0; i < o.len; i++) put(Math.max(0, o.key + i * o.step));
          else for (let i = 0; i < o.len; i++) remove(o.key + i);
        }
        expect(tree.checkInvariants().items).toBe(model.size);
        const c = tree.cursor(null, true, null, true);
        const keys: number[] = [];
        while (c.next()) keys.push(itemKey(c.itemBuf, c.itemOff));
        expect(keys).toEqual(model.keys);
        expect(tree.destroy()).toBe(true);
        expect(heap.allocatedPages).toBe(0);
      }),
      { numRuns: RUNS, seed: 20240601 },
    );
  });
});
