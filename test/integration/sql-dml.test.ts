/**
 * SQL writes and their errors: INSERT (VALUES, several rows, a column list with defaults, INSERT … SELECT), UPDATE
 * (a primary-key change moves the row), DELETE, rowsAffected; a table without a primary key (hidden generated key);
 * typed errors for bad statements; transactions in a script and in a session (ROLLBACK undoes, COMMIT keeps).
 */
import { describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/interfaces/sql/sql-api';
import { useNodeScope } from '../support/node-scope';
import { sqlEngineWith } from '../support/sql-engine';

const scope = useNodeScope();

async function engine(): Promise<SqlEngine> {
  return sqlEngineWith(scope, `
    CREATE ZONE z WITH PARTITIONS=3, STORAGE PROFILES ['mem'];
    CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR(10) NOT NULL, balance DECIMAL(10,2) DEFAULT 0) ZONE z;
  `);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
}

async function ids(db: SqlEngine): Promise<unknown[]> {
  return (await db.sql('SELECT id FROM accounts ORDER BY id', [], { rowMode: 'array' })).rows.flat();
}

describe('SQL writes', () => {
  it('insert, update (also of the key), delete, with rowsAffected', async () => {
    const db = await engine();
    expect((await db.sql("INSERT INTO accounts VALUES (1, 'ann', 10.5), (2, 'bob', 3)")).rowsAffected).toBe(2);
    expect((await db.sql("INSERT INTO accounts (owner, id) VALUES ('cid', 3)")).rowsAffected).toBe(1);
    expect((await db.sql('SELECT balance FROM accounts WHERE id = 3')).rows).toEqual([{ balance: '0.00' }]);
    expect((await db.sql('UPDATE accounts SET balance = balance + 1 WHERE balance < 5')).rowsAffected).toBe(2);
    expect((await db.sql('SELECT id, balance FROM accounts ORDER BY id', [], { rowMode: 'array' })).rows)
      .toEqual([[1, '10.50'], [2, '4.00'], [3, '1.00']]);
    expect((await db.sql('UPDATE accounts SET id = id + 10 WHERE id = 2')).rowsAffected).toBe(1);
    expect(await ids(db)).toEqual([1, 3, 12]);
    expect((await db.sql('SELECT owner FROM accounts WHERE id = 12')).rows).toEqual([{ owner: 'bob' }]);
    expect((await db.sql('DELETE FROM accounts WHERE id <> 3')).rowsAffected).toBe(2);
    expect(await ids(db)).toEqual([3]);
    await db.sql('INSERT INTO accounts (id, owner) SELECT id + 100, owner FROM accounts');
    expect(await ids(db)).toEqual([3, 103]);
  });

  it('a table without a primary key gets a hidden generated key', async () => {
    const db = await engine();
    await db.sql('CREATE TABLE log (msg VARCHAR, n INT)');
    await db.sql("INSERT INTO log VALUES ('a', 1), ('a', 1)");
    const r = await db.sql('SELECT * FROM log');
    expect(r.columns.map((c) => c.name)).toEqual(['msg', 'n']);
    expect(r.rows).toEqual([{ msg: 'a', n: 1 }, { msg: 'a', n: 1 }]);
    expect((await db.sql("UPDATE log SET n = 2 WHERE msg = 'a'")).rowsAffected).toBe(2);
    expect((await db.sql('SELECT SUM(n) AS s FROM log')).rows[0]!['s']).toBe(4n);
  });

  it('bad statements fail with typed errors', async () => {
    const db = await engine();
    await db.sql("INSERT INTO accounts VALUES (1, 'ann', 1)");
    expect(await codeOf(db.sql('SELECT * FROM nope'))).toBe('TABLE_NOT_FOUND');
    expect(await codeOf(db.sql('SELECT nope FROM accounts'))).toBe('COLUMN_NOT_FOUND');
    expect(await codeOf(db.sql('SELECT * FROM "ACCOUNTS"'))).toBe('TABLE_NOT_FOUND');
    expect((await db.sql('SELECT * FROM ACCOUNTS')).rows).toHaveLength(1);
    expect(await codeOf(db.sql("INSERT INTO accounts VALUES (1, 'dup', 1)"))).toBe('DUPLICATE_KEY');
    expect(await codeOf(db.sql('INSERT INTO accounts (id, owner) VALUES (2, NULL)'))).toBe('NOT_NULL_VIOLATION');
    expect(await codeOf(db.sql('INSERT INTO accounts (id) VALUES (2)'))).toBe('NOT_NULL_VIOLATION');
    expect(await codeOf(db.sql("INSERT INTO accounts VALUES ('x', 'ann', 1)"))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(db.sql("INSERT INTO accounts VALUES (2, 'much too long', 1)"))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(db.sql('SELEC 1'))).toBe('SQL_PARSE');
    expect(await codeOf(db.sql('CREATE TABLE accounts (id INT PRIMARY KEY)'))).toBe('ALREADY_EXISTS');
    await db.sql('CREATE TABLE IF NOT EXISTS accounts (id INT PRIMARY KEY)');
    expect(await codeOf(db.sql('DROP ZONE nope'))).toBe('ZONE_NOT_FOUND');
    await db.sql('DROP INDEX IF EXISTS nope');
    expect(await codeOf(db.sql('DROP INDEX nope'))).toBe('INDEX_NOT_FOUND');
    expect(await ids(db)).toEqual([1]);
  });

  it('a script transaction commits, and a failing script rolls its transaction back', async () => {
    const db = await engine();
    await db.exec("START TRANSACTION; INSERT INTO accounts VALUES (1, 'a', 1); INSERT INTO accounts VALUES (2, 'b', 1); COMMIT;");
    expect(await ids(db)).toEqual([1, 2]);
    const code = await codeOf(db.exec("START TRANSACTION; INSERT INTO accounts VALUES (3, 'c', 1); INSERT INTO accounts VALUES (1, 'dup', 1); COMMIT;"));
    expect(code).toBe('DUPLICATE_KEY');
    expect(await ids(db)).toEqual([1, 2]);
    await db.exec("START TRANSACTION; DELETE FROM accounts; ROLLBACK; INSERT INTO accounts VALUES (4, 'd', 1)");
    expect(await ids(db)).toEqual([1, 2, 4]);
  });

  it('a session keeps its transaction across calls: others see nothing until COMMIT; ROLLBACK undoes', async () => {
    const db = await engine();
    const s = db.session();
    await s.sql('START TRANSACTION');
    expect(s.inTransaction).toBe(true);
    await s.sql("INSERT INTO accounts VALUES (1, 'a', 1)");
    expect((await s.sql('SELECT COUNT(*) AS n FROM accounts')).rows[0]!['n']).toBe(1n);
    expect(await ids(db)).toEqual([]);
    await s.sql('ROLLBACK');
    expect(await ids(db)).toEqual([]);
    await s.sql('START TRANSACTION');
    await s.sql("INSERT INTO accounts VALUES (2, 'b', 1)");
    expect(await codeOf(s.sql('CREATE TABLE t2 (id INT PRIMARY KEY)'))).toBe('INVALID_ARGUMENT');
    await s.sql('COMMIT');
    expect(await ids(db)).toEqual([2]);
    expect(await codeOf(db.sql('START TRANSACTION'))).toBe('INVALID_ARGUMENT');
    const ro = db.session();
    await ro.sql('START TRANSACTION READ ONLY');
    expect(await codeOf(ro.sql("INSERT INTO accounts VALUES (3, 'c', 1)"))).toBe('INVALID_ARGUMENT');
    await ro.close();
    expect(ro.inTransaction).toBe(false);
  });

  it('prepared statements run with parameters; get, all, run', async () => {
    const db = await engine();
    const insert = await db.prepare('INSERT INTO accounts VALUES (?, ?, ?)');
    for (let i = 1; i <= 3; i++) expect((await insert.run([i, `o${i}`, i * 2])).rowsAffected).toBe(1);
    const byId = await db.prepare('SELECT owner FROM accounts WHERE id = :id');
    expect(await byId.get({ id: 2 })).toEqual({ owner: 'o2' });
    expect(await byId.get({ id: 9 })).toBeNull();
    expect(await (await db.prepare('SELECT id FROM accounts WHERE balance > 2 ORDER BY id DESC')).all()).toEqual([{ id: 3 }, { id: 2 }]);
    expect(await codeOf(db.prepare('SELECT * FROM missing'))).toBe('TABLE_NOT_FOUND');
  });
});
