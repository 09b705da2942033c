/**
 * Three-valued logic and predicates: AND/OR/NOT truth tables with NULL, comparisons across types, IN with NULL,
 * BETWEEN, LIKE with escapes, IS NULL, CASE, COALESCE, NULLIF, IN/EXISTS subqueries.
 */
import { describe, expect, it } from 'vitest';
import { expressionCompiler } from '../../../../../src/interfaces/sql/eval/compile';
import { context, ev, expr, failure, NO_PARAMS, ROW, SCOPE, typeOf } from './eval-fixture';

const VALUES = ['TRUE', 'FALSE', 'NULL'] as const;
const B = { TRUE: true, FALSE: false, NULL: null } as const;

describe('three-valued logic', () => {
  it('AND follows the SQL truth table', () => {
    const expected: Record<string, boolean | null> = {
      'TRUE TRUE': true, 'TRUE FALSE': false, 'TRUE NULL': null,
      'FALSE TRUE': false, 'FALSE FALSE': false, 'FALSE NULL': false,
      'NULL TRUE': null, 'NULL FALSE': false, 'NULL NULL': null,
    };
    for (const a of VALUES) for (const b of VALUES) expect(ev(`${a} AND ${b}`), `${a} AND ${b}`).toBe(expected[`${a} ${b}`]);
  });

  it('OR follows the SQL truth table', () => {
    const expected: Record<string, boolean | null> = {
      'TRUE TRUE': true, 'TRUE FALSE': true, 'TRUE NULL': true,
      'FALSE TRUE': true, 'FALSE FALSE': false, 'FALSE NULL': null,
      'NULL TRUE': true, 'NULL FALSE': null, 'NULL NULL': null,
    };
    for (const a of VALUES) for (const b of VALUES) expect(ev(`${a} OR ${b}`), `${a} OR ${b}`).toBe(expected[`${a} ${b}`]);
  });

  it('NOT negates and keeps NULL', () => {
    for (const a of VALUES) expect(ev(`NOT ${a}`)).toBe(B[a] === null ? null : !B[a]);
  });

  it('does not evaluate the right side once the left decides', () => {
    expect(ev('FALSE AND 1 / 0 = 1')).toBe(false);
    expect(ev('TRUE OR 1 / 0 = 1')).toBe(true);
  });

  it('refuses non-boolean operands', () => {
    expect(failure('1 AND TRUE').message).toMatch(/AND needs a BOOLEAN operand, got INT/);
    expect(failure('NOT s').message).toMatch(/NOT needs a BOOLEAN/);
    expect(failure('? OR TRUE', [1]).message).toMatch(/OR needs a BOOLEAN/);
    expect(ev('? OR FALSE', [null])).toBeNull();
  });
});

describe('comparisons', () => {
  it('yields booleans, and null for any null operand', () => {
    expect(ev('i = 7')).toBe(true);
    expect(ev('i <> 7')).toBe(false);
    expect(ev('i < 8 AND i <= 7 AND i > 6 AND i >= 7')).toBe(true);
    expect(ev('n = n')).toBeNull();
    expect(ev('i = NULL')).toBeNull();
    expect(ev('NULL <> NULL')).toBeNull();
  });

  it('compares numbers exactly across representations', () => {
    expect(ev('big > 9007199254740992')).toBe(true);
    expect(ev('big = 9007199254740993')).toBe(true);
    expect(ev('d = 12.5')).toBe(true);
    expect(ev('d = 12.50000')).toBe(true);
    expect(ev('d > 12')).toBe(true);
    expect(ev('d < f * 10')).toBe(true);
    expect(ev('0.1 = 1e-1')).toBe(true);
    expect(ev('i = 7.0')).toBe(true);
    expect(ev('i < 7.000001')).toBe(true);
    expect(ev('2.5 = f')).toBe(true);
    expect(ev('big > 9007199254740992.5')).toBe(true);
  });

  it('compares strings by code point (UTF-8 order), case-sensitively', () => {
    expect(ev("'a' < 'b'")).toBe(true);
    expect(ev("'B' < 'a'")).toBe(true);
    expect(ev("'ab' > 'a'")).toBe(true);
    // U+FF5E (BMP, above the surrogates) sorts before U+1F600 in UTF-8, though not in UTF-16 code units
    expect(ev("'\uff5e' < '\u{1f600}'")).toBe(true);
    expect(ev("s = 'hello'")).toBe(false);
  });

  it('compares temporal values, converting strings and DATE against TIMESTAMP', () => {
    expect(ev("day = DATE '2026-01-02'")).toBe(true);
    expect(ev("day = '2026-01-02'")).toBe(true);
    expect(ev("ts > TIMESTAMP '2026-01-02 03:04:05'")).toBe(true);
    expect(ev("ts = '2026-01-02 03:04:05.500'")).toBe(true);
    expect(ev('day < ts')).toBe(true);
    expect(ev("DATE '2026-01-02' = TIMESTAMP '2026-01-02 00:00:00'")).toBe(true);
    expect(ev("tm < TIME '03:04:05.1'")).toBe(true);
    expect(failure("day = 'soon'").message).toMatch(/Cannot cast 'soon'.* to DATE/);
  });

  it('compares booleans (false < true), UUIDs case-insensitively via cast, and bytes', () => {
    expect(ev('FALSE < TRUE')).toBe(true);
    expect(ev("u = '123E4567-E89B-12D3-A456-426614174000'")).toBe(true);
    expect(ev("bin < x'0103'")).toBe(true);
    expect(ev("bin > x'01'")).toBe(true);
    expect(ev("'5' = 5")).toBe(true);
    expect(ev("'5.0' = 5")).toBe(true);
  });

  it('refuses incomparable types when compiling, with the position', () => {
    const e = failure('flag = 1');
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/Cannot compare BOOLEAN with INT.*line 1, column 13/);
    expect(failure('day = tm').message).toMatch(/Cannot compare DATE with TIME/);
  });
});

describe('IN, BETWEEN, IS NULL', () => {
  it('IN is true on a match, null when unmatched with a NULL, else false', () => {
    expect(ev('i IN (1, 7)')).toBe(true);
    expect(ev('i IN (1, 2)')).toBe(false);
    expect(ev('i IN (1, NULL)')).toBeNull();
    expect(ev('i IN (NULL, 7)')).toBe(true);
    expect(ev('n IN (1, 2)')).toBeNull();
    expect(ev('i NOT IN (1, 2)')).toBe(true);
    expect(ev('i NOT IN (1, NULL)')).toBeNull();
    expect(ev('i NOT IN (7, NULL)')).toBe(false);
    expect(ev('d IN (12.5, 1)')).toBe(true);
    expect(ev('big IN (9007199254740993)')).toBe(true);
  });

  it('BETWEEN is inclusive with three-valued bounds', () => {
    expect(ev('i BETWEEN 7 AND 8')).toBe(true);
    expect(ev('i BETWEEN 1 AND 7')).toBe(true);
    expect(ev('i BETWEEN 8 AND 1')).toBe(false);
    expect(ev('i NOT BETWEEN 8 AND 9')).toBe(true);
    expect(ev('i BETWEEN NULL AND 8')).toBeNull();
    expect(ev('i BETWEEN NULL AND 6')).toBe(false);
    expect(ev('i NOT BETWEEN NULL AND 6')).toBe(true);
    expect(ev('n BETWEEN 1 AND 2')).toBeNull();
    expect(ev("s BETWEEN 'A' AND 'Z'")).toBe(true);
  });

  it('IS [NOT] NULL', () => {
    expect(ev('n IS NULL')).toBe(true);
    expect(ev('i IS NULL')).toBe(false);
    expect(ev('n IS NOT NULL')).toBe(false);
    expect(ev('(NULL AND TRUE) IS NULL')).toBe(true);
  });
});

describe('LIKE', () => {
  it('matches % and _ case-sensitively', () => {
    expect(ev("s LIKE 'H%'")).toBe(true);
    expect(ev("s LIKE 'h%'")).toBe(false);
    expect(ev("s LIKE '_ello'")).toBe(true);
    expect(ev("s LIKE '_llo'")).toBe(false);
    expect(ev("s LIKE '%l%'")).toBe(true);
    expect(ev("s LIKE 'Hello%'")).toBe(true);
    expect(ev("s NOT LIKE 'H%'")).toBe(false);
    expect(ev("'a.c' LIKE 'a.c'")).toBe(true);
    expect(ev("'abc' LIKE 'a.c'")).toBe(false);
    expect(ev("'(x)' LIKE '(_)'")).toBe(true);
    expect(ev("'\u{1f600}' LIKE '_'")).toBe(true);
    expect(ev("'a\nb' LIKE 'a%b'")).toBe(true);
  });

  it('gives null for null operands', () => {
    expect(ev("ns LIKE 'a'")).toBeNull();
    expect(ev('s LIKE NULL')).toBeNull();
    expect(ev("s LIKE 'a' ESCAPE NULL")).toBeNull();
  });

  it('honours ESCAPE and refuses bad escapes', () => {
    expect(ev("'100%' LIKE '100!%' ESCAPE '!'")).toBe(true);
    expect(ev("'1000' LIKE '100!%' ESCAPE '!'")).toBe(false);
    expect(ev("'a_b' LIKE 'a!_b' ESCAPE '!'")).toBe(true);
    expect(ev("'axb' LIKE 'a!_b' ESCAPE '!'")).toBe(false);
    expect(ev("'a!b' LIKE 'a!!b' ESCAPE '!'")).toBe(true);
    expect(failure("'a' LIKE 'a!' ESCAPE '!'").message).toMatch(/Invalid escape sequence/);
    expect(failure("'a' LIKE 'a!x' ESCAPE '!'").message).toMatch(/Invalid escape sequence/);
    expect(failure("'a' LIKE 'a' ESCAPE '!!'").message).toMatch(/one character/);
  });

  it('takes parameters as patterns and refuses non-strings', () => {
    expect(ev('s LIKE ?', ['He%'])).toBe(true);
    expect(ev('s LIKE ?', ['x%'])).toBe(false);
    expect(failure("i LIKE '7'").message).toMatch(/LIKE needs a VARCHAR operand, got INT/);
  });
});

describe('CASE, COALESCE, NULLIF', () => {
  it('searched CASE takes the first true branch, ELSE NULL by default', () => {
    expect(ev("CASE WHEN i > 5 THEN 'big' WHEN i > 1 THEN 'small' ELSE 'tiny' END")).toBe('big');
    expect(ev("CASE WHEN i > 50 THEN 'big' WHEN i > 1 THEN 'small' END")).toBe('small');
    expect(ev("CASE WHEN i > 50 THEN 'big' END")).toBeNull();
    expect(ev("CASE WHEN NULL THEN 'x' ELSE 'y' END")).toBe('y');
  });

  it('simple CASE compares with =, NULL never matching', () => {
    expect(ev("CASE i WHEN 1 THEN 'one' WHEN 7 THEN 'seven' END")).toBe('seven');
    expect(ev("CASE n WHEN NULL THEN 'null' ELSE 'other' END")).toBe('other');
    expect(ev("CASE d WHEN 12.5 THEN 'yes' END")).toBe('yes');
  });

  it('converts branches to their common type', () => {
    expect([ev('CASE WHEN TRUE THEN 1 ELSE 2.5 END'), typeOf('CASE WHEN TRUE THEN 1 ELSE 2.5 END')]).toEqual(['1', 'DECIMAL']);
    expect([ev('CASE WHEN TRUE THEN i ELSE big END'), typeOf('CASE WHEN TRUE THEN i ELSE big END')]).toEqual([7n, 'BIGINT']);
    expect(ev("CASE WHEN TRUE THEN '2026-01-02' ELSE day END")).toBe('2026-01-02');
    expect(typeOf('CASE WHEN TRUE THEN NULL ELSE f END')).toBe('DOUBLE');
    expect(failure("CASE WHEN TRUE THEN 1 ELSE 'x' END").message).toMatch(/incompatible types INT and VARCHAR/);
    expect(failure('CASE WHEN 1 THEN 1 END').message).toMatch(/CASE WHEN needs a BOOLEAN/);
  });

  it('COALESCE gives the first non-null value in the common type', () => {
    expect(ev('COALESCE(n, i, 3)')).toBe(7);
    expect(ev('COALESCE(n, NULL)')).toBeNull();
    expect([ev('COALESCE(n, 1.5)'), typeOf('COALESCE(n, 1.5)')]).toEqual(['1.5', 'DECIMAL']);
    expect([ev('COALESCE(nd, i)'), typeOf('COALESCE(nd, i)')]).toEqual(['7', 'DECIMAL']);
    expect(ev('COALESCE(?, 5)', [null])).toBe(5);
  });

  it('NULLIF gives null when equal, else the first argument', () => {
    expect(ev('NULLIF(i, 7)')).toBeNull();
    expect(ev('NULLIF(i, 8)')).toBe(7);
    expect(ev('NULLIF(i, NULL)')).toBe(7);
    expect(ev('NULLIF(n, 1)')).toBeNull();
    expect(failure('NULLIF(i)').message).toMatch(/NULLIF takes 2 arguments, got 1/);
  });
});

describe('subqueries', () => {
  const run = (text: string, type: 'INT' | 'VARCHAR', values: readonly unknown[]): unknown =>
    expressionCompiler.compile(expr(text), SCOPE, context({ type, values })).evaluate(ROW, NO_PARAMS);

  it('IN (SELECT …) has the IN list semantics, and is false / NOT IN true for no rows', () => {
    expect(run('i IN (SELECT 1)', 'INT', [1, 7])).toBe(true);
    expect(run('i IN (SELECT 1)', 'INT', [1, null])).toBeNull();
    expect(run('i NOT IN (SELECT 1)', 'INT', [1, 2])).toBe(true);
    expect(run('i IN (SELECT 1)', 'INT', [])).toBe(false);
    expect(run('n NOT IN (SELECT 1)', 'INT', [])).toBe(true);
    expect(run('n IN (SELECT 1)', 'INT', [1])).toBeNull();
  });

  it('EXISTS is whether there are rows; a scalar subquery gives its value', () => {
    expect(run('EXISTS (SELECT 1)', 'INT', [])).toBe(false);
    expect(run('EXISTS (SELECT 1)', 'INT', [null])).toBe(true);
    expect(run('(SELECT 1) + i', 'INT', [5])).toBe(12);
  });
});
