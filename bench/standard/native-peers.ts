/**
 * Native peers, each in its own temp directory (removed on close): lmdb (lmdb-js, with and without sync),
 * better-sqlite3 (WAL, synchronous=FULL) and classic-level (LevelDB). Batches of 1,000 rows are one transaction
 * (lmdb transactionSync, a better-sqlite3 transaction) or one `batch()` (classic-level). Their durable-commit and
 * reopen phases are not run here: aimem is volatile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH, RANGE_LEN, keyBytes, updatedValueOf, valueOf, type Workload } from './workload';
import type { Subject } from './subject';

function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `aistorage-bench-${tag}-`));
}

/** Calls `run(from, to)` for each slice of 1,000 indexes of `keys` (one transaction each). */
function inBatches(keys: Uint32Array, run: (from: number, to: number) => void): void {
  for (let from = 0; from < keys.length; from += BATCH) run(from, Math.min(from + BATCH, keys.length));
}

// ---------------------------------------------------------------- lmdb

type LmdbModule = typeof import('lmdb');
type LmdbDb = ReturnType<LmdbModule['open']>;

/**
 * Keys are numbers in lmdb-js's default order-preserving key encoding; values raw binary. Two variants: lmdb's
 * defaults, which the targets compare with (every commit flushed to disk; on Linux lmdb-js's default
 * `overlappingSync` runs that flush after the commit, overlapping the next transactions), and `noSync: true`
 * (nothing flushed: lmdb at memory speed, the bound of what a volatile engine should beat).
 */
export class LmdbSubject implements Subject {
  readonly ordered = true;
  readonly label: string;
  #dir = '';
  #db!: LmdbDb;

  constructor(private readonly lmdb: LmdbModule, private readonly noSync: boolean) {
    this.label = noSync ? 'lmdb, noSync' : 'lmdb (lmdb-js, default sync)';
  }

  async open(): Promise<void> {
    this.#dir = tempDir('lmdb');
    this.#db = this.lmdb.open({ path: this.#dir, encoding: 'binary', ...(this.noSync ? { noSync: true } : {}) });
  }

  insert(w: Workload): void {
    const db = this.#db;
    const order = w.insertOrder;
    inBatches(order, (from, to) => db.transactionSync(() => {
      for (let i = from; i < to; i++) void db.put(order[i]!, valueOf(w, order[i]!));
    }));
  }

  pointReads(w: Workload): number {
    let found = 0;
    const order = w.readOrder;
    for (let i = 0; i < order.length; i++) if ((this.#db.get(order[i]!) as Buffer | undefined)?.length === 100) found++;
    return found;
  }

  fullScan(): number {
    let rows = 0;
    for (const { value } of this.#db.getRange()) if ((value as Buffer).length === 100) rows++;
    return rows;
  }

  rangeScans(w: Workload): number {
    let rows = 0;
    const starts = w.rangeStarts;
    for (let i = 0; i < starts.length; i++) {
      for (const { value } of this.#db.getRange({ start: starts[i]!, end: starts[i]! + RANGE_LEN })) {
        if ((value as Buffer).length === 100) rows++;
      }
    }
    return rows;
  }

  update(w: Workload): void {
    const db = this.#db;
    const keys = w.updateKeys;
    inBatches(keys, (from, to) => db.transactionSync(() => {
      for (let i = from; i < to; i++) void db.put(keys[i]!, updatedValueOf(w, keys[i]!));
    }));
  }

  delete(w: Workload): void {
    const db = this.#db;
    const keys = w.deleteKeys;
    inBatches(keys, (from, to) => db.transactionSync(() => {
      for (let i = from; i < to; i++) void db.remove(keys[i]!);
    }));
  }

  lookup(key: number): Uint8Array | undefined {
    return this.#db.get(key) as Buffer | undefined;
  }

  async close(): Promise<void> {
    await this.#db.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- better-sqlite3

/** The part of better-sqlite3's API used here (the package ships no types; @types/better-sqlite3 is not needed). */
export interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  pluck(on?: boolean): Statement;
  raw(on?: boolean): Statement;
}
export interface SqliteDb {
  pragma(source: string): unknown;
  exec(source: string): void;
  prepare(source: string): Statement;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}
export type SqliteModule = new (file: string) => SqliteDb;

export class SqliteSubject implements Subject {
  readonly label = 'better-sqlite3, WAL, synchronous=FULL';
  readonly ordered = true;
  #dir = '';
  #db!: SqliteDb;
  #insert!: Statement;
  #get!: Statement;
  #scan!: Statement;
  #range!: Statement;
  #update!: Statement;
  #delete!: Statement;

  constructor(private readonly Database: SqliteModule) {}

  async open(): Promise<void> {
    this.#dir = tempDir('sqlite');
    const db = new this.Database(join(this.#dir, 'bench.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)');
    this.#db = db;
    this.#insert = db.prepare('INSERT INTO t(k, v) VALUES (?, ?)');
    this.#get = db.prepare('SELECT v FROM t WHERE k = ?').pluck();
    this.#scan = db.prepare('SELECT k, v FROM t ORDER BY k').raw();
    this.#range = db.prepare('SELECT k, v FROM t WHERE k BETWEEN ? AND ? ORDER BY k').raw();
    this.#update = db.prepare('UPDATE t SET v = ? WHERE k = ?');
    this.#delete = db.prepare('DELETE FROM t WHERE k = ?');
  }

  insert(w: Workload): void {
    const order = w.insertOrder;
    const tx = this.#db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) this.#insert.run(order[i]!, valueOf(w, order[i]!));
    });
    inBatches(order, (from, to) => tx(from, to));
  }

  pointReads(w: Workload): number {
    let found = 0;
    const order = w.readOrder;
    for (let i = 0; i < order.length; i++) if ((this.#get.get(order[i]!) as Buffer | undefined)?.length === 100) found++;
    return found;
  }

  fullScan(): number {
    let rows = 0;
    for (const row of this.#scan.iterate()) if (((row as unknown[])[1] as Buffer).length === 100) rows++;
    return rows;
  }

  rangeScans(w: Workload): number {
    let rows = 0;
    const starts = w.rangeStarts;
    for (let i = 0; i < starts.length; i++) {
      for (const row of this.#range.all(starts[i]!, starts[i]! + RANGE_LEN - 1)) {
        if (((row as unknown[])[1] as Buffer).length === 100) rows++;
      }
    }
    return rows;
  }

  update(w: Workload): void {
    const keys = w.updateKeys;
    const tx = this.#db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) this.#update.run(updatedValueOf(w, keys[i]!), keys[i]!);
    });
    inBatches(keys, (from, to) => tx(from, to));
  }

  delete(w: Workload): void {
    const keys = w.deleteKeys;
    const tx = this.#db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) this.#delete.run(keys[i]!);
    });
    inBatches(keys, (from, to) => tx(from, to));
  }

  lookup(key: number): Uint8Array | undefined {
    return this.#get.get(key) as Buffer | undefined;
  }

  async close(): Promise<void> {
    this.#db.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- classic-level

type LevelModule = typeof import('classic-level');
type LevelDb = import('classic-level').ClassicLevel<Buffer, Buffer>;

/** Keys are 8 big-endian bytes; point reads use getSync (the fastest read path), scans iterators. */
export class LevelSubject implements Subject {
  readonly label = 'classic-level (LevelDB)';
  readonly ordered = true;
  #dir = '';
  #db!: LevelDb;

  constructor(private readonly level: LevelModule) {}

  async open(): Promise<void> {
    this.#dir = tempDir('level');
    this.#db = new this.level.ClassicLevel<Buffer, Buffer>(this.#dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await this.#db.open();
  }

  async insert(w: Workload): Promise<void> {
    const order = w.insertOrder;
    for (let from = 0; from < order.length; from += BATCH) {
      const to = Math.min(from + BATCH, order.length);
      const ops: Array<{ type: 'put'; key: Buffer; value: Buffer }> = [];
      for (let i = from; i < to; i++) ops.push({ type: 'put', key: keyBytes(order[i]!), value: valueOf(w, order[i]!) });
      await this.#db.batch(ops);
    }
  }

  pointReads(w: Workload): number {
    let found = 0;
    const order = w.readOrder;
    for (let i = 0; i < order.length; i++) if (this.#db.getSync(keyBytes(order[i]!))?.length === 100) found++;
    return found;
  }

  async fullScan(): Promise<number> {
    let rows = 0;
    const it = this.#db.iterator();
    for (;;) {
      const entries = await it.nextv(1000);
      if (entries.length === 0) break;
      for (const [, v] of entries) if (v.length === 100) rows++;
    }
    await it.close();
    return rows;
  }

  async rangeScans(w: Workload): Promise<number> {
    let rows = 0;
    const starts = w.rangeStarts;
    for (let i = 0; i < starts.length; i++) {
      const entries = await this.#db.iterator({ gte: keyBytes(starts[i]!), lte: keyBytes(starts[i]! + RANGE_LEN - 1) }).all();
      for (const [, v] of entries) if (v.length === 100) rows++;
    }
    return rows;
  }

  async update(w: Workload): Promise<void> {
    const keys = w.updateKeys;
    for (let from = 0; from < keys.length; from += BATCH) {
      const to = Math.min(from + BATCH, keys.length);
      const ops: Array<{ type: 'put'; key: Buffer; value: Buffer }> = [];
      for (let i = from; i < to; i++) ops.push({ type: 'put', key: keyBytes(keys[i]!), value: updatedValueOf(w, keys[i]!) });
      await this.#db.batch(ops);
    }
  }

  async delete(w: Workload): Promise<void> {
    const keys = w.deleteKeys;
    for (let from = 0; from < keys.length; from += BATCH) {
      const to = Math.min(from + BATCH, keys.length);
      const ops: Array<{ type: 'del'; key: Buffer }> = [];
      for (let i = from; i < to; i++) ops.push({ type: 'del', key: keyBytes(keys[i]!) });
      await this.#db.batch(ops);
    }
  }

  lookup(key: number): Uint8Array | undefined {
    return this.#db.getSync(keyBytes(key));
  }

  async close(): Promise<void> {
    await this.#db.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
