import { describe, expect, it } from 'vitest';
import { exceedsCodePoints, KeyColumnPlan } from '../../../../src/domain/index/column-values';
import { encodeKey, KeyEncoder } from '../../../../src/domain/index/key-codec';
import { InvalidArgumentError } from '../../../../src/domain/shared/errors';
import type { ColumnType } from '../../../../src/domain/storage/column-type';
import type { SortedIndexColumn } from '../../../../src/domain/storage/index-descriptors';

const col = (type: ColumnType, extra: Partial<SortedIndexColumn> = {}): SortedIndexColumn => ({ name: 'amount', type, nullable: false, asc: true, ...extra });

/** The error a single bad value raises; asserts it is typed. */
function errorOf(type: ColumnType, v: unknown, extra: Partial<SortedIndexColumn> = {}): InvalidArgumentError {
  try {
    encodeKey([col(type, extra)], [v]);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
    return e as InvalidArgumentError;
  }
  throw new Error(`${type} accepted ${String(v)}`);
}

describe('typed errors for bad key values', () => {
  it('name the column, the expected type and what was given', () => {
    expect(errorOf('INT32', '12').message).toBe("Index column 'amount' (INT32) expects an integer number in -2147483648..2147483647, got '12' (string)");
    expect(errorOf('INT64', 12).message).toMatch(/'amount' \(INT64\) expects a bigint .* got 12 \(number\)/);
    expect(errorOf('STRING', 5).message).toMatch(/'amount' \(STRING\) expects a string, got 5 \(number\)/);
    expect(errorOf('BYTES', [1, 2]).message).toMatch(/expects a Uint8Array, got an object \(Array\)/);
    expect(errorOf('BOOLEAN', 1).message).toMatch(/expects a boolean, got 1 \(number\)/);
    expect(errorOf('DOUBLE', 1n).message).toMatch(/expects a number, got 1n \(bigint\)/);
    expect(errorOf('TIMESTAMP', new Date(0)).message).toMatch(/\(TIMESTAMP\) expects a bigint.*got an object \(Date\)/);
    expect(errorOf('UUID', undefined).message).toMatch(/\(UUID\) expects a UUID string.*got undefined/);
  });

  it('reject every wrong JS type for every column type', () => {
    const good: Record<ColumnType, unknown> = {
      INT8: 1, INT16: 1, INT32: 1, INT64: 1n, FLOAT: 1.5, DOUBLE: 1.5, DECIMAL: '1.5', BOOLEAN: true,
      UUID: '00000000-0000-0000-0000-000000000000', STRING: 's', BYTES: Uint8Array.of(1), DATE: '2024-01-01',
      TIME: '10:00:00', DATETIME: '2024-01-01T10:00:00', TIMESTAMP: 1n,
    };
    const accepts: Record<ColumnType, (v: unknown) => boolean> = {
      INT8: (v) => typeof v === 'number', INT16: (v) => typeof v === 'number', INT32: (v) => typeof v === 'number',
      INT64: (v) => typeof v === 'bigint', TIMESTAMP: (v) => typeof v === 'bigint', FLOAT: (v) => typeof v === 'number',
      DOUBLE: (v) => typeof v === 'number', DECIMAL: (v) => ['string', 'number', 'bigint'].includes(typeof v),
      BOOLEAN: (v) => typeof v === 'boolean', UUID: (v) => typeof v === 'string', STRING: (v) => typeof v === 'string',
      BYTES: (v) => v instanceof Uint8Array, DATE: (v) => typeof v === 'string', TIME: (v) => typeof v === 'string',
      DATETIME: (v) => typeof v === 'string',
    };
    const samples = [1, 1n, 'x', true, Uint8Array.of(1), {}, [], undefined, Symbol('s')];
    for (const type of Object.keys(good) as ColumnType[]) {
      expect(() => encodeKey([col(type)], [good[type]])).not.toThrow();
      for (const v of samples) {
        if (accepts[type](v)) continue;
        expect(errorOf(type, v).message, `${type} ${String(v)}`).toContain(`'amount' (${type})`);
      }
    }
  });

  it('reject null in a non-nullable column, naming it', () => {
    expect(errorOf('STRING', null).message).toBe("Index column 'amount' (STRING) is not nullable, got null; pass a STRING value");
    expect(() => encodeKey([col('STRING', { nullable: true })], [null])).not.toThrow();
  });

  it('reject out-of-range and non-integer numbers', () => {
    for (const [type, v] of [['INT8', 128], ['INT8', -129], ['INT8', 1.5], ['INT16', 32768], ['INT16', -32769], ['INT32', 2 ** 31],
      ['INT32', -(2 ** 31) - 1], ['INT32', NaN], ['INT32', Infinity], ['INT64', 1n << 63n], ['INT64', -(1n << 63n) - 1n],
      ['TIMESTAMP', 1n << 64n]] as [ColumnType, unknown][]) {
      expect(errorOf(type, v).message).toContain('expects');
    }
    expect(() => encodeKey([col('INT8')], [-128])).not.toThrow();
    expect(() => encodeKey([col('INT64')], [-(1n << 63n)])).not.toThrow();
  });

  it('reject malformed UUID, DATE, TIME and DATETIME strings', () => {
    for (const v of ['', '00000000-0000-0000-0000-00000000000', '00000000-0000-0000-0000-00000000000g', '00000000x0000-0000-0000-000000000000',
      '000000000-000-0000-0000-000000000000']) errorOf('UUID', v);
    for (const v of ['2023-02-29', '2023-13-01', '2023-00-10', '2023-01-32', '2023-1-01', '20230101', '-2023-01-01', '-000000-01-01',
      '+2023-01-01', '2023-01-01T00:00:00', 'x']) errorOf('DATE', v);
    for (const v of ['24:00:00', '12:60:00', '12:00:60', '12:00', '12:00:00.', '12:00:00.1234567890', '12:00:00.12a', '12-00-00', '1:00:00']) {
      errorOf('TIME', v);
    }
    for (const v of ['2024-01-01', '2024-01-01 10:00:00', 'T10:00:00', '2024-01-01T', '2024-02-30T10:00:00', '2024-01-01T25:00:00']) {
      errorOf('DATETIME', v);
    }
    expect(() => encodeKey([col('DATE')], ['2024-02-29'])).not.toThrow();
  });

  it('reject keys with more values than columns, and partial keys where a full key is needed', () => {
    const enc = new KeyEncoder([col('INT8'), col('INT8')]);
    expect(() => enc.encode([1, 2, 3])).toThrow(/3 values but the index has 2 columns/);
    expect(() => enc.encodeFull([1])).toThrow(/needs 2 values, one per column, got 1/);
    expect(enc.encode([1])).toBe(1); // a NOT NULL INT8: one value byte, no marker
  });

  it('reject invalid column descriptors', () => {
    expect(() => new KeyColumnPlan([{ name: 'x', type: 'INT128' as ColumnType, nullable: false }])).toThrow(/'x' has unknown type 'INT128'/);
    expect(() => new KeyColumnPlan([col('DECIMAL', { scale: -1 })])).toThrow(/scale -1/);
    expect(() => new KeyColumnPlan([col('DECIMAL', { precision: 0 })])).toThrow(/precision 0/);
    expect(() => new KeyColumnPlan([col('DECIMAL', { precision: 2, scale: 3 })])).toThrow(/scale 3 greater than its precision 2/);
    expect(() => new KeyColumnPlan([col('STRING', { precision: -5, scale: 2.5 })])).not.toThrow();
  });

  it('refuse STRING keys longer than the declared length in code points, BYTES keys longer in bytes (not bounds)', () => {
    const enc = new KeyEncoder([col('STRING', { length: 3 }), col('BYTES', { length: 2 })]);
    for (const s of ['abc', '😀😀😀', '中文字', '\u0000\u0000\u0000', '\ud800\ud800\udc00']) expect(() => enc.encode([s]), s).not.toThrow();
    for (const s of ['abcd', '😀😀😀a', 'ab😀c']) expect(() => enc.encode([s]), s).toThrow(/declared column length of 3 characters \(Unicode code points\)/);
    expect(() => enc.encodeFull(['a', new Uint8Array(3)])).toThrow(/declared column length of 2 bytes/);
    expect(() => enc.encodeBound(['abcdef', new Uint8Array(9)])).not.toThrow();
    expect(() => new KeyColumnPlan([col('STRING', { length: 1.5 })])).toThrow(/STRING length 1.5 \(number\)/);
    expect(() => new KeyColumnPlan([col('BYTES', { length: -1 })])).toThrow(InvalidArgumentError);
  });

  it('exceedsCodePoints counts code points (a pair once, a lone surrogate once)', () => {
    const cases: Array<[string, number]> = [['', 0], ['a', 1], ['é', 1], ['😀', 1], ['😀x', 2], ['\ud800', 1], ['\udc00\ud800', 2], ['a😀b😀', 4], ['😀'.repeat(10), 10]];
    for (const [s, n] of cases) {
      expect(exceedsCodePoints(s, n), `${JSON.stringify(s)} within ${n}`).toBe(false);
      if (n > 0) expect(exceedsCodePoints(s, n - 1), `${JSON.stringify(s)} beyond ${n - 1}`).toBe(true);
    }
  });
});
