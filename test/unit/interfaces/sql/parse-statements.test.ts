/**
 * parseStatement / parseStatements on every statement kind: the spec's four statements verbatim, zones in both of
 * Ignite 3's forms, tables with constraints and options, ALTER / DROP, indexes, DML, SELECT clauses and FROM items,
 * transactions, EXPLAIN; scripts, comments and keyword case.
 */
import { describe, expect, it } from 'vitest';
import type {
  CreateTableStatement, CreateZoneStatement, Expression, FromItem, Identifier, SelectQuery, Statement,
} from '../../../../src/interfaces/sql/ast';
import { parseStatement, parseStatements } from '../../../../src/interfaces/sql/parse';
import { AIMEM_USAGE, AIPERSIST_USAGE } from '../../../support/spec-usage';

/** The AST without positions, identifiers as their names ("Name" when quoted) — for compact expectations. */
function plain(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plain);
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return node;
  const record = node as Record<string, unknown>;
  if (typeof record['quoted'] === 'boolean' && typeof record['name'] === 'string') {
    return record['quoted'] ? `"${record['name']}"` : record['name'];
  }
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== 'pos').map(([k, v]) => [k, plain(v)]));
}

function select(text: string): SelectQuery {
  const statement = parseStatement(text);
  if (statement.kind !== 'select') throw new Error(`not a SELECT: ${statement.kind}`);
  return statement;
}

const col = (column: string, table?: string): unknown => (table === undefined ? { kind: 'column', column } : { kind: 'column', table, column });
const int = (value: number): unknown => ({ kind: 'integer', value: BigInt(value), sqlType: 'INT' });

describe('the spec statements (verbatim)', () => {
  it('aimem: CREATE ZONE … WITH PARTITIONS=10, REPLICAS=2, STORAGE PROFILES [...] and CREATE TABLE … ZONE … STORAGE PROFILE', () => {
    const script = AIMEM_USAGE;
    const [zone, table, ...rest] = parseStatements(script);
    expect(rest).toEqual([]);
    expect(plain(zone)).toEqual({
      kind: 'createZone', name: 'cache_zone', ifNotExists: false,
      options: { partitions: 10, replicas: 2, storageProfiles: ['cache_profile'] },
    });
    expect(zone!.pos).toEqual({ line: 2, column: 1 });
    expect(plain(table)).toEqual({
      kind: 'createTable', name: 'sessions', ifNotExists: false,
      columns: [
        { name: 'session_id', type: { type: 'UUID' }, primaryKey: true },
        { name: 'user_id', type: { type: 'INT' }, primaryKey: false },
        { name: 'data', type: { type: 'VARCHAR' }, primaryKey: false },
        { name: 'expires_at', type: { type: 'TIMESTAMP' }, primaryKey: false },
      ],
      primaryKey: ['session_id'], zone: 'cache_zone', storageProfile: 'cache_profile',
    });
    expect(table!.pos).toEqual({ line: 7, column: 1 });
  });

  it('aipersist: the zone and the orders table with DECIMAL(15,2)', () => {
    const [zone, table] = parseStatements(AIPERSIST_USAGE) as [CreateZoneStatement, CreateTableStatement];
    expect(zone.options).toEqual({ partitions: 25, replicas: 3, storageProfiles: ['persistent_profile'] });
    expect(table.columns.map((c) => plain(c.type))).toEqual([
      { type: 'BIGINT' }, { type: 'INT' }, { type: 'DECIMAL', precision: 15, scale: 2 }, { type: 'TIMESTAMP' },
    ]);
    expect(plain(table.primaryKey)).toEqual(['order_id']);
    expect(table.columns[2]!.name.pos).toEqual({ line: 10, column: 5 });
    expect(plain(table.zone)).toBe('transaction_zone');
    expect(table.storageProfile).toBe('persistent_profile');
  });
});

describe('zones', () => {
  it('accepts the newer form: (PARTITIONS 10, REPLICAS 2) STORAGE PROFILES [...] and IF NOT EXISTS', () => {
    expect(plain(parseStatement("CREATE ZONE IF NOT EXISTS z (PARTITIONS 10, REPLICAS 2) STORAGE PROFILES ['p', 'q']"))).toEqual({
      kind: 'createZone', name: 'z', ifNotExists: true, options: { partitions: 10, replicas: 2, storageProfiles: ['p', 'q'] },
    });
  });

  it('accepts a bare CREATE ZONE and the older STORAGE_PROFILES string', () => {
    expect(plain(parseStatement('create zone z'))).toEqual({ kind: 'createZone', name: 'z', ifNotExists: false, options: {} });
    expect((parseStatement("CREATE ZONE z WITH STORAGE_PROFILES='a, b'") as CreateZoneStatement).options).toEqual({
      storageProfiles: ['a', 'b'],
    });
  });

  it('ALTER ZONE … SET with and without parentheses, DROP ZONE [IF EXISTS]', () => {
    expect(plain(parseStatement('ALTER ZONE z SET REPLICAS = 3, PARTITIONS 4'))).toEqual({
      kind: 'alterZone', name: 'z', ifExists: false, options: { replicas: 3, partitions: 4 },
    });
    expect(plain(parseStatement("ALTER ZONE IF EXISTS z SET (STORAGE PROFILES ['a'])"))).toEqual({
      kind: 'alterZone', name: 'z', ifExists: true, options: { storageProfiles: ['a'] },
    });
    expect(plain(parseStatement('DROP ZONE IF EXISTS "Zone"'))).toEqual({ kind: 'dropZone', name: '"Zone"', ifExists: true });
    expect(plain(parseStatement('DROP ZONE z'))).toEqual({ kind: 'dropZone', name: 'z', ifExists: false });
  });
});

describe('tables', () => {
  it('column constraints: PRIMARY KEY, NOT NULL, NULL, DEFAULT literal (negative numbers folded)', () => {
    const table = parseStatement(
      "CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, a VARCHAR(20) NOT NULL DEFAULT 'x', b DOUBLE NULL, c INT DEFAULT -5, d BOOLEAN DEFAULT TRUE)",
    ) as CreateTableStatement;
    expect(table.ifNotExists).toBe(true);
    expect(plain(table.columns)).toEqual([
      { name: 'id', type: { type: 'INT' }, primaryKey: true },
      { name: 'a', type: { type: 'VARCHAR', length: 20 }, primaryKey: false, nullable: false, default: { kind: 'string', value: 'x' } },
      { name: 'b', type: { type: 'DOUBLE' }, primaryKey: false, nullable: true },
      { name: 'c', type: { type: 'INT' }, primaryKey: false, default: int(-5) },
      { name: 'd', type: { type: 'BOOLEAN' }, primaryKey: false, default: { kind: 'boolean', value: true } },
    ]);
    expect(plain(table.primaryKey)).toEqual(['id']);
  });

  it('a table-level PRIMARY KEY (a, b) gives the key in its order; no key gives []', () => {
    const table = parseStatement('CREATE TABLE t (a INT, b INT, c INT, PRIMARY KEY (b, a))') as CreateTableStatement;
    expect(plain(table.primaryKey)).toEqual(['b', 'a']);
    expect(table.columns.every((c) => !c.primaryKey)).toBe(true);
    expect((parseStatement('CREATE TABLE t (a INT)') as CreateTableStatement).primaryKey).toEqual([]);
  });

  it('Ignite 3 WITH options name the zone (string or name) and the profile', () => {
    const table = parseStatement("CREATE TABLE t (a INT PRIMARY KEY) WITH PRIMARY_ZONE='Z1', STORAGE_PROFILE='p'") as CreateTableStatement;
    expect(table.zone).toMatchObject({ name: 'Z1', quoted: false });
    expect(table.storageProfile).toBe('p');
    expect(plain((parseStatement('CREATE TABLE t (a INT) STORAGE PROFILE \'p\' ZONE z') as CreateTableStatement).zone)).toBe('z');
  });

  it('every type name and alias, normalized to the table API names', () => {
    const table = parseStatement(`CREATE TABLE t (
      a BOOLEAN, b TINYINT, c SMALLINT, d INT, e INTEGER, f BIGINT, g REAL, h DOUBLE, i DOUBLE PRECISION, j FLOAT,
      k DECIMAL, l DECIMAL(10), m NUMERIC(5, 1), n VARCHAR, o VARCHAR(3), p CHAR VARYING(4), q TEXT, r STRING,
      s VARBINARY, u VARBINARY(8), v BINARY VARYING(2), w DATE, x TIME, y TIMESTAMP, z TIMESTAMP(3), zz UUID)`) as CreateTableStatement;
    expect(table.columns.map((c) => plain(c.type))).toEqual([
      { type: 'BOOLEAN' }, { type: 'TINYINT' }, { type: 'SMALLINT' }, { type: 'INT' }, { type: 'INT' }, { type: 'BIGINT' },
      { type: 'REAL' }, { type: 'DOUBLE' }, { type: 'DOUBLE' }, { type: 'DOUBLE' }, { type: 'DECIMAL' },
      { type: 'DECIMAL', precision: 10 }, { type: 'DECIMAL', precision: 5, scale: 1 }, { type: 'VARCHAR' },
      { type: 'VARCHAR', length: 3 }, { type: 'VARCHAR', length: 4 }, { type: 'VARCHAR' }, { type: 'VARCHAR' },
      { type: 'VARBINARY' }, { type: 'VARBINARY', length: 8 }, { type: 'VARBINARY', length: 2 }, { type: 'DATE' },
      { type: 'TIME' }, { type: 'TIMESTAMP' }, { type: 'TIMESTAMP', precision: 3 }, { type: 'UUID' },
    ]);
  });

  it('non-reserved words name columns and tables unquoted (key, value, zone, date, if, index, text)', () => {
    const table = parseStatement('CREATE TABLE if (key INT PRIMARY KEY, value VARCHAR, zone INT, date DATE, index INT, text TEXT)') as CreateTableStatement;
    expect(plain(table.name)).toBe('if');
    expect(table.columns.map((c) => c.name.name)).toEqual(['key', 'value', 'zone', 'date', 'index', 'text']);
    expect(plain(select('SELECT key, value FROM kv WHERE key = 1').items)).toEqual([
      { kind: 'expr', expr: col('key') }, { kind: 'expr', expr: col('value') },
    ]);
  });

  it('DROP TABLE [IF EXISTS]; ALTER TABLE ADD / DROP [COLUMN], single or parenthesized', () => {
    expect(plain(parseStatement('DROP TABLE IF EXISTS t'))).toEqual({ kind: 'dropTable', name: 't', ifExists: true });
    expect(plain(parseStatement('ALTER TABLE t ADD COLUMN c INT NOT NULL DEFAULT 0'))).toEqual({
      kind: 'alterTable', name: 't', ifExists: false,
      action: { kind: 'addColumns', columns: [{ name: 'c', type: { type: 'INT' }, primaryKey: false, nullable: false, default: int(0) }] },
    });
    expect(plain(parseStatement('ALTER TABLE IF EXISTS t ADD (c INT, d VARCHAR(2))'))).toMatchObject({
      ifExists: true, action: { kind: 'addColumns', columns: [{ name: 'c' }, { name: 'd' }] },
    });
    expect(plain(parseStatement('ALTER TABLE t DROP COLUMN c'))).toMatchObject({ action: { kind: 'dropColumns', columns: ['c'] } });
    expect(plain(parseStatement('ALTER TABLE t DROP (c, "D")'))).toMatchObject({ action: { kind: 'dropColumns', columns: ['c', '"D"'] } });
  });
});

describe('indexes', () => {
  it('CREATE INDEX [IF NOT EXISTS] … ON t [USING SORTED|HASH] (col [ASC|DESC], …); SORTED by default', () => {
    expect(plain(parseStatement('CREATE INDEX IF NOT EXISTS i ON t USING HASH (a, b)'))).toEqual({
      kind: 'createIndex', name: 'i', ifNotExists: true, table: 't', type: 'HASH', columns: [{ name: 'a' }, { name: 'b' }],
    });
    expect(plain(parseStatement('CREATE INDEX i ON t (a DESC, b ASC, c)'))).toEqual({
      kind: 'createIndex', name: 'i', ifNotExists: false, table: 't', type: 'SORTED',
      columns: [{ name: 'a', order: 'DESC' }, { name: 'b', order: 'ASC' }, { name: 'c' }],
    });
    expect(plain(parseStatement('CREATE INDEX i ON t USING SORTED (a)'))).toMatchObject({ type: 'SORTED' });
  });

  it('DROP INDEX [IF EXISTS]', () => {
    expect(plain(parseStatement('DROP INDEX IF EXISTS i'))).toEqual({ kind: 'dropIndex', name: 'i', ifExists: true });
    expect(plain(parseStatement('drop index i'))).toEqual({ kind: 'dropIndex', name: 'i', ifExists: false });
  });
});

describe('DML', () => {
  it('INSERT … VALUES with and without a column list, several rows', () => {
    expect(plain(parseStatement("INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL)"))).toEqual({
      kind: 'insert', table: 't', columns: ['a', 'b'],
      source: { kind: 'values', rows: [[int(1), { kind: 'string', value: 'x' }], [int(2), { kind: 'null' }]] },
    });
    expect(plain(parseStatement('INSERT INTO t VALUES (?)'))).toEqual({
      kind: 'insert', table: 't', source: { kind: 'values', rows: [[{ kind: 'parameter', index: 0 }]] },
    });
  });

  it('INSERT … SELECT', () => {
    const insert = parseStatement('INSERT INTO t (a) SELECT x FROM u WHERE x > 1');
    expect(insert.kind).toBe('insert');
    expect(plain(insert)).toMatchObject({ columns: ['a'], source: { kind: 'select', from: { kind: 'table', name: 'u' } } });
  });

  it('UPDATE t SET c = e, … [WHERE]; DELETE FROM t [WHERE]', () => {
    expect(plain(parseStatement('UPDATE t SET a = a + 1, b = ? WHERE c = ?'))).toEqual({
      kind: 'update', table: 't',
      assignments: [
        { column: 'a', value: { kind: 'binary', op: '+', left: col('a'), right: int(1) } },
        { column: 'b', value: { kind: 'parameter', index: 0 } },
      ],
      where: { kind: 'binary', op: '=', left: col('c'), right: { kind: 'parameter', index: 1 } },
    });
    expect(plain(parseStatement('UPDATE t AS x SET a = 1'))).toMatchObject({ alias: 'x' });
    expect(plain(parseStatement('DELETE FROM t'))).toEqual({ kind: 'delete', table: 't' });
    expect(plain(parseStatement('DELETE FROM t x WHERE x.a IS NULL'))).toEqual({
      kind: 'delete', table: 't', alias: 'x', where: { kind: 'isNull', operand: col('a', 'x'), negated: false },
    });
  });
});

describe('SELECT', () => {
  it('every clause, with ORDER BY defaults resolved (NULLS LAST for ASC, FIRST for DESC)', () => {
    const query = select(`SELECT DISTINCT a, COUNT(*) AS n FROM t WHERE a > 0 GROUP BY a HAVING COUNT(*) > 1
      ORDER BY a, n DESC, b ASC NULLS FIRST, c DESC NULLS LAST LIMIT 10 OFFSET 20`);
    expect(query.distinct).toBe(true);
    expect(plain(query.items)).toEqual([
      { kind: 'expr', expr: col('a') },
      { kind: 'expr', expr: { kind: 'aggregate', fn: 'COUNT', distinct: false }, alias: 'n' },
    ]);
    expect(plain(query.groupBy)).toEqual([col('a')]);
    expect(plain(query.having)).toMatchObject({ kind: 'binary', op: '>' });
    expect(plain(query.orderBy)).toEqual([
      { expr: col('a'), direction: 'ASC', nulls: 'LAST' },
      { expr: col('n'), direction: 'DESC', nulls: 'FIRST' },
      { expr: col('b'), direction: 'ASC', nulls: 'FIRST' },
      { expr: col('c'), direction: 'DESC', nulls: 'LAST' },
    ]);
    expect(plain(query.limit)).toEqual(int(10));
    expect(plain(query.offset)).toEqual(int(20));
  });

  it('a SELECT without FROM leaves every absent clause out', () => {
    expect(plain(select('SELECT 1 + 1'))).toEqual({
      kind: 'select', distinct: false, items: [{ kind: 'expr', expr: { kind: 'binary', op: '+', left: int(1), right: int(1) } }],
      groupBy: [], orderBy: [],
    });
  });

  it('* and t.*, column aliases with and without AS, table aliases with and without AS', () => {
    const query = select('SELECT *, t.*, a x, b AS "Y" FROM orders AS t, items i');
    expect(plain(query.items)).toEqual([
      { kind: 'star' }, { kind: 'star', table: 't' }, { kind: 'expr', expr: col('a'), alias: 'x' },
      { kind: 'expr', expr: col('b'), alias: '"Y"' },
    ]);
    expect(plain(query.from)).toEqual({
      kind: 'join', joinType: 'CROSS', left: { kind: 'table', name: 'orders', alias: 't' },
      right: { kind: 'table', name: 'items', alias: 'i' },
    });
  });

  it('joins are left-deep: [INNER] JOIN, LEFT [OUTER] JOIN, CROSS JOIN', () => {
    const from = select('SELECT * FROM a JOIN b ON a.id = b.id LEFT OUTER JOIN c ON c.id = b.id INNER JOIN d ON TRUE CROSS JOIN e LEFT JOIN f ON 1 = 1').from;
    const shape = (item: FromItem | undefined): unknown =>
      item?.kind === 'join' ? [shape(item.left), item.joinType, shape(item.right), item.on !== undefined] : item?.kind === 'table' ? item.name.name : item;
    expect(shape(from)).toEqual([[[[['a', 'INNER', 'b', true], 'LEFT', 'c', true], 'INNER', 'd', true], 'CROSS', 'e', false], 'LEFT', 'f', true]);
  });

  it('FROM (VALUES …) AS t(a, b), TABLE(system_range(…)), and a derived table', () => {
    expect(plain(select("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(a, b)").from)).toEqual({
      kind: 'values', rows: [[int(1), { kind: 'string', value: 'a' }], [int(2), { kind: 'string', value: 'b' }]],
      alias: 't', columnAliases: ['a', 'b'],
    });
    expect(plain(select('SELECT x FROM TABLE(system_range(1, 10, 2)) AS r').from)).toEqual({
      kind: 'tableFunction', name: 'system_range', args: [int(1), int(10), int(2)], alias: 'r',
    });
    expect(plain(select('SELECT * FROM TABLE(SYSTEM_RANGE(0, 3))').from)).toEqual({
      kind: 'tableFunction', name: 'SYSTEM_RANGE', args: [int(0), int(3)],
    });
    expect(plain(select('SELECT s.a FROM (SELECT a FROM t) s').from)).toMatchObject({ kind: 'derived', alias: 's', query: { kind: 'select' } });
  });
});

describe('transactions and EXPLAIN', () => {
  it('START TRANSACTION [READ ONLY | READ WRITE], BEGIN, COMMIT, ROLLBACK', () => {
    const kinds = parseStatements(`START TRANSACTION; START TRANSACTION READ ONLY; START TRANSACTION READ WRITE;
      BEGIN; BEGIN TRANSACTION READ ONLY; BEGIN WORK; COMMIT; COMMIT WORK; ROLLBACK; ROLLBACK TRANSACTION`).map((s) => plain(s));
    expect(kinds).toEqual([
      { kind: 'startTransaction', readOnly: false }, { kind: 'startTransaction', readOnly: true },
      { kind: 'startTransaction', readOnly: false }, { kind: 'startTransaction', readOnly: false },
      { kind: 'startTransaction', readOnly: true }, { kind: 'startTransaction', readOnly: false },
      { kind: 'commit' }, { kind: 'commit' }, { kind: 'rollback' }, { kind: 'rollback' },
    ]);
  });

  it('EXPLAIN [PLAN FOR] a query or DML statement', () => {
    expect(plain(parseStatement('EXPLAIN SELECT a FROM t'))).toMatchObject({ kind: 'explain', statement: { kind: 'select' } });
    expect(plain(parseStatement('EXPLAIN PLAN FOR UPDATE t SET a = 1'))).toMatchObject({ kind: 'explain', statement: { kind: 'update' } });
    expect(parseStatement('explain delete from t').kind).toBe('explain');
  });
});

describe('scripts, comments, keyword case', () => {
  it('splits at ;, skips empty statements, the trailing ; is optional, a ; inside a string does not split', () => {
    const statements = parseStatements(";; SELECT 'a;b' ; ;\n INSERT INTO t VALUES (1);; DELETE FROM t");
    expect(statements.map((s) => s.kind)).toEqual(['select', 'insert', 'delete']);
    expect(plain((statements[0] as SelectQuery).items)).toEqual([{ kind: 'expr', expr: { kind: 'string', value: 'a;b' } }]);
    expect(statements[1]!.pos).toEqual({ line: 2, column: 2 });
    expect(parseStatements('  -- nothing\n ; ')).toEqual([]);
    expect(parseStatements('')).toEqual([]);
  });

  it('parseStatement takes one trailing ;', () => {
    expect(parseStatement('COMMIT;').kind).toBe('commit');
    expect(parseStatement('COMMIT ; -- done').kind).toBe('commit');
  });

  it('-- line comments and /* block */ comments anywhere, including inside a statement and across lines', () => {
    const query = select('SELECT /* the key */ a -- first\n , /* multi\n line */ b FROM t -- end');
    expect(plain(query.items)).toEqual([{ kind: 'expr', expr: col('a') }, { kind: 'expr', expr: col('b') }]);
    expect((query.items[1] as { expr: Expression }).expr.pos).toEqual({ line: 3, column: 10 });
  });

  it('keywords are case-insensitive; identifiers keep their spelling', () => {
    const statements: Statement[] = [parseStatement('select A from T where B is not null'), parseStatement('SeLeCt A FrOm T wHeRe B Is NoT nUlL')];
    expect(plain(statements[0])).toEqual(plain(statements[1]));
    const from = (statements[0] as SelectQuery).from as { name: Identifier };
    expect(from.name).toEqual({ name: 'T', quoted: false, pos: { line: 1, column: 15 } });
  });
});
