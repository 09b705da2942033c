/**
 * Literals and arithmetic: literal types, numeric promotion, INT overflow, integer division truncation, exact DECIMAL,
 * division by zero, unary minus, `||`, and parameters typed by their JS values.
 */
import { describe, expect, it } from 'vitest';
import { compile, ev, failure, ROW, typeOf } from './eval-fixture';

describe('literals', () => {
  it('types integer literals by range and keeps their JS representation', () => {
    expect([ev('1'), typeOf('1')]).toEqual([1, 'INT']);
    expect([ev('3000000000'), typeOf('3000000000')]).toEqual([3000000000n, 'BIGINT']);
    expect([ev('99999999999999999999'), typeOf('99999999999999999999')]).toEqual(['99999999999999999999', 'DECIMAL']);
  });

  it('keeps decimal literals exact with their scale, and floats as DOUBLE', () => {
    expect([ev('1.50'), typeOf('1.50')]).toEqual(['1.50', 'DECIMAL']);
    expect([ev('1e3'), typeOf('1e3')]).toEqual([1000, 'DOUBLE']);
    expect(ev("x'0A1B'")).toEqual(new Uint8Array([10, 27]));
    expect([ev("'it''s'"), typeOf("'a'")]).toEqual(["it's", 'VARCHAR']);
    expect([ev('TRUE'), ev('NULL'), typeOf('NULL')]).toEqual([true, null, 'NULL']);
  });

  it('checks temporal literals and makes them canonical', () => {
    expect(ev("DATE '2026-01-02'")).toBe('2026-01-02');
    expect(ev("TIME '03:04:05.500'")).toBe('03:04:05.5');
    expect(ev("TIMESTAMP '2026-01-02 03:04:05.000'")).toBe('2026-01-02T03:04:05');
    const e = failure("DATE '2026-02-30'");
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/Invalid DATE literal '2026-02-30'.*line 1, column 8/);
    expect(failure("TIMESTAMP '2026-01-02 25:00:00'").code).toBe('INVALID_ARGUMENT');
    expect(failure("TIME '3:4'").code).toBe('INVALID_ARGUMENT');
  });
});

describe('arithmetic', () => {
  it('computes INT op INT as INT and refuses results out of range', () => {
    expect([ev('i + 1'), typeOf('i + 1')]).toEqual([8, 'INT']);
    expect(ev('i * i - 9')).toBe(40);
    const e = failure('2147483647 + 1');
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/out of range for INT.*line 1, column 19/);
    expect(failure('65536 * 65536').message).toMatch(/out of range/);
    expect(failure('-2147483648 / -1').message).toMatch(/out of range/);
    expect(failure('-(i - 2147483647 - 8)').message).toMatch(/out of range/);
  });

  it('promotes small integers to INT and INT with BIGINT to BIGINT', () => {
    expect([ev('tiny + tiny'), typeOf('tiny + tiny')]).toEqual([200, 'INT']);
    expect([ev('i + big'), typeOf('i + big')]).toEqual([9007199254741000n, 'BIGINT']);
    expect([ev('2147483647 + 3000000000'), typeOf('2147483647 + 3000000000')]).toEqual([5147483647n, 'BIGINT']);
    expect(failure('9223372036854775807 + 1').message).toMatch(/out of range for BIGINT/);
  });

  it('truncates integer division toward zero and keeps the dividend sign for %', () => {
    expect(ev('-7 / 2')).toBe(-3);
    expect(ev('7 / -2')).toBe(-3);
    expect(ev('7 / 2')).toBe(3);
    expect(ev('-7 % 2')).toBe(-1);
    expect(ev('7 % -2')).toBe(1);
    expect(ev('-4 % 2')).toBe(0);
    expect(Object.is(ev('-4 % 2'), -0)).toBe(false);
    expect(ev('-7000000000 / 2')).toBe(-3500000000n);
    expect(ev('big / 2')).toBe(4503599627370496n);
  });

  it('refuses division and modulo by zero for every type', () => {
    for (const text of ['1 / 0', '1 % 0', 'big / 0', '1.5 / 0.0', '1e0 / 0', 'f % 0', 'MOD(1, 0)']) {
      const e = failure(text);
      expect(e.code, text).toBe('INVALID_ARGUMENT');
      expect(e.message, text).toMatch(/Division by zero/);
    }
  });

  it('computes DECIMAL exactly', () => {
    expect(ev('0.1 + 0.2')).toBe('0.3');
    expect(ev('0.1 + 0.2 = 0.3')).toBe(true);
    expect(ev('d + 1')).toBe('13.50');
    expect(ev('d - 12.5')).toBe('0.00');
    expect(ev('1.5 * 1.5')).toBe('2.25');
    expect(ev('d * 2')).toBe('25.00');
    expect(ev('5.5 % 2')).toBe('1.5');
    expect(ev('-0.5 - 0.5')).toBe('-1.0');
    expect(ev('99999999999999999999 + 1')).toBe('100000000000000000000');
    expect(typeOf('d + 1')).toBe('DECIMAL');
  });

  it('divides DECIMALs HALF_UP at scale max(6, s1 + p2 + 1)', () => {
    expect(ev('1.0 / 3')).toBe('0.333333');
    expect(ev('2.0 / 3')).toBe('0.666667');
    expect(ev('-2.0 / 3')).toBe('-0.666667');
    expect(ev('10.00 / 4')).toBe('2.500000');
    expect(ev('1.000000 / 3.00')).toBe('0.3333333333');
  });

  it('computes with DOUBLE when a DOUBLE (or REAL) is involved', () => {
    expect([ev('f * 2'), typeOf('f * 2')]).toEqual([5, 'DOUBLE']);
    expect([ev('d + f'), typeOf('d + f')]).toEqual([15, 'DOUBLE']);
    expect(ev('7 / 2e0')).toBe(3.5);
    expect([ev('r + r'), typeOf('r + r')]).toEqual([Math.fround(Math.fround(0.1) * 2), 'REAL']);
    expect(typeOf('r + f')).toBe('DOUBLE');
  });

  it('gives null for a null operand', () => {
    expect(ev('n + 1')).toBeNull();
    expect(ev('1 - NULL')).toBeNull();
    expect(ev('-n')).toBeNull();
    expect(ev('nd * 2')).toBeNull();
  });

  it('refuses non-numeric operands when compiling', () => {
    const e = failure("s + 1");
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/Operator \+ needs numbers, got VARCHAR/);
    expect(failure('flag * 2').message).toMatch(/needs numbers/);
  });

  it('negates every numeric type', () => {
    expect(ev('-i')).toBe(-7);
    expect(ev('-big')).toBe(-9007199254740993n);
    expect(ev('-d')).toBe('-12.50');
    expect(ev('-f')).toBe(-2.5);
    expect([ev('-tiny'), typeOf('-tiny')]).toEqual([-100, 'INT']);
  });
});

describe('concatenation', () => {
  it('concatenates strings and writes other values as CAST to VARCHAR does', () => {
    expect(ev("s || ' world'")).toBe('Hello world');
    expect(ev("'n=' || i")).toBe('n=7');
    expect(ev("'x' || flag")).toBe('xTRUE');
    expect(ev("'d=' || d")).toBe('d=12.50');
    expect(ev("'x' || n")).toBeNull();
    expect(ev("x'01' || x'02'")).toEqual(new Uint8Array([1, 2]));
    expect(typeOf("x'01' || x'02'")).toBe('VARBINARY');
  });
});

describe('parameters', () => {
  it('types parameter values by their JS type at run time', () => {
    expect(ev('? + 1', [2])).toBe(3);
    expect(ev('? / 2', [7])).toBe(3);
    expect(ev('? / 2', [7.5])).toBe(3.75);
    expect(ev('? + 1', [10n])).toBe(11n);
    expect(ev('? + 0.1', ['0.2'])).toBe('0.3');
    expect(ev('f / ?', [2])).toBe(1.25);
    expect(ev('i + ?', [null])).toBeNull();
    expect(typeOf('? + 1')).toBe('NULL');
  });

  it('compares parameters by their runtime values', () => {
    expect(ev('i = ?', [7])).toBe(true);
    expect(ev('big = ?', [9007199254740993n])).toBe(true);
    expect(ev('d = ?', ['12.5'])).toBe(true);
    expect(ev('d > ?', [12.49])).toBe(true);
    expect(ev('day = ?', ['2026-01-02'])).toBe(true);
    expect(ev('? = ?', ['a', 'a'])).toBe(true);
    expect(ev('? < ?', [1, 2n])).toBe(true);
  });

  it('reads named parameters and refuses a missing one, naming it', () => {
    const c = compile(':a * :b');
    expect(c.evaluate(ROW, { positional: [], named: { a: 6, b: 7 } })).toBe(42);
    expect(() => c.evaluate(ROW, { positional: [], named: { a: 6 } })).toThrow(/Parameter :b has no value.*line 1, column 13/);
    const e = failure('? + ?', [1]);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/Parameter \?2 .*has no value/);
  });

  it('refuses a parameter value of an unsupported JS type', () => {
    expect(failure('? + 1', [{}]).message).toMatch(/unsupported value/);
    expect(failure('? + 1', [true]).message).toMatch(/needs numbers/);
    expect(failure('? + 1', ['abc']).message).toMatch(/'abc' is not a number/);
  });

  it('takes a Date as a UTC TIMESTAMP', () => {
    expect(ev('ts < ?', [new Date(Date.UTC(2027, 0, 1))])).toBe(true);
    expect(ev('CAST(? AS VARCHAR)', [new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 500))])).toBe('2026-01-02T03:04:05.5');
  });
});

describe('unary minus of parameters', () => {
  it('negates by the runtime type', () => {
    expect(ev('-?', [5])).toBe(-5);
    expect(ev('-?', [5n])).toBe(-5n);
    expect(ev('-?', ['1.50'])).toBe('-1.50');
    expect(ev('-?', [2.5])).toBe(-2.5);
    // a 32-bit integer number is an INT, so its negation overflows like an INT column's would
    expect(failure('-?', [-2147483648]).message).toMatch(/out of range for INT/);
    expect(ev('-?', [null])).toBeNull();
  });
});
