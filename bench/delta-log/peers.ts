/**
 * The subjects of the delta-log benchmark's durable-commit figures (bench/delta-log.bench.ts), each committing one
 * row (8-byte key, 100-byte value) per durable commit, as its users make one write durable:
 *
 * - better-sqlite3, opened as bench/standard/native-peers.ts opens it (WAL, `synchronous = FULL`, table
 *   `t(k INTEGER PRIMARY KEY, v BLOB)`): one `INSERT` in autocommit — one transaction, committed (the WAL
 *   fsynced) before `run` returns. better-sqlite3 is synchronous: a connection commits one transaction at a time,
 *   so "64 concurrent writers" on it are its commits one after another.
 * - lmdb-js, opened as native-peers.ts opens it (its defaults: on Linux `overlappingSync`, the flush runs after
 *   the commit): `await db.put(k, v)` then `await db.flushed` — the put's promise resolves when the commit is
 *   visible; `flushed` when it is on disk (lmdb-js README, overlappingSync). Concurrent puts issued in one event turn
 *   are batched by lmdb-js into one transaction.
 * - the raw disk: 4 KiB written with `writeSync` then `fdatasyncSync` — either over a block already written (a
 *   file of PROBE_FILE_BLOCKS blocks, preallocated and fsynced first, overwritten in place in turn) or appended at
 *   the end of the file (the file grows: fdatasync also commits the new size and extent).
 */
import { closeSync, fdatasyncSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteDb, SqliteModule, Statement } from '../standard/native-peers';

/** One durable single-row commit after another (or concurrently, when `commit` returns a promise). */
export interface DurableCommitter {
  readonly label: string;
  open(): Promise<void>;
  /** Resolves (or returns) once the row is durable. */
  commit(key: number, value: Buffer): Promise<void> | void;
  /** The committed value of `key` (checks, untimed). */
  lookup(key: number): Uint8Array | undefined;
  close(): Promise<void>;
}

function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `aistorage-bench-delta-log-${tag}-`));
}

// ---------------------------------------------------------------- better-sqlite3

export class SqliteCommitter implements DurableCommitter {
  readonly label: string;
  #dir = '';
  #db!: SqliteDb;
  #insert!: Statement;
  #get!: Statement;

  /** `replace`: each commit is an INSERT OR REPLACE (an upsert, as the tables bench's writers do), else a plain INSERT. */
  constructor(private readonly Database: SqliteModule, private readonly replace = false) {
    this.label = replace ? 'better-sqlite3 (WAL, synchronous=FULL, INSERT OR REPLACE)' : 'better-sqlite3 (WAL, synchronous=FULL)';
  }

  async open(): Promise<void> {
    this.#dir = tempDir('sqlite');
    const db = new this.Database(join(this.#dir, 'bench.db')) as unknown as SqliteDb;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB)');
    this.#db = db;
    this.#insert = db.prepare(`INSERT${this.replace ? ' OR REPLACE' : ''} INTO t(k, v) VALUES (?, ?)`);
    this.#get = db.prepare('SELECT v FROM t WHERE k = ?').pluck();
  }

  /** One INSERT in autocommit: its own transaction, committed and synced when `run` returns. */
  commit(key: number, value: Buffer): void {
    this.#insert.run(key, value);
  }

  lookup(key: number): Uint8Array | undefined {
    return this.#get.get(key) as Buffer | undefined;
  }

  async close(): Promise<void> {
    this.#db.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- lmdb

type LmdbModule = typeof import('lmdb');
type LmdbDb = ReturnType<LmdbModule['open']>;

export class LmdbCommitter implements DurableCommitter {
  readonly label = 'lmdb (lmdb-js, default sync: await put, then db.flushed)';
  #dir = '';
  #db!: LmdbDb;

  constructor(private readonly lmdb: LmdbModule) {}

  async open(): Promise<void> {
    this.#dir = tempDir('lmdb');
    this.#db = this.lmdb.open({ path: this.#dir, encoding: 'binary' });
  }

  async commit(key: number, value: Buffer): Promise<void> {
    await this.#db.put(key, value);
    await this.#db.flushed;
  }

  lookup(key: number): Uint8Array | undefined {
    return this.#db.get(key) as Buffer | undefined;
  }

  async close(): Promise<void> {
    await this.#db.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the raw disk

export const PROBE_BLOCK = 4096;
/** Blocks of the preallocated file the overwrite probe writes over in turn (4 MiB). */
const PROBE_FILE_BLOCKS = 1024;

/** 4 KiB + fdatasync per "commit": in place over written blocks (`overwrite`) or at the end of the file (`append`). */
export class FdatasyncProbe implements DurableCommitter {
  readonly label: string;
  #dir = '';
  #fd = -1;
  #at = 0;
  readonly #block = Buffer.allocUnsafe(PROBE_BLOCK);

  constructor(private readonly mode: 'overwrite' | 'append') {
    this.label = mode === 'overwrite' ? 'raw: 4 KiB overwrite in place + fdatasync' : 'raw: 4 KiB append + fdatasync';
    for (let i = 0; i < PROBE_BLOCK; i += 4) this.#block.writeUInt32LE((Math.random() * 0x1_0000_0000) >>> 0, i);
  }

  async open(): Promise<void> {
    this.#dir = tempDir(`fdatasync-${this.mode}`);
    this.#fd = openSync(join(this.#dir, 'probe.bin'), 'w+');
    if (this.mode === 'overwrite') {
      for (let b = 0; b < PROBE_FILE_BLOCKS; b++) writeSync(this.#fd, this.#block, 0, PROBE_BLOCK, b * PROBE_BLOCK);
      fsyncSync(this.#fd);
    }
  }

  commit(key: number, value: Buffer): void {
    this.#block.writeUInt32LE(key, 0);
    value.copy(this.#block, 8);
    const block = this.mode === 'overwrite' ? this.#at++ % PROBE_FILE_BLOCKS : this.#at++;
    writeSync(this.#fd, this.#block, 0, PROBE_BLOCK, block * PROBE_BLOCK);
    fdatasyncSync(this.#fd);
  }

  lookup(): Uint8Array | undefined {
    return undefined;
  }

  async close(): Promise<void> {
    closeSync(this.#fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
