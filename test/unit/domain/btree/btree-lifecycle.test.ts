/**
 * Create / open / destroy, the write path (pages change only through acquireWrite, nothing stays pinned), item
 * size limits and out-of-memory safety.
 */
import { describe, expect, it } from 'vitest';
import { BTree } from '../../../../src/domain/btree/btree';
import { BytewiseItemType, ItemKey } from '../../../../src/domain/btree/btree-item';
import { PageMemoryAllocator } from '../../../../src/domain/btree/page-memory-allocator';
import { DataCorruptionError, InvalidArgumentError, OutOfMemoryError, StorageDestroyedError } from '../../../../src/domain/shared/errors';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { WriteCheckingPageMemory } from '../../../support/btree-write-checking-memory';
import { runMixed } from '../../../support/btree-model-runner';
import { TestKey, itemKey, testItemType, writeItem } from '../../../support/btree-model';

function filled(heap: HeapPageMemory, n: number, itemSize = 16): BTree {
  const tree = BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(itemSize));
  const item = new Uint8Array(itemSize);
  for (let k = 0; k < n; k++) {
    writeItem(item, 0, itemSize, (k * 7919) % n, k);
    tree.put(item);
  }
  return tree;
}

function keys(tree: BTree): number[] {
  const c = tree.cursor(null, true, null, true);
  const out: number[] = [];
  while (c.next()) out.push(itemKey(c.itemBuf, c.itemOff));
  return out;
}

describe('BTree lifecycle', () => {
  it('create takes a meta page and a root leaf; open finds the same tree', () => {
    const heap = new HeapPageMemory(1024);
    const empty = BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(16));
    expect(heap.allocatedPages).toBe(2);
    expect(empty.size()).toBe(0);
    const tree = filled(heap, 3000);
    const again = BTree.open(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(16), tree.metaPageId);
    expect(again.size()).toBe(3000);
    expect(again.checkInvariants()).toEqual(tree.checkInvariants());
    expect(keys(again)).toEqual(keys(tree));
  });

  it('open refuses a page that is not a meta page of this item size', () => {
    const heap = new HeapPageMemory(1024);
    const tree = filled(heap, 10);
    const alloc = new PageMemoryAllocator(heap, 1);
    expect(() => BTree.open(heap, 1, 0, alloc, testItemType(24), tree.metaPageId)).toThrow(DataCorruptionError);
    const root = tree.checkInvariants().pagesByLevel[0]![0]!;
    expect(() => BTree.open(heap, 1, 0, alloc, testItemType(16), root)).toThrow(DataCorruptionError);
    expect(heap.pinnedPages()).toBe(0);
  });

  it('refuses item sizes outside 1..224', () => {
    const heap = new HeapPageMemory(1024);
    const alloc = new PageMemoryAllocator(heap, 1);
    for (const size of [0, 225, 1.5]) {
      expect(() => BTree.create(heap, 1, 0, alloc, { itemSize: size, compare: () => 0 })).toThrow(InvalidArgumentError);
    }
    expect(heap.allocatedPages).toBe(0);
  });

  it('works with 1- and 2-byte items at 1 KiB and 16 KiB', () => {
    for (const pageSize of [1024, 16384]) {
      for (const size of [1, 2]) {
        const heap = new HeapPageMemory(pageSize);
        const type = new BytewiseItemType(size);
        const tree = BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), type);
        const item = new Uint8Array(size);
        const n = size === 1 ? 256 : 5000;
        for (let i = 0; i < n; i++) {
          const k = (i * 40503) % n;
          item[0] = size === 1 ? k : k >> 8;
          if (size === 2) item[1] = k & 0xff;
          expect(tree.put(item)).toBe(false);
        }
        expect(tree.checkInvariants().items).toBe(n);
        const key = new ItemKey(type).set(item);
        for (let k = 0; k < n; k += 2) {
          item[0] = size === 1 ? k : k >> 8;
          if (size === 2) item[1] = k & 0xff;
          expect(tree.remove(key)).toBe(true);
        }
        expect(tree.checkInvariants().items).toBe(n / 2);
      }
    }
  });

  it('destroy frees every page and refuses every later operation', () => {
    const heap = new HeapPageMemory(1024);
    const tree = filled(heap, 5000);
    const cursor = tree.cursor(null, true, null, true);
    expect(cursor.next()).toBe(true);
    expect(tree.destroy()).toBe(true);
    expect(heap.allocatedPages).toBe(0);
    expect(tree.destroy()).toBe(true);
    const item = new Uint8Array(16);
    expect(() => tree.put(item)).toThrow(StorageDestroyedError);
    expect(() => tree.findOne(new TestKey(1))).toThrow(StorageDestroyedError);
    expect(() => tree.cursor(null, true, null, true)).toThrow(StorageDestroyedError);
    expect(() => cursor.next()).toThrow(StorageDestroyedError);
  });

  it('destroy(maxPages) frees gradually, and a reopened tree continues the destruction', () => {
    const heap = new HeapPageMemory(1024);
    const tree = filled(heap, 5000);
    const pages = heap.allocatedPages;
    expect(pages).toBeGreaterThan(100);
    let calls = 0;
    while (calls < 10) {
      expect(tree.destroy(7)).toBe(false);
      calls++;
      expect(heap.allocatedPages).toBe(pages - 7 * calls);
    }
    const reopened = BTree.open(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(16), tree.metaPageId);
    expect(() => reopened.findFirst(new Uint8Array(16))).toThrow(StorageDestroyedError);
    while (!reopened.destroy(50)) calls++;
    expect(heap.allocatedPages).toBe(0);
    expect(calls).toBeGreaterThanOrEqual(Math.ceil(pages / 50));
  });

  it('an allocation failure during a split leaves the tree as it was', () => {
    const heap = new HeapPageMemory(1024, 60);
    const tree = BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(224));
    const item = new Uint8Array(224);
    let stored = 0;
    let failures = 0;
    for (let k = 0; k < 1000 && failures < 20; k++) {
      writeItem(item, 0, 224, (k * 37) % 1000, k);
      const pagesBefore = heap.allocatedPages;
      try {
        tree.put(item);
        stored++;
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
        expect(heap.allocatedPages).toBe(pagesBefore);
        failures++;
      }
      expect(heap.pinnedPages()).toBe(0);
    }
    expect(failures).toBe(20);
    expect(tree.size()).toBe(stored);
    expect(tree.checkInvariants().items).toBe(stored);
    // Removing makes room again.
    const key = new TestKey();
    for (const k of keys(tree).slice(0, stored / 2)) {
      key.key = k;
      tree.remove(key);
    }
    writeItem(item, 0, 224, 5000, 0);
    expect(tree.put(item)).toBe(false);
    tree.checkInvariants();
  });
});

describe('BTree write path', () => {
  it('the checking memory does catch a write through a read view', () => {
    const heap = new HeapPageMemory(1024);
    const checked = new WriteCheckingPageMemory(heap);
    const id = checked.allocatePage(1, 0, 0);
    const view = new PageView();
    checked.acquireRead(1, id, view);
    view.buf[view.off + 100] = 1;
    checked.release(view);
    expect(checked.violations).toHaveLength(1);
  });

  it('changes pages only through acquireWrite and leaves nothing pinned', () => {
    const heap = new HeapPageMemory(1024);
    const checked = new WriteCheckingPageMemory(heap);
    const r = runMixed({ pm: checked, pinned: () => heap.pinnedPages(), itemSize: 32, ops: 20_000, maxSize: 1500, seed: 5, batch: 2000 });
    expect(r.maxLevels).toBeGreaterThanOrEqual(3);
    expect(checked.violations).toEqual([]);
    r.tree.destroy();
    expect(heap.allocatedPages).toBe(0);
  });

  it('reads and misses write nothing; each put and found remove does', () => {
    const heap = new HeapPageMemory(1024);
    const tree = filled(heap, 2000);
    const out = new Uint8Array(16);
    const writes = heap.writeCount;
    tree.findOne(new TestKey(5), out);
    tree.findOne(new TestKey(999_999), out);
    tree.findNext(new TestKey(5), false, out);
    tree.findPrevious(new TestKey(5), false, out);
    tree.findFirst(out);
    tree.findLast(out);
    expect(keys(tree)).toHaveLength(2000);
    expect(tree.remove(new TestKey(999_999))).toBe(false);
    tree.checkInvariants();
    expect(heap.writeCount).toBe(writes);
    const item = new Uint8Array(16);
    writeItem(item, 0, 16, 5, 1);
    expect(tree.put(item)).toBe(true); // replace: the leaf only
    expect(heap.writeCount).toBe(writes + 1);
    expect(tree.remove(new TestKey(5))).toBe(true); // the leaf and the meta page's count (no merge here)
    expect(heap.writeCount).toBe(writes + 3);
  });
});
