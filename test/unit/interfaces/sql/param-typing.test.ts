/**
 * How a `?` is typed by its context (B2-integer, found by the SQL differential test at seed 7): a bare parameter in a
 * CASE / COALESCE takes the type of the other branches, and its value must fit that type (never rounded); an expression
 * computed from a parameter and an integer operand keeps its value's own type, so a CASE / COALESCE over it and integer
 * branches neither rounds a fraction nor refuses a BIGINT. Static result types stay the same whatever the values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNode, type StorageNode } from '../../../../src/interfaces/api/index';

const CONFIG = { ignite: { storage: { profiles: [{ name: 'mem', engine: 'aimem' as const, maxSizeBytes: 64 * 1024 * 1024 }] } } };

let node: StorageNode;

beforeAll(async () => {
  node = await openNode({ config: CONFIG });
  await node.exec(`
    CREATE ZONE z WITH PARTITIONS=4, STORAGE PROFILES ['mem'];
    CREATE TABLE t (id INT PRIMARY KEY, b INT, big BIGINT, d DECIMAL(10, 2), f DOUBLE, s VARCHAR) ZONE z STORAGE PROFILE 'mem';
    INSERT INTO t VALUES (1, 10, 21000000000, 1.50, 0.5, 'a'), (2, NULL, NULL, NULL, NULL, NULL), (3, -4, -5, 2.25, 2.5, 'bb');
  `);
});

afterAll(async () => {
  await node.close();
});

async function query(text: string, params: unknown[] = []): Promise<{ types: string[]; rows: unknown[][] }> {
  const r = await node.sql<unknown[]>(text, params, { rowMode: 'array' });
  return { types: r.columns.map((c) => c.type), rows: r.rows };
}

async function failure(text: string, params: unknown[] | Record<string, unknown>): Promise<Error & { code?: string }> {
  try {
    await node.sql(text, params);
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error(`expected ${text} to fail`);
}

describe('a parameter computed with an integer operand keeps its own type in CASE / COALESCE', () => {
  it('COALESCE(b - ?, id) with a fraction is not rounded', async () => {
    const r = await query('SELECT COALESCE(b - ?, id) FROM t ORDER BY id', [2.25]);
    expect(r.rows).toEqual([[7.75], [2], [-6.25]]);
  });

  it('COALESCE(? - big, LENGTH(s)) with a BIGINT result is not refused as out of range for INT', async () => {
    const r = await query('SELECT DISTINCT COALESCE(? - big, LENGTH(s)) FROM t ORDER BY 1', [0]);
    expect(r.rows).toEqual([[-21000000000n], [5n], [null]]);
  });

  it('COALESCE(SUM(ABS(?)), -7) keeps the fractional sum', async () => {
    const r = await query('SELECT id, COALESCE(SUM(ABS(?)), -7) AS x FROM t GROUP BY id ORDER BY x, id', [39.25]);
    expect(r.rows).toEqual([[1, 39.25], [2, 39.25], [3, 39.25]]);
    const none = await query('SELECT COALESCE(SUM(ABS(?)), -7) FROM t WHERE id > 10', [39.25]);
    expect(none.rows).toEqual([[-7]]);
  });

  it('CASE with such a branch and an integer ELSE', async () => {
    const r = await query('SELECT CASE WHEN id = 1 THEN b * ? ELSE id END FROM t ORDER BY id', [0.5]);
    expect(r.rows).toEqual([[5], [2], [3]]);
    const big = await query('SELECT CASE WHEN id = 1 THEN b + ? ELSE id END FROM t ORDER BY id', [3_000_000_001n]);
    expect(big.rows).toEqual([[3_000_000_011n], [2], [3]]);
  });

  it('integer values stay integers: integer division still truncates', async () => {
    const r = await query('SELECT COALESCE(b - ?, id) / 3 FROM t ORDER BY id', [1]);
    expect(r.rows).toEqual([[3], [0], [-1]]);
  });

  it('the result type does not depend on the values: the same column type for every parameter value', async () => {
    const text = 'SELECT COALESCE(b - ?, id) FROM t ORDER BY id';
    const a = await query(text, [1]);
    const b = await query(text, [0.5]);
    const c = await query(text, [10_000_000_000n]);
    expect(a.types).toEqual(['NULL']); // typed by value at run time, as `b - ?` alone is
    expect(b.types).toEqual(['NULL']);
    expect(c.types).toEqual(['NULL']);
    expect(c.rows).toEqual([[-9_999_999_990n], [2], [-10_000_000_004n]]);
  });

  it('DISTINCT and ORDER BY over such a column see one value per number, whatever its representation', async () => {
    const r = await query('SELECT DISTINCT COALESCE(b - ?, 2) FROM t ORDER BY 1 DESC', [8]);
    expect(r.rows).toEqual([[2], [-12]]);
  });

  it('a DECIMAL or DOUBLE branch still gives the expression that type', async () => {
    const dec = await query('SELECT COALESCE(b - ?, d) FROM t ORDER BY id', [0.25]);
    expect(dec.types).toEqual(['DECIMAL']);
    expect(dec.rows).toEqual([['9.75'], [null], ['-4.25']]);
    const dbl = await query('SELECT COALESCE(b - ?, f) FROM t ORDER BY id', [1]);
    expect(dbl.types).toEqual(['DOUBLE']);
    expect(dbl.rows).toEqual([[9], [null], [-5]]);
  });
});

describe('a bare parameter takes the type of the other branches, and its value must fit it', () => {
  it('an integral value is converted to the branch type', async () => {
    const r = await query('SELECT COALESCE(?, b) FROM t WHERE id = 1', [4]);
    expect(r).toEqual({ types: ['INT'], rows: [[4]] });
    const big = await query('SELECT COALESCE(?, big) FROM t WHERE id = 1', [4]);
    expect(big).toEqual({ types: ['BIGINT'], rows: [[4n]] });
  });

  it('a fraction for an integer type is refused, not rounded', async () => {
    const e = await failure('SELECT COALESCE(?, b) FROM t WHERE id = 1', [2.5]);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/\?1/);
    expect(e.message).toMatch(/2\.5/);
    const inCase = await failure('SELECT CASE WHEN id = 1 THEN ? ELSE b END FROM t WHERE id = 1', [-0.5]);
    expect(inCase.code).toBe('INVALID_ARGUMENT');
    const named = await failure('SELECT COALESCE(NULLIF(:x, 0), big) FROM t WHERE id = 1', { x: 1.5 });
    expect(named.message).toMatch(/parameter :x is not a BIGINT/);
  });

  it('an out-of-range value is refused', async () => {
    const e = await failure('SELECT COALESCE(?, b) FROM t WHERE id = 1', [3_000_000_001n]);
    expect(e.code).toBe('INVALID_ARGUMENT');
  });

  it('a DECIMAL or DOUBLE branch takes any number', async () => {
    expect(await query('SELECT COALESCE(?, d) FROM t WHERE id = 1', [2.125])).toEqual({ types: ['DECIMAL'], rows: [['2.125']] });
    expect(await query('SELECT COALESCE(?, f) FROM t WHERE id = 1', [7])).toEqual({ types: ['DOUBLE'], rows: [[7]] });
  });

  it('NULL and a NULL parameter give null', async () => {
    expect((await query('SELECT COALESCE(?, NULL, b) FROM t WHERE id = 1', [null])).rows).toEqual([[10]]);
  });
});

describe('(VALUES …) columns are typed as CASE branches are', () => {
  it('numbers widen to a common type and every value is converted to it', async () => {
    expect(await query('SELECT a FROM (VALUES (1), (2.5)) AS v(a)')).toEqual({ types: ['DECIMAL'], rows: [['1'], ['2.5']] });
    expect(await query('SELECT DISTINCT a FROM (VALUES (1.0), (1), (1.00)) AS v(a)')).toEqual({ types: ['DECIMAL'], rows: [['1.0']] });
    expect(await query("SELECT a, b FROM (VALUES (1, 'x'), (NULL, 'y')) AS v(a, b)")).toEqual({ types: ['INT', 'VARCHAR'], rows: [[1, 'x'], [null, 'y']] });
  });

  it('a parameter takes the column type and must fit it; values without a common type are refused', async () => {
    expect(await query('SELECT a FROM (VALUES (1), (?)) AS v(a)', [7])).toEqual({ types: ['INT'], rows: [[1], [7]] });
    expect(await failure('SELECT a FROM (VALUES (1), (?)) AS v(a)', [2.5])).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('?1') });
    expect(await failure("SELECT a FROM (VALUES (1), ('x')) AS v(a)", [])).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('incompatible types INT and VARCHAR') });
  });
});
