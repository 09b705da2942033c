/**
 * better-sqlite3 as its users configure it: a file database in a temp dir, `journal_mode = WAL`,
 * `synchronous = FULL` (each COMMIT durable), statements prepared once, `db.transaction(fn)` around each 1,000-row
 * batch, rows as objects. `sqlText` is what an application does without keeping a statement: `db.prepare(text)` and
 * run it (better-sqlite3 keeps no statement cache, so each call compiles the text).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH, RANGE_LEN } from '../standard/workload';
import type { SqliteDb, SqliteModule, Statement } from '../standard/native-peers';
import { SQL, groupOf, totalsOf, valueText, type GroupTotals, type SqlSubject, type SqlWorkload } from './common';

export type SqliteDatabase = SqliteModule;
type Row = Record<string, unknown>;

export class SqliteSqlSubject implements SqlSubject {
  #dir = '';
  #db: SqliteDb | null = null;
  #insert!: Statement;
  #point!: Statement;
  #range!: Statement;
  #groupBy!: Statement;

  constructor(readonly label: string, private readonly Database: SqliteDatabase) {}

  async open(): Promise<void> {
    this.#dir = mkdtempSync(join(tmpdir(), 'aistorage-bench-sql-sqlite-'));
    const db = new this.Database(join(this.#dir, 'bench.db'));
    this.#db = db;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // id BIGINT PRIMARY KEY is a rowid alias in SQLite only when declared INTEGER: declared so, as its users would.
    for (const table of ['t', 't2']) db.exec(SQL.createTable(table).replace('BIGINT', 'INTEGER'));
    this.#insert = db.prepare(SQL.insert);
    this.#point = db.prepare(SQL.point);
    this.#range = db.prepare(SQL.range);
    this.#groupBy = db.prepare(SQL.groupBy);
  }

  get #d(): SqliteDb {
    return this.#db!;
  }

  async insert(sw: SqlWorkload): Promise<void> {
    const order = sw.w.insertOrder;
    const batch = this.#d.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const key = order[i]!;
        this.#insert.run(key, groupOf(key), valueText(sw, key));
      }
    });
    for (let from = 0; from < order.length; from += BATCH) batch(from, Math.min(from + BATCH, order.length));
  }

  async pointSelect(sw: SqlWorkload): Promise<number> {
    const order = sw.w.readOrder;
    let found = 0;
    for (let i = 0; i < order.length; i++) {
      const row = this.#point.get(order[i]!) as Row | undefined;
      if (row !== undefined && (row.v as string).length === 100) found++;
    }
    return found;
  }

  async rangeSelect(sw: SqlWorkload): Promise<number> {
    const starts = sw.w.rangeStarts;
    let rows = 0;
    for (let i = 0; i < starts.length; i++) {
      const s = starts[i]!;
      const got = this.#range.all(s, s + RANGE_LEN - 1) as Row[];
      if (got.length > 0 && got[0]!.id !== s) throw new Error(`range select from ${s}: first id ${String(got[0]!.id)}`);
      rows += got.length;
    }
    return rows;
  }

  async groupBy(): Promise<GroupTotals> {
    return totalsOf(this.#groupBy.all() as Row[]);
  }

  async sqlText(text: string, params: readonly unknown[]): Promise<string | undefined> {
    return (this.#d.prepare(text).get(...params) as Row | undefined)?.v as string | undefined;
  }

  async insertMulti(sw: SqlWorkload): Promise<void> {
    const order = sw.w.insertOrder;
    const statements = new Map<number, Statement>();
    const params: unknown[] = [];
    for (let from = 0; from < sw.multiRows; from += BATCH) {
      const to = Math.min(from + BATCH, sw.multiRows);
      let stmt = statements.get(to - from);
      if (stmt === undefined) statements.set(to - from, (stmt = this.#d.prepare(SQL.insertMulti(to - from))));
      params.length = 0;
      for (let i = from; i < to; i++) params.push(order[i]!, groupOf(order[i]!), valueText(sw, order[i]!));
      stmt.run(...params); // one statement: its own transaction
    }
  }

  async lookup(key: number): Promise<string | undefined> {
    return (this.#point.get(key) as Row | undefined)?.v as string | undefined;
  }

  async close(): Promise<void> {
    try {
      this.#db?.close();
    } finally {
      this.#db = null;
      rmSync(this.#dir, { recursive: true, force: true });
    }
  }
}
