import { describe, expect, it } from 'vitest';
import * as pageTypes from '../../../../src/domain/page/page-types';
import * as header from '../../../../src/domain/page/page-header.layout';
import * as data from '../../../../src/domain/datapage/data-page.layout';
import * as meta from '../../../../src/domain/btree/btree-meta.layout';
import * as freeList from '../../../../src/domain/freelist/free-list.layout';
import * as node from '../../../../src/domain/btree/btree-node.layout';
import {
  BTREE_MIN_ITEMS_PER_PAGE,
  PAGE_IOS,
  PAGE_TYPES_WITHOUT_LAYOUT,
  checkedPageIo,
  pageIoOf,
  writePageIoHeader,
} from '../../../../src/domain/page/page-io-registry';
import { DataCorruptionError } from '../../../../src/domain/shared/errors';

describe('page IO registry', () => {
  it('pins the common header', () => {
    expect([header.PAGE_TYPE_OFFSET, header.PAGE_VERSION_OFFSET, header.PAGE_CRC_OFFSET, header.PAGE_ID_OFFSET]).toEqual([0, 2, 4, 8]);
    expect(header.COMMON_HEADER_END).toBe(16);
    expect([header.MIN_PAGE_SIZE, header.MAX_PAGE_SIZE]).toEqual([1024, 16384]);
  });

  it('pins the data page layout', () => {
    // The free list's link fields come first (free-list.layout.ts): prev u32, next u32, bucket + 1 u16.
    expect([freeList.LIST_PREV_OFFSET, freeList.LIST_NEXT_OFFSET, freeList.LIST_BUCKET_OFFSET, freeList.LIST_FIELDS_END]).toEqual([16, 20, 24, 26]);
    expect([data.DATA_FREE_SPACE_OFFSET, data.DATA_ITEM_COUNT_OFFSET, data.DATA_FREE_ITEMS_OFFSET, data.DATA_BODY_START_OFFSET]).toEqual([26, 28, 30, 32]);
    expect(data.DATA_HEADER_END).toBe(34);
    expect(data.ITEM_TABLE_OFFSET).toBe(34);
    expect(data.ITEM_ENTRY_SIZE).toBe(2);
    expect(data.MAX_ITEMS).toBe(256);
    expect([data.BODY_LEN_OFFSET, data.BODY_NEXT_OFFSET, data.HEAD_ROW_LENGTH_OFFSET]).toEqual([0, 2, 10]);
    expect([data.PLAIN_BODY_HEADER, data.FRAGMENT_BODY_HEADER, data.HEAD_BODY_HEADER]).toEqual([2, 10, 14]);
    expect([data.BODY_FRAGMENT_FLAG, data.BODY_HEAD_FLAG, data.BODY_LEN_MASK]).toEqual([0x8000, 0x4000, 0x3fff]);
    expect(data.dataPageMaxBody(1024)).toBe(988);
    expect(data.dataPageMaxBody(16384)).toBe(16348);
    expect(data.dataPageMinSize()).toBe(51);
    // a body's payload length must fit the 14-bit length field at the largest page size
    expect(data.dataPageMaxBody(header.MAX_PAGE_SIZE)).toBeLessThanOrEqual(data.BODY_LEN_MASK);
    expect(data.DATA_PAGE_VERSION).toBe(1);
  });

  it('pins the B+ tree layouts', () => {
    expect(node.PAGE_ID_SIZE).toBe(8);
    expect([node.NODE_COUNT_OFFSET, node.NODE_LEVEL_OFFSET, node.NODE_RESERVED_OFFSET, node.NODE_RIGHT_OFFSET, node.NODE_LEFT_OFFSET]).toEqual([16, 18, 20, 24, 32]);
    expect([node.NODE_BODY_OFFSET, node.LEAF_ITEMS_OFFSET, node.INNER_CHILD0_OFFSET, node.INNER_ENTRIES_OFFSET]).toEqual([40, 40, 40, 48]);
    expect(node.MAX_ITEM_SIZE).toBe(224);
    expect(node.BTREE_NODE_VERSION).toBe(1);
    expect([meta.META_MAGIC_OFFSET, meta.META_ITEM_SIZE_OFFSET, meta.META_LEVELS_OFFSET, meta.META_FLAGS_OFFSET]).toEqual([16, 20, 22, 24]);
    expect([meta.META_ROOT_OFFSET, meta.META_COUNT_OFFSET, meta.META_FIRST_PAGES_OFFSET]).toEqual([28, 36, 44]);
    expect(meta.MAX_LEVELS).toBe(40);
    expect(meta.META_END).toBe(364);
    expect(meta.BTREE_META_VERSION).toBe(1);
    // the registry's minimum and the tree's own capacity agree at the largest item on the smallest page
    expect(node.leafCapacity(header.MIN_PAGE_SIZE, node.MAX_ITEM_SIZE)).toBeGreaterThanOrEqual(BTREE_MIN_ITEMS_PER_PAGE);
    expect(node.innerCapacity(header.MIN_PAGE_SIZE, node.MAX_ITEM_SIZE)).toBeGreaterThanOrEqual(BTREE_MIN_ITEMS_PER_PAGE);
  });

  it('registers each layout under its type with a header that fits the smallest page', () => {
    const types = PAGE_IOS.map((io) => io.type);
    expect(new Set(types).size).toBe(types.length);
    for (const io of PAGE_IOS) {
      expect(pageIoOf(io.type)).toBe(io);
      expect(io.version).toBeGreaterThanOrEqual(1);
      expect(io.headerEnd).toBeGreaterThanOrEqual(header.COMMON_HEADER_END);
      expect(io.minPageSize(node.MAX_ITEM_SIZE)).toBeGreaterThanOrEqual(io.headerEnd);
      expect(io.minPageSize(node.MAX_ITEM_SIZE)).toBeLessThanOrEqual(header.MIN_PAGE_SIZE);
    }
    expect(PAGE_IOS.map((io) => [io.type, io.version, io.name, io.headerEnd])).toEqual([
      [pageTypes.PAGE_TYPE_DATA, 1, 'data', 34],
      [pageTypes.PAGE_TYPE_FREELIST_META, 1, 'freelist-meta', 28],
      [pageTypes.PAGE_TYPE_BTREE_META, 1, 'btree-meta', 364],
      [pageTypes.PAGE_TYPE_BTREE_INNER, 1, 'btree-inner', 40],
      [pageTypes.PAGE_TYPE_BTREE_LEAF, 1, 'btree-leaf', 40],
      [pageTypes.PAGE_TYPE_FREELIST_NODE, 1, 'free-page', 26],
    ]);
    expect(PAGE_IOS.map((io) => io.minPageSize(node.MAX_ITEM_SIZE))).toEqual([51, 36, 364, 48 + 4 * 232, 40 + 4 * 224, 26]);
    expect(PAGE_IOS.map((io) => io.minPageSize(8))).toEqual([51, 36, 364, 48 + 4 * 16, 40 + 4 * 8, 26]);
  });

  it('accounts for every page type: registered or listed as pending', () => {
    const all = Object.entries(pageTypes).filter(([name]) => name.startsWith('PAGE_TYPE_') && name !== 'PAGE_TYPE_NONE');
    for (const [name, type] of all) {
      const registered = pageIoOf(type) !== undefined;
      const pending = PAGE_TYPES_WITHOUT_LAYOUT.includes(type);
      expect(registered !== pending, `${name} must be either registered or pending`).toBe(true);
    }
    expect(pageIoOf(pageTypes.PAGE_TYPE_NONE)).toBeUndefined();
  });

  it('writes and checks (type, version) in the common header', () => {
    const dv = new DataView(new ArrayBuffer(2048));
    const io = pageIoOf(pageTypes.PAGE_TYPE_DATA)!;
    writePageIoHeader(dv, 1024, io);
    expect(dv.getUint16(1024 + header.PAGE_TYPE_OFFSET, true)).toBe(pageTypes.PAGE_TYPE_DATA);
    expect(dv.getUint16(1024 + header.PAGE_VERSION_OFFSET, true)).toBe(io.version);
    expect(checkedPageIo(dv, 1024)).toBe(io);
    dv.setUint16(1024 + header.PAGE_VERSION_OFFSET, io.version + 1, true);
    expect(() => checkedPageIo(dv, 1024)).toThrow(DataCorruptionError);
    dv.setUint16(1024 + header.PAGE_VERSION_OFFSET, 0, true);
    expect(() => checkedPageIo(dv, 1024)).toThrow(DataCorruptionError);
    expect(() => checkedPageIo(dv, 0)).toThrow(/unknown page type 0/);
  });
});
