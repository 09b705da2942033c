import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareByteArrays } from '../../../../src/domain/index/byte-compare';
import { decodeKey, encodeKey, KeyEncoder } from '../../../../src/domain/index/key-codec';
import { KeyDecoder } from '../../../../src/domain/index/key-decoder';
import { InvalidArgumentError } from '../../../../src/domain/shared/errors';
import type { SortedIndexColumn } from '../../../../src/domain/storage/index-descriptors';
import { compareDec, decArb, FC, formatDec, parseDec, roundDec, sign, stripDec } from './key-models';

const col = (extra: Partial<SortedIndexColumn> = {}): SortedIndexColumn => ({ name: 'price', type: 'DECIMAL', nullable: false, asc: true, ...extra });
const roundTrip = (c: SortedIndexColumn, v: unknown): unknown => {
  const k = encodeKey([c], [v]);
  return decodeKey([c], k, 0, k.length)[0];
};

describe('DECIMAL keys', () => {
  it('normalise to the column scale', () => {
    const c = col({ precision: 10, scale: 2 });
    expect(roundTrip(c, '-123.45')).toBe('-123.45');
    expect(roundTrip(c, '1')).toBe('1.00');
    expect(roundTrip(c, '1.5')).toBe('1.50');
    expect(roundTrip(c, '-0')).toBe('0.00');
    expect(roundTrip(c, '+.5')).toBe('0.50');
    expect(roundTrip(c, '007.10')).toBe('7.10');
    expect(roundTrip(c, '1.5e2')).toBe('150.00');
    expect(roundTrip(c, '15E-1')).toBe('1.50');
    expect(roundTrip(c, 12.25)).toBe('12.25');
    expect(roundTrip(c, 1e-7)).toBe('0.00');
    expect(roundTrip(c, -42n)).toBe('-42.00');
    expect(roundTrip(col({ scale: 0 }), '1e30')).toBe('1000000000000000000000000000000');
  });

  it('round HALF_UP (ties away from zero) when the value has more fraction digits than the scale', () => {
    const c = col({ precision: 10, scale: 2 });
    expect(roundTrip(c, '1.005')).toBe('1.01');
    expect(roundTrip(c, '1.0049999')).toBe('1.00');
    expect(roundTrip(c, '-1.005')).toBe('-1.01');
    expect(roundTrip(c, '9.999')).toBe('10.00');
    expect(roundTrip(c, '0.004')).toBe('0.00');
    expect(roundTrip(c, '0.005')).toBe('0.01');
    expect(roundTrip(c, '-0.0049')).toBe('0.00');
    expect(roundTrip(col({ scale: 0 }), '0.5')).toBe('1');
    expect(roundTrip(col({ scale: 0 }), '0.05')).toBe('0');
    expect(roundTrip(col({ scale: 0 }), '99.5')).toBe('100');
  });

  it('rounding matches a bigint model for random values and scales', () => {
    const arb = fc.tuple(decArb(12), fc.integer({ min: 0, max: 8 }));
    fc.assert(fc.property(arb, ([d, scale]) => {
      expect(roundTrip(col({ scale }), formatDec(d))).toBe(formatDec(roundDec(d, scale)));
    }), FC);
  });

  it('without a declared scale, values keep their own digits, without trailing zeros', () => {
    expect(roundTrip(col(), '1.50')).toBe('1.5');
    expect(roundTrip(col(), '100')).toBe('100');
    expect(roundTrip(col(), '0.000123000')).toBe('0.000123');
    expect(roundTrip(col(), '-0.0')).toBe('0');
    fc.assert(fc.property(decArb(30, 40), (d) => {
      expect(roundTrip(col(), formatDec(d))).toBe(formatDec(stripDec(d)));
    }), FC);
  });

  it('numerically equal values of different scales have the same key', () => {
    expect(encodeKey([col()], ['1.5'])).toEqual(encodeKey([col()], ['1.500']));
    expect(encodeKey([col()], ['0'])).toEqual(encodeKey([col()], ['-0.000']));
    expect(encodeKey([col()], ['120'])).toEqual(encodeKey([col()], ['1.2e2']));
  });

  it('order across many scales, signs and magnitudes equals numeric order (ASC and DESC)', () => {
    for (const asc of [true, false]) {
      const enc = new KeyEncoder([col({ asc })]);
      fc.assert(fc.property(fc.array(decArb(30, 35), { minLength: 2, maxLength: 12 }), (ds) => {
        const keys = ds.map((d) => enc.copy(enc.encode([formatDec(d)])));
        for (let i = 0; i < ds.length; i++) {
          for (let j = 0; j < ds.length; j++) {
            const want = sign(compareDec(ds[i]!, ds[j]!)) * (asc ? 1 : -1);
            expect(sign(compareByteArrays(keys[i]!, keys[j]!))).toBe(want === 0 ? 0 : want);
          }
        }
      }), FC);
    }
  });

  it('orders a hand-picked ladder of values', () => {
    const ladder = ['-1e100', '-1000', '-999.99', '-100', '-99', '-10.5', '-10', '-1.23', '-1.2', '-1', '-0.1', '-0.01', '-1e-50',
      '0', '1e-50', '0.01', '0.099', '0.1', '0.1000001', '1', '1.2', '1.23', '9', '10', '10.5', '99', '100', '999.99', '1000', '1e100'];
    const keys = ladder.map((v) => encodeKey([col()], [v]));
    for (let i = 1; i < keys.length; i++) expect(compareByteArrays(keys[i - 1]!, keys[i]!), `${ladder[i - 1]} < ${ladder[i]}`).toBeLessThan(0);
  });

  it('a DECIMAL first column does not disturb the next column', () => {
    const cols = [col(), { name: 'n', type: 'INT8', nullable: false, asc: true } as const];
    const enc = new KeyEncoder(cols);
    const k = (d: string, n: number) => enc.copy(enc.encode([d, n]));
    expect(compareByteArrays(k('1.2', 127), k('1.23', -128))).toBeLessThan(0);
    expect(compareByteArrays(k('-1.23', 127), k('-1.2', -128))).toBeLessThan(0);
    expect(compareByteArrays(k('1.2', -128), k('1.2', 127))).toBeLessThan(0);
    expect(new KeyDecoder(cols).decode(k('-1.23', 7), 0, k('-1.23', 7).length)).toEqual(['-1.23', 7]);
  });

  it('rejects values that do not fit the precision, after rounding', () => {
    const c = col({ precision: 5, scale: 2 });
    expect(roundTrip(c, '999.99')).toBe('999.99');
    expect(roundTrip(c, '-999.994')).toBe('-999.99');
    expect(() => roundTrip(c, '1000')).toThrow(InvalidArgumentError);
    expect(() => roundTrip(c, '999.995')).toThrow(/DECIMAL\(5, 2\).*at most 3 integer digits.*999\.995/);
    expect(() => roundTrip(c, -12345n)).toThrow(/'price'/);
    const noScale = col({ precision: 4 });
    expect(roundTrip(noScale, '12.34')).toBe('12.34');
    expect(() => roundTrip(noScale, '12.345')).toThrow(/precision 4.*5 digits/);
    expect(() => roundTrip(noScale, '10000')).toThrow(InvalidArgumentError);
  });

  it('rejects malformed values and magnitudes outside the encoding', () => {
    for (const bad of ['', '-', '.', 'abc', '1.2.3', '1e', '1e+', '1,5', ' 1', '1 ', '0x10', 'NaN', NaN, Infinity, true, null, undefined, {}]) {
      expect(() => encodeKey([col()], [bad]), String(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => encodeKey([col()], ['1e40000'])).toThrow(/magnitude/);
    expect(() => encodeKey([col()], ['1e-40000'])).toThrow(/magnitude/);
    expect(roundTrip(col({ scale: 3 }), '1e-40000')).toBe('0.000');
    expect(roundTrip(col(), '0e999999999999')).toBe('0');
  });

  it('parses like the bigint model', () => {
    fc.assert(fc.property(decArb(10), fc.integer({ min: -5, max: 5 }), (d, e) => {
      const str = `${formatDec(d)}e${e}`;
      expect(roundTrip(col(), str)).toBe(formatDec(stripDec(parseDec(str))));
    }), FC);
  });
});
