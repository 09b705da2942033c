/**
 * The planner's choices, seen through EXPLAIN and through what execution reads: a primary-key lookup for key
 * equality (and IN lists), an index range scan for a range on an indexed column, index order for ORDER BY … LIMIT, a
 * full scan otherwise; joins by algorithm; LIMIT stops the scan early; the statement cache parses a text once and
 * plans again after a catalog change.
 */
import { describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/interfaces/sql/sql-api';
import { useNodeScope } from '../support/node-scope';
import { sqlEngineWith } from '../support/sql-engine';

const scope = useNodeScope();

async function engine(rows = 200): Promise<SqlEngine> {
  return sqlEngineWith(scope, `
    CREATE ZONE z WITH PARTITIONS=5, STORAGE PROFILES ['mem'];
    CREATE TABLE items (id BIGINT PRIMARY KEY, price INT, tag VARCHAR) ZONE z;
    CREATE INDEX items_by_price ON items (price);
    CREATE TABLE tags (tag VARCHAR PRIMARY KEY, label VARCHAR) ZONE z;
    INSERT INTO tags VALUES ('a', 'alpha'), ('b', 'beta');
    INSERT INTO items SELECT x, CAST(x AS INT) % 50, CASE WHEN x % 2 = 0 THEN 'a' ELSE 'b' END FROM TABLE(system_range(1, ${rows}));
  `);
}

async function plan(db: SqlEngine, text: string): Promise<string[]> {
  const r = await db.sql<{ plan: string }>(`EXPLAIN ${text}`);
  expect(r.columns).toEqual([{ name: 'plan', type: 'VARCHAR' }]);
  return r.rows.map((x) => x.plan);
}

describe('SQL plans', () => {
  it('a key equality is a primary-key lookup, reading one row', async () => {
    const db = await engine();
    expect((await plan(db, 'SELECT * FROM items WHERE id = ?')).join('\n')).toMatch(/PrimaryKeyLookup\(items, key=id = \?0\)/);
    const before = db.counters.rowsRead;
    const r = await db.sql('SELECT tag FROM items WHERE id = ?', [42n]);
    expect(r.rows).toEqual([{ tag: 'a' }]);
    expect(db.counters.rowsRead - before).toBe(1);
    const list = await db.sql('SELECT id FROM items WHERE id IN (3, 5, 1000) ORDER BY id', [], { rowMode: 'array' });
    expect(list.rows.flat()).toEqual([3n, 5n]);
    expect((await plan(db, 'SELECT id FROM items WHERE id IN (3, 5)')).join('\n')).toContain('PrimaryKeyLookup(items');
  });

  it('EXPLAIN of writes shows how their rows are found', async () => {
    const db = await engine();
    expect(await plan(db, 'UPDATE items SET price = 1 WHERE id = 5'))
      .toEqual(['Update(items, set=[price])', '  Filter((id = 5))', '    PrimaryKeyLookup(items, key=id = 5)']);
    expect(await plan(db, 'DELETE FROM items WHERE price < 3'))
      .toEqual(['Delete(items)', '  Filter((price < 3))', '    IndexRangeScan(items.items_by_price, lt=3)']);
    expect(await plan(db, "INSERT INTO tags VALUES ('c', 'gamma')")).toEqual(['Insert(tags, columns=[tag, label])', '  Values(1 rows)']);
    expect((await db.sql('DELETE FROM items WHERE price < 3')).rowsAffected).toBe(12);
    expect((await db.sql('SELECT COUNT(*) AS n FROM items WHERE price < 3')).rows[0]!['n']).toBe(0n);
  });

  it('a range on an indexed column is an index range scan; other conditions a full scan', async () => {
    const db = await engine();
    const range = await plan(db, 'SELECT id FROM items WHERE price >= 10 AND price < 12');
    expect(range).toEqual(['Project(id)', '  Filter((price >= 10) AND (price < 12))', '    IndexRangeScan(items.items_by_price, gte=10, lt=12)']);
    const before = db.counters.rowsRead;
    const r = await db.sql('SELECT COUNT(*) AS n FROM items WHERE price BETWEEN 10 AND 11');
    expect(r.rows[0]!['n']).toBe(8n);
    expect(db.counters.rowsRead - before).toBe(8);
    const pkRange = await plan(db, 'SELECT id FROM items WHERE id > 190');
    expect(pkRange.join('\n')).toContain('IndexRangeScan(items.PK, gt=190)');
    const full = await plan(db, "SELECT id FROM items WHERE tag = 'a'");
    expect(full.at(-1)).toBe('    FullScan(items)');
  });

  it('ORDER BY … LIMIT on an index prefix reads the index in order, without a sort', async () => {
    const db = await engine();
    const lines = await plan(db, 'SELECT id, price FROM items ORDER BY price LIMIT 3');
    expect(lines.join('\n')).not.toContain('Sort(');
    expect(lines.join('\n')).toContain('IndexRangeScan(items.items_by_price)');
    const r = await db.sql('SELECT price FROM items ORDER BY price LIMIT 3', [], { rowMode: 'array' });
    expect(r.rows.flat()).toEqual([0, 0, 0]);
    const sorted = await plan(db, 'SELECT id FROM items ORDER BY tag LIMIT 3');
    expect(sorted.join('\n')).toContain('Sort(tag ASC NULLS LAST)');
  });

  it('ORDER BY … DESC LIMIT on an index prefix reads the index from its end, without a sort, stopping at the limit', async () => {
    const db = await engine(2000);
    expect(await plan(db, 'SELECT id FROM items ORDER BY id DESC LIMIT 3'))
      .toEqual(['Limit(3, 0)', '  Project(id)', '    IndexRangeScan(items.PK, reverse)']);
    let before = db.counters.rowsRead;
    const top = await db.sql('SELECT id FROM items ORDER BY id DESC LIMIT 3', [], { rowMode: 'array' });
    expect(top.rows.flat()).toEqual([2000n, 1999n, 1998n]);
    expect(db.counters.rowsRead - before).toBe(3);
    // Bounds too, and a secondary index (price ASC: read backwards its NULLs would come first, as DESC's default wants).
    const bounded = await plan(db, 'SELECT id FROM items WHERE id < 100 ORDER BY id DESC LIMIT 2');
    expect(bounded.at(-1)).toBe('      IndexRangeScan(items.PK, lt=100, reverse)');
    expect((await db.sql('SELECT id FROM items WHERE id < 100 ORDER BY id DESC LIMIT 2', [], { rowMode: 'array' })).rows.flat()).toEqual([99n, 98n]);
    expect((await plan(db, 'SELECT id, price FROM items ORDER BY price DESC LIMIT 4')).join('\n')).toContain('IndexRangeScan(items.items_by_price, reverse)');
    before = db.counters.rowsRead;
    const prices = await db.sql('SELECT price FROM items ORDER BY price DESC LIMIT 4', [], { rowMode: 'array' });
    expect(prices.rows.flat()).toEqual([49, 49, 49, 49]);
    expect(db.counters.rowsRead - before).toBeLessThan(10);
    // An order the index gives in neither direction (NULLs last while descending) still sorts.
    expect((await plan(db, 'SELECT id FROM items ORDER BY price DESC NULLS LAST LIMIT 4')).join('\n')).toContain('Sort(price DESC NULLS LAST)');
    // Inside a transaction (the general executor, not the prepared fast path): the same rows, its own write included.
    const session = db.session();
    await session.sql('START TRANSACTION');
    await session.sql('INSERT INTO items VALUES (5000, 7, \'a\')');
    before = db.counters.rowsRead;
    const inTx = await session.sql('SELECT id FROM items WHERE id > 10 ORDER BY id DESC LIMIT 3', [], { rowMode: 'array' });
    expect(inTx.rows.flat()).toEqual([5000n, 2000n, 1999n]);
    await session.sql('ROLLBACK');
    // A whole descending read equals the ascending one reversed.
    const asc = await db.sql('SELECT id, price FROM items WHERE price >= 45 ORDER BY price, id', [], { rowMode: 'array' });
    const desc = await db.sql('SELECT id, price FROM items WHERE price >= 45 ORDER BY price DESC, id DESC', [], { rowMode: 'array' });
    expect(desc.rows).toEqual([...asc.rows].reverse());
  });

  it('LIMIT 1 over a big table stops the scan early', async () => {
    const db = await engine(2000);
    const before = db.counters.rowsRead;
    const r = await db.sql("SELECT id FROM items WHERE tag = 'b' LIMIT 1");
    expect(r.rows).toHaveLength(1);
    expect(db.counters.rowsRead - before).toBeLessThan(10);
    const stmt = await db.prepare('SELECT id FROM items');
    const seen: unknown[] = [];
    const start = db.counters.rowsRead;
    for await (const row of stmt.iterate()) {
      seen.push(row);
      if (seen.length === 3) break;
    }
    expect(db.counters.rowsRead - start).toBeLessThan(10);
  });

  it('joins: index nested loop on the inner key, hash join on other equalities, nested loop otherwise', async () => {
    const db = await engine();
    const inl = await plan(db, 'SELECT i.id, t.label FROM items i JOIN tags t ON t.tag = i.tag');
    expect(inl[1]).toMatch(/^ {2}IndexNestedLoopJoin\(INNER/);
    expect(inl.join('\n')).toContain('PrimaryKeyLookup(tags, key=tag = i.tag)');
    const hash = await plan(db, 'SELECT t.label, i.id FROM tags t JOIN items i ON i.tag = t.tag');
    expect(hash.join('\n')).toContain('HashJoin(INNER');
    const loop = await plan(db, 'SELECT t.label FROM tags t JOIN tags u ON t.tag < u.tag');
    expect(loop.join('\n')).toContain('NestedLoopJoin(INNER');
    const r = await db.sql('SELECT t.label, COUNT(*) AS n FROM items i JOIN tags t ON t.tag = i.tag GROUP BY t.label ORDER BY t.label', [], { rowMode: 'array' });
    expect(r.rows).toEqual([['alpha', 100n], ['beta', 100n]]);
    const pairs = await db.sql('SELECT t.tag, u.tag FROM tags t JOIN tags u ON t.tag < u.tag', [], { rowMode: 'array' });
    expect(pairs.rows).toEqual([['a', 'b']]);
  });

  it('the statement cache parses a text once and plans it again after a catalog change', async () => {
    const db = await engine();
    const text = 'SELECT id FROM items WHERE tag = ? LIMIT 1';
    await db.sql(text, ['a']);
    const parses = db.parses;
    await db.sql(text, ['b']);
    expect(db.parses).toBe(parses);
    expect((await plan(db, 'SELECT id FROM items WHERE tag = ?')).at(-1)).toBe('    FullScan(items)');
    await db.sql('CREATE INDEX items_by_tag ON items USING HASH (tag)');
    expect((await plan(db, 'SELECT id FROM items WHERE tag = ?')).at(-1)).toMatch(/IndexRangeScan\(items\.items_by_tag, key=tag = \?0\)/);
    const r = await db.sql('SELECT COUNT(*) AS n FROM items WHERE tag = ?', ['a']);
    expect(r.rows[0]!['n']).toBe(100n);
  });
});

describe('fast paths outside a transaction', () => {
  it('point and range queries give what the general path (inside a transaction) gives, stopping at the limit', async () => {
    const db = await engine(400);
    const queries: [string, unknown[]][] = [
      ['SELECT * FROM items WHERE id = ?', [7]],
      ['SELECT id, price * 2 AS p FROM items WHERE id = ? AND price > 100', [7]],
      ['SELECT id, tag FROM items WHERE id BETWEEN ? AND ? ORDER BY id LIMIT 5', [10, 300]],
      ['SELECT id FROM items WHERE id >= ? AND tag = ? ORDER BY id LIMIT 4 OFFSET 3', [20, 'a']],
      ['SELECT id, price FROM items WHERE price BETWEEN ? AND ? ORDER BY price, id LIMIT 7', [10, 12]],
      ['SELECT id FROM items WHERE id > ? ORDER BY id LIMIT 0', [5]],
      ['SELECT id FROM items WHERE id BETWEEN ? AND ? ORDER BY id', [395, 1000]],
      ['SELECT id FROM items WHERE id < ? ORDER BY id LIMIT 3', [null]],
    ];
    const session = db.session();
    for (const [text, params] of queries) {
      const fast = await db.sql(text, params, { rowMode: 'array' });
      await session.sql('START TRANSACTION READ ONLY');
      const general = await session.sql(text, params, { rowMode: 'array' });
      await session.sql('COMMIT');
      expect(fast.rows, text).toEqual(general.rows);
      expect(fast.columns, text).toEqual(general.columns);
    }
    expect((await db.sql('SELECT id FROM items WHERE id BETWEEN ? AND ? ORDER BY id LIMIT 5', [10, 300], { rowMode: 'array' })).rows)
      .toEqual([[10n], [11n], [12n], [13n], [14n]]);
    const before = db.counters.rowsRead;
    await db.sql('SELECT id FROM items WHERE id >= ? ORDER BY id LIMIT 2', [1]);
    expect(db.counters.rowsRead - before).toBeGreaterThan(0);
    expect(db.counters.rowsRead - before).toBeLessThan(10);
  });
});
