/**
 * Conditions a primary-key lookup or range already implies are not checked again when the key values or bounds are
 * integers (the filter keeps only its residual), and identity projections pass rows through; every other case —
 * fractional parameters, a fallback full scan, other conditions, non-key or nullable columns — still filters, and the
 * answers stay right.
 */
import { describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/interfaces/sql/sql-api';
import type { FilterNode, PlanNode } from '../../src/interfaces/sql/plan/plan-types';
import { useNodeScope } from '../support/node-scope';
import { sqlEngineWith } from '../support/sql-engine';

const scope = useNodeScope();

async function engine(): Promise<SqlEngine> {
  return sqlEngineWith(scope, `
    CREATE ZONE z WITH PARTITIONS=3, STORAGE PROFILES ['mem'];
    CREATE TABLE t (id INT PRIMARY KEY, n INT, v VARCHAR) ZONE z;
    CREATE INDEX t_n ON t (n);
    CREATE TABLE c (a INT, b VARCHAR, w INT, PRIMARY KEY (a, b)) ZONE z;
    INSERT INTO t SELECT CAST(x AS INT), CASE WHEN x % 5 = 0 THEN NULL ELSE CAST(x AS INT) % 7 END, 'v' || CAST(x AS VARCHAR) FROM TABLE(system_range(1, 60));
    INSERT INTO c VALUES (1, 'a', 10), (1, 'b', 11), (1, 'c', 12), (2, 'a', 20);
  `);
}

function filterOf(db: SqlEngine, text: string): FilterNode | undefined {
  const p = db.preparedOf(text);
  if (p.kind !== 'query') throw new Error('not a query');
  for (let n: PlanNode | undefined = p.plan.root; n !== undefined; n = (n as { input?: PlanNode }).input) if (n.kind === 'filter') return n;
  return undefined;
}

const ids = (rows: { id: number }[]): number[] => rows.map((r) => r.id);

describe('SQL: exact key lookups and ranges', () => {
  it('key conditions on an integer primary key leave no residual; other conditions stay in it', async () => {
    const db = await engine();
    expect(filterOf(db, 'SELECT * FROM t WHERE id BETWEEN ? AND ? ORDER BY id LIMIT 5')!.residual).toBeNull();
    expect(filterOf(db, 'SELECT * FROM t WHERE id = ?')!.residual).toBeNull();
    expect(filterOf(db, 'SELECT * FROM t WHERE id >= ? AND v = ?')!.residual).toBeTruthy();
    expect(filterOf(db, 'SELECT * FROM t WHERE n >= ?')!.residual).toBeUndefined(); // a secondary, nullable column
    expect(filterOf(db, 'SELECT * FROM c WHERE a = ? AND b > ?')!.residual).toBeTruthy(); // b is not an integer
    // Only the lower bound of this BETWEEN is a key bound (its upper one is a column): nothing is implied, no residual.
    expect(filterOf(db, 'SELECT * FROM t WHERE id BETWEEN ? AND n')!.residual).toBeUndefined();
  });

  it('a condition only partly turned into bounds is still checked whole', async () => {
    const db = await engine();
    const all = (await db.sql<{ id: number; n: number | null }>('SELECT id, n FROM t ORDER BY id')).rows;
    const want = all.filter((r) => r.n !== null && r.id >= 2 && r.id <= r.n).map((r) => r.id);
    expect(want.length).toBeGreaterThan(0);
    expect(ids((await db.sql<{ id: number }>('SELECT id FROM t WHERE id BETWEEN ? AND n ORDER BY id', [2])).rows)).toEqual(want);
    expect(ids((await db.sql<{ id: number }>('SELECT id FROM t WHERE id BETWEEN 2 AND n ORDER BY id LIMIT 100')).rows)).toEqual(want);
  });

  it('integer, fractional and NULL parameters give the rows the conditions say', async () => {
    const db = await engine();
    const range = 'SELECT * FROM t WHERE id BETWEEN ? AND ? ORDER BY id LIMIT 5';
    expect(ids((await db.sql<{ id: number }>(range, [10, 12])).rows)).toEqual([10, 11, 12]);
    expect(ids((await db.sql<{ id: number }>(range, [10n, 100n])).rows)).toEqual([10, 11, 12, 13, 14]);
    expect(ids((await db.sql<{ id: number }>(range, [1.5, 4.5])).rows)).toEqual([2, 3, 4]);
    expect(ids((await db.sql<{ id: number }>(range, [null, 4])).rows)).toEqual([]);
    expect(ids((await db.sql<{ id: number }>('SELECT * FROM t WHERE id > ? AND id < ? ORDER BY id', [3, 6])).rows)).toEqual([4, 5]);
    expect(ids((await db.sql<{ id: number }>('SELECT * FROM t WHERE id = ?', [7])).rows)).toEqual([7]);
    expect(ids((await db.sql<{ id: number }>('SELECT * FROM t WHERE id = ?', [7.5])).rows)).toEqual([]);
    expect((await db.sql('SELECT v FROM t WHERE id = ? AND v = ?', [7, 'v8'])).rows).toEqual([]);
    expect((await db.sql('SELECT v FROM t WHERE id = ? AND v = ?', [7, 'v7'])).rows).toEqual([{ v: 'v7' }]);
    expect(ids((await db.sql<{ id: number }>('SELECT * FROM t WHERE id >= ? AND v = ? ORDER BY id', [1, 'v30'])).rows)).toEqual([30]);
  });

  it('a range on a nullable indexed column never returns NULLs; composite keys filter their other columns', async () => {
    const db = await engine();
    const got = (await db.sql<{ id: number; n: number | null }>('SELECT id, n FROM t WHERE n >= ? ORDER BY id', [5])).rows;
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((r) => r.n !== null && r.n >= 5)).toBe(true);
    expect((await db.sql('SELECT w FROM c WHERE a = ? AND b > ? ORDER BY b', [1, 'a'])).rows).toEqual([{ w: 11 }, { w: 12 }]);
  });

  it('identity projections pass rows through; others compute theirs', async () => {
    const db = await engine();
    expect((await db.sql('SELECT * FROM t WHERE id = 3')).rows).toEqual([{ id: 3, n: 3, v: 'v3' }]);
    expect((await db.sql('SELECT id, n, v FROM t WHERE id BETWEEN 3 AND 4 ORDER BY id')).rows).toEqual([{ id: 3, n: 3, v: 'v3' }, { id: 4, n: 4, v: 'v4' }]);
    expect((await db.sql('SELECT v, id FROM t WHERE id = 3')).rows).toEqual([{ v: 'v3', id: 3 }]);
    expect((await db.sql('SELECT id AS x, n, v FROM t WHERE id = 3', [], { rowMode: 'array' })).rows).toEqual([[3, 3, 'v3']]);
    const p = db.preparedOf('SELECT * FROM t');
    expect(p.kind === 'query' && p.plan.root.kind === 'project' && p.plan.root.identity).toBe(true);
    const q = db.preparedOf('SELECT v, id, n FROM t');
    expect(q.kind === 'query' && q.plan.root.kind === 'project' && q.plan.root.identity).toBeFalsy();
  });
});
