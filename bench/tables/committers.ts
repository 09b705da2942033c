/**
 * The subjects of the tables benchmark's durable-commit figures, each making one row (8-byte key, 100-byte value)
 * durable per commit:
 *
 * - level 2: `node.table('t').upsert({ k, v })` on aipersist — an implicit transaction that resolves once its
 *   outcome is durable (the node of ./level2-subject.ts: `default` profile, temp work dir, zone of 1 or 25 partitions);
 * - better-sqlite3: bench/delta-log/peers.ts's SqliteCommitter with `replace` (WAL, `synchronous = FULL`, one prepared
 *   `INSERT OR REPLACE` in autocommit per commit: the upsert that level 2 does);
 * - level 3: bench/delta-log's AipersistLogBench (`runDurably` of one row + its index entry), as it is.
 */
import type { DurableCommitter } from '../delta-log/peers';
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
