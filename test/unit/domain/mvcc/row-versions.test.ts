/** Row versions in data pages: header fields, values of every size, in-place header writes, replace, removal. */
import { describe, expect, it } from 'vitest';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import { RowVersions } from '../../../../src/domain/mvcc/row-versions';
import { VERSION_HEADER_SIZE } from '../../../../src/domain/mvcc/row-version.layout';
import { newStore, pattern } from '../datapage/row-store.fixture';

describe.each([1024, 16384])('RowVersions (%i-byte pages)', (pageSize) => {
  it('stores header and value; tombstones have no value', () => {
    const { store, memory } = newStore(pageSize);
    const versions = new RowVersions(store);
    const a = new RowLink();
    const b = new RowLink();
    versions.insert({ schemaVersion: -3, bytes: pattern(10, 1) }, 0x11, 0x22, 0, 0, a);
    versions.insert(null, 0, 0, a.pageId, a.itemId, b);
    versions.readHeader(a.pageId, a.itemId);
    expect([versions.commitHi, versions.commitLo, versions.isWriteIntent, versions.nextPage, versions.isTombstone, versions.schemaVersion, versions.valueLength])
      .toEqual([0x11, 0x22, false, 0, false, -3, 10]);
    expect(versions.commitTimestamp()).toBe(0x0000001100000022n);
    expect(versions.readRow(a.pageId, a.itemId)).toEqual({ schemaVersion: -3, bytes: pattern(10, 1) });
    versions.readHeader(b.pageId, b.itemId);
    expect([versions.isWriteIntent, versions.nextPage, versions.nextItem, versions.isTombstone, versions.valueLength])
      .toEqual([true, a.pageId, a.itemId, true, 0]);
    expect(versions.rowOfHeader(b.pageId, b.itemId)).toBeNull();
    expect(store.length(b.pageId, b.itemId)).toBe(VERSION_HEADER_SIZE);
    expect(memory.pinnedPages()).toBe(0);
  });

  it('values of every size read back intact, from one page or fragmented', () => {
    const { store } = newStore(pageSize);
    const versions = new RowVersions(store);
    const link = new RowLink();
    for (const size of [0, 1, store.maxPlainRow - VERSION_HEADER_SIZE, store.maxPlainRow - VERSION_HEADER_SIZE + 1, 3 * pageSize + 5, 40_000]) {
      versions.insert({ schemaVersion: 1, bytes: pattern(size, size) }, 0, 1, 0, 0, link);
      expect(Buffer.from(versions.readRow(link.pageId, link.itemId)!.bytes).equals(pattern(size, size)), `${size} bytes`).toBe(true);
    }
  });

  it('commit timestamp and next link are written in place; the link stays valid', () => {
    const { store } = newStore(pageSize);
    const versions = new RowVersions(store);
    const link = new RowLink();
    const big = pattern(2 * pageSize, 9);
    versions.insert({ schemaVersion: 2, bytes: big }, 0, 0, 0, 0, link);
    versions.setCommitTs(link.pageId, link.itemId, 7, 8);
    versions.setNext(link.pageId, link.itemId, 4_000_000_123, 200);
    versions.readHeader(link.pageId, link.itemId);
    expect([versions.commitHi, versions.commitLo, versions.nextPage, versions.nextItem]).toEqual([7, 8, 4_000_000_123, 200]);
    expect(versions.rowOfHeader(link.pageId, link.itemId)?.bytes).toEqual(big);
  });

  it('replace swaps the content (maybe to a new link); remove frees every page', () => {
    const { store, memory, freeList } = newStore(pageSize);
    const versions = new RowVersions(store);
    const link = new RowLink();
    const out = new RowLink();
    versions.insert({ schemaVersion: 1, bytes: pattern(5, 1) }, 0, 0, 0, 0, link);
    versions.replace(link.pageId, link.itemId, { schemaVersion: 4, bytes: pattern(3 * pageSize, 2) }, 0, 0, 77, 1, out);
    const row = versions.readRow(out.pageId, out.itemId);
    expect([row?.schemaVersion, versions.nextPage, versions.nextItem]).toEqual([4, 77, 1]);
    expect(row?.bytes).toEqual(pattern(3 * pageSize, 2));
    versions.remove(out.pageId, out.itemId);
    freeList.releaseReusePages();
    expect(memory.allocatedPages).toBe(0);
  });
});
