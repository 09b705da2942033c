/**
 * Inline and overflow keys of the index trees at 1 KiB and 16 KiB pages: keys one byte below, at and above the
 * inline size and longer than a page are stored, found, read back and removed; the trees order items exactly like
 * the codec's byte order (then RowId; hash first in hash trees); overflow rows are read only when the inline bytes
 * tie and both keys are long; and destroying a tree gives every page back.
 */
import { describe, expect, it, vi } from 'vitest';
import { compareByteArrays } from '../../../../src/domain/index/byte-compare';
import type { KeyColumn } from '../../../../src/domain/index/column-values';
import { HashIndexTree } from '../../../../src/domain/index/hash-index-tree';
import { KeyEncoder } from '../../../../src/domain/index/key-codec';
import { KeyDecoder } from '../../../../src/domain/index/key-decoder';
import { hashKey, hashKeyPlan } from '../../../../src/domain/index/key-hash';
import { SortedIndexTree } from '../../../../src/domain/index/sorted-index-tree';
import type { RowId } from '../../../../src/domain/storage/row-id';
import { allocatedAfterRelease, newTreeEnv, rowIdOf, seeded, treeItems } from './index-tree.fixture';

const BYTES: KeyColumn[] = [{ name: 'b', type: 'BYTES', nullable: true }];
const STRING_INT: KeyColumn[] = [
  { name: 's', type: 'STRING', nullable: true }, { name: 'i', type: 'INT32', nullable: true, asc: false } as KeyColumn,
];

/** A BYTES value without zero bytes whose encoded key is `encoded` bytes long (marker + bytes + 2-byte terminator). */
function bytesKey(encoded: number, last: number): Uint8Array {
  const v = new Uint8Array(encoded - 3).fill(0x41);
  v[v.length - 1] = last;
  return v;
}

const encodeAll = (enc: KeyEncoder, values: readonly unknown[]): Uint8Array => enc.copy(enc.encode(values));

describe.each([1024, 16384])('index tree keys at %i-byte pages', (pageSize) => {
  it('stores, finds, reads back and removes keys around the inline size and longer than a page', () => {
    const env = newTreeEnv(pageSize);
    const tree = new SortedIndexTree(env.pages, BYTES);
    const inline = tree.layout.inlineSize;
    const enc = new KeyEncoder(BYTES);
    const lengths = [inline - 1, inline, inline + 1, pageSize + 5, 3 * pageSize];
    const entries: Array<{ key: Uint8Array; rowId: RowId }> = [];
    lengths.forEach((len, i) => {
      for (const last of [0x42, 0x43]) {
        const key = encodeAll(enc, [bytesKey(len, last)]);
        expect(key.length).toBe(len);
        for (const r of [0, 1]) entries.push({ key, rowId: rowIdOf(i * 4 + r + (last - 0x42) * 2) });
      }
    });
    for (const e of entries) expect(tree.put(e.key, e.key.length, e.rowId)).toBe(true);
    for (const e of entries) expect(tree.put(e.key, e.key.length, e.rowId)).toBe(false);
    expect(tree.size()).toBe(entries.length);
    const items = treeItems(tree);
    for (const it of items) expect(it.overflow).toBe(it.key.length > inline);
    expect(items.filter((it) => it.overflow).length).toBe(entries.filter((e) => e.key.length > inline).length);
    for (const e of entries) {
      expect(tree.contains(e.key, e.key.length, e.rowId)).toBe(true);
      const ids: RowId[] = [];
      tree.rowIdsOf(e.key, e.key.length, ids);
      expect(ids.map(String).sort()).toEqual(entries.filter((x) => compareByteArrays(x.key, e.key) === 0).map((x) => x.rowId.toString()).sort());
    }
    const shorter = encodeAll(enc, [bytesKey(inline + 1, 0x42).subarray(0, inline - 3)]);
    expect(tree.contains(shorter, shorter.length, entries[0]!.rowId)).toBe(false);
    tree.checkInvariants();
    for (const e of entries) expect(tree.remove(e.key, e.key.length, e.rowId)).toBe(true);
    for (const e of entries) expect(tree.remove(e.key, e.key.length, e.rowId)).toBe(false);
    expect(tree.size()).toBe(0);
    tree.destroy(true);
    expect(allocatedAfterRelease(env)).toBe(0);
    expect(env.memory.stats().pinnedPages).toBe(0);
  });

  it('orders items by the whole encoded key, then RowId, and decodes them back', () => {
    const env = newTreeEnv(pageSize);
    const tree = new SortedIndexTree(env.pages, STRING_INT);
    const inline = tree.layout.inlineSize;
    const enc = new KeyEncoder(STRING_INT);
    const rnd = seeded(pageSize);
    const prefixes = ['', 'p'.repeat(inline - 8), 'p'.repeat(inline - 3), 'p'.repeat(inline), 'q'.repeat(pageSize * 2)];
    const entries: Array<{ values: unknown[]; key: Uint8Array; rowId: RowId }> = [];
    for (let n = 0; n < 300; n++) {
      const s = prefixes[Math.floor(rnd() * prefixes.length)]! + String.fromCharCode(97 + Math.floor(rnd() * 3)).repeat(1 + Math.floor(rnd() * 3));
      const values = [rnd() < 0.1 ? null : s, rnd() < 0.1 ? null : Math.floor(rnd() * 5) - 2];
      entries.push({ values, key: encodeAll(enc, values), rowId: rowIdOf(Math.floor(rnd() * 40)) });
    }
    for (const e of entries) tree.put(e.key, e.key.length, e.rowId);
    const expected = new Map<string, (typeof entries)[number]>();
    for (const e of entries) expected.set(`${Buffer.from(e.key).toString('hex')}/${e.rowId}`, e);
    const sorted = [...expected.values()].sort((a, b) => compareByteArrays(a.key, b.key) || a.rowId.compareTo(b.rowId));
    const items = treeItems(tree);
    expect(items.map((it) => `${Buffer.from(it.key).toString('hex')}/${it.rowId}`)).toEqual(sorted.map((e) => `${Buffer.from(e.key).toString('hex')}/${e.rowId}`));
    const dec = new KeyDecoder(enc.plan);
    items.forEach((it, i) => expect(dec.decode(it.key, 0, it.key.length)).toEqual(sorted[i]!.values));
    tree.checkInvariants();
    tree.destroy(true);
    expect(allocatedAfterRelease(env)).toBe(0);
  });

  it('orders hash items by hash, then key, then RowId; finds every key\'s RowIds', () => {
    const env = newTreeEnv(pageSize);
    const cols: KeyColumn[] = [{ name: 's', type: 'STRING', nullable: true }];
    const tree = new HashIndexTree(env.pages, cols);
    const enc = new KeyEncoder(hashKeyPlan(cols));
    const inline = tree.layout.inlineSize;
    const keys = Array.from({ length: 60 }, (_, i) => encodeAll(enc, [`${'h'.repeat(i % 3 === 0 ? inline + 50 : i)}${i}`]));
    keys.forEach((k, i) => {
      for (let r = 0; r <= i % 3; r++) tree.put(k, k.length, rowIdOf(i * 10 + r));
    });
    const items = treeItems(tree);
    for (const it of items) expect(it.hash).toBe(hashKey(it.key, 0, it.key.length));
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!];
      const c = a.hash - b.hash || compareByteArrays(a.key, b.key) || a.id.compareTo(b.id);
      expect(c, `items ${i - 1} and ${i}`).toBeLessThan(0);
    }
    keys.forEach((k, i) => {
      const ids: RowId[] = [];
      tree.rowIdsOf(k, k.length, ids);
      expect(ids.map(String).sort()).toEqual(Array.from({ length: (i % 3) + 1 }, (_, r) => rowIdOf(i * 10 + r).toString()).sort());
    });
    tree.checkInvariants();
    tree.destroy(true);
    expect(allocatedAfterRelease(env)).toBe(0);
  });

  it('reads overflow rows only when the inline bytes tie and both keys are long', () => {
    const env = newTreeEnv(pageSize);
    const tree = new SortedIndexTree(env.pages, BYTES);
    const inline = tree.layout.inlineSize;
    const enc = new KeyEncoder(BYTES);
    const read = vi.spyOn(env.rowStore, 'read');
    const distinct = Array.from({ length: 40 }, (_, i) => encodeAll(enc, [new Uint8Array(inline * 2).fill(i + 1)]));
    distinct.forEach((k, i) => tree.put(k, k.length, rowIdOf(i)));
    const absent = encodeAll(enc, [new Uint8Array(inline * 2).fill(0x7f)]);
    expect(tree.contains(absent, absent.length, rowIdOf(0))).toBe(false);
    expect(read).not.toHaveBeenCalled();
    // Finding a long key that is there needs its whole key: the inline bytes tie with the item's.
    expect(tree.contains(distinct[3]!, distinct[3]!.length, rowIdOf(3))).toBe(true);
    expect(read).toHaveBeenCalled();
    read.mockClear();
    const shared = Array.from({ length: 40 }, (_, i) => {
      const v = new Uint8Array(inline * 2).fill(0xee);
      v[v.length - 1] = i + 1;
      return encodeAll(enc, [v]);
    });
    shared.forEach((k, i) => tree.put(k, k.length, rowIdOf(i)));
    expect(read).toHaveBeenCalled();
    shared.forEach((k, i) => expect(tree.contains(k, k.length, rowIdOf(i))).toBe(true));
    read.mockRestore();
    tree.destroy(true);
    expect(allocatedAfterRelease(env)).toBe(0);
  });

  it('finds every RowId of a fixed-length key, read in place, also when its entries span several leaves', () => {
    const env = newTreeEnv(pageSize);
    const cols: KeyColumn[] = [{ name: 'k', type: 'INT64', nullable: false }];
    const tree = new SortedIndexTree(env.pages, cols);
    expect(tree.layout.hasOverflow).toBe(false);
    const enc = new KeyEncoder(cols);
    const keys = [-5n, 0n, 1n, 2n, 9n].map((v) => encodeAll(enc, [v]));
    // Key 1n gets enough entries to fill several leaves; its neighbours a few each.
    const counts = [3, 2, Math.ceil((pageSize / tree.layout.itemSize) * 3.5), 1, 4];
    const rnd = seeded(pageSize + 1);
    const expected = keys.map(() => new Map<string, RowId>());
    const order: Array<[number, number]> = [];
    counts.forEach((c, k) => {
      for (let r = 0; r < c; r++) order.push([k, r]);
    });
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const [k, r] of order) {
      const id = rowIdOf(k * 100_000 + r);
      tree.put(keys[k]!, keys[k]!.length, id);
      expected[k]!.set(id.toString(), id);
    }
    const missing = encodeAll(enc, [3n]);
    keys.forEach((key, k) => {
      const ids: RowId[] = [];
      tree.rowIdsOf(key, key.length, ids);
      const want = [...expected[k]!.values()].sort((a, b) => a.compareTo(b));
      expect(ids.map(String)).toEqual(want.map(String));
    });
    const none: RowId[] = [];
    tree.rowIdsOf(missing, missing.length, none);
    expect(none).toEqual([]);
    expect(env.memory.stats().pinnedPages).toBe(0);
    tree.checkInvariants();
    tree.destroy(true);
    expect(allocatedAfterRelease(env)).toBe(0);
  });
});
