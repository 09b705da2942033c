/**
 * SQL queries end to end on aimem (SqlEngine over a node with the real expression compiler): every query kind, the
 * §9 semantics (integer division, AVG fraction, NULL ordering), joins, grouping, DISTINCT, LIMIT/OFFSET, subqueries,
 * VALUES and system_range, system views, labels and types of result columns, and the statement cache.
 */
import { describe, expect, it } from 'vitest';
import { openNode, type StorageNode } from '../../src/interfaces/api/index';
import { expressionCompiler } from '../../src/interfaces/sql/eval/compile';
import { SqlEngine } from '../../src/interfaces/sql/sql-api';
import { useNodeScope } from '../support/node-scope';

const CONFIG = { ignite: { storage: { profiles: [{ name: 'mem', engine: 'aimem' as const, maxSizeBytes: 64 * 1024 * 1024 }] } } };
const scope = useNodeScope();

async function engine(): Promise<{ node: StorageNode; db: SqlEngine }> {
  const node = scope.keep(await openNode({ workDir: scope.dir(), config: CONFIG }));
  const db = new SqlEngine(node, expressionCompiler);
  await db.exec(`
    CREATE ZONE z WITH PARTITIONS=4, STORAGE PROFILES ['mem'];
    CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR, city VARCHAR) ZONE z;
    CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT, amount DECIMAL(10,2), qty INT) ZONE z;
    INSERT INTO customers VALUES (1, 'ann', 'oslo'), (2, 'bob', NULL), (3, 'cid', 'rome');
    INSERT INTO orders VALUES (10, 1, 5.50, 3), (11, 1, 4.50, 2), (12, 2, 10, 7), (13, 9, 1, NULL);
  `);
  return { node, db };
}

describe('SQL queries', () => {
  it('any label is a row key: quotes, and __proto__ as an own property, not the prototype', async () => {
    const { db } = await engine();
    const r = await db.sql('SELECT 1 AS "__proto__", 2 AS "a""b", 3 AS "x\'y"');
    expect(Object.keys(r.rows[0]!)).toEqual(['__proto__', 'a"b', "x'y"]);
    expect(Object.getPrototypeOf(r.rows[0]!)).toBe(Object.prototype);
    expect(JSON.stringify(r.rows)).toBe('[{"__proto__":1,"a\\"b":2,"x\'y":3}]');
    const odd = ['back\\slash', 'line\nbreak', 'sep\u2028x', '}); throw 1; ({', '${x}', '10', '2', 'dup', 'dup'];
    const text = `SELECT ${odd.map((label, i) => `${i} AS "${label}"`).join(', ')}`;
    const row = (await db.sql(text)).rows[0]!;
    expect(Object.keys(row)).toEqual(['2', '10', 'back\\slash', 'line\nbreak', 'sep\u2028x', '}); throw 1; ({', '${x}', 'dup']);
    expect(Object.values(row)).toEqual([6, 5, 0, 1, 2, 3, 4, 8]);
  });

  it('select with where, labels and types', async () => {
    const { db } = await engine();
    const r = await db.sql('SELECT id, name AS who, id + 1 FROM customers WHERE city = ? ORDER BY id', ['rome']);
    expect(r.columns).toEqual([{ name: 'id', type: 'INT' }, { name: 'who', type: 'VARCHAR' }, { name: 'EXPR$2', type: 'INT' }]);
    expect(r.rows).toEqual([{ id: 3, who: 'cid', EXPR$2: 4 }]);
    const arrays = await db.sql('SELECT name FROM customers WHERE id = :id;', { id: 2 }, { rowMode: 'array' });
    expect(arrays.rows).toEqual([['bob']]);
  });

  it('integer division truncates, AVG is a fraction, SELECT without FROM', async () => {
    const { db } = await engine();
    const r = await db.sql('SELECT 7 / 2 AS d, (SELECT AVG(qty) FROM orders) AS a');
    expect(r.rows[0]!['d']).toBe(3);
    expect(r.rows[0]!['a']).toBe(4);
    const avg = await db.sql('SELECT AVG(qty) AS a FROM orders WHERE customer_id = 1');
    expect(avg.rows[0]!['a']).toBe(2.5);
    expect(avg.columns[0]!.type).toBe('DOUBLE');
  });

  it('ORDER BY puts NULLs last ascending and first descending, unless told', async () => {
    const { db } = await engine();
    const asc = await db.sql('SELECT city FROM customers ORDER BY city', [], { rowMode: 'array' });
    expect(asc.rows.flat()).toEqual(['oslo', 'rome', null]);
    const desc = await db.sql('SELECT city FROM customers ORDER BY city DESC', [], { rowMode: 'array' });
    expect(desc.rows.flat()).toEqual([null, 'rome', 'oslo']);
    const first = await db.sql('SELECT city FROM customers ORDER BY 1 ASC NULLS FIRST', [], { rowMode: 'array' });
    expect(first.rows.flat()).toEqual([null, 'oslo', 'rome']);
    const byAlias = await db.sql('SELECT name AS n FROM customers ORDER BY n DESC', [], { rowMode: 'array' });
    expect(byAlias.rows.flat()).toEqual(['cid', 'bob', 'ann']);
  });

  it('inner and left joins (NULLs for the missing side)', async () => {
    const { db } = await engine();
    const inner = await db.sql(
      'SELECT o.id, c.name FROM orders o JOIN customers c ON o.customer_id = c.id ORDER BY o.id', [], { rowMode: 'array' });
    expect(inner.rows).toEqual([[10n, 'ann'], [11n, 'ann'], [12n, 'bob']]);
    const left = await db.sql(
      'SELECT c.name, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id ORDER BY c.name, o.id', [], { rowMode: 'array' });
    expect(left.rows).toEqual([['ann', 10n], ['ann', 11n], ['bob', 12n], ['cid', null]]);
  });

  it('GROUP BY with HAVING, aggregates, DISTINCT', async () => {
    const { db } = await engine();
    const g = await db.sql(
      'SELECT customer_id, COUNT(*) AS n, SUM(amount) AS total FROM orders GROUP BY customer_id HAVING COUNT(*) > 1', [], { rowMode: 'array' });
    expect(g.rows).toEqual([[1, 2n, '10.00']]);
    const all = await db.sql('SELECT COUNT(*) AS n, MAX(qty) AS m FROM orders WHERE id > 100');
    expect(all.rows).toEqual([{ n: 0n, m: null }]);
    const d = await db.sql('SELECT DISTINCT customer_id FROM orders ORDER BY customer_id', [], { rowMode: 'array' });
    expect(d.rows.flat()).toEqual([1, 2, 9]);
  });

  it('LIMIT and OFFSET, VALUES as a table, system_range, subqueries', async () => {
    const { db } = await engine();
    const page = await db.sql('SELECT id FROM orders ORDER BY id LIMIT 2 OFFSET 1', [], { rowMode: 'array' });
    expect(page.rows.flat()).toEqual([11n, 12n]);
    const v = await db.sql('SELECT t.b, t.a FROM (VALUES (1, \'x\'), (2, \'y\')) AS t(a, b) WHERE t.a > 1');
    expect(v.rows).toEqual([{ b: 'y', a: 2 }]);
    const range = await db.sql('SELECT SUM(x) AS s FROM TABLE(system_range(1, 10))');
    expect(range.rows[0]!['s']).toBe(55n);
    const inSub = await db.sql('SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders) ORDER BY name', [], { rowMode: 'array' });
    expect(inSub.rows.flat()).toEqual(['ann', 'bob']);
    const exists = await db.sql(
      'SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)', [], { rowMode: 'array' });
    expect(exists.rows.flat()).toEqual(['cid']);
    const scalar = await db.sql(
      'SELECT name, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS n FROM customers c ORDER BY name', [], { rowMode: 'array' });
    expect(scalar.rows).toEqual([['ann', 2n], ['bob', 1n], ['cid', 0n]]);
  });

  it('system views list zones, tables, columns and indexes', async () => {
    const { db } = await engine();
    await db.sql('CREATE INDEX orders_by_customer ON orders (customer_id DESC)');
    const zones = await db.sql('SELECT zone_name, zone_partitions FROM "SYSTEM.ZONES" WHERE zone_name = \'z\'');
    expect(zones.rows).toEqual([{ ZONE_NAME: 'z', ZONE_PARTITIONS: 4 }]);
    const cols = await db.sql('SELECT column_name FROM "SYSTEM.COLUMNS" WHERE table_name = \'orders\' ORDER BY column_ordinal', [], { rowMode: 'array' });
    expect(cols.rows.flat()).toEqual(['id', 'customer_id', 'amount', 'qty']);
    const idx = await db.sql('SELECT index_columns, index_state FROM "SYSTEM.INDEXES"', [], { rowMode: 'array' });
    expect(idx.rows).toEqual([['customer_id DESC', 'AVAILABLE']]);
  });
});
