/**
 * `aistorage zones` and `aistorage tables` on a work dir whose zones, tables, indexes and rows were made through the
 * API and closed: aligned text and JSON (bigints as strings), per-partition rows and bytes, aimem tables empty after
 * the restart, and the refusals (a node holding the work dir, a missing work dir).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNode } from '../../src/interfaces/api/index';
import { useNodeScope } from '../support/node-scope';
import { runCli as run } from '../support/run-cli';

const BIG = 9007199254740993n; // beyond Number.MAX_SAFE_INTEGER: JSON must carry it as a string

interface PartitionJson { id: number; estimatedRows: number; diskBytes: number }
interface TableJson {
  name: string; zone: string; storageProfile: string; engine: string; schemaVersion: number;
  columns: { name: string; type: string; default?: unknown }[]; primaryKey: string[];
  indexes: { name: string; type: string; columns: { name: string; order: string }[]; available: boolean }[];
  rows: number; diskBytes: number; partitions: PartitionJson[];
}

/** Zone Sales (4 partitions, 3 replicas) with Orders (aipersist, 20 rows, two indexes) and Cache (aimem, 3 rows). */
async function populate(workDir: string): Promise<void> {
  const node = await openNode({ workDir });
  try {
    node.config.update('ignite.storage.profiles:{mem{engine:aimem,maxSizeBytes:67108864}}');
    await node.createZone({ name: 'Sales', partitions: 4, replicas: 3, storageProfiles: ['default', 'mem'] });
    await node.createTable({
      name: 'Orders', zone: 'Sales',
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'customer', type: 'VARCHAR', length: 10 },
        { name: 'amount', type: 'DECIMAL', precision: 15, scale: 2, default: '0' },
        { name: 'big', type: 'BIGINT', default: BIG },
      ],
      primaryKey: ['id'],
    });
    await node.createTable({ name: 'Cache', zone: 'Sales', storageProfile: 'mem', columns: [{ name: 'k', type: 'INT' }], primaryKey: ['k'] });
    const orders = node.table('Orders');
    for (let i = 0; i < 20; i++) await orders.insert({ id: BigInt(i), customer: `c${i % 3}` });
    for (let k = 0; k < 3; k++) await node.table('Cache').insert({ k });
    await node.createIndex({ name: 'by_customer', table: 'Orders', columns: ['customer'] });
    await node.createIndex({ name: 'by_amount', table: 'Orders', columns: ['amount'], type: 'HASH' });
    await node.awaitIndex('by_customer');
    await node.awaitIndex('by_amount');
  } finally {
    await node.close();
  }
}

describe('aistorage zones and tables', () => {
  const scope = useNodeScope();

  it('zones lists every zone with partitions, replicas (and the one-copy note), profiles and tables', async () => {
    const dir = scope.dir();
    await populate(dir);
    const text = await run('zones', '-w', dir);
    expect(text.code).toBe(0);
    const lines = text.out.split('\n');
    expect(lines[0]).toMatch(/^ZONE\s+PARTITIONS\s+REPLICAS\s+STORAGE PROFILES\s+TABLES$/);
    expect(text.out).toMatch(/^Default\s+25\s+1\s+default\s+-$/m);
    expect(text.out).toMatch(/^Sales\s+4\s+3\s+default, mem\s+Orders, Cache$/m);
    expect(lines.at(-1)).toBe('(replicas is recorded only: this build keeps one copy of each partition)');
    // aligned: every column starts at the header's offset
    const at = lines[0]!.indexOf('REPLICAS') + 'REPLICAS'.length - 1;
    for (const line of lines.slice(1, -1)) expect(line[at]).toMatch(/\d/);

    const json = JSON.parse((await run('zones', '--json', '-w', dir)).out);
    expect(json.note).toMatch(/one copy of each partition/);
    expect(json.zones).toEqual([
      { name: 'Default', partitions: 25, replicas: 1, storageProfiles: ['default'], tables: [] },
      { name: 'Sales', partitions: 4, replicas: 3, storageProfiles: ['default', 'mem'], tables: ['Orders', 'Cache'] },
    ]);
  });

  it('tables --json gives columns, key, indexes, row counts and per-partition rows and bytes; bigints as strings', async () => {
    const dir = scope.dir();
    await populate(dir);
    const r = await run('tables', '--json', '-w', dir);
    expect(r.code).toBe(0);
    const { tables } = JSON.parse(r.out) as { tables: TableJson[] };
    expect(tables.map((t) => t.name)).toEqual(['Orders', 'Cache']);
    const [orders, cache] = tables as [TableJson, TableJson];
    expect(orders).toMatchObject({ zone: 'Sales', storageProfile: 'default', engine: 'aipersist', schemaVersion: 1, primaryKey: ['id'], rows: 20 });
    expect(orders.columns).toEqual([
      { name: 'id', type: 'BIGINT', nullable: false },
      { name: 'customer', type: 'VARCHAR', nullable: true, length: 10 },
      { name: 'amount', type: 'DECIMAL', nullable: true, default: '0.00', precision: 15, scale: 2 },
      { name: 'big', type: 'BIGINT', nullable: true, default: BIG.toString() },
    ]);
    expect(orders.indexes).toEqual([
      { name: 'by_customer', type: 'SORTED', columns: [{ name: 'customer', order: 'ASC' }], available: true },
      { name: 'by_amount', type: 'HASH', columns: [{ name: 'amount', order: 'ASC' }], available: true },
    ]);
    expect(orders.partitions.map((p) => p.id)).toEqual([0, 1, 2, 3]);
    expect(orders.partitions.reduce((s, p) => s + p.estimatedRows, 0)).toBe(20);
    expect(orders.partitions.filter((p) => p.estimatedRows > 0).length).toBeGreaterThan(1); // hash-partitioned
    for (const p of orders.partitions) expect(p.diskBytes).toBeGreaterThan(0);
    expect(orders.diskBytes).toBeGreaterThanOrEqual(orders.partitions.reduce((s, p) => s + p.diskBytes, 0));
    // aimem keeps nothing: empty after the restart, nothing on disk
    expect(cache).toMatchObject({ engine: 'aimem', storageProfile: 'mem', rows: 0, diskBytes: 0, indexes: [] });
    expect(cache.partitions).toEqual([0, 1, 2, 3].map((id) => ({ id, estimatedRows: 0, diskBytes: 0 })));
  });

  it('tables prints each table aligned: header, columns, indexes and partitions ("-" bytes for aimem)', async () => {
    const dir = scope.dir();
    await populate(dir);
    const r = await run('tables', '-w', dir);
    expect(r.code).toBe(0);
    const [orders, cache] = r.out.split('\n\n') as [string, string];
    expect(orders).toMatch(/^table Orders {2}zone Sales {2}profile default \(aipersist\) {2}schema v1 {2}rows 20 {2}disk [\d,]+ \(/);
    expect(orders).toContain('  primary key: id');
    expect(orders).toMatch(/^ {2}COLUMN\s+TYPE\s+NULLABLE\s+DEFAULT$/m);
    expect(orders).toMatch(/^ {2}amount\s+DECIMAL\(15,2\)\s+yes\s+0\.00$/m);
    expect(orders).toMatch(/^ {2}customer\s+VARCHAR\(10\)\s+yes$/m);
    expect(orders).toMatch(new RegExp(`^ {2}big\\s+BIGINT\\s+yes\\s+${BIG}$`, 'm'));
    expect(orders).toMatch(/^ {2}by_customer\s+SORTED\s+customer ASC\s+available$/m);
    expect(orders).toMatch(/^ {2}by_amount\s+HASH\s+amount\s+available$/m);
    const partLines = orders.split('\n').filter((l) => /^ {2}\s*\d+\s+\d+\s+[\d,]+ \(/.test(l));
    expect(partLines).toHaveLength(4);
    const rowsEnd = orders.split('\n').find((l) => l.includes('PARTITION'))!.indexOf('ROWS') + 3;
    for (const l of partLines) expect(l[rowsEnd]).toMatch(/\d/); // right-aligned under ROWS
    expect(cache).toMatch(/^table Cache {2}zone Sales {2}profile mem \(aimem\) {2}schema v1 {2}rows 0 {2}disk - /);
    expect(cache).toContain('  indexes: none');
    expect(cache.split('\n').filter((l) => /^\s+\d+\s+0\s+-$/.test(l))).toHaveLength(4);
  });

  it('a work dir without tables: the Default zone and "no tables"', async () => {
    const dir = scope.dir();
    await (await openNode({ workDir: dir })).close();
    expect((await run('tables', '-w', dir)).out).toBe('no tables');
    expect(JSON.parse((await run('tables', '--json', '-w', dir)).out)).toEqual({ tables: [] });
    expect((await run('zones', '-w', dir)).out).toMatch(/^Default\s+25\s+1\s+default\s+-$/m);
  });

  it('refuse with WORKDIR_LOCKED while a node holds the work dir, and with WORKDIR_UNUSABLE for a missing one (not created)', async () => {
    const dir = scope.dir();
    scope.keep(await openNode({ workDir: dir }));
    for (const cmd of ['zones', 'tables']) {
      const r = await run(cmd, '-w', dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^error \[WORKDIR_LOCKED\]/);
      const missing = join(dir, 'missing');
      const m = await run(cmd, '--json', '-w', missing);
      expect(m.code).toBe(2);
      expect(m.err).toMatch(new RegExp(`^error \\[WORKDIR_UNUSABLE\\]: cannot run '${cmd}' on work dir`));
      expect(existsSync(missing)).toBe(false);
    }
  });

  it('--help lists both commands', async () => {
    const r = await run('--help');
    expect(r.out).toMatch(/zones \[options\]\s+list the zones/);
    expect(r.out).toMatch(/tables \[options\]\s+list the tables/);
  });
});
