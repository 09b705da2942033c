/**
 * Prefix keys: items (group u16, seq u32, value) ordered by (group, seq), searched by the 2-byte group alone, as
 * version chains search (RowId, timestamp) items by RowId. The first match may sit in the leaf after the one the
 * separators route to (its separator's item is gone); lookups, removals, invokes and cursors must find it.
 */
import { describe, expect, it } from 'vitest';
import { BTree, INVOKE_NOOP, type BTreeInvokeClosure } from '../../../../src/domain/btree/btree';
import { BytePrefixKey, BytewiseItemType, ItemKey } from '../../../../src/domain/btree/btree-item';
import { leafCapacity } from '../../../../src/domain/btree/btree-node.layout';
import { PageMemoryAllocator } from '../../../../src/domain/btree/page-memory-allocator';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { seededRandom } from '../../../support/btree-model';

const S = 16;
const type = new BytewiseItemType(S, 6);

function item(group: number, seq: number, value = 0): Uint8Array {
  const b = new Uint8Array(S);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, group, false);
  dv.setUint32(2, seq, false);
  dv.setUint32(6, value, false);
  return b;
}

function decode(buf: Uint8Array, off = 0): [number, number] {
  const dv = new DataView(buf.buffer, buf.byteOffset);
  return [dv.getUint16(off, false), dv.getUint32(off + 2, false)];
}

function groupKey(group: number): BytePrefixKey {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, group, false);
  return new BytePrefixKey().set(b, 0, 2);
}

function setup(): { heap: HeapPageMemory; tree: BTree } {
  const heap = new HeapPageMemory(1024);
  return { heap, tree: BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), type) };
}

describe('BTree prefix keys', () => {
  it('finds a first match that opens the next leaf after its separator item was removed', () => {
    const { tree } = setup();
    const cap = leafCapacity(1024, S);
    for (let seq = 0; seq < cap - 1; seq++) tree.put(item(0, seq));
    tree.put(item(1, 0)); // the first leaf is full now
    tree.put(item(1, 1)); // sequential split: left keeps (1,0) and is bounded by it, (1,1) opens the next leaf
    expect(tree.checkInvariants().leafPages).toBe(2);
    expect(tree.remove(new ItemKey(type).set(item(1, 0)))).toBe(true);
    const out = new Uint8Array(S);
    expect(tree.findOne(groupKey(1), out)).toBe(true);
    expect(decode(out)).toEqual([1, 1]);
    expect(tree.findNext(groupKey(1), true, out)).toBe(true);
    expect(decode(out)).toEqual([1, 1]);
    const seen: [number, number][] = [];
    const c = tree.cursor(groupKey(1), true, groupKey(1), true);
    while (c.next()) seen.push(decode(c.itemBuf, c.itemOff));
    expect(seen).toEqual([[1, 1]]);
    let saw: [number, number] | null = null;
    const peek: BTreeInvokeClosure = {
      decide: (found, buf, off) => {
        saw = found ? decode(buf, off) : null;
        return INVOKE_NOOP;
      },
    };
    tree.invoke(groupKey(1), peek);
    expect(saw).toEqual([1, 1]);
    expect(tree.remove(groupKey(1), out)).toBe(true);
    expect(decode(out)).toEqual([1, 1]);
    expect(tree.checkInvariants()).toMatchObject({ leafPages: 1, items: cap - 1 });
    expect(tree.findOne(groupKey(1))).toBe(false);
  });

  it('behaves like a model of (group, seq) pairs under random operations', () => {
    const { tree, heap } = setup();
    const model: number[] = []; // group * 2^32 + seq, sorted
    const rnd = seededRandom(8);
    const out = new Uint8Array(S);
    const enc = (g: number, s: number): number => g * 2 ** 32 + s;
    const firstOf = (g: number): number => model.findIndex((x) => Math.floor(x / 2 ** 32) === g);
    for (let i = 0; i < 20_000; i++) {
      const g = Math.floor(rnd() * 12);
      const r = rnd();
      if (r < 0.5) {
        const s = Math.floor(rnd() * 500);
        const replaced = tree.put(item(g, s, i));
        const at = model.findIndex((x) => x >= enc(g, s));
        if (replaced !== (model[at] === enc(g, s))) throw new Error(`put (${g},${s})`);
        if (!replaced) model.splice(at < 0 ? model.length : at, 0, enc(g, s));
      } else if (r < 0.85) {
        const at = firstOf(g);
        const found = tree.remove(groupKey(g), out);
        if (found !== at >= 0 || (found && enc(...decode(out)) !== model[at])) throw new Error(`remove group ${g}`);
        if (found) model.splice(at, 1);
      } else {
        const at = firstOf(g);
        const found = tree.findOne(groupKey(g), out);
        if (found !== at >= 0 || (found && enc(...decode(out)) !== model[at])) throw new Error(`findOne group ${g}`);
        const seen: number[] = [];
        const c = tree.cursor(groupKey(g), true, groupKey(g), true, rnd() < 0.5);
        while (c.next()) seen.push(enc(...decode(c.itemBuf, c.itemOff)));
        const expected = model.filter((x) => Math.floor(x / 2 ** 32) === g);
        if (seen.length !== expected.length || !seen.every((x) => expected.includes(x))) throw new Error(`cursor group ${g}`);
      }
      if (i % 1000 === 999) expect(tree.checkInvariants().items).toBe(model.length);
    }
    expect(heap.pinnedPages()).toBe(0);
  });
});
