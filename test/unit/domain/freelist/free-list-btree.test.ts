/**
 * The free list as the B+ tree's PageAllocator: trees take emptied data pages before new memory, and pages a tree
 * gives back become data pages again. Both structures must share one page group (the free list's).
 */
import { describe, expect, it } from 'vitest';
import { BTree } from '../../../../src/domain/btree/btree';
import { BytewiseItemType } from '../../../../src/domain/btree/btree-item';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import { GROUP, PARTITION, newStore, pattern } from '../datapage/row-store.fixture';

describe('BucketedFreeList shared by a row store and a B+ tree', () => {
  it('hands emptied data pages to the tree and the tree’s pages back to rows', () => {
    const f = newStore(1024, { maxReusePages: 1000 });
    const rows = Array.from({ length: 40 }, (_, i) => f.store.insert(pattern(f.store.maxPlainRow, i), new RowLink()));
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(40);
    for (const r of rows) f.store.remove(r.pageId, r.itemId);
    expect(f.freeList.reusePageCount).toBe(40);

    const tree = BTree.create(f.memory, GROUP, PARTITION, f.freeList, new BytewiseItemType(64));
    const item = new Uint8Array(64);
    for (let i = 0; i < 300; i++) {
      new DataView(item.buffer).setUint32(0, i * 2654435761 >>> 0);
      tree.put(item);
    }
    tree.checkInvariants();
    const treePages = 40 - f.freeList.reusePageCount;
    expect(treePages).toBeGreaterThan(2);
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(40); // no new memory while reuse pages last
    f.freeList.checkInvariants();

    expect(tree.destroy()).toBe(true);
    expect(f.freeList.reusePageCount).toBe(40);
    f.freeList.checkInvariants();
    const again = Array.from({ length: 40 }, (_, i) => f.store.insert(pattern(f.store.maxPlainRow, i), new RowLink()));
    expect((f.memory.allocatedPages - f.freeList.metaPageCount)).toBe(40);
    again.forEach((r, i) => expect(Buffer.from(f.store.readBytes(r.pageId, r.itemId)).equals(pattern(f.store.maxPlainRow, i))).toBe(true));
    f.freeList.checkInvariants();
    expect(f.memory.pinnedPages()).toBe(0);
  });
});
