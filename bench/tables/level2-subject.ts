/**
 * aistorage through the table API (level 2): a node with one zone (`bench`, 1 or 25 partitions) and one table
 * `t(k BIGINT primary key, v VARBINARY)`, driven as an application drives it — every call awaited, rows as objects.
 *
 * - aimem: a node without a work dir and an aimem profile `bench` sized as the level-3 aimem subject's region
 *   (bench/standard/aistorage-subject.ts). Nothing is durable; commits resolve without I/O.
 * - aipersist: a node on a temp work dir whose `default` profile has the level-3 aipersist subject's cache (≥ 4 × raw,
 *   bench/aipersist/child.ts); every read-write transaction resolves once durable (its outcome is logged with
 *   runDurably by the transaction-state store).
 *
 * Phases: inserts with `tx.table('t').insert` in `node.transaction`s of 1,000 rows; point reads with
 * `node.table('t').get` (each its own read-only transaction); the full scan with `scan()`; range scans with
 * `scan({ gte: key, limit: 100 })`; updates with `tx.table('t').upsert` and deletes with `tx.table('t').delete`, 1,000
 * per transaction. `openTablesNode` is shared with the durable-commit figures (./commit-loops.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { StorageConfigInput } from '../../src/interfaces/api/index';
import type { StoreMemory, Subject } from '../standard/subject';
import { BATCH, updatedValueOf, valueOf, type Workload } from '../standard/workload';
import { AIMEM_INIT_BYTES, aimemMaxBytes, aipersistCacheBytes } from './common';

export const TABLE = 't';
const ZONE = 'bench';

/** A row of the benchmark's table. */
export interface BenchRow {
  k: bigint;
  v: Uint8Array;
}

export type TablesEngine = 'aimem' | 'aipersist';

/** A node with the benchmark's zone and table; `close` also removes its work dir. */
export interface TablesNode {
  readonly node: StorageNode;
  readonly profile: string;
  close(): Promise<void>;
}

/** Opens a node sized for `rows` rows and creates the zone (`partitions`) and the table on `engine`. */
export async function openTablesNode(engine: TablesEngine, rows: number, partitions: number): Promise<TablesNode> {
  const { openNode } = require('../../src/interfaces/api/open-node') as typeof import('../../src/interfaces/api/open-node');
  const workDir = engine === 'aipersist' ? mkdtempSync(join(tmpdir(), 'aistorage-bench-tables-')) : undefined;
  const profile = engine === 'aimem' ? 'bench' : 'default';
  const profiles: NonNullable<NonNullable<StorageConfigInput['ignite']>['storage']>['profiles'] = engine === 'aimem'
    ? [{ engine: 'aimem', name: profile, initSizeBytes: AIMEM_INIT_BYTES, maxSizeBytes: aimemMaxBytes(rows) }]
    : [{ name: 'default', sizeBytes: aipersistCacheBytes(rows) }];
  const removeDir = (): void => {
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  };
  let node: StorageNode;
  try {
    node = await openNode({ ...(workDir === undefined ? {} : { workDir }), config: { ignite: { storage: { profiles } } } });
  } catch (e) {
    removeDir();
    throw e;
  }
  const close = async (): Promise<void> => {
    try {
      await node.close();
    } finally {
      removeDir();
    }
  };
  try {
    await node.createZone({ name: ZONE, partitions, storageProfiles: [profile] });
    await node.createTable({
      name: TABLE, zone: ZONE, storageProfile: profile,
      columns: [{ name: 'k', type: 'BIGINT' }, { name: 'v', type: 'VARBINARY' }],
      primaryKey: ['k'],
    });
  } catch (e) {
    await close();
    throw e;
  }
  return { node, profile, close };
}

export class Level2Subject implements Subject {
  readonly ordered = true;
  #tables: TablesNode | null = null;

  constructor(readonly label: string, private readonly engine: TablesEngine, private readonly partitions: number) {}

  async open(w: Workload): Promise<void> {
    this.#tables = await openTablesNode(this.engine, w.n, this.partitions);
  }

  get #node(): StorageNode {
    return this.#tables!.node;
  }

  async insert(w: Workload): Promise<void> {
    const order = w.insertOrder;
    for (let from = 0; from < order.length; from += BATCH) {
      const to = Math.min(from + BATCH, order.length);
      await this.#node.transaction(async (tx) => {
        const t = tx.table<BenchRow>(TABLE);
        for (let i = from; i < to; i++) {
          const key = order[i]!;
          await t.insert({ k: BigInt(key), v: valueOf(w, key) });
        }
      });
    }
  }

  async pointReads(w: Workload): Promise<number> {
    const t = this.#node.table<BenchRow>(TABLE);
    const order = w.readOrder;
    let found = 0;
    for (let i = 0; i < order.length; i++) {
      const row = await t.get({ k: BigInt(order[i]!) });
      if (row !== null && row.v.length === 100) found++;
    }
    return found;
  }

  async fullScan(): Promise<number> {
    let rows = 0;
    for await (const row of this.#node.table<BenchRow>(TABLE).scan()) if (row.v.length === 100) rows++;
    return rows;
  }

  async rangeScans(w: Workload): Promise<number> {
    const t = this.#node.table<BenchRow>(TABLE);
    const starts = w.rangeStarts;
    let rows = 0;
    for (let i = 0; i < starts.length; i++) {
      for await (const row of t.scan({ gte: BigInt(starts[i]!), limit: 100 })) if (row.v.length === 100) rows++;
    }
    return rows;
  }

  async update(w: Workload): Promise<void> {
    const keys = w.updateKeys;
    for (let from = 0; from < keys.length; from += BATCH) {
      const to = Math.min(from + BATCH, keys.length);
      await this.#node.transaction(async (tx) => {
        const t = tx.table<BenchRow>(TABLE);
        for (let i = from; i < to; i++) await t.upsert({ k: BigInt(keys[i]!), v: updatedValueOf(w, keys[i]!) });
      });
    }
  }

  async delete(w: Workload): Promise<void> {
    const keys = w.deleteKeys;
    for (let from = 0; from < keys.length; from += BATCH) {
      const to = Math.min(from + BATCH, keys.length);
      await this.#node.transaction(async (tx) => {
        const t = tx.table<BenchRow>(TABLE);
        for (let i = from; i < to; i++) {
          if (!(await t.delete({ k: BigInt(keys[i]!) }))) throw new Error(`delete: key ${keys[i]} not found`);
        }
      });
    }
  }

  async lookup(key: number): Promise<Uint8Array | undefined> {
    return (await this.#node.table<BenchRow>(TABLE).get({ k: BigInt(key) }))?.v ?? undefined;
  }

  memory(): StoreMemory | null {
    const region = this.#node.profiles().find((p) => p.name === this.#tables!.profile)?.region;
    return region == null ? null : { allocatedBytes: region.allocatedBytes, totalBytes: region.totalBytes, pageSize: region.pageSize };
  }

  async close(): Promise<void> {
    await this.#tables?.close();
    this.#tables = null;
  }
}
