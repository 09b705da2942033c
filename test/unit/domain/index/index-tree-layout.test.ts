/**
 * Index item layouts: pinned offsets and sizes, the inline size chosen per page size and columns, the bounds of
 * encoded column sizes against the real codec, and that every layout fits B+ tree pages of 1 KiB.
 */
import { describe, expect, it } from 'vitest';
import { innerCapacity, leafCapacity, MAX_ITEM_SIZE } from '../../../../src/domain/btree/btree-node.layout';
import type { KeyColumn } from '../../../../src/domain/index/column-values';
import {
  chooseInlineSize, IndexItemLayout, maxColumnKeyBytes, maxIndexItemSize, MIN_LEAF_ITEMS,
} from '../../../../src/domain/index/index-item.layout';
import { KeyEncoder } from '../../../../src/domain/index/key-codec';
import { BTREE_MIN_ITEMS_PER_PAGE } from '../../../../src/domain/page/page-io-registry';
import type { ColumnType } from '../../../../src/domain/storage/column-type';

const col = (type: ColumnType, extra: Partial<KeyColumn> = {}): KeyColumn => ({ name: `c_${type}`, type, nullable: true, ...extra });
const PAGE_SIZES = [1024, 2048, 4096, 8192, 16384];

describe('index item layouts', () => {
  it('pins the item budget per page size', () => {
    expect(PAGE_SIZES.map(maxIndexItemSize)).toEqual([123, 224, 224, 224, 224]);
    expect(MIN_LEAF_ITEMS).toBe(8);
  });

  it('pins the sorted and hash layouts of an unbounded STRING key (inline budget, overflow link)', () => {
    const layouts = (hashed: boolean, pageSize: number) => {
      const l = IndexItemLayout.forColumns(hashed, [col('STRING')], pageSize);
      return [l.keyOff, l.inlineSize, l.rowIdOff, l.hintOff, l.keyLenOff, l.linkOff, l.itemSize, l.hasOverflow];
    };
    expect(layouts(false, 1024)).toEqual([0, 90, 90, 106, 111, 115, 123, true]);
    expect(layouts(true, 1024)).toEqual([4, 86, 90, 106, 111, 115, 123, true]);
    expect(layouts(false, 16384)).toEqual([0, 191, 191, 207, 212, 216, 224, true]);
    expect(layouts(true, 16384)).toEqual([4, 187, 191, 207, 212, 216, 224, true]);
  });

  it('sizes keys of bounded columns exactly and drops the link when no key can overflow', () => {
    const int = IndexItemLayout.forColumns(false, [col('INT32')], 1024);
    expect([int.inlineSize, int.itemSize, int.linkOff, int.hasOverflow]).toEqual([5, 30, -1, false]);
    const hashed = IndexItemLayout.forColumns(true, [col('INT64'), col('UUID')], 16384);
    expect([hashed.inlineSize, hashed.itemSize, hashed.hasOverflow]).toEqual([26, 55, false]);
    // Keys of one length (fixed-width columns that are not nullable) carry no key length, and NOT NULL columns no
    // null marker: a BIGINT primary key is 8 key bytes.
    const pk = IndexItemLayout.forColumns(false, [col('INT64', { nullable: false })], 16384);
    expect([pk.inlineSize, pk.rowIdOff, pk.hintOff, pk.keyLenOff, pk.itemSize, pk.fixedKeyLength]).toEqual([8, 8, 24, -1, 29, 8]);
    const shortString = IndexItemLayout.forColumns(false, [col('STRING', { length: 10 }), col('DECIMAL', { precision: 10, scale: 2 })], 1024);
    expect([shortString.inlineSize, shortString.hasOverflow]).toEqual([43 + 10, false]);
    // A bound that does not fit the budget falls back to the budget with a link.
    const longString = IndexItemLayout.forColumns(false, [col('STRING', { length: 40 })], 1024);
    expect([longString.inlineSize, longString.hasOverflow]).toEqual([90, true]);
  });

  it('bounds every column type by what the codec writes for its largest values', () => {
    const samples: Array<[ColumnType, Partial<KeyColumn>, unknown]> = [
      ['INT8', {}, -128], ['INT16', {}, 32767], ['INT32', {}, -1], ['INT64', {}, -1n], ['FLOAT', {}, 1.5], ['DOUBLE', {}, -2.5],
      ['BOOLEAN', {}, true], ['UUID', {}, 'ffffffff-ffff-ffff-ffff-ffffffffffff'], ['DATE', {}, '9999-12-31'],
      ['TIME', {}, '23:59:59.999999999'], ['DATETIME', {}, '9999-12-31T23:59:59.999999999'], ['TIMESTAMP', {}, -1n],
      ['DECIMAL', { precision: 9, scale: 0 }, '-987654321'], ['DECIMAL', { precision: 10, scale: 4 }, '-123456.7891'],
      ['STRING', { length: 4 }, '\u4e2d\u0000\u4e2d\u0000'], ['STRING', { length: 2 }, '\u{1F600}\u{1F600}'], ['BYTES', { length: 3 }, new Uint8Array([0, 0, 0])],
    ];
    for (const [type, extra, value] of samples) {
      const c = col(type, extra);
      const len = new KeyEncoder([c]).encode([value]);
      const bound = maxColumnKeyBytes(c);
      expect(len, `${type} ${String(value)}`).toBeLessThanOrEqual(bound);
      if (type !== 'DECIMAL' && type !== 'STRING') expect(len, `${type} is fixed or exact`).toBe(bound);
    }
    expect(maxColumnKeyBytes(col('STRING'))).toBe(Infinity);
    expect(maxColumnKeyBytes(col('BYTES'))).toBe(Infinity);
    expect(maxColumnKeyBytes(col('DECIMAL'))).toBe(Infinity);
  });

  it.each(PAGE_SIZES)('every layout fits B+ tree pages of %i bytes with at least 8 items per leaf', (pageSize) => {
    const columnSets: KeyColumn[][] = [[col('INT8')], [col('STRING')], [col('BYTES'), col('INT32')], [col('UUID'), col('UUID'), col('UUID')]];
    for (const hashed of [false, true]) {
      for (const cols of columnSets) {
        const l = IndexItemLayout.forColumns(hashed, cols, pageSize);
        expect(l.itemSize).toBeLessThanOrEqual(Math.min(MAX_ITEM_SIZE, maxIndexItemSize(pageSize)));
        expect(leafCapacity(pageSize, l.itemSize)).toBeGreaterThanOrEqual(MIN_LEAF_ITEMS);
        expect(innerCapacity(pageSize, l.itemSize)).toBeGreaterThanOrEqual(BTREE_MIN_ITEMS_PER_PAGE);
        expect(l.inlineSize).toBeGreaterThan(0);
      }
    }
  });

  it('chooseInlineSize: the columns\' bound when it fits, else the budget', () => {
    expect(chooseInlineSize(false, [col('INT8')], 1024)).toEqual({ inlineSize: 2, hasOverflow: false });
    // BYTES(47): at most 97 bytes; with the 25 bytes of RowId, hint and length that is within the 123-byte budget.
    expect(chooseInlineSize(false, [col('BYTES', { length: 47 })], 1024)).toEqual({ inlineSize: 97, hasOverflow: false });
    expect(chooseInlineSize(true, [col('BYTES', { length: 47 })], 1024)).toEqual({ inlineSize: 86, hasOverflow: true });
    expect(chooseInlineSize(false, [col('BYTES', { length: 60 })], 1024)).toEqual({ inlineSize: 90, hasOverflow: true });
    expect(chooseInlineSize(false, [col('BYTES', { length: 60 })], 16384)).toEqual({ inlineSize: 123, hasOverflow: false });
  });
});
