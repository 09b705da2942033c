/** Pins the on-page formats of the B+ tree meta, inner and leaf pages (sizes, offsets, capacities, bytes). */
import { describe, expect, it } from 'vitest';
import { BTree } from '../../../../src/domain/btree/btree';
import * as meta from '../../../../src/domain/btree/btree-meta.layout';
import * as node from '../../../../src/domain/btree/btree-node.layout';
import { PageMemoryAllocator } from '../../../../src/domain/btree/page-memory-allocator';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { MAX_PAGE_SIZE, MIN_PAGE_SIZE } from '../../../../src/domain/page/page-header.layout';
import { readPageId } from '../../../../src/domain/page/page-id';
import { PAGE_TYPE_BTREE_INNER, PAGE_TYPE_BTREE_LEAF, PAGE_TYPE_BTREE_META } from '../../../../src/domain/page/page-types';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { testItemType, writeItem } from '../../../support/btree-model';

describe('B+ tree page layouts', () => {
  it('pins the node header and body offsets', () => {
    expect([node.NODE_COUNT_OFFSET, node.NODE_LEVEL_OFFSET, node.NODE_RESERVED_OFFSET, node.NODE_RIGHT_OFFSET, node.NODE_LEFT_OFFSET]).toEqual([16, 18, 20, 24, 32]);
    expect([node.LEAF_ITEMS_OFFSET, node.INNER_CHILD0_OFFSET, node.INNER_ENTRIES_OFFSET]).toEqual([40, 40, 48]);
    expect(node.innerChildOffset(0, 2, 24)).toBe(40 + 48);
    expect(node.innerKeyOffset(0, 2, 24)).toBe(48 + 48);
  });

  it('pins the meta page offsets and fits the smallest page', () => {
    expect([meta.META_MAGIC_OFFSET, meta.META_ITEM_SIZE_OFFSET, meta.META_LEVELS_OFFSET, meta.META_FLAGS_OFFSET]).toEqual([16, 20, 22, 24]);
    expect([meta.META_ROOT_OFFSET, meta.META_COUNT_OFFSET, meta.META_FIRST_PAGES_OFFSET]).toEqual([28, 36, 44]);
    expect(meta.META_END).toBe(44 + 8 * meta.MAX_LEVELS);
    expect(meta.META_END).toBeLessThanOrEqual(MIN_PAGE_SIZE);
  });

  it('keeps fanout ≥ 5 at 1 KiB for the largest item and counts within u16 at 16 KiB', () => {
    expect(node.leafCapacity(MIN_PAGE_SIZE, node.MAX_ITEM_SIZE)).toBe(4);
    expect(node.innerCapacity(MIN_PAGE_SIZE, node.MAX_ITEM_SIZE)).toBe(4);
    expect(node.leafCapacity(MAX_PAGE_SIZE, 1)).toBeLessThanOrEqual(0xffff);
    expect([node.leafCapacity(1024, 16), node.innerCapacity(1024, 16)]).toEqual([61, 40]);
    expect([node.minFill(4), node.minFill(61), node.minFill(1021)]).toEqual([1, 15, 255]);
  });

  it('writes the documented bytes', () => {
    const heap = new HeapPageMemory(1024);
    const tree = BTree.create(heap, 1, 0, new PageMemoryAllocator(heap, 1), testItemType(16));
    const item = new Uint8Array(16);
    for (let k = 0; k < 100; k++) {
      writeItem(item, 0, 16, k, k);
      tree.put(item);
    }
    const shape = tree.checkInvariants();
    const v = new PageView();
    heap.acquireRead(1, tree.metaPageId, v);
    expect(v.dv.getUint16(0, true)).toBe(PAGE_TYPE_BTREE_META);
    expect(v.dv.getUint16(2, true)).toBe(meta.BTREE_META_VERSION);
    expect(v.dv.getUint32(16, true)).toBe(meta.BTREE_META_MAGIC);
    expect(v.dv.getUint16(20, true)).toBe(16);
    expect(v.dv.getUint16(22, true)).toBe(2);
    const root = readPageId(v.dv, 28);
    expect(v.dv.getFloat64(36, true)).toBe(100);
    expect(readPageId(v.dv, 44)).toBe(shape.pagesByLevel[0]![0]);
    expect(readPageId(v.dv, 52)).toBe(root);
    heap.release(v);
    heap.acquireRead(1, root, v);
    expect([v.dv.getUint16(0, true), v.dv.getUint16(16, true), v.dv.getUint16(18, true)]).toEqual([PAGE_TYPE_BTREE_INNER, 1, 1]);
    const left = readPageId(v.dv, 40);
    expect(v.dv.getUint32(48, false)).toBe(60); // separator = last item of the full left leaf (sequential split)
    const right = readPageId(v.dv, 64);
    heap.release(v);
    heap.acquireRead(1, left, v);
    expect([v.dv.getUint16(0, true), v.dv.getUint16(16, true), v.dv.getUint16(18, true)]).toEqual([PAGE_TYPE_BTREE_LEAF, 61, 0]);
    expect(readPageId(v.dv, 24)).toBe(right);
    expect(readPageId(v.dv, 32)).toBe(0);
    expect(v.dv.getUint32(40 + 5 * 16, false)).toBe(5);
    heap.release(v);
    heap.acquireRead(1, right, v);
    expect([v.dv.getUint16(16, true), readPageId(v.dv, 24), readPageId(v.dv, 32)]).toEqual([39, 0, left]);
    heap.release(v);
  });
});
