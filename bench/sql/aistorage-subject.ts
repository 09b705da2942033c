/**
 * aistorage through SQL (level 1), driven as an application drives it: every call awaited, rows as objects, safe
 * integers as BIGINT parameters.
 *
 * - aimem: a node without a work dir and an aimem profile `bench` sized for the data (./common.ts). Nothing is
 *   durable; commits resolve without I/O.
 * - aipersist: a node on a temp work dir whose `default` profile has a cache ≥ 4 × the data; a COMMIT resolves once
 *   durable (fsync of the delta log), as better-sqlite3's with synchronous = FULL.
 *
 * The zone `bench` has 1 partition; the tables are made by `CREATE TABLE … ZONE bench`. Inserts: a session
 * (`node.sqlSession()`), `START TRANSACTION`, a prepared `INSERT INTO t VALUES (?, ?, ?)` run once a row, `COMMIT`,
 * 1,000 rows a transaction. Selects: statements prepared once (`node.prepare`), each call its own read-only
 * transaction. The re-parse check counts the parses of an SqlEngine of its own over the same node — the class behind
 * `node.sql`, whose engine is private to the node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { StorageConfigInput } from '../../src/interfaces/api/index';
import type { PreparedStatement } from '../../src/interfaces/sql/sql-api';
import type { SqlHost } from '../../src/interfaces/sql/sql-host';
import { BATCH, RANGE_LEN } from '../standard/workload';
import {
  AIMEM_INIT_BYTES, SQL, TEXT_CALLS, aimemMaxBytes, aipersistCacheBytes, groupOf, totalsOf, valueText,
  type GroupTotals, type SqlSubject, type SqlWorkload,
} from './common';

export type AistorageEngine = 'aimem' | 'aipersist';
type Row = Record<string, unknown>;

const ZONE = 'bench';

export class AistorageSqlSubject implements SqlSubject {
  #node: StorageNode | null = null;
  #workDir: string | undefined;
  #point!: PreparedStatement;
  #range!: PreparedStatement;
  #groupBy!: PreparedStatement;

  constructor(readonly label: string, private readonly engine: AistorageEngine) {}

  async open(sw: SqlWorkload): Promise<void> {
    const { openNode } = require('../../src/interfaces/api/open-node') as typeof import('../../src/interfaces/api/open-node');
    const n = sw.w.n;
    const profile = this.engine === 'aimem' ? 'bench' : 'default';
    const profiles: NonNullable<NonNullable<StorageConfigInput['ignite']>['storage']>['profiles'] = this.engine === 'aimem'
      ? [{ engine: 'aimem', name: profile, initSizeBytes: AIMEM_INIT_BYTES, maxSizeBytes: aimemMaxBytes(n) }]
      : [{ name: 'default', sizeBytes: aipersistCacheBytes(n) }];
    this.#workDir = this.engine === 'aipersist' ? mkdtempSync(join(tmpdir(), 'aistorage-bench-sql-')) : undefined;
    try {
      this.#node = await openNode({ ...(this.#workDir === undefined ? {} : { workDir: this.#workDir }), config: { ignite: { storage: { profiles } } } });
    } catch (e) {
      this.#removeDir();
      throw e;
    }
    const node = this.#node;
    await node.createZone({ name: ZONE, partitions: 1, storageProfiles: [profile] });
    for (const table of ['t', 't2']) await node.sql(`${SQL.createTable(table)} ZONE ${ZONE} STORAGE PROFILE '${profile}'`);
    this.#point = await node.prepare(SQL.point);
    this.#range = await node.prepare(SQL.range);
    this.#groupBy = await node.prepare(SQL.groupBy);
  }

  get #n(): StorageNode {
    return this.#node!;
  }

  async insert(sw: SqlWorkload): Promise<void> {
    const order = sw.w.insertOrder;
    const session = this.#n.sqlSession();
    const insert = await session.prepare(SQL.insert);
    for (let from = 0; from < order.length; from += BATCH) {
      const to = Math.min(from + BATCH, order.length);
      await session.sql('START TRANSACTION');
      for (let i = from; i < to; i++) {
        const key = order[i]!;
        await insert.run([key, groupOf(key), valueText(sw, key)]);
      }
      await session.sql('COMMIT');
    }
  }

  async pointSelect(sw: SqlWorkload): Promise<number> {
    const order = sw.w.readOrder;
    let found = 0;
    for (let i = 0; i < order.length; i++) {
      const row = await this.#point.get<Row>([order[i]!]);
      if (row !== null && (row.v as string).length === 100) found++;
    }
    return found;
  }

  async rangeSelect(sw: SqlWorkload): Promise<number> {
    const starts = sw.w.rangeStarts;
    let rows = 0;
    for (let i = 0; i < starts.length; i++) {
      const s = starts[i]!;
      const got = await this.#range.all<Row>([s, s + RANGE_LEN - 1]);
      if (got.length > 0 && got[0]!.id !== BigInt(s)) throw new Error(`range select from ${s}: first id ${String(got[0]!.id)}`);
      rows += got.length;
    }
    return rows;
  }

  async groupBy(): Promise<GroupTotals> {
    return totalsOf(await this.#groupBy.all<Row>());
  }

  async sqlText(text: string, params: readonly unknown[]): Promise<string | undefined> {
    return (await this.#n.sql<Row>(text, params)).rows[0]?.v as string | undefined;
  }

  async insertMulti(sw: SqlWorkload): Promise<void> {
    const order = sw.w.insertOrder;
    const statements = new Map<number, PreparedStatement>();
    const params: unknown[] = [];
    for (let from = 0; from < sw.multiRows; from += BATCH) {
      const to = Math.min(from + BATCH, sw.multiRows);
      let stmt = statements.get(to - from);
      if (stmt === undefined) statements.set(to - from, (stmt = await this.#n.prepare(SQL.insertMulti(to - from))));
      params.length = 0;
      for (let i = from; i < to; i++) params.push(order[i]!, groupOf(order[i]!), valueText(sw, order[i]!));
      await stmt.run(params);
    }
  }

  async parseCheck(sw: SqlWorkload): Promise<{ seen: number; fresh: number }> {
    const { SqlEngine } = require('../../src/interfaces/sql/sql-api') as typeof import('../../src/interfaces/sql/sql-api');
    const { expressionCompiler } = require('../../src/interfaces/sql/eval/compile') as typeof import('../../src/interfaces/sql/eval/compile');
    const engine = new SqlEngine(this.#n as unknown as SqlHost, expressionCompiler);
    try {
      const order = sw.w.readOrder;
      await engine.sql(SQL.point, [order[0]!]); // the first sight parses
      const before = engine.parses;
      for (let i = 0; i < TEXT_CALLS; i++) await engine.sql(SQL.point, [order[i % order.length]!]);
      const seen = engine.parses - before;
      for (let i = 0; i < TEXT_CALLS; i++) await engine.sql(SQL.freshPoint(order[i % order.length]!));
      return { seen, fresh: engine.parses - before - seen };
    } finally {
      engine.close();
    }
  }

  async lookup(key: number): Promise<string | undefined> {
    return ((await this.#point.get<Row>([key]))?.v as string | undefined) ?? undefined;
  }

  async close(): Promise<void> {
    try {
      await this.#node?.close();
    } finally {
      this.#node = null;
      this.#removeDir();
    }
  }

  #removeDir(): void {
    if (this.#workDir !== undefined) rmSync(this.#workDir, { recursive: true, force: true });
    this.#workDir = undefined;
  }
}
