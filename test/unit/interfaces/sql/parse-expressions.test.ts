/**
 * Expressions: precedence and associativity, predicates, CASE / CAST / functions / aggregates / subqueries,
 * literals (integer ranges, exact decimals, floats, string escapes, typed and binary literals), identifiers and
 * quoting, parameters, positions.
 */
import { describe, expect, it } from 'vitest';
import type { Expression, SelectExpression, SelectQuery } from '../../../../src/interfaces/sql/ast';
import { parseStatement, parseStatements } from '../../../../src/interfaces/sql/parse';

function expr(text: string): Expression {
  const statement = parseStatement(`SELECT ${text}`);
  if (statement.kind !== 'select') throw new Error('not a SELECT');
  return (statement.items[0] as SelectExpression).expr;
}

/** A compact rendering: operators fully parenthesized, literals by value, columns by name. */
function show(e: Expression): string {
  switch (e.kind) {
    case 'integer': return `${e.value}:${e.sqlType}`;
    case 'decimal': return `dec(${e.text})`;
    case 'float': return `float(${e.value})`;
    case 'string': return `'${e.value}'`;
    case 'boolean': return String(e.value).toUpperCase();
    case 'null': return 'NULL';
    case 'column': return e.table === undefined ? e.column.name : `${e.table.name}.${e.column.name}`;
    case 'parameter': return `?${e.index}`;
    case 'namedParameter': return `:${e.name}`;
    case 'unary': return `(${e.op} ${show(e.operand)})`;
    case 'binary': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'between': return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${show(e.low)} AND ${show(e.high)})`;
    case 'in': return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}IN [${e.list.map(show).join(', ')}])`;
    case 'like': return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}LIKE ${show(e.pattern)}${e.escape ? ` ESCAPE ${show(e.escape)}` : ''})`;
    case 'isNull': return `(${show(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'cast': return `cast(${show(e.operand)} as ${e.type.type})`;
    case 'function': return `${e.name.name}(${e.args.map(show).join(', ')})`;
    case 'aggregate': return `${e.fn}(${e.distinct ? 'DISTINCT ' : ''}${e.arg === undefined ? '*' : show(e.arg)})`;
    default: return e.kind;
  }
}

const shown = (text: string): string => show(expr(text));

describe('precedence and associativity', () => {
  it('AND binds tighter than OR; NOT tighter than AND', () => {
    expect(shown('a OR b AND c')).toBe('(a OR (b AND c))');
    expect(shown('a AND b OR c')).toBe('((a AND b) OR c)');
    expect(shown('NOT a AND b')).toBe('((NOT a) AND b)');
    expect(shown('NOT a = b')).toBe('(NOT (a = b))');
    expect(shown('NOT NOT a')).toBe('(NOT (NOT a))');
  });

  it('arithmetic: * / % over + -, left-associative; parentheses override', () => {
    expect(shown('1 + 2 * 3')).toBe('(1:INT + (2:INT * 3:INT))');
    expect(shown('a - b - c')).toBe('((a - b) - c)');
    expect(shown('a / b * c % d')).toBe('(((a / b) * c) % d)');
    expect(shown('(1 + 2) * 3')).toBe('((1:INT + 2:INT) * 3:INT)');
    expect(shown('a + b = c * d')).toBe('((a + b) = (c * d))');
    expect(shown("a || b + 1 = 'x'")).toBe("((a || (b + 1:INT)) = 'x')");
  });

  it('unary minus binds tighter than * and folds into numeric literals', () => {
    expect(shown('-a * b')).toBe('((- a) * b)');
    expect(shown('- 5')).toBe('-5:INT');
    expect(shown('2 - -3')).toBe('(2:INT - -3:INT)');
    expect(shown('+a')).toBe('a');
    expect(shown('-(a + 1)')).toBe('(- (a + 1:INT))');
  });

  it('BETWEEN … AND … inside AND: the BETWEEN takes the first AND', () => {
    expect(shown('a BETWEEN 1 AND 2 AND b')).toBe('((a BETWEEN 1:INT AND 2:INT) AND b)');
    expect(shown('x AND a NOT BETWEEN b + 1 AND c OR d')).toBe('((x AND (a NOT BETWEEN (b + 1:INT) AND c)) OR d)');
  });

  it('all comparison operators; != is <>', () => {
    expect(['=', '<>', '!=', '<', '<=', '>', '>='].map((op) => shown(`a ${op} b`))).toEqual([
      '(a = b)', '(a <> b)', '(a <> b)', '(a < b)', '(a <= b)', '(a > b)', '(a >= b)',
    ]);
  });
});

describe('predicates', () => {
  it('IN / NOT IN lists, IN subquery, LIKE / NOT LIKE with ESCAPE, IS [NOT] NULL', () => {
    expect(shown('a IN (1, 2, b)')).toBe('(a IN [1:INT, 2:INT, b])');
    expect(shown("a NOT IN ('x')")).toBe("(a NOT IN ['x'])");
    expect(expr('a IN (SELECT b FROM t)')).toMatchObject({ kind: 'inSubquery', negated: false, query: { kind: 'select' } });
    expect(expr('a NOT IN (SELECT b FROM t)')).toMatchObject({ kind: 'inSubquery', negated: true });
    expect(shown("a LIKE 'x%'")).toBe("(a LIKE 'x%')");
    expect(shown("a NOT LIKE 'x!%' ESCAPE '!'")).toBe("(a NOT LIKE 'x!%' ESCAPE '!')");
    expect(shown('a IS NULL')).toBe('(a IS NULL)');
    expect(shown('a + 1 IS NOT NULL AND b')).toBe('(((a + 1:INT) IS NOT NULL) AND b)');
  });

  it('EXISTS and scalar subqueries', () => {
    expect(expr('EXISTS (SELECT 1 FROM t)')).toMatchObject({ kind: 'exists', query: { kind: 'select' } });
    expect(expr('NOT EXISTS (SELECT 1)')).toMatchObject({ kind: 'unary', op: 'NOT', operand: { kind: 'exists' } });
    expect(expr('(SELECT MAX(x) FROM t) + 1')).toMatchObject({
      kind: 'binary', left: { kind: 'subquery', query: { items: [{ expr: { kind: 'aggregate', fn: 'MAX' } }] } },
    });
  });
});

describe('CASE, CAST, functions, aggregates', () => {
  it('simple and searched CASE', () => {
    expect(expr("CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END")).toMatchObject({
      kind: 'case', operand: { kind: 'column' }, whens: [{ when: { value: 1n }, then: { value: 'one' } }, { when: { value: 2n } }],
      else: { value: 'many' },
    });
    const searched = expr('CASE WHEN a > 1 THEN b END');
    expect(searched).toMatchObject({ kind: 'case', whens: [{ when: { kind: 'binary', op: '>' } }] });
    expect('operand' in searched || 'else' in searched).toBe(false);
  });

  it('CAST(e AS type) and e::TYPE (tighter than unary minus) with type arguments', () => {
    expect(expr('CAST(a AS DECIMAL(10, 2))')).toMatchObject({ kind: 'cast', type: { type: 'DECIMAL', precision: 10, scale: 2 } });
    expect(shown('a::BIGINT')).toBe('cast(a as BIGINT)');
    expect(shown('-a::integer::text')).toBe('(- cast(cast(a as INT) as VARCHAR))');
    expect(expr('x::VARCHAR(5)')).toMatchObject({ type: { type: 'VARCHAR', length: 5 } });
  });

  it('functions by name; aggregates COUNT(*), COUNT([DISTINCT] e), SUM/AVG/MIN/MAX in any case', () => {
    expect(shown('COALESCE(a, b, 0)')).toBe('COALESCE(a, b, 0:INT)');
    expect(shown('nullif(a, 0)')).toBe('nullif(a, 0:INT)');
    expect(shown('now()')).toBe('now()');
    expect(shown('COUNT(*)')).toBe('COUNT(*)');
    expect(shown('count(DISTINCT a)')).toBe('COUNT(DISTINCT a)');
    expect(shown('Sum(a + 1)')).toBe('SUM((a + 1:INT))');
    expect(['AVG(x)', 'MIN(x)', 'MAX(x)', 'COUNT(ALL x)'].map(shown)).toEqual(['AVG(x)', 'MIN(x)', 'MAX(x)', 'COUNT(x)']);
  });

  it('CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME', () => {
    expect(['CURRENT_TIMESTAMP', 'current_date', 'CURRENT_TIME'].map((t) => expr(t))).toMatchObject([
      { kind: 'currentDateTime', type: 'TIMESTAMP' }, { kind: 'currentDateTime', type: 'DATE' }, { kind: 'currentDateTime', type: 'TIME' },
    ]);
  });
});

describe('literals', () => {
  it('integers are exact bigints typed by range: INT, BIGINT, beyond int64 DECIMAL', () => {
    expect(shown('2147483647')).toBe('2147483647:INT');
    expect(shown('2147483648')).toBe('2147483648:BIGINT');
    expect(shown('-2147483648')).toBe('-2147483648:INT');
    expect(shown('9223372036854775807')).toBe('9223372036854775807:BIGINT');
    expect(shown('-9223372036854775808')).toBe('-9223372036854775808:BIGINT');
    expect(shown('9223372036854775808')).toBe('9223372036854775808:DECIMAL');
    expect(shown('123456789012345678901234567890')).toBe('123456789012345678901234567890:DECIMAL');
  });

  it('decimals keep exact canonical text; exponents make floats', () => {
    expect(['1.5', '1.50', '.5', '2.', '007.25', '-0.125'].map(shown)).toEqual([
      'dec(1.5)', 'dec(1.50)', 'dec(0.5)', 'dec(2)', 'dec(7.25)', 'dec(-0.125)',
    ]);
    expect(['1e3', '2.5E-1', '.5e1', '-1e2'].map(shown)).toEqual(['float(1000)', 'float(0.25)', 'float(5)', 'float(-100)']);
  });

  it("strings with '' escapes, the empty string, line breaks kept", () => {
    expect(expr("'it''s'")).toMatchObject({ kind: 'string', value: "it's" });
    expect(expr("''")).toMatchObject({ kind: 'string', value: '' });
    expect(expr("''''")).toMatchObject({ kind: 'string', value: "'" });
    expect(expr("'a\nb -- not a comment'")).toMatchObject({ value: 'a\nb -- not a comment' });
  });

  it('TRUE, FALSE, NULL; DATE / TIME / TIMESTAMP literals', () => {
    expect(['TRUE', 'false', 'NULL'].map(shown)).toEqual(['TRUE', 'FALSE', 'NULL']);
    expect(expr("DATE '2026-01-02'")).toMatchObject({ kind: 'temporal', type: 'DATE', value: '2026-01-02' });
    expect(expr("time '03:04:05.123'")).toMatchObject({ kind: 'temporal', type: 'TIME', value: '03:04:05.123' });
    expect(expr("TIMESTAMP '2026-01-02 03:04:05'")).toMatchObject({ kind: 'temporal', type: 'TIMESTAMP' });
    expect(shown('date')).toBe('date');
  });

  it("x'..' binary literals decode to bytes (either case, empty allowed)", () => {
    expect(expr("x'0A1b'")).toMatchObject({ kind: 'bytes', value: new Uint8Array([0x0a, 0x1b]) });
    expect(expr("X'ff'")).toMatchObject({ value: new Uint8Array([255]) });
    expect(expr("x''")).toMatchObject({ value: new Uint8Array([]) });
  });
});

describe('identifiers and parameters', () => {
  it('unquoted names keep their spelling with quoted: false; quoted ones unescape "" and keep case', () => {
    expect(expr('Orders.CustomerId')).toMatchObject({
      kind: 'column', table: { name: 'Orders', quoted: false }, column: { name: 'CustomerId', quoted: false },
    });
    expect(expr('"Order"."Line ""1"""')).toMatchObject({
      table: { name: 'Order', quoted: true }, column: { name: 'Line "1"', quoted: true },
    });
    expect(expr('"select"')).toMatchObject({ kind: 'column', column: { name: 'select', quoted: true } });
    expect(expr('_a$1')).toMatchObject({ column: { name: '_a$1' } });
  });

  it('? parameters are numbered from 0 in source order per statement; :name parameters keep their name', () => {
    const statement = parseStatement('SELECT ? FROM t WHERE a = ? AND b IN (?, :name)');
    expect(JSON.stringify(statement, (_key, v) => (typeof v === 'bigint' ? String(v) : v)).match(/"index":\d/g)).toEqual([
      '"index":0', '"index":1', '"index":2',
    ]);
    expect(shown(':limit')).toBe(':limit');
    expect(shown('?')).toBe('?0');
  });

  it('? numbering restarts with each statement of a script', () => {
    const [first, second] = parseStatements('SELECT ?, ?; DELETE FROM t WHERE a = ?');
    expect((first as SelectQuery).items.map((i) => (i as SelectExpression).expr)).toMatchObject([{ index: 0 }, { index: 1 }]);
    expect(second).toMatchObject({ kind: 'delete', where: { right: { kind: 'parameter', index: 0 } } });
  });

  it('names that start with a keyword stay names (intx, selected, integer_col, into1, in$)', () => {
    const statement = parseStatement('SELECT intx, selected, integer_col, into1, in$ FROM fromage');
    expect(statement).toMatchObject({
      items: ['intx', 'selected', 'integer_col', 'into1', 'in$'].map((name) => ({ expr: { kind: 'column', column: { name } } })),
      from: { kind: 'table', name: { name: 'fromage' } },
    });
  });

  it('positions: expressions at their first token, operators at the operator', () => {
    const e = expr('a +\n  b * 3');
    expect(e).toMatchObject({ kind: 'binary', op: '+', pos: { line: 1, column: 10 } });
    expect(e).toMatchObject({ left: { pos: { line: 1, column: 8 } }, right: { pos: { line: 2, column: 5 }, left: { pos: { line: 2, column: 3 } } } });
  });
});
