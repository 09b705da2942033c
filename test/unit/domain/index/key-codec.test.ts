import { describe, expect, it } from 'vitest';
import { compareByteArrays } from '../../../../src/domain/index/byte-compare';
import { decodeKey, encodeKey, KeyEncoder } from '../../../../src/domain/index/key-codec';
import { KeyDecoder } from '../../../../src/domain/index/key-decoder';
import { DataCorruptionError } from '../../../../src/domain/shared/errors';
import type { ColumnType } from '../../../../src/domain/storage/column-type';
import type { SortedIndexColumn } from '../../../../src/domain/storage/index-descriptors';
import { dateDays } from './key-models';

const col = (type: ColumnType, extra: Partial<SortedIndexColumn> = {}): SortedIndexColumn => ({ name: 'c', type, nullable: true, asc: true, ...extra });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const one = (type: ColumnType, v: unknown, extra: Partial<SortedIndexColumn> = {}) => encodeKey([col(type, extra)], [v]);
const back = (type: ColumnType, v: unknown, extra: Partial<SortedIndexColumn> = {}) => {
  const k = one(type, v, extra);
  return decodeKey([col(type, extra)], k, 0, k.length)[0];
};

describe('key layout (pinned: keys may be stored on pages)', () => {
  it('writes the documented bytes per type', () => {
    expect(hex(one('INT8', -128))).toBe('0100');
    expect(hex(one('INT16', 1))).toBe('018001');
    expect(hex(one('INT32', -1))).toBe('017fffffff');
    expect(hex(one('INT64', 0n))).toBe('018000000000000000');
    expect(hex(one('TIMESTAMP', -1n))).toBe('017fffffffffffffff');
    expect(hex(one('DOUBLE', 1))).toBe('01bff0000000000000');
    expect(hex(one('DOUBLE', -1))).toBe('01400fffffffffffff');
    expect(hex(one('DOUBLE', NaN))).toBe('01fff8000000000000');
    expect(hex(one('FLOAT', -0))).toBe('0180000000');
    expect(hex(one('BOOLEAN', true))).toBe('0101');
    expect(hex(one('UUID', '00000000-0000-0000-ffff-ffffffffffff'))).toBe('0180000000000000007fffffffffffffff');
    expect(hex(one('STRING', 'a\0'))).toBe('01' + '6100ff0000');
    expect(hex(one('STRING', ''))).toBe('010000');
    expect(hex(one('BYTES', Uint8Array.of(0xff, 0)))).toBe('01ff00ff0000');
    expect(hex(one('DATE', '1970-01-02'))).toBe('0180000001');
    expect(hex(one('TIME', '00:00:01'))).toBe('0100003b9aca00');
    expect(hex(one('DATETIME', '1969-12-31T00:00:00.000000001'))).toBe('017fffffff000000000001');
    expect(hex(one('DECIMAL', '0'))).toBe('0102');
    expect(hex(one('DECIMAL', '12.3'))).toBe('01038002' + '0d1f' + '00');
    expect(hex(one('DECIMAL', '-12.3'))).toBe('0101' + '7ffd' + 'f2e0' + 'ff');
    expect(hex(one('STRING', 'ab', { asc: false }))).toBe('01' + '9e9dffff');
    expect(hex(encodeKey([col('INT8'), col('INT8', { asc: false }), col('INT8', { asc: false, nullsFirst: true })], [null, null, null]))).toBe('000200');
  });
});

describe('round trips', () => {
  it('returns the canonical value for every type', () => {
    const cases: [ColumnType, unknown, unknown][] = [
      ['INT8', 127, 127], ['INT16', -32768, -32768], ['INT32', 2147483647, 2147483647],
      ['INT64', -(1n << 63n), -(1n << 63n)], ['TIMESTAMP', -1_700_000_000_000_000n, -1_700_000_000_000_000n],
      ['FLOAT', 0.1, Math.fround(0.1)], ['FLOAT', 1e-50, 0], ['FLOAT', 1e300, Infinity], ['FLOAT', NaN, NaN],
      ['DOUBLE', -0, 0], ['DOUBLE', 5e-324, 5e-324], ['DOUBLE', -Infinity, -Infinity],
      ['BOOLEAN', false, false], ['UUID', '0123ABCD-89ab-CDEF-0123-456789abcdef', '0123abcd-89ab-cdef-0123-456789abcdef'],
      ['STRING', 'h\u00e9llo \ud83d\ude00\0\uffff', 'h\u00e9llo \ud83d\ude00\0\uffff'],
      ['STRING', '\ud800x\udc00', '\ud800x\udc00'], ['STRING', 'x'.repeat(5000), 'x'.repeat(5000)],
      ['BYTES', Uint8Array.of(0, 0xff, 0, 0), Uint8Array.of(0, 0xff, 0, 0)],
      ['DATE', '0000-01-01', '0000-01-01'], ['DATE', '9999-12-31', '9999-12-31'], ['DATE', '+010000-01-01', '+010000-01-01'],
      ['DATE', '-000001-12-31', '-000001-12-31'], ['DATE', '+002024-02-29', '2024-02-29'], ['DATE', '+999999-12-31', '+999999-12-31'],
      ['DATE', '-999999-01-01', '-999999-01-01'],
      ['TIME', '23:59:59.999999999', '23:59:59.999999999'], ['TIME', '12:00:00.500', '12:00:00.5'], ['TIME', '00:00:00.000', '00:00:00'],
      ['DATETIME', '2024-02-29T13:14:15.016', '2024-02-29T13:14:15.016'],
    ];
    for (const [type, v, want] of cases) expect(back(type, v), `${type} ${String(v)}`).toEqual(want);
  });

  it('lone surrogates keep distinct keys in code point order (WTF-8)', () => {
    const ks = ['\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000', '\ud800\udc00'].map((s) => one('STRING', s));
    for (let i = 1; i < ks.length; i++) expect(compareByteArrays(ks[i - 1]!, ks[i]!)).toBeLessThan(0);
  });

  it('dates match JS Date day numbers across the calendar, leap years included', () => {
    for (const d of ['1970-01-01', '2000-02-29', '1900-03-01', '1600-02-29', '0001-01-01', '-000400-02-29', '+275760-09-13']) {
      const k = one('DATE', d);
      const days = ((k[1]! ^ 0x80) << 24 | k[2]! << 16 | k[3]! << 8 | k[4]!);
      expect(days, d).toBe(dateDays(d));
    }
  });

  it('decodes prefixes and keys that sit inside a larger buffer', () => {
    const cols = [col('STRING'), col('INT32', { asc: false }), col('UUID')];
    const enc = new KeyEncoder(cols);
    const len = enc.encode(['k', null]);
    const framed = Uint8Array.from([7, 7, ...enc.buffer.subarray(0, len), 9]);
    expect(new KeyDecoder(cols).decode(framed, 2, len)).toEqual(['k', null]);
    expect(new KeyDecoder(cols).decode(framed, 2, 0)).toEqual([]);
  });
});

describe('KeyEncoder buffer', () => {
  it('grows when a key does not fit and keeps the earlier columns', () => {
    const cols = [col('INT32'), col('STRING'), col('BYTES', { asc: false })];
    const enc = new KeyEncoder(cols, 16);
    const big = 'é'.repeat(1000);
    const len = enc.encode([42, big, new Uint8Array(3000).fill(0)]);
    expect(enc.buffer.length).toBeGreaterThanOrEqual(len);
    expect(new KeyDecoder(cols).decode(enc.buffer, 0, len)).toEqual([42, big, new Uint8Array(3000)]);
    const small = enc.encode([1, 'a', Uint8Array.of(1)]);
    expect(new KeyDecoder(cols).decode(enc.buffer, 0, small)).toEqual([1, 'a', Uint8Array.of(1)]);
    expect(enc.copy(small)).toEqual(encodeKey(cols, [1, 'a', Uint8Array.of(1)]));
  });
});

describe('decoding malformed bytes', () => {
  const cols = [col('STRING'), col('INT32'), col('DECIMAL')];
  const bad: [string, number[]][] = [
    ['truncated string', [1, 0x61]],
    ['bad escape', [1, 0x61, 0, 7]],
    ['truncated int', [0, 1, 0x80, 0]],
    ['wrong null marker', [2]],
    ['unknown marker', [9]],
    ['extra bytes', [0, 0, 0, 5]],
    ['bad decimal head', [0, 0, 1, 7]],
    ['decimal digit pair > 99', [0, 0, 1, 3, 0x80, 0, 200, 0]],
    ['stray UTF-8 continuation', [1, 0x80, 0, 0]],
  ];
  for (const [what, bytes] of bad) {
    it(what, () => {
      expect(() => decodeKey(cols, Uint8Array.from(bytes), 0, bytes.length)).toThrow(DataCorruptionError);
    });
  }
});

describe('KeyDecoder.keyEnd', () => {
  const cols = [col('STRING', { asc: false }), col('DECIMAL'), col('DECIMAL', { asc: false }), col('INT64'), col('BYTES')];
  const dec = new KeyDecoder(cols);
  const enc = new KeyEncoder(cols);

  it('finds the end of a full key followed by other bytes (e.g. a RowId)', () => {
    const keys: unknown[][] = [
      ['', '0', '0', 0n, new Uint8Array(0)],
      ['a\0\u00ff', '-12.5', '-0.001', -1n, Uint8Array.of(0, 0xff, 0)],
      [null, null, null, null, null],
      ['\ud83d\ude00', '123456789.123', '1e-20', 1n << 62n, Uint8Array.of(0xff, 0xff)],
    ];
    for (const k of keys) {
      const len = enc.encodeFull(k);
      const item = Uint8Array.from([5, ...enc.buffer.subarray(0, len), 0, 0, 0xff, 0, 1]);
      expect(dec.keyEnd(item, 1, item.length)).toBe(1 + len);
      expect(dec.keyEnd(item, 1, 1 + len)).toBe(1 + len);
      expect(() => dec.keyEnd(item, 1, len)).toThrow(DataCorruptionError);
    }
  });
});
