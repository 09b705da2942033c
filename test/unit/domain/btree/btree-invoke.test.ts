/** invoke: the four outcomes, their write footprint, and the refusals that leave the tree untouched. */
import { describe, expect, it } from 'vitest';
import {
  BTree, INVOKE_IN_PLACE, INVOKE_NOOP, INVOKE_PUT, INVOKE_REMOVE, type BTreeInvokeClosure, type InvokeOutcome,
} from '../../../../src/domain/btree/btree';
import { BytePrefixKey } from '../../../../src/domain/btree/btree-item';
import { PageMemoryAllocator } from '../../../../src/domain/btree/page-memory-allocator';
import { InvalidArgumentError } from '../../../../src/domain/shared/errors';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { ScriptedClosure } from '../../../support/btree-model-runner';
import { TestKey, itemKey, itemValue, testItemType, writeItem } from '../../../support/btree-model';

const S = 16;

function setup(n = 500): { heap: HeapPageMemory; tree: BTree } {
  const heap = new HeapPageMemory(1024);
  const tree = BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(S));
  const item = new Uint8Array(S);
  for (let k = 0; k < n; k++) {
    writeItem(item, 0, S, k * 2, k);
    tree.put(item);
  }
  return { heap, tree };
}

function valueOf(tree: BTree, k: number): number | undefined {
  const out = new Uint8Array(S);
  return tree.findOne(new TestKey(k), out) ? itemValue(out, 0, S) : undefined;
}

function closure(action: InvokeOutcome, newKey = 0, newValue = 0): ScriptedClosure {
  const c = new ScriptedClosure(S);
  c.action = action;
  c.newKey = newKey;
  c.newValue = newValue;
  return c;
}

describe('BTree.invoke', () => {
  it('NOOP sees the found item (or none) and writes nothing', () => {
    const { heap, tree } = setup();
    const writes = heap.writeCount;
    const c = closure(INVOKE_NOOP);
    expect(tree.invoke(new TestKey(20), c)).toBe(INVOKE_NOOP);
    expect([c.found, c.seenKey, c.seenValue]).toEqual([true, 20, 10]);
    expect(tree.invoke(new TestKey(21), c)).toBe(INVOKE_NOOP);
    expect(c.found).toBe(false);
    expect(heap.writeCount).toBe(writes);
    expect(heap.pinnedPages()).toBe(0);
  });

  it('PUT inserts when absent and replaces when present', () => {
    const { tree } = setup();
    expect(tree.invoke(new TestKey(21), closure(INVOKE_PUT, 21, 77))).toBe(INVOKE_PUT);
    expect(tree.size()).toBe(501);
    expect(valueOf(tree, 21)).toBe(77);
    expect(tree.invoke(new TestKey(20), closure(INVOKE_PUT, 20, 88))).toBe(INVOKE_PUT);
    expect(tree.size()).toBe(501);
    expect(valueOf(tree, 20)).toBe(88);
    // Inserting past a full leaf splits it like put does.
    for (let k = 1; k < 200; k += 2) tree.invoke(new TestKey(k), closure(INVOKE_PUT, k, k));
    expect(tree.size()).toBe(600);
    tree.checkInvariants();
  });

  it('REMOVE removes the found item and is a NOOP when there is none', () => {
    const { tree, heap } = setup();
    expect(tree.invoke(new TestKey(20), closure(INVOKE_REMOVE))).toBe(INVOKE_REMOVE);
    expect(valueOf(tree, 20)).toBeUndefined();
    expect(tree.size()).toBe(499);
    const writes = heap.writeCount;
    expect(tree.invoke(new TestKey(20), closure(INVOKE_REMOVE))).toBe(INVOKE_NOOP);
    expect(heap.writeCount).toBe(writes);
    for (let k = 0; k < 1000; k += 2) tree.invoke(new TestKey(k), closure(INVOKE_REMOVE));
    expect(tree.size()).toBe(0);
    expect(tree.checkInvariants().levels).toBe(1);
  });

  it('IN_PLACE changes the stored bytes with one page write and no meta write', () => {
    const { tree, heap } = setup();
    const writes = heap.writeCount;
    expect(tree.invoke(new TestKey(40), closure(INVOKE_IN_PLACE, 0, 4242))).toBe(INVOKE_IN_PLACE);
    expect(heap.writeCount).toBe(writes + 1);
    expect(valueOf(tree, 40)).toBe(4242);
    expect(tree.size()).toBe(500);
    tree.checkInvariants();
  });

  it('a cursor sees an in-place update made after it was opened', () => {
    const { tree } = setup();
    const c = tree.cursor(new TestKey(0), true, null, true);
    expect(c.next()).toBe(true);
    tree.invoke(new TestKey(2), closure(INVOKE_IN_PLACE, 0, 999));
    expect(c.next()).toBe(true);
    expect([itemKey(c.itemBuf, c.itemOff), itemValue(c.itemBuf, c.itemOff, S)]).toEqual([2, 999]);
  });

  it('refuses IN_PLACE without an item, an order change in place, and a PUT that does not match', () => {
    const { tree, heap } = setup();
    expect(() => tree.invoke(new TestKey(41), closure(INVOKE_IN_PLACE))).toThrow(InvalidArgumentError);
    const moveKey: BTreeInvokeClosure = {
      decide: () => INVOKE_IN_PLACE,
      updateInPlace: (buf, off) => writeItem(buf, off, S, 12345, 1),
    };
    expect(() => tree.invoke(new TestKey(40), moveKey)).toThrow(/position in the order/);
    expect(valueOf(tree, 40)).toBe(20); // undone
    expect(() => tree.invoke(new TestKey(41), closure(INVOKE_PUT, 43, 1))).toThrow(/does not match the key/);
    expect(() => tree.invoke(new TestKey(41), { decide: () => INVOKE_PUT })).toThrow(/writeNewItem/);
    expect(() => tree.invoke(new TestKey(41), { decide: () => 9 as InvokeOutcome })).toThrow(/unknown outcome/);
    expect(tree.size()).toBe(500);
    expect(heap.pinnedPages()).toBe(0);
    tree.checkInvariants();
  });

  it('a PUT through a prefix key must replace an item equal in order', () => {
    const { tree } = setup();
    // 2-byte prefix 0x0000 matches keys 0..65535: the first match is key 0.
    const prefix = new BytePrefixKey().set(new Uint8Array(2), 0, 2);
    expect(() => tree.invoke(prefix, closure(INVOKE_PUT, 2, 5))).toThrow(/not equal in order/);
    expect(tree.invoke(prefix, closure(INVOKE_PUT, 0, 5))).toBe(INVOKE_PUT);
    expect(valueOf(tree, 0)).toBe(5);
    expect(valueOf(tree, 2)).toBe(1);
  });

  it('releases the page when the closure throws', () => {
    const { tree, heap } = setup();
    const boom: BTreeInvokeClosure = {
      decide: () => {
        throw new Error('boom');
      },
    };
    expect(() => tree.invoke(new TestKey(40), boom)).toThrow('boom');
    expect(heap.pinnedPages()).toBe(0);
    const c = closure(INVOKE_NOOP);
    tree.invoke(new TestKey(40), c);
    expect(c.seenValue).toBe(20);
  });
});
