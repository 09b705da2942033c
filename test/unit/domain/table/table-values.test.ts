import { describe, expect, it } from 'vitest';
import { ColumnNotFoundError, InvalidArgumentError, NotNullViolationError } from '../../../../src/domain/shared/errors';
import type { ColumnDefinition, SchemaColumn, SqlType, TableSchema } from '../../../../src/domain/table/table-schema';
import {
  keyColumnIndices, keyOfRow, keyValues, normalizeValue, resolveColumn, rowObject, rowValues,
} from '../../../../src/domain/table/table-values';

const T = 'orders';
type ErrorClass = abstract new (...args: never[]) => Error;

const col = (type: SqlType, extra: Partial<ColumnDefinition> = {}, isKey = false): SchemaColumn =>
  resolveColumn(T, { name: 'c', type, ...extra }, 7, isKey);
const norm = (c: SchemaColumn, v: unknown): unknown => normalizeValue(T, c, v);

/** Asserts the typed error: class, code, table, column and (optionally) message. */
function refused(fn: () => unknown, cls: ErrorClass, code: string, column: string | null = 'c', text?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(cls);
  const e = caught as Error & { code: string; table: string | null; column: string | null };
  expect(e.code).toBe(code);
  expect(e.table).toBe(T);
  expect(e.column).toBe(column);
  if (text !== undefined) expect(e.message).toMatch(text);
}
const invalid = (fn: () => unknown, column: string | null = 'c', text?: RegExp): void =>
  refused(fn, InvalidArgumentError, 'INVALID_ARGUMENT', column, text);

describe('resolveColumn', () => {
  it('resolves defaults: nullable, no default, DECIMAL(32767,0), declared length kept', () => {
    expect(resolveColumn(T, { name: 'qty', type: 'INT' }, 3, false)).toEqual({
      id: 3, name: 'qty', type: 'INT', nullable: true, hasDefault: false, defaultValue: null,
    });
    expect(col('DECIMAL')).toMatchObject({ precision: 32767, scale: 0 });
    expect(col('DECIMAL', { precision: 15, scale: 2 })).toMatchObject({ precision: 15, scale: 2 });
    expect(col('VARCHAR', { length: 20 }).length).toBe(20);
    expect(col('VARBINARY').length).toBeUndefined();
    expect(col('INT', {}, true).nullable).toBe(false);
    expect(col('INT', { nullable: false }, true).nullable).toBe(false);
    expect(col('INT', { nullable: false }).nullable).toBe(false);
  });

  it('normalizes the default with the column type', () => {
    expect(col('DECIMAL', { precision: 15, scale: 2, default: 12.5 })).toMatchObject({ hasDefault: true, defaultValue: '12.50' });
    expect(col('BIGINT', { default: 5 })).toMatchObject({ hasDefault: true, defaultValue: 5n });
    expect(col('TIME', { default: '01:02:03.500' }).defaultValue).toBe('01:02:03.5');
    expect(col('INT', { default: null })).toMatchObject({ hasDefault: true, defaultValue: null });
    expect(col('INT', { default: undefined }).hasDefault).toBe(false);
  });

  it('refuses bad defaults with INVALID_ARGUMENT naming the column', () => {
    invalid(() => col('INT', { default: 1.5 }), 'c', /is not an integer.*default/);
    invalid(() => col('VARCHAR', { length: 2, default: 'abc' }), 'c', /default/);
    invalid(() => col('INT', { nullable: false, default: null }), 'c', /NOT NULL but its default is null/);
    invalid(() => col('INT', { default: null }, true), 'c', /primary-key/);
  });

  it('refuses bad names', () => {
    invalid(() => resolveColumn(T, { name: '', type: 'INT' }, 0, false), '', /empty/);
    invalid(() => resolveColumn(T, { name: 'x'.repeat(129), type: 'INT' }, 0, false), 'x'.repeat(129), /129 characters/);
    expect(resolveColumn(T, { name: 'x'.repeat(128), type: 'INT' }, 0, false).name).toHaveLength(128);
    expect(resolveColumn(T, { name: '😀'.repeat(128), type: 'INT' }, 0, false).name).toHaveLength(256);
    invalid(() => resolveColumn(T, { name: 'a\nb', type: 'INT' }, 0, false), 'a\nb', /control character/);
    invalid(() => resolveColumn(T, { name: 'a\u0085', type: 'INT' }, 0, false), 'a\u0085', /control character/);
    invalid(() => resolveColumn(T, { name: 42 as unknown as string, type: 'INT' }, 0, false), null, /not a string/);
    invalid(() => resolveColumn(T, { name: '__proto__', type: 'INT' }, 0, false), '__proto__', /reserved/);
    expect(resolveColumn(T, { name: 'Mixed Case é', type: 'INT' }, 0, false).name).toBe('Mixed Case é');
  });

  it('refuses unknown types, misplaced or out-of-range options, bad nullable', () => {
    invalid(() => col('INTEGER' as SqlType), 'c', /use one of BOOLEAN/);
    invalid(() => col('int' as SqlType), 'c', /type/);
    invalid(() => col('INT', { length: 10 }), 'c', /length applies only to VARCHAR and VARBINARY/);
    invalid(() => col('VARCHAR', { precision: 10 }), 'c', /precision applies only to DECIMAL/);
    invalid(() => col('VARCHAR', { scale: 1 }), 'c', /scale applies only to DECIMAL/);
    invalid(() => col('DECIMAL', { length: 1 }), 'c', /length/);
    for (const length of [0, -1, 1.5, '10']) invalid(() => col('VARCHAR', { length: length as number }), 'c', /length/);
    for (const precision of [0, 32768, 2.5]) invalid(() => col('DECIMAL', { precision }), 'c', /precision/);
    invalid(() => col('DECIMAL', { precision: 5, scale: 6 }), 'c', /scale 6.*0\.\.5/);
    invalid(() => col('DECIMAL', { scale: -1 }), 'c', /scale/);
    expect(col('DECIMAL', { precision: 5, scale: 5 }).scale).toBe(5);
    invalid(() => col('INT', { nullable: 'yes' as unknown as boolean }), 'c', /nullable/);
    invalid(() => col('INT', { nullable: true }, true), 'c', /primary-key column.*always NOT NULL/);
    invalid(() => resolveColumn(T, null as unknown as ColumnDefinition, 0, false), null, /must be an object/);
    invalid(() => resolveColumn(T, { name: 'c', type: 'INT' }, -1, false), 'c', /id/);
  });
});

describe('normalizeValue: integers', () => {
  it('INT takes integer numbers in -2^31..2^31-1', () => {
    const c = col('INT');
    expect(norm(c, 2 ** 31 - 1)).toBe(2 ** 31 - 1);
    expect(norm(c, -(2 ** 31))).toBe(-(2 ** 31));
    expect(Object.is(norm(c, -0), 0)).toBe(true);
    invalid(() => norm(c, 2 ** 31), 'c', /out of range/);
    invalid(() => norm(c, -(2 ** 31) - 1), 'c', /out of range/);
    for (const v of [NaN, Infinity, '1', 1n, true]) invalid(() => norm(c, v));
    const qty = resolveColumn(T, { name: 'qty', type: 'INT' }, 1, false);
    invalid(() => norm(qty, 1.5), 'qty', /^Column 'qty' of table 'orders' is INT: 1.5 is not an integer/);
  });

  it('TINYINT and SMALLINT have their ranges', () => {
    const tiny = col('TINYINT');
    expect(norm(tiny, 127)).toBe(127);
    expect(norm(tiny, -128)).toBe(-128);
    invalid(() => norm(tiny, 128), 'c', /-128\.\.127/);
    invalid(() => norm(tiny, -129));
    invalid(() => norm(tiny, 0.5), 'c', /not an integer/);
    const small = col('SMALLINT');
    expect(norm(small, 32767)).toBe(32767);
    expect(norm(small, -32768)).toBe(-32768);
    invalid(() => norm(small, 32768), 'c', /-32768\.\.32767/);
    invalid(() => norm(small, -32769));
  });

  it('BIGINT returns bigints in the int64 range and takes safe-integer numbers', () => {
    const c = col('BIGINT');
    expect(norm(c, (1n << 63n) - 1n)).toBe((1n << 63n) - 1n);
    expect(norm(c, -(1n << 63n))).toBe(-(1n << 63n));
    expect(norm(c, 42)).toBe(42n);
    expect(norm(c, Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(norm(c, -0)).toBe(0n);
    invalid(() => norm(c, 1n << 63n), 'c', /out of range/);
    invalid(() => norm(c, -(1n << 63n) - 1n), 'c', /out of range/);
    invalid(() => norm(c, 2 ** 53), 'c', /safe integer/);
    invalid(() => norm(c, 1.5), 'c', /not an integer/);
    invalid(() => norm(c, '1'), 'c', /expected a bigint/);
  });
});

describe('normalizeValue: floats and booleans', () => {
  it('REAL rounds to float32 and keeps NaN and infinities; DOUBLE keeps the number', () => {
    const real = col('REAL');
    expect(norm(real, 0.1)).toBe(Math.fround(0.1));
    expect(norm(real, 0.1)).not.toBe(0.1);
    expect(norm(real, NaN)).toBeNaN();
    expect(norm(real, -Infinity)).toBe(-Infinity);
    expect(norm(real, 1e39)).toBe(Infinity);
    invalid(() => norm(real, '1'), 'c', /expected a number/);
    const dbl = col('DOUBLE');
    expect(norm(dbl, 0.1)).toBe(0.1);
    expect(Object.is(norm(dbl, -0), -0)).toBe(true);
    invalid(() => norm(dbl, 1n));
  });

  it('BOOLEAN takes booleans only', () => {
    const c = col('BOOLEAN');
    expect(norm(c, true)).toBe(true);
    expect(norm(c, false)).toBe(false);
    for (const v of [1, 0, 'true']) invalid(() => norm(c, v), 'c', /expected a boolean/);
  });
});

describe('normalizeValue: DECIMAL', () => {
  const d152 = col('DECIMAL', { precision: 15, scale: 2 });

  it('rounds HALF_UP to the scale and returns the canonical string', () => {
    const cases: [unknown, string][] = [
      [12.5, '12.50'], ['-0.005', '-0.01'], ['0', '0.00'], ['-0.00', '0.00'], ['+1.5', '1.50'], ['1e3', '1000.00'],
      [10n, '10.00'], ['0.004', '0.00'], ['-0.004', '0.00'], ['1.005', '1.01'], ['-1.005', '-1.01'], ['.5', '0.50'],
      ['007.10', '7.10'], ['9999999999999.994', '9999999999999.99'], ['-9999999999999.99', '-9999999999999.99'],
      [0.1 + 0.2, '0.30'], ['1.5E-1', '0.15'],
    ];
    for (const [input, out] of cases) expect(norm(d152, input)).toBe(out);
    const d0 = col('DECIMAL');
    expect(norm(d0, '1.5')).toBe('2');
    expect(norm(d0, '-1.5')).toBe('-2');
    expect(norm(d0, '2.4')).toBe('2');
    expect(norm(d0, '1'.repeat(200))).toBe('1'.repeat(200));
    expect(norm(col('DECIMAL', { precision: 3, scale: 3 }), '0.1234')).toBe('0.123');
  });

  it('refuses values whose integer digits exceed precision - scale', () => {
    invalid(() => norm(d152, '9999999999999.995'), 'c', /out of range for DECIMAL\(15,2\)/);
    invalid(() => norm(d152, 12345678901234), 'c', /out of range for DECIMAL\(15,2\)/);
    invalid(() => norm(d152, '-1e13'), 'c', /out of range/);
    invalid(() => norm(col('DECIMAL', { precision: 3, scale: 3 }), '0.9995'), 'c', /out of range for DECIMAL\(3,3\)/);
    invalid(() => norm(col('DECIMAL'), '1e40000'), 'c', /out of range/);
    expect(norm(d152, '1e-40000')).toBe('0.00');
  });

  it('refuses malformed values and wrong types', () => {
    for (const v of ['abc', '', '1.2.3', ' 1', '1e', '--1', '0x10']) invalid(() => norm(d152, v), 'c', /not a decimal number/);
    for (const v of [Infinity, NaN, true, {}]) invalid(() => norm(d152, v), 'c', /expected a decimal string/);
  });
});

describe('normalizeValue: strings, bytes, UUID', () => {
  it('VARCHAR counts code points and refuses lone surrogates', () => {
    const c = col('VARCHAR', { length: 3 });
    expect(norm(c, 'abc')).toBe('abc');
    expect(norm(c, '😀😀😀')).toBe('😀😀😀');
    expect(norm(c, '')).toBe('');
    invalid(() => norm(c, 'abcd'), 'c', /4 characters, more than 3/);
    invalid(() => norm(c, '😀😀😀😀'), 'c', /more than 3/);
    invalid(() => norm(col('VARCHAR'), 'a\ud800b'), 'c', /lone UTF-16 surrogate at index 1/);
    invalid(() => norm(col('VARCHAR'), '\udc00'), 'c', /surrogate/);
    invalid(() => norm(c, 1), 'c', /expected a string/);
    expect(norm(col('VARCHAR'), 'x'.repeat(100_000))).toHaveLength(100_000);
  });

  it('VARBINARY takes Uint8Arrays and Buffers up to the length and returns a plain copy', () => {
    const c = col('VARBINARY', { length: 4 });
    const input = new Uint8Array([1, 2, 3, 4]);
    const out = norm(c, input) as Uint8Array;
    expect(out).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(out).not.toBe(input);
    input[0] = 9;
    expect(out[0]).toBe(1);
    const fromBuffer = norm(c, Buffer.from([5, 6]));
    expect(Buffer.isBuffer(fromBuffer)).toBe(false);
    expect(fromBuffer).toEqual(new Uint8Array([5, 6]));
    invalid(() => norm(c, new Uint8Array(5)), 'c', /5 bytes, more than 4/);
    for (const v of [[1, 2], new ArrayBuffer(2), 'ab', new Uint16Array(1)]) invalid(() => norm(c, v), 'c', /expected a Uint8Array/);
  });

  it('UUID is returned lowercase; malformed ones are refused', () => {
    const c = col('UUID');
    expect(norm(c, '123E4567-E89B-12D3-A456-426614174000')).toBe('123e4567-e89b-12d3-a456-426614174000');
    for (const v of ['123e4567e89b12d3a456426614174000', '123e4567-e89b-12d3-a456-42661417400g', '123e4567-e89b-12d3-a456-4266141740001', '']) {
      invalid(() => norm(c, v), 'c', /not a UUID/);
    }
    invalid(() => norm(c, 1), 'c', /expected a UUID string/);
  });
});

describe('normalizeValue: DATE, TIME, TIMESTAMP', () => {
  it('DATE takes real calendar dates in years 0001..9999', () => {
    const c = col('DATE');
    for (const v of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '1969-12-31']) expect(norm(c, v)).toBe(v);
    for (const v of ['2023-02-29', '1900-02-29', '0000-12-31', '2024-13-01', '2024-04-31', '2024-00-10', '2024-1-01',
      '+002024-01-01', '2024-01-01T00:00:00', '2024/01/01']) {
      invalid(() => norm(c, v), 'c', /not a valid date/);
    }
    invalid(() => norm(c, new Date(0)), 'c', /expected a date string/);
  });

  it('TIME takes 0..9 fraction digits and drops trailing zeros', () => {
    const c = col('TIME');
    expect(norm(c, '03:04:05')).toBe('03:04:05');
    expect(norm(c, '03:04:05.120')).toBe('03:04:05.12');
    expect(norm(c, '03:04:05.000')).toBe('03:04:05');
    expect(norm(c, '23:59:59.999999999')).toBe('23:59:59.999999999');
    expect(norm(c, '00:00:00.000000001')).toBe('00:00:00.000000001');
    for (const v of ['24:00:00', '03:04:05.1234567890', '3:04:05', '03:04:05.', '03:60:00', '03:04:60', '03:04']) {
      invalid(() => norm(c, v), 'c', /not a valid time/);
    }
    invalid(() => norm(c, 1), 'c', /expected a time string/);
  });

  it('TIMESTAMP takes ISO strings (T or space) and Dates as UTC', () => {
    const c = col('TIMESTAMP');
    expect(norm(c, '2026-01-02T03:04:05.123')).toBe('2026-01-02T03:04:05.123');
    expect(norm(c, '2026-01-02 03:04:05.1230')).toBe('2026-01-02T03:04:05.123');
    expect(norm(c, '2026-01-02T03:04:05.000')).toBe('2026-01-02T03:04:05');
    expect(norm(c, '0001-01-01T00:00:00')).toBe('0001-01-01T00:00:00');
    expect(norm(c, '9999-12-31T23:59:59.999999999')).toBe('9999-12-31T23:59:59.999999999');
    expect(norm(c, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 120)))).toBe('2026-01-02T03:04:05.12');
    expect(norm(c, new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 0)))).toBe('1969-12-31T23:59:59');
    for (const v of ['2026-01-02', '2026-02-30T00:00:00', '+002026-01-02T00:00:00', '2026-01-02T24:00:00', '2026-01-02X03:04:05',
      '2026-01-02T03:04:05Z']) {
      invalid(() => norm(c, v), 'c', /not a valid timestamp/);
    }
    invalid(() => norm(c, new Date(NaN)), 'c', /Invalid Date/);
    invalid(() => norm(c, new Date('0000-06-01T00:00:00Z')), 'c', /0001\.\.9999/);
    invalid(() => norm(c, 0), 'c', /or a Date/);
  });
});

describe('normalizeValue: null', () => {
  it('gives null in a nullable column and NOT_NULL_VIOLATION in a NOT NULL one', () => {
    expect(norm(col('INT'), null)).toBeNull();
    expect(norm(col('VARCHAR'), undefined)).toBeNull();
    refused(() => norm(col('INT', { nullable: false }), null), NotNullViolationError, 'NOT_NULL_VIOLATION', 'c', /NOT NULL/);
    refused(() => norm(col('UUID', {}, true), undefined), NotNullViolationError, 'NOT_NULL_VIOLATION');
  });

  it('refuses a schema column of an unknown type', () => {
    const bad = { ...col('INT'), type: 'JSON' as SqlType };
    invalid(() => norm(bad, 1), 'c', /unknown type/);
  });
});

const schema: TableSchema = {
  version: 1,
  primaryKey: ['region', 'id'],
  columns: [
    resolveColumn(T, { name: 'id', type: 'BIGINT' }, 0, true),
    resolveColumn(T, { name: 'qty', type: 'INT', nullable: false, default: 1 }, 1, false),
    resolveColumn(T, { name: 'note', type: 'VARCHAR', length: 10 }, 2, false),
    resolveColumn(T, { name: 'price', type: 'DECIMAL', precision: 10, scale: 2, default: '0' }, 3, false),
    resolveColumn(T, { name: 'region', type: 'VARCHAR' }, 4, true),
    resolveColumn(T, { name: 'tag', type: 'VARBINARY', default: new Uint8Array([7]) }, 5, false),
    resolveColumn(T, { name: 'code', type: 'INT', nullable: false }, 6, false),
  ],
};

describe('rowValues', () => {
  it('returns normalized values in schema order, defaults for omitted columns, null for the rest', () => {
    const row = { code: 5, region: 'eu', id: 3, note: 'hi', price: 1.5, qty: 2, tag: null };
    expect(rowValues(T, schema, row)).toEqual([3n, 2, 'hi', '1.50', 'eu', null, 5]);
    expect(rowValues(T, schema, { id: 3n, region: 'eu', code: 1 })).toEqual([3n, 1, null, '0.00', 'eu', new Uint8Array([7]), 1]);
    expect(rowValues(T, schema, { id: 3n, region: 'eu', code: 1, qty: undefined, note: undefined })[1]).toBe(1);
    const bare = Object.assign(Object.create(null) as object, { id: 1, region: 'x', code: 0 });
    expect(rowValues(T, schema, bare)).toHaveLength(7);
  });

  it('gives each row its own copy of a VARBINARY default', () => {
    const a = rowValues(T, schema, { id: 1, region: 'x', code: 0 })[5] as Uint8Array;
    const b = rowValues(T, schema, { id: 2, region: 'x', code: 0 })[5] as Uint8Array;
    a[0] = 99;
    expect(b[0]).toBe(7);
    expect(schema.columns[5]!.defaultValue).toEqual(new Uint8Array([7]));
  });

  it('refuses null in a NOT NULL column, even one with a default; and an omitted NOT NULL column without one', () => {
    refused(() => rowValues(T, schema, { id: 1, region: 'x', code: 0, qty: null }), NotNullViolationError, 'NOT_NULL_VIOLATION', 'qty');
    refused(() => rowValues(T, schema, { id: 1, region: 'x' }), NotNullViolationError, 'NOT_NULL_VIOLATION', 'code', /no default/);
    refused(() => rowValues(T, schema, { id: null, region: 'x', code: 0 }), NotNullViolationError, 'NOT_NULL_VIOLATION', 'id');
  });

  it('refuses unknown columns (names match exactly) with COLUMN_NOT_FOUND', () => {
    refused(() => rowValues(T, schema, { id: 1, region: 'x', code: 0, colour: 'red' }), ColumnNotFoundError, 'COLUMN_NOT_FOUND', 'colour',
      /no column 'colour'; its columns are: id, qty, note, price, region, tag, code/);
    refused(() => rowValues(T, schema, { id: 1, region: 'x', CODE: 0 }), ColumnNotFoundError, 'COLUMN_NOT_FOUND', 'CODE', /did you mean 'code'/);
  });

  it('refuses what is not a plain object, and bad values naming their column', () => {
    class Row { id = 1; }
    for (const v of [null, undefined, 'row', [1, 2], new Map(), new Row(), new Date()]) {
      invalid(() => rowValues(T, schema, v), null, /must be a plain object/);
    }
    invalid(() => rowValues(T, schema, { id: 1, region: 'x', code: 0, note: 'much too long' }), 'note', /more than 10/);
    invalid(() => rowValues(T, schema, { id: 1.5, region: 'x', code: 0 }), 'id', /not an integer/);
  });
});

describe('keyValues, keyOfRow, rowObject', () => {
  it('takes exactly the key columns and returns them in key order', () => {
    expect(keyValues(T, schema, { id: 3, region: 'eu' })).toEqual(['eu', 3n]);
    invalid(() => keyValues(T, schema, { id: 3 }), 'region', /misses key column 'region'.*region, id/);
    invalid(() => keyValues(T, schema, { id: 3, region: undefined }), 'region', /misses/);
    invalid(() => keyValues(T, schema, { id: null, region: 'eu' }), 'id', /null/);
    invalid(() => keyValues(T, schema, { id: 3, region: 'eu', qty: 1 }), 'qty', /not a primary-key column; a key holds only/);
    refused(() => keyValues(T, schema, { id: 3, region: 'eu', nope: 1 }), ColumnNotFoundError, 'COLUMN_NOT_FOUND', 'nope');
    invalid(() => keyValues(T, schema, { id: 'x', region: 'eu' }), 'id', /bigint/);
    invalid(() => keyValues(T, schema, ['eu', 3]), null, /plain object/);
  });

  it('picks key values out of a values array', () => {
    const values = rowValues(T, schema, { id: 9, region: 'us', code: 0 });
    expect(keyColumnIndices(schema)).toEqual([4, 0]);
    expect(keyOfRow(schema, values)).toEqual(['us', 9n]);
    expect(() => keyOfRow({ ...schema, primaryKey: ['missing'] }, values)).toThrow(/names primary-key column 'missing'/);
  });

  it('builds a plain object keyed by the declared names in column order', () => {
    const values = rowValues(T, schema, { code: 4, region: 'us', id: 9 });
    const row = rowObject(schema, values);
    expect(Object.keys(row)).toEqual(['id', 'qty', 'note', 'price', 'region', 'tag', 'code']);
    expect(row).toEqual({ id: 9n, qty: 1, note: null, price: '0.00', region: 'us', tag: new Uint8Array([7]), code: 4 });
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(rowObject(schema, [1n])).toMatchObject({ id: 1n, code: null });
    expect(rowValues(T, schema, row)).toEqual(values);
  });
});
