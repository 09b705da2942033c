/**
 * compareValues (ORDER BY / GROUP BY / DISTINCT order across numeric representations) and coerce (assignment to a
 * column of each type: conversions, canonical values, length / range / NOT NULL errors naming the column).
 */
import { describe, expect, it } from 'vitest';
import { expressionCompiler } from '../../../../../src/interfaces/sql/eval/compile';
import type { CoercionTarget } from '../../../../../src/interfaces/sql/eval/coerce';
import type { ScopeColumn, ValueType } from '../../../../../src/interfaces/sql/semantics';

const { compareValues, coerce } = expressionCompiler;

function sorted(values: unknown[], type: ValueType): unknown[] {
  return [...values].sort((a, b) => compareValues(a, b, type));
}

describe('compareValues', () => {
  it('orders numbers of one type', () => {
    expect(sorted([3, -1, 2.5, 0], 'DOUBLE')).toEqual([-1, 0, 2.5, 3]);
    expect(sorted([3n, -(2n ** 63n), 2n ** 62n], 'BIGINT')).toEqual([-(2n ** 63n), 3n, 2n ** 62n]);
    expect(sorted(['10.00', '9.50', '-1.00', '9.5'], 'DECIMAL')).toEqual(['-1.00', '9.50', '9.5', '10.00']);
    expect(compareValues('1.50', '1.5', 'DECIMAL')).toBe(0);
  });

  it('orders NaN above Infinity and treats -0 as 0', () => {
    expect(sorted([NaN, Infinity, -Infinity, 1], 'DOUBLE')).toEqual([-Infinity, 1, Infinity, NaN]);
    expect(compareValues(-0, 0, 'DOUBLE')).toBe(0);
    expect(compareValues(NaN, NaN, 'DOUBLE')).toBe(0);
  });

  it('orders mixed representations exactly (parameters: type NULL)', () => {
    const values = [2n ** 53n + 1n, 2 ** 53, '9007199254740992.5', 1.5, '1.25', -3n];
    expect(sorted(values, 'NULL')).toEqual([-3n, '1.25', 1.5, 2 ** 53, '9007199254740992.5', 2n ** 53n + 1n]);
    expect(compareValues(1, 1n, 'NULL')).toBe(0);
    expect(compareValues(0.5, '0.5', 'NULL')).toBe(0);
  });

  it('orders strings by code point, booleans, bytes and temporal values', () => {
    expect(sorted(['b', 'B', '\u{1f600}', '\uff5e', 'a'], 'VARCHAR')).toEqual(['B', 'a', 'b', '\uff5e', '\u{1f600}']);
    expect(sorted([true, false], 'BOOLEAN')).toEqual([false, true]);
    const bytes = [new Uint8Array([2]), new Uint8Array([1, 5]), new Uint8Array([1])];
    expect(sorted(bytes, 'VARBINARY')).toEqual([new Uint8Array([1]), new Uint8Array([1, 5]), new Uint8Array([2])]);
    expect(sorted(['10:00:00', '09:59:59.9', '10:00:00.01'], 'TIME')).toEqual(['09:59:59.9', '10:00:00', '10:00:00.01']);
    expect(sorted(['2026-01-02T00:00:00', '2025-12-31T23:59:59.999'], 'TIMESTAMP'))
      .toEqual(['2025-12-31T23:59:59.999', '2026-01-02T00:00:00']);
  });
});

function column(type: ValueType, extra: Partial<CoercionTarget> = {}): CoercionTarget {
  return { table: 'orders', name: 'c', type, ...extra } as CoercionTarget;
}

function coerceError(value: unknown, from: ValueType, to: ScopeColumn): Error & { code?: string } {
  try {
    coerce(value, from, to);
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected coerce to fail');
}

describe('coerce', () => {
  it('converts integers to the column type', () => {
    expect(coerce(5, 'INT', column('BIGINT'))).toBe(5n);
    expect(coerce(5n, 'BIGINT', column('INT'))).toBe(5);
    expect(coerce(5, 'INT', column('DOUBLE'))).toBe(5);
    expect(coerce(5, 'INT', column('DECIMAL', { precision: 10, scale: 2 }))).toBe('5.00');
    expect(coerce(2.5, 'DOUBLE', column('INT'))).toBe(3);
    expect(coerce('1.005', 'DECIMAL', column('DECIMAL', { precision: 10, scale: 2 }))).toBe('1.01');
    expect(coerce(0.1, 'DOUBLE', column('REAL'))).toBe(Math.fround(0.1));
    expect(coerce('42', 'VARCHAR', column('SMALLINT'))).toBe(42);
    expect(coerce(7, 'NULL', column('DECIMAL'))).toBe('7');
  });

  it('refuses values out of the column range, naming table and column', () => {
    const e = coerceError(300, 'INT', column('TINYINT'));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/Column 'c' of table 'orders' is TINYINT: .*out of range/);
    expect((e as { column?: string }).column).toBe('c');
    expect(coerceError(2n ** 40n, 'BIGINT', column('INT')).message).toMatch(/out of range/);
    expect(coerceError('123.4', 'DECIMAL', column('DECIMAL', { precision: 4, scale: 2 })).message)
      .toMatch(/out of range for DECIMAL\(4,2\)/);
  });

  it('checks VARCHAR and VARBINARY lengths instead of truncating', () => {
    expect(coerce('abc', 'VARCHAR', column('VARCHAR', { length: 3 }))).toBe('abc');
    const e = coerceError('abcd', 'VARCHAR', column('VARCHAR', { length: 3 }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/Column 'c' of table 'orders' is VARCHAR\(3\).*4 characters, more than 3/);
    expect(coerce(12, 'INT', column('VARCHAR'))).toBe('12');
    expect(coerceError(new Uint8Array(3), 'VARBINARY', column('VARBINARY', { length: 2 })).message).toMatch(/3 bytes, more than 2/);
    const bytes = new Uint8Array([1]);
    const stored = coerce(bytes, 'VARBINARY', column('VARBINARY'));
    expect(stored).toEqual(bytes);
    expect(stored).not.toBe(bytes);
  });

  it('converts strings to temporal, UUID and BOOLEAN columns, canonically', () => {
    expect(coerce('2026-01-02', 'VARCHAR', column('DATE'))).toBe('2026-01-02');
    expect(coerce('2026-01-02 03:04:05.100', 'VARCHAR', column('TIMESTAMP'))).toBe('2026-01-02T03:04:05.1');
    expect(coerce('2026-01-02', 'DATE', column('TIMESTAMP'))).toBe('2026-01-02T00:00:00');
    expect(coerce('03:04:05.000', 'VARCHAR', column('TIME'))).toBe('03:04:05');
    expect(coerce('123E4567-E89B-12D3-A456-426614174000', 'VARCHAR', column('UUID'))).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(coerce('true', 'VARCHAR', column('BOOLEAN'))).toBe(true);
    expect(coerceError('2026-02-30', 'VARCHAR', column('DATE')).message).toMatch(/Column 'c' of table 'orders' is DATE/);
    expect(coerceError(true, 'BOOLEAN', column('INT')).code).toBe('INVALID_ARGUMENT');
  });

  it('passes null through, and refuses it for a NOT NULL column', () => {
    expect(coerce(null, 'NULL', column('INT'))).toBeNull();
    const e = coerceError(null, 'NULL', column('INT', { nullable: false }));
    expect(e.code).toBe('NOT_NULL_VIOLATION');
    expect(e.message).toMatch(/Column 'c' of table 'orders' is NOT NULL/);
  });
});
