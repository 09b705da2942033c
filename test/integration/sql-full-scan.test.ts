/**
 * SQL full scans (EXPLAIN: FullScan) read the table in storage order and decode only the columns the statement reads:
 * each row still comes once, as the transaction sees it (own writes in, others' pending ones out, a snapshot kept),
 * every read column holds its row's value (long strings and VARBINARY over many rows, rows of an older schema
 * version), and UPDATE and DELETE rewrite whole rows whatever their expressions read.
 */
import { describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/interfaces/sql/sql-api';
import { openNode } from '../../src/interfaces/api/index';
import { SCAN_DONE } from '../../src/application/tables/table-scan';
import { useNodeScope } from '../support/node-scope';
import { MEM_PROFILE_CONFIG, sqlEngineWith } from '../support/sql-engine';

const scope = useNodeScope();

async function engine(): Promise<SqlEngine> {
  return sqlEngineWith(scope, `
    CREATE ZONE z WITH PARTITIONS=3, STORAGE PROFILES ['mem'];
    CREATE TABLE t (id INT PRIMARY KEY, grp INT, s VARCHAR, b VARBINARY, n BIGINT) ZONE z;
  `);
}

const text = (i: number): string => `row ${i} ${'é'.repeat(i % 40)}`;
const bytes = (i: number): Uint8Array => Uint8Array.from({ length: (i % 30) + 1 }, (_, k) => (i * 7 + k) & 0xff);

async function fill(db: SqlEngine, rows: number): Promise<void> {
  for (let from = 0; from < rows; from += 100) {
    const params: unknown[] = [];
    const values: string[] = [];
    for (let i = from; i < Math.min(rows, from + 100); i++) {
      values.push('(?, ?, ?, ?, ?)');
      params.push(i, i % 7, text(i), bytes(i), BigInt(i) * 1_000_000_007n);
    }
    await db.sql(`INSERT INTO t VALUES ${values.join(', ')}`, params);
  }
}

describe('SQL full scans', () => {
  it('are FullScans whose read columns hold every row\'s values, the unread ones never reaching the result', async () => {
    const db = await engine();
    await fill(db, 1500);
    expect((await db.sql('EXPLAIN SELECT s, b FROM t', [], { rowMode: 'array' })).rows.flat().join('\n')).toMatch(/FullScan\(T\)/i);
    const rows = (await db.sql<{ id: number; s: string; b: Uint8Array }>('SELECT id, s, b FROM t')).rows;
    expect(rows).toHaveLength(1500);
    for (const r of rows) expect([r.s, [...r.b]]).toEqual([text(r.id), [...bytes(r.id)]]);
    const onlyB = (await db.sql<{ b: Uint8Array; n: bigint }>('SELECT b, n FROM t WHERE grp = 3')).rows;
    expect(onlyB.map((r) => Number(r.n / 1_000_000_007n)).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 1500 }, (_, i) => i).filter((i) => i % 7 === 3));
    for (const r of onlyB) expect([...r.b]).toEqual([...bytes(Number(r.n / 1_000_000_007n))]);
    const groups = (await db.sql('SELECT grp, COUNT(*) AS c, SUM(n) AS sn, MAX(s) AS ms FROM t GROUP BY grp ORDER BY grp', [], { rowMode: 'array' })).rows;
    expect(groups).toEqual(Array.from({ length: 7 }, (_, g) => {
      const ids = Array.from({ length: 1500 }, (_, i) => i).filter((i) => i % 7 === g);
      const max = ids.map(text).sort().at(-1);
      return [g, BigInt(ids.length), ids.reduce((a, i) => a + BigInt(i) * 1_000_000_007n, 0n), max];
    }));
  });

  it('see own writes, not another transaction\'s pending ones, and keep a read-only snapshot', async () => {
    const db = await engine();
    await fill(db, 300);
    const sum = async (s: { sql: SqlEngine['sql'] }): Promise<unknown[]> =>
      (await s.sql<unknown[]>('SELECT COUNT(*), SUM(grp) FROM t', [], { rowMode: 'array' })).rows[0]!;
    const before = await sum(db);
    const writer = db.session();
    const reader = db.session();
    const snapshot = db.session();
    await snapshot.sql('START TRANSACTION READ ONLY');
    await writer.sql('START TRANSACTION');
    await writer.sql('INSERT INTO t (id, grp) VALUES (1000, 100), (1001, 100)');
    await writer.sql('UPDATE t SET grp = grp + 10 WHERE id < 5');
    await writer.sql('DELETE FROM t WHERE id >= 290 AND id < 300');
    const removed = Array.from({ length: 10 }, (_, k) => (290 + k) % 7).reduce((a, g) => a + g, 0);
    const own = [BigInt(300 + 2 - 10), (before[1] as bigint) + 200n + 50n - BigInt(removed)];
    expect(await sum(writer)).toEqual(own);
    expect(await sum(reader)).toEqual(before);
    await writer.sql('COMMIT');
    expect(await sum(reader)).toEqual(own);
    expect(await sum(snapshot)).toEqual(before);
    await snapshot.sql('COMMIT');
  });

  it('UPDATE and DELETE over a full scan keep the columns their expressions do not read', async () => {
    const db = await engine();
    await fill(db, 400);
    expect((await db.sql('UPDATE t SET grp = grp + 1')).rowsAffected).toBe(400);
    await db.sql('DELETE FROM t WHERE grp = 1');
    const rows = (await db.sql<{ id: number; grp: number; s: string; b: Uint8Array; n: bigint }>('SELECT * FROM t')).rows;
    expect(rows).toHaveLength(400 - Math.ceil(400 / 7));
    for (const r of rows) {
      expect([r.grp, r.s, [...r.b], r.n]).toEqual([(r.id % 7) + 1, text(r.id), [...bytes(r.id)], BigInt(r.id) * 1_000_000_007n]);
    }
  });

  it('a storage-order scan that a DROP COLUMN overtakes keeps giving each row its own values, from its snapshot', async () => {
    const node = scope.keep(await openNode({ workDir: scope.dir(), config: MEM_PROFILE_CONFIG }));
    await node.sql("CREATE ZONE z WITH PARTITIONS=2, STORAGE PROFILES ['mem']");
    await node.sql('CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR, b INT, c VARCHAR) ZONE z');
    for (let i = 0; i < 100; i++) await node.sql('INSERT INTO t VALUES (?, ?, ?, ?)', [i, `a${i}`, i, `c${i}`]);
    const steps = node.table('t').scanSteps('storage', ['id', 'c'], [true, true]); // decodes id and c only
    const seen = new Map<number, unknown>();
    const take = (n: number): void => {
      for (let k = 0; k < n; k++) {
        const r = steps.step();
        if (r === SCAN_DONE) return;
        if (r instanceof Promise) throw new Error('no row waits here');
        seen.set(r[0] as number, r[1]);
      }
    };
    take(10);
    await node.sql('ALTER TABLE t DROP COLUMN a'); // c moves from position 3 to 2
    for (let i = 100; i < 150; i++) await node.sql('INSERT INTO t VALUES (?, ?, ?)', [i, i, `c${i}`]);
    take(1000);
    steps.close();
    expect(seen.size).toBe(100); // its snapshot: the rows written after it began are not in it
    for (const [id, c] of seen) expect(c, `row ${id}`).toBe(`c${id}`);
  });

  it('read rows written before ALTER TABLE through the new schema, decoding only what they read', async () => {
    const db = await engine();
    await fill(db, 200);
    await db.sql('ALTER TABLE t ADD COLUMN extra VARCHAR DEFAULT \'d\'');
    await db.sql("INSERT INTO t (id, grp, extra) VALUES (500, 1, 'new')");
    await db.sql('ALTER TABLE t DROP COLUMN b');
    const rows = (await db.sql<{ id: number; extra: string; s: string | null }>('SELECT id, extra, s FROM t')).rows;
    expect(rows).toHaveLength(201);
    for (const r of rows) expect([r.extra, r.s]).toEqual(r.id === 500 ? ['new', null] : ['d', text(r.id)]);
    expect((await db.sql('SELECT COUNT(*) AS c FROM t WHERE extra = \'d\'')).rows).toEqual([{ c: 200n }]);
  });
});
