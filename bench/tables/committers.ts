/**
 * The subjects of the tables benchmark's durable-commit figures, each making one row (8-byte key, 100-byte value)
 * durable per commit:
 *
 * - level 2: `node.table('t').upsert({ k, v })` on aipersist — an implicit transaction that resolves once its
 *   outcome is durable (the node of ./level2-subject.ts: `default` profile, temp work dir, zone of 1 or 25 partitions);
 * - better-sqlite3, opened as bench/delta-log/peers.ts opens it (WAL, `synchronous = FULL`, table
 *   `t(k INTEGER PRIMARY KEY, v BLOB)`), with one prepared `INSERT OR REPLACE` in autocommit per commit (the upsert
 *   that level 2 does; peers.ts's SqliteCommitter prepares a plain INSERT);
 * - level 3: bench/delta-log's AipersistLogBench (`runDurably` of one row + its index entry), as it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DurableCommitter } from '../delta-log/peers';
import type { SqliteModule } from '../standard/native-peers';
import type { MaybePromise } from '../standard/subject';
import type { Table } from '../../src/interfaces/api/table-handle';
import { openTablesNode, TABLE, type BenchRow, type TablesNode } from './level2-subject';

/** A DurableCommitter whose read-back (untimed, for the checks) may be asynchronous. */
export type UpsertCommitter = Omit<DurableCommitter, 'lookup'> & {
  lookup(key: number): MaybePromise<Uint8Array | undefined>;
};

export class Level2Committer implements UpsertCommitter {
  #tables: TablesNode | null = null;
  #table!: Table<BenchRow>;

  constructor(readonly label: string, private readonly rows: number, private readonly partitions: number) {}

  async open(): Promise<void> {
    this.#tables = await openTablesNode('aipersist', this.rows, this.partitions);
    this.#table = this.#tables.node.table<BenchRow>(TABLE);
  }

  /** One implicit transaction: resolves once durable. */
  commit(key: number, value: Buffer): Promise<void> {
    return this.#table.upsert({ k: BigInt(key), v: value });
  }

  async lookup(key: number): Promise<Uint8Array | undefined> {
    return (await this.#table.get({ k: BigInt(key) }))?.v ?? undefined;
  }

  async close(): Promise<void> {
    await this.#tables?.close();
    this.#tables = null;
  }
}

/** The part of better-sqlite3's API used here (the package ships no types). */
interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  pluck(on?: boolean): Statement;
}
interface SqliteDb {
  pragma(source: string): unknown;
  exec(source: string): void;
  prepare(source: string): Statement;
  close(): void;
}

export class SqliteUpsertCommitter implements UpsertCommitter {
  readonly label = 'better-sqlite3 (WAL, synchronous=FULL, INSERT OR REPLACE)';
  #dir = '';
  #db!: SqliteDb;
  #upsert!: Statement;
  #get!: Statement;

  constructor(private readonly Database: SqliteModule) {}

  async open(): Promise<void> {
    this.#dir = mkdtempSync(join(tmpdir(), 'aistorage-bench-tables-sqlite-'));
    const db = new this.Database(join(this.#dir, 'bench.db')) as unknown as SqliteDb;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)');
    this.#db = db;
    this.#upsert = db.prepare('INSERT OR REPLACE INTO t(k, v) VALUES (?, ?)');
    this.#get = db.prepare('SELECT v FROM t WHERE k = ?').pluck();
  }

  /** One statement in autocommit: its own transaction, committed and synced when `run` returns. */
  commit(key: number, value: Buffer): void {
    this.#upsert.run(key, value);
  }

  lookup(key: number): Uint8Array | undefined {
    return this.#get.get(key) as Buffer | undefined;
  }

  async close(): Promise<void> {
    this.#db.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
