/** Row versions in data pages: header fields, intent meta, values of every size, commit rewrite, replace, removal. */
import { describe, expect, it } from 'vitest';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import { RowVersions } from '../../../../src/domain/mvcc/row-versions';
import { parseTxId } from '../../../../src/domain/mvcc/tx-id-bytes';
import { VERSION_HEADER_SIZE, VERSION_INTENT_HEADER_SIZE } from '../../../../src/domain/mvcc/row-version.layout';
import { newStore, pattern } from '../datapage/row-store.fixture';

const TX_STRING = '123e4567-e89b-12d3-a456-426614174000';
const TX = new Uint8Array(16);
parseTxId(TX_STRING, TX, 0);
const OTHER_TX = Uint8Array.from(TX, (b, i) => (i === 15 ? b ^ 1 : b));

describe.each([1024, 16384])('RowVersions (%i-byte pages)', (pageSize) => {
  it('stores header and value; tombstones have no value', () => {
    const { store, memory } = newStore(pageSize);
    const versions = new RowVersions(store);
    const a = new RowLink();
    const b = new RowLink();
    versions.insert({ schemaVersion: -3, bytes: pattern(10, 1) }, 0x11, 0x22, 0, 0, a);
    versions.intentMeta(TX, -5, 2_000_000_000).insertIntent(null, a.pageId, a.itemId, b);
    versions.readHeader(a.pageId, a.itemId);
    expect([versions.commitHi, versions.commitLo, versions.isWriteIntent, versions.nextPage, versions.isTombstone, versions.schemaVersion, versions.valueLength])
      .toEqual([0x11, 0x22, false, 0, false, -3, 10]);
    expect([versions.hasIntentMeta, versions.commitZoneId, versions.commitPartitionId, versions.isIntentOf(new Uint8Array(16), 0)])
      .toEqual([false, 0, 0, false]);
    expect(store.length(a.pageId, a.itemId)).toBe(VERSION_HEADER_SIZE + 10);
    expect(versions.commitTimestamp()).toBe(0x0000001100000022n);
    expect(versions.readRow(a.pageId, a.itemId)).toEqual({ schemaVersion: -3, bytes: pattern(10, 1) });
    versions.readHeader(b.pageId, b.itemId);
    expect([versions.isWriteIntent, versions.nextPage, versions.nextItem, versions.isTombstone, versions.valueLength])
      .toEqual([true, a.pageId, a.itemId, true, 0]);
    expect([versions.hasIntentMeta, versions.commitZoneId, versions.commitPartitionId, versions.isIntentOf(TX, 0), versions.txIdString()])
      .toEqual([true, -5, 2_000_000_000, true, TX_STRING]);
    expect(versions.isIntentOf(OTHER_TX, 0)).toBe(false);
    expect(versions.rowOfHeader(b.pageId, b.itemId)).toBeNull();
    expect(store.length(b.pageId, b.itemId)).toBe(VERSION_INTENT_HEADER_SIZE);
    expect(memory.pinnedPages()).toBe(0);
  });

  it('values of every size read back intact, from one page or fragmented', () => {
    const { store } = newStore(pageSize);
    const versions = new RowVersions(store);
    const link = new RowLink();
    const sizes = [0, 1, store.maxPlainRow - VERSION_INTENT_HEADER_SIZE, store.maxPlainRow - VERSION_INTENT_HEADER_SIZE + 1,
      store.maxPlainRow - VERSION_HEADER_SIZE, store.maxPlainRow - VERSION_HEADER_SIZE + 1, 3 * pageSize + 5, 40_000];
    for (const size of sizes) {
      versions.insert({ schemaVersion: 1, bytes: pattern(size, size) }, 0, 1, 0, 0, link);
      expect(Buffer.from(versions.readRow(link.pageId, link.itemId)!.bytes).equals(pattern(size, size)), `${size} bytes`).toBe(true);
      versions.intentMeta(TX, 1, 2).insertIntent({ schemaVersion: 1, bytes: pattern(size, size + 1) }, 0, 0, link);
      expect(Buffer.from(versions.readRow(link.pageId, link.itemId)!.bytes).equals(pattern(size, size + 1)), `intent, ${size} bytes`).toBe(true);
    }
  });

  it('the next link is written in place; the link stays valid', () => {
    const { store } = newStore(pageSize);
    const versions = new RowVersions(store);
    const link = new RowLink();
    const big = pattern(2 * pageSize, 9);
    versions.intentMeta(TX, 3, 4).insertIntent({ schemaVersion: 2, bytes: big }, 0, 0, link);
    versions.setNext(link.pageId, link.itemId, 4_000_000_123, 200);
    versions.readHeader(link.pageId, link.itemId);
    expect([versions.isWriteIntent, versions.nextPage, versions.nextItem, versions.commitZoneId, versions.isIntentOf(TX, 0)])
      .toEqual([true, 4_000_000_123, 200, 3, true]);
    expect(versions.rowOfHeader(link.pageId, link.itemId)?.bytes).toEqual(big);
  });

  it.each([0, 1, 100, 3000, 40_000])('commitIntent of a %i-byte intent drops the meta and keeps header and value', (size) => {
    const { store, memory, freeList } = newStore(pageSize);
    const versions = new RowVersions(store);
    const link = new RowLink();
    const out = new RowLink();
    const row = size === 0 ? null : { schemaVersion: 6, bytes: pattern(size, 3) };
    versions.intentMeta(TX, 3, 4).insertIntent(row, 77, 5, link);
    versions.readHeader(link.pageId, link.itemId);
    const stayed = versions.commitIntent(link.pageId, link.itemId, 0x12, 0x34, out);
    expect(stayed).toBe(out.pageId === link.pageId && out.itemId === link.itemId);
    if (size <= 100) expect(stayed, 'a plain row shrinks in place').toBe(true);
    expect(store.length(out.pageId, out.itemId)).toBe(VERSION_HEADER_SIZE + size);
    versions.readHeader(out.pageId, out.itemId);
    expect([versions.isWriteIntent, versions.hasIntentMeta, versions.commitHi, versions.commitLo, versions.nextPage, versions.nextItem,
      versions.isTombstone, versions.valueLength, versions.commitZoneId]).toEqual([false, false, 0x12, 0x34, 77, 5, row === null, size, 0]);
    expect(versions.rowOfHeader(out.pageId, out.itemId)).toEqual(row);
    versions.remove(out.pageId, out.itemId);
    freeList.releaseReusePages();
    expect(memory.allocatedPages).toBe(0);
    expect(memory.pinnedPages()).toBe(0);
  });

  it('replace swaps the content (maybe to a new link); remove frees every page', () => {
    const { store, memory, freeList } = newStore(pageSize);
    const versions = new RowVersions(store);
    const link = new RowLink();
    const out = new RowLink();
    versions.insert({ schemaVersion: 1, bytes: pattern(5, 1) }, 0, 0, 0, 0, link);
    versions.intentMeta(OTHER_TX, 8, 9).replaceIntent(link.pageId, link.itemId, { schemaVersion: 4, bytes: pattern(3 * pageSize, 2) }, 77, 1, out);
    const row = versions.readRow(out.pageId, out.itemId);
    expect([row?.schemaVersion, versions.nextPage, versions.nextItem, versions.isWriteIntent, versions.isIntentOf(OTHER_TX, 0), versions.commitPartitionId])
      .toEqual([4, 77, 1, true, true, 9]);
    expect(row?.bytes).toEqual(pattern(3 * pageSize, 2));
    versions.remove(out.pageId, out.itemId);
    freeList.releaseReusePages();
    expect(memory.allocatedPages).toBe(0);
  });
});
