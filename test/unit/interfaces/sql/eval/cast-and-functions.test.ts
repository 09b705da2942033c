/**
 * CAST / `::` between types (good and bad conversions), scalar functions, CURRENT_* and name resolution.
 */
import { describe, expect, it } from 'vitest';
import { ColumnNotFoundError } from '../../../../../src/domain/shared/errors';
import { expressionCompiler } from '../../../../../src/interfaces/sql/eval/compile';
import type { Scope } from '../../../../../src/interfaces/sql/semantics';
import { context, ev, expr, failure, NO_PARAMS, typeOf } from './eval-fixture';

describe('CAST', () => {
  it('converts between numeric types, rounding HALF_UP to integers', () => {
    expect(ev('CAST(2.5 AS INT)')).toBe(3);
    expect(ev('CAST(-2.5 AS INT)')).toBe(-3);
    expect(ev('CAST(2.4 AS INT)')).toBe(2);
    expect(ev('CAST(f AS INT)')).toBe(3);
    expect(ev('CAST(-2.5e0 AS BIGINT)')).toBe(-3n);
    expect(ev('CAST(i AS BIGINT)')).toBe(7n);
    expect(ev('CAST(big AS DECIMAL)')).toBe('9007199254740993');
    expect(ev('CAST(i AS DOUBLE)')).toBe(7);
    expect(ev('CAST(d AS DOUBLE)')).toBe(12.5);
    expect(ev('CAST(0.1 AS REAL)')).toBe(Math.fround(0.1));
    expect(ev('i::SMALLINT')).toBe(7);
    expect(typeOf('i::BIGINT')).toBe('BIGINT');
  });

  it('refuses values out of the target range', () => {
    expect(failure('CAST(300 AS TINYINT)').message).toMatch(/300 is out of range for TINYINT/);
    expect(failure('CAST(big AS INT)').message).toMatch(/out of range for INT/);
    expect(failure('CAST(1e30 AS BIGINT)').message).toMatch(/out of range for BIGINT/);
    expect(failure('CAST(123.456 AS DECIMAL(4, 2))').message).toMatch(/out of range for DECIMAL\(4,2\)/);
    expect(failure('CAST(CAST(1e0 / 0e0 + 1 AS DOUBLE) AS INT)').code).toBe('INVALID_ARGUMENT');
  });

  it('rounds to a DECIMAL scale HALF_UP, and keeps the scale of an unbounded DECIMAL', () => {
    expect(ev('CAST(1.005 AS DECIMAL(5, 2))')).toBe('1.01');
    expect(ev('CAST(-1.005 AS DECIMAL(5, 2))')).toBe('-1.01');
    expect(ev('CAST(1.5 AS DECIMAL(5))')).toBe('2');
    expect(ev('CAST(7 AS DECIMAL(5, 2))')).toBe('7.00');
    expect(ev('CAST(1.50 AS DECIMAL)')).toBe('1.50');
    expect(ev('CAST(0.1e0 AS DECIMAL)')).toBe('0.1');
    const c = expressionCompiler.compile(expr('CAST(1 AS DECIMAL(5, 2))'), { columns: [] }, context());
    expect([c.type, c.precision, c.scale]).toEqual(['DECIMAL', 5, 2]);
  });

  it('reads strings as numbers, booleans, temporal values and UUIDs', () => {
    expect(ev("CAST(' 42 ' AS INT)")).toBe(42);
    expect(ev("CAST('1.5' AS DOUBLE)")).toBe(1.5);
    expect(ev("CAST('1e3' AS BIGINT)")).toBe(1000n);
    expect(ev("CAST('-0.125' AS DECIMAL(5,2))")).toBe('-0.13');
    expect(ev("CAST('true' AS BOOLEAN)")).toBe(true);
    expect(ev("CAST('FALSE' AS BOOLEAN)")).toBe(false);
    expect(ev("CAST('2026-01-02' AS DATE)")).toBe('2026-01-02');
    expect(ev("CAST('03:04:05.100' AS TIME)")).toBe('03:04:05.1');
    expect(ev("CAST('2026-01-02 03:04:05' AS TIMESTAMP)")).toBe('2026-01-02T03:04:05');
    expect(ev("CAST('123E4567-E89B-12D3-A456-426614174000' AS UUID)")).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(ev("CAST('NaN' AS DOUBLE)")).toBeNaN();
  });

  it('refuses strings that are not of the target type, naming both types', () => {
    const e = failure("CAST('abc' AS INT)");
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/Cannot cast 'abc' \(string\) of type VARCHAR to INT: not a number at line 1, column 8/);
    expect(failure("CAST('yes' AS BOOLEAN)").message).toMatch(/to BOOLEAN/);
    expect(failure("CAST('2026-13-01' AS DATE)").message).toMatch(/to DATE/);
    expect(failure("CAST('25:00:00' AS TIME)").message).toMatch(/to TIME/);
    expect(failure("CAST('2026-01-02' AS TIMESTAMP)").message).toMatch(/to TIMESTAMP/);
    expect(failure("CAST('not-a-uuid' AS UUID)").message).toMatch(/to UUID/);
    expect(failure("CAST('1.5' AS DECIMAL(5, 2)) + CAST('x' AS DOUBLE)").message).toMatch(/to DOUBLE/);
  });

  it('refuses conversions without a meaning', () => {
    expect(failure('CAST(flag AS INT)').message).toMatch(/of type BOOLEAN to INT/);
    expect(failure('CAST(i AS BOOLEAN)').message).toMatch(/of type INT to BOOLEAN/);
    expect(failure('CAST(day AS INT)').message).toMatch(/of type DATE to INT/);
    expect(failure('CAST(i AS DATE)').message).toMatch(/of type INT to DATE/);
    expect(failure('CAST(tm AS DATE)').message).toMatch(/of type TIME to DATE/);
    expect(failure('CAST(i AS UUID)').message).toMatch(/to UUID/);
    expect(failure('CAST(i AS VARBINARY)').message).toMatch(/to VARBINARY/);
  });

  it('writes values as text, truncating to VARCHAR(n)', () => {
    expect(ev('CAST(i AS VARCHAR)')).toBe('7');
    expect(ev('CAST(big AS VARCHAR)')).toBe('9007199254740993');
    expect(ev('CAST(d AS VARCHAR)')).toBe('12.50');
    expect(ev('CAST(f AS VARCHAR)')).toBe('2.5');
    expect(ev('CAST(r AS VARCHAR)')).toBe('0.1');
    expect(ev('CAST(flag AS VARCHAR)')).toBe('TRUE');
    expect(ev('CAST(ts AS VARCHAR)')).toBe('2026-01-02T03:04:05.5');
    expect(ev('CAST(s AS VARCHAR(3))')).toBe('Hel');
    expect(ev("CAST('\u{1f600}\u{1f601}x' AS VARCHAR(2))")).toBe('\u{1f600}\u{1f601}');
    expect(ev("CAST(x'4869' AS VARCHAR)")).toBe('Hi');
    expect(failure("CAST(x'ff' AS VARCHAR)").message).toMatch(/not valid UTF-8/);
  });

  it('converts between temporal types and to bytes', () => {
    expect(ev('CAST(ts AS DATE)')).toBe('2026-01-02');
    expect(ev('CAST(ts AS TIME)')).toBe('03:04:05.5');
    expect(ev('CAST(day AS TIMESTAMP)')).toBe('2026-01-02T00:00:00');
    expect(ev("CAST(TIMESTAMP '2026-01-02 03:04:05.123456' AS TIMESTAMP(3))")).toBe('2026-01-02T03:04:05.123');
    expect(ev("CAST(TIME '03:04:05.100' AS TIME(0))")).toBe('03:04:05');
    expect(ev("CAST('Hi' AS VARBINARY)")).toEqual(new Uint8Array([0x48, 0x69]));
    expect(ev("CAST('Hi' AS VARBINARY(1))")).toEqual(new Uint8Array([0x48]));
  });

  it('gives null for null', () => {
    expect(ev('CAST(n AS VARCHAR)')).toBeNull();
    expect(ev('CAST(NULL AS DATE)')).toBeNull();
    expect(typeOf('CAST(NULL AS DATE)')).toBe('DATE');
  });
});

describe('functions', () => {
  it('ABS keeps the type and refuses the minimum integer', () => {
    expect(ev('ABS(-5)')).toBe(5);
    expect(ev('ABS(-d)')).toBe('12.50');
    expect(ev('ABS(-big)')).toBe(9007199254740993n);
    expect(ev('ABS(-2.5e0)')).toBe(2.5);
    expect(failure('ABS(-2147483648)').message).toMatch(/out of range for INT/);
    expect(failure("ABS('x')").message).toMatch(/ABS needs a number, got VARCHAR/);
  });

  it('ROUND rounds HALF_UP exactly, FLOOR and CEIL', () => {
    expect(ev('ROUND(2.5)')).toBe('3');
    expect(ev('ROUND(-2.5)')).toBe('-3');
    expect(ev('ROUND(1.2345, 2)')).toBe('1.23');
    expect(ev('ROUND(1.235, 2)')).toBe('1.24');
    expect(ev('ROUND(1.005e0, 2)')).toBe(1.01);
    expect(ev('ROUND(2.5e0)')).toBe(3);
    expect(ev('ROUND(-2.5e0)')).toBe(-3);
    expect(ev('ROUND(1234, -2)')).toBe(1200);
    expect(ev('ROUND(1250, -2)')).toBe(1300);
    expect(ev('ROUND(i, 2)')).toBe(7);
    expect(ev('ROUND(d, n)')).toBeNull();
    expect(ev('FLOOR(-1.5)')).toBe('-2');
    expect(ev('CEIL(-1.5)')).toBe('-1');
    expect(ev('CEILING(1.1)')).toBe('2');
    expect(ev('FLOOR(f)')).toBe(2);
    expect(ev('CEIL(f)')).toBe(3);
    expect(ev('FLOOR(i)')).toBe(7);
    expect(Object.is(ev('CEIL(-0.5e0)'), -0)).toBe(false);
  });

  it('MOD is %', () => {
    expect(ev('MOD(7, 3)')).toBe(1);
    expect(ev('MOD(-7, 3)')).toBe(-1);
    expect(ev('MOD(5.5, 2)')).toBe('1.5');
    expect(ev('MOD(n, 2)')).toBeNull();
  });

  it('string functions count and slice characters, not UTF-16 units', () => {
    expect(ev('LOWER(s)')).toBe('hello');
    expect(ev('UPPER(s)')).toBe('HELLO');
    expect(ev('LENGTH(s)')).toBe(5);
    expect(ev("CHAR_LENGTH('\u{1f600}a')")).toBe(2);
    expect(ev('LENGTH(bin)')).toBe(2);
    expect(ev('SUBSTRING(s, 2, 3)')).toBe('ell');
    expect(ev('SUBSTR(s, 2)')).toBe('ello');
    expect(ev('SUBSTRING(s, 0, 2)')).toBe('H');
    expect(ev('SUBSTRING(s, -5, 2)')).toBe('');
    expect(ev('SUBSTRING(s, 10)')).toBe('');
    expect(ev("SUBSTRING('\u{1f600}ab', 2, 1)")).toBe('a');
    expect(failure('SUBSTRING(s, 1, -1)').message).toMatch(/length ≥ 0/);
    expect(ev("TRIM('  a b  ')")).toBe('a b');
    expect(ev("LTRIM('  a ')")).toBe('a ');
    expect(ev("RTRIM('  a ')")).toBe('  a');
    expect(ev('UPPER(ns)')).toBeNull();
    expect(failure('UPPER(i)').message).toMatch(/UPPER needs a VARCHAR argument, got INT/);
  });

  it('refuses unknown functions and wrong argument counts, with the position', () => {
    const e = failure('1 + FOO(1)');
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/Unknown function FOO\(…\).*line 1, column 12/);
    expect(failure('ABS(1, 2)').message).toMatch(/ABS takes 1 argument, got 2/);
    expect(failure('SUBSTRING(s)').message).toMatch(/SUBSTRING takes 2 to 3 arguments, got 1/);
  });

  it('CURRENT_DATE / TIME / TIMESTAMP are the statement time in UTC', () => {
    expect(ev('CURRENT_TIMESTAMP')).toBe('2026-01-02T03:04:05.678');
    expect(ev('CURRENT_DATE')).toBe('2026-01-02');
    expect(ev('CURRENT_TIME')).toBe('03:04:05.678');
    expect(typeOf('CURRENT_TIMESTAMP')).toBe('TIMESTAMP');
    expect(ev('CURRENT_DATE = day')).toBe(true);
  });

  it('refuses an aggregate where compile meets one', () => {
    expect(failure('SUM(i) + 1').message).toMatch(/Aggregate SUM\(…\) is not allowed here/);
  });
});

describe('name resolution', () => {
  const scope: Scope = {
    columns: [
      { table: 'Orders', name: 'Id', type: 'INT' },
      { table: 'c', name: 'id', type: 'BIGINT' },
      { table: 'c', name: 'Name', type: 'VARCHAR' },
      { table: '"Q"', tableQuoted: true, name: 'q', type: 'INT' },
    ],
    outer: { columns: [{ table: 'o', name: 'x', type: 'INT' }, { table: 'o', name: 'name', type: 'INT' }] },
  };
  const row = [1, 2n, 'ann', 4];
  const run = (text: string, outer?: unknown[][]): unknown =>
    expressionCompiler.compile(expr(text), scope, context()).evaluate(row, NO_PARAMS, outer);

  it('matches unquoted names case-insensitively and quoted ones exactly', () => {
    expect(run('orders.ID')).toBe(1);
    expect(run('C.NAME')).toBe('ann');
    expect(run('"Name"')).toBe('ann');
    expect(() => run('"NAME"')).toThrow(ColumnNotFoundError);
    expect(run('"name"', [[41, 9]])).toBe(9); // not c.Name: the outer scope's o.name
    expect(run('"Orders"."Id"')).toBe(1);
    expect(() => run('"orders".Id')).toThrow(ColumnNotFoundError);
  });

  it('refuses an ambiguous unqualified name', () => {
    expect(() => run('id')).toThrow(/Column 'id' is ambiguous.*'Orders' and 'c'.*line 1, column 8/);
  });

  it('names an unknown column with COLUMN_NOT_FOUND', () => {
    let error: unknown;
    try {
      run('c.missing');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ColumnNotFoundError);
    expect((error as ColumnNotFoundError).code).toBe('COLUMN_NOT_FOUND');
    expect((error as ColumnNotFoundError).column).toBe('missing');
    expect((error as Error).message).toMatch(/Column 'c.missing' not found at line 1, column 8/);
  });

  it('reads outer scopes from outerRows (correlated references), the inner scope first', () => {
    expect(run('x + 1', [[41, 0]])).toBe(42);
    expect(run('o.name', [[41, 9]])).toBe(9);
    expect(run('name', [[41, 9]])).toBe('ann');
    expect(() => run('x')).toThrow(/correlated reference but no outer row/);
  });
});
