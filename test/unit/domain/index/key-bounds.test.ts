import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareByteArrays } from '../../../../src/domain/index/byte-compare';
import { inKeyByteRange, keyByteRange, keyByteRangeOf, prefixSuccessor } from '../../../../src/domain/index/key-bounds';
import { KeyEncoder } from '../../../../src/domain/index/key-codec';
import type { SortedIndexColumn } from '../../../../src/domain/storage/index-descriptors';
import { GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL } from '../../../../src/domain/storage/index-descriptors';
import { columnOrder, compareBytes, compareDec, compareUtf8, FC, parseDec } from './key-models';

const u8 = (...xs: number[]) => Uint8Array.from(xs);

describe('prefixSuccessor', () => {
  it('increments the last byte that is not 0xFF and drops the 0xFF tail', () => {
    expect(prefixSuccessor(u8(1, 2, 3), 0, 3)).toEqual(u8(1, 2, 4));
    expect(prefixSuccessor(u8(1, 2, 0xff, 0xff), 0, 4)).toEqual(u8(1, 3));
    expect(prefixSuccessor(u8(9, 0xfe, 0xff, 7), 1, 2)).toEqual(u8(0xff));
    expect(prefixSuccessor(u8(0xff, 0xff), 0, 2)).toBeNull();
    expect(prefixSuccessor(u8(), 0, 0)).toBeNull();
  });

  it('is above every extension of the prefix and at most every greater non-extension', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 6 }), fc.uint8Array({ maxLength: 8 }), (p, other) => {
      const succ = prefixSuccessor(p, 0, p.length);
      const ext = Uint8Array.from([...p, ...other]);
      if (succ === null) {
        expect(p.every((b) => b === 0xff)).toBe(true);
        return;
      }
      expect(compareByteArrays(ext, succ)).toBeLessThan(0);
      const startsWithP = other.length >= p.length && p.every((b, i) => other[i] === b);
      if (compareByteArrays(other, p) > 0 && !startsWithP) expect(compareByteArrays(other, succ)).toBeGreaterThanOrEqual(0);
    }), FC);
  });
});

describe('scan bounds: prefixes with the four flag combinations against a model', () => {
  const columns: SortedIndexColumn[] = [
    { name: 's', type: 'STRING', nullable: true, asc: true },
    { name: 'i', type: 'INT32', nullable: true, asc: false },
    { name: 'b', type: 'BYTES', nullable: false, asc: true, nullsFirst: false },
    { name: 'd', type: 'DECIMAL', nullable: true, asc: false, nullsFirst: true, scale: 2, precision: 10 },
  ];
  const strs = fc.constantFrom('', 'a', 'a\0', 'a\0b', 'ab', 'b', '\uffff', '\ud83d\ude00');
  const ints = fc.constantFrom(-2147483648, -1, 0, 1, 2147483647);
  const bytes = fc.constantFrom(u8(), u8(0), u8(0, 0), u8(0xff), u8(1, 0xff), u8(0xff, 0xff));
  const decs = fc.constantFrom('-1.50', '-0.01', '0.00', '0.01', '1.00', '99999999.99');
  const colArbs = [fc.option(strs, { nil: null }), fc.option(ints, { nil: null }), bytes, fc.option(decs, { nil: null })];
  const orders = [
    columnOrder(compareUtf8, true, true),
    columnOrder((a: number, b: number) => a - b, false, false),
    columnOrder(compareBytes, true, false),
    columnOrder((a: string, b: string) => compareDec(parseDec(a), parseDec(b)), false, true),
  ];
  const keyArb = fc.tuple(...colArbs);
  const prefixArb = fc.option(fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...colArbs.slice(0, n))), { nil: null, freq: 5 });

  /** prefix(key, bound.length) compared with bound, by the model. */
  const comparePrefix = (key: unknown[], bound: unknown[]): number => {
    for (let i = 0; i < bound.length; i++) {
      const r = orders[i]!(key[i], bound[i]);
      if (r !== 0) return r;
    }
    return 0;
  };
  const expected = (key: unknown[], lower: unknown[] | null, upper: unknown[] | null, flags: number): boolean => {
    if (lower !== null && lower.length > 0) {
      const c = comparePrefix(key, lower);
      if ((flags & GREATER_OR_EQUAL) !== 0 ? c < 0 : c <= 0) return false;
    }
    if (upper !== null && upper.length > 0) {
      const c = comparePrefix(key, upper);
      if ((flags & LESS_OR_EQUAL) !== 0 ? c > 0 : c >= 0) return false;
    }
    return true;
  };

  for (const flags of [GREATER | LESS, GREATER_OR_EQUAL | LESS, GREATER | LESS_OR_EQUAL, GREATER_OR_EQUAL | LESS_OR_EQUAL]) {
    it(`flags ${flags}: the byte range selects exactly the model's keys (with and without a RowId suffix)`, () => {
      const enc = new KeyEncoder(columns);
      fc.assert(fc.property(fc.array(keyArb, { maxLength: 25 }), prefixArb, prefixArb, fc.uint8Array({ minLength: 16, maxLength: 16 }), (keys, lower, upper, rowId) => {
        const range = keyByteRange(enc, lower, upper, flags);
        for (const key of keys) {
          const k = enc.copy(enc.encodeFull(key));
          const withRowId = Uint8Array.from([...k, ...rowId]);
          const want = expected(key, lower, upper, flags);
          expect(inKeyByteRange(range, k, 0, k.length)).toBe(want);
          expect(inKeyByteRange(range, withRowId, 0, withRowId.length)).toBe(want);
        }
      }), FC);
    });
  }

  it('a range is empty exactly when lower >= upper; unbounded sides are null', () => {
    const enc = new KeyEncoder(columns);
    expect(keyByteRange(enc, null, null, 0)).toEqual({ lower: null, upper: null, empty: false });
    expect(keyByteRange(enc, [], [], 0)).toEqual({ lower: null, upper: null, empty: false });
    const a = keyByteRange(enc, ['a'], ['a'], GREATER_OR_EQUAL | LESS_OR_EQUAL);
    expect(a.empty).toBe(false);
    expect(inKeyByteRange(a, enc.copy(enc.encode(['a', 5])), 0, enc.encode(['a', 5]))).toBe(true);
    expect(keyByteRange(enc, ['a'], ['a'], GREATER_OR_EQUAL | LESS).empty).toBe(true);
    expect(keyByteRange(enc, ['a'], ['a'], GREATER | LESS_OR_EQUAL).empty).toBe(true);
    expect(keyByteRange(enc, ['b'], ['a'], GREATER_OR_EQUAL | LESS_OR_EQUAL).empty).toBe(true);
    expect(keyByteRangeOf(u8(0xff, 0xff), null, GREATER).empty).toBe(true);
    expect(keyByteRangeOf(null, u8(0xff), LESS_OR_EQUAL)).toEqual({ lower: null, upper: null, empty: false });
  });

  it('DECIMAL bounds are exact: a bound between two storable values splits them', () => {
    const cols: SortedIndexColumn[] = [{ name: 'd', type: 'DECIMAL', nullable: false, asc: true, precision: 5, scale: 2 }];
    const enc = new KeyEncoder(cols);
    const key = (v: string) => enc.copy(enc.encode([v]));
    const gt = keyByteRange(enc, ['1.005'], null, GREATER);
    expect(inKeyByteRange(gt, key('1.01'), 0, key('1.01').length)).toBe(true);
    expect(inKeyByteRange(gt, key('1.00'), 0, key('1.00').length)).toBe(false);
    const le = keyByteRange(enc, null, ['1.005'], LESS_OR_EQUAL);
    expect(inKeyByteRange(le, key('1.00'), 0, key('1.00').length)).toBe(true);
    expect(inKeyByteRange(le, key('1.01'), 0, key('1.01').length)).toBe(false);
    // A bound beyond the column's precision is allowed and simply above every stored value.
    const lt = keyByteRange(enc, null, ['123456789'], LESS);
    expect(inKeyByteRange(lt, key('999.99'), 0, key('999.99').length)).toBe(true);
  });
});
