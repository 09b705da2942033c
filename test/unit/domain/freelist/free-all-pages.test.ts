import { describe, expect, it } from 'vitest';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import { newStore, pattern } from '../datapage/row-store.fixture';

describe('BucketedFreeList.freeAllPages', () => {
  it.each([1024, 16384])('frees full, partly filled and reuse pages alike (page %i)', (pageSize) => {
    const { memory, freeList, store } = newStore(pageSize);
    const link = new RowLink();
    const links: Array<[number, number]> = [];
    for (let i = 0; i < 500; i++) {
      store.insert(pattern((i * 37) % (pageSize * 2), i), link);
      links.push([link.pageId, link.itemId]);
    }
    for (let i = 0; i < links.length; i += 3) store.remove(links[i]![0], links[i]![1]);
    const tracked = freeList.pageCount;
    expect(memory.allocatedPages).toBe(tracked + freeList.metaPageCount);
    expect(freeList.freeAllPages()).toBe(tracked);
    expect(memory.allocatedPages).toBe(freeList.metaPageCount);
    expect(freeList.pageCount).toBe(0);
    freeList.checkInvariants();
    store.insert(pattern(100, 1), link);
    expect(store.readBytes(link.pageId, link.itemId)).toEqual(pattern(100, 1));
  });
});
