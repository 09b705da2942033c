/**
 * The table API (level 2) on both engines: definitions, row operations and their results (DESIGN.md §9), scans over
 * the primary key and secondary indexes, schema changes, changes$, and bad input (typed errors naming the table and
 * column, state unchanged).
 */
import { describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { openNode, type StorageNode, type TableChange } from '../../src/interfaces/api/index';
import { useNodeScope } from '../support/node-scope';
import { SlowFileIo } from '../support/slow-file-io';
import { tuneAipersist } from '../support/aipersist-tuning';

const MEM_CONFIG = { ignite: { storage: { profiles: [{ name: 'mem', engine: 'aimem', maxSizeBytes: 64 * 1024 * 1024 }] } } };

interface Order {
  id: bigint;
  customer: string | null;
  amount?: string | null;
  qty?: number | null;
}

async function withOrders(node: StorageNode, profile: string): Promise<void> {
  await node.createZone({ name: 'z', partitions: 5, storageProfiles: ['mem', 'default'] });
  await node.createTable({
    name: 'Orders', zone: 'z', storageProfile: profile,
    columns: [
      { name: 'id', type: 'BIGINT' },
      { name: 'customer', type: 'VARCHAR', length: 10 },
      { name: 'amount', type: 'DECIMAL', precision: 15, scale: 2, default: '0' },
      { name: 'qty', type: 'INT', nullable: false, default: 1 },
    ],
    primaryKey: ['id'],
  });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe.each(['mem', 'default'])('tables on profile %s', (profile) => {
  const scope = useNodeScope();
  const open = async () => scope.keep(await openNode({ workDir: scope.dir(), config: MEM_CONFIG as never }));

  it('reads back what it wrote, with §9 results for every call', async () => {
    const node = await open();
    await withOrders(node, profile);
    const t = node.table<Order>('orders'); // names match case-insensitively
    await t.insert({ id: 1n, customer: 'ann' });
    await t.insert({ id: 2n, customer: 'bob', amount: '12.5', qty: 3 });
    expect(await t.get({ id: 1n })).toEqual({ id: 1n, customer: 'ann', amount: '0.00', qty: 1 });
    expect(await t.get({ id: 2n })).toEqual({ id: 2n, customer: 'bob', amount: '12.50', qty: 3 });
    expect(await t.get({ id: 3n })).toBeNull();
    expect(await t.getAll([{ id: 2n }, { id: 9n }, { id: 1n }])).toEqual([
      expect.objectContaining({ id: 2n }), null, expect.objectContaining({ id: 1n }),
    ]);
    await expect(t.insert({ id: 1n, customer: 'dup' })).rejects.toMatchObject({ code: 'DUPLICATE_KEY', table: 'Orders' });
    expect(await t.replace({ id: 9n, customer: 'x' })).toBe(false);
    expect(await t.get({ id: 9n })).toBeNull();
    expect(await t.replace({ id: 1n, customer: 'anne' })).toBe(true);
    expect((await t.get({ id: 1n }))!.customer).toBe('anne');
    await t.upsert({ id: 3n, customer: 'cy' });
    expect(await t.count()).toBe(3);
    expect(await t.delete({ id: 2n })).toBe(true);
    expect(await t.delete({ id: 2n })).toBe(false);
    expect(await t.get({ id: 2n })).toBeNull();
    expect(await t.count()).toBe(2);
    // a number is accepted for BIGINT; explicit null in a NOT NULL column is refused even though it has a default
    await t.insert({ id: 4 as unknown as bigint, customer: null });
    expect((await t.get({ id: 4n }))!.id).toBe(4n);
    await expect(t.insert({ id: 5n, customer: 'e', qty: null })).rejects.toMatchObject({ code: 'NOT_NULL_VIOLATION', table: 'Orders', column: 'qty' });
  });

  it('scans in primary-key order across partitions, with bounds, reverse and limit', async () => {
    const node = await open();
    await withOrders(node, profile);
    const t = node.table<Order>('Orders');
    for (let i = 0; i < 40; i++) await t.insert({ id: BigInt(i), customer: `c${i % 4}` });
    const ids = (rows: Order[]) => rows.map((r) => Number(r.id));
    expect(ids(await collect(t.scan()))).toEqual([...Array(40).keys()]);
    expect(ids(await collect(t.scan({ gte: 10n, lt: 15n })))).toEqual([10, 11, 12, 13, 14]);
    expect(ids(await collect(t.scan({ gt: 10n, lte: 15n })))).toEqual([11, 12, 13, 14, 15]);
    expect(ids(await collect(t.scan({ reverse: true, limit: 3 })))).toEqual([39, 38, 37]);
    expect(ids(await collect(t.scan({ gte: 30n, limit: 2 })))).toEqual([30, 31]);
    expect(await collect(t.scan({ limit: 0 }))).toEqual([]);
  });

  it('builds a secondary index over existing rows and scans it in index order, skipping stale entries', async () => {
    const node = await open();
    await withOrders(node, profile);
    const t = node.table<Order>('Orders');
    for (let i = 0; i < 300; i++) await t.insert({ id: BigInt(i), customer: `c${String(i % 7).padStart(2, '0')}`, qty: i });
    await node.createIndex({ name: 'by_customer', table: 'orders', columns: [{ name: 'customer', order: 'DESC' }, 'qty'] });
    await node.awaitIndex('BY_CUSTOMER');
    expect(node.indexes()).toEqual([{ name: 'by_customer', table: 'Orders', type: 'SORTED', columns: [{ name: 'customer', order: 'DESC' }, { name: 'qty', order: 'ASC' }], available: true }]);
    await t.upsert({ id: 0n, customer: 'zz', qty: 0 }); // moves row 0 from c00 to zz: its old entry must not show
    const c00 = await collect(t.scan({ index: 'by_customer', gte: ['c00'], lte: ['c00'] }));
    expect(c00.map((r) => Number(r.qty))).toEqual([7, 14, 21, 28].concat([...Array(38).keys()].map((k) => 35 + 7 * k)).filter((q) => q < 300));
    const first = await collect(t.scan({ index: 'by_customer', limit: 2 }));
    expect(first.map((r) => r.customer)).toEqual(['zz', 'c06']);
    // Backwards through a secondary index: its last entries first, with bounds and a limit.
    const all = await collect(t.scan({ index: 'by_customer' }));
    expect((await collect(t.scan({ index: 'by_customer', reverse: true, limit: 5 }))).map((r) => r.id)).toEqual(all.slice(-5).reverse().map((r) => r.id));
    const c01 = await collect(t.scan({ index: 'by_customer', gte: ['c01'], lte: ['c01'] }));
    expect(await collect(t.scan({ index: 'by_customer', gte: ['c01'], lte: ['c01'], reverse: true }))).toEqual([...c01].reverse());
    await node.createIndex({ name: 'by_qty_hash', table: 'Orders', columns: ['qty'], type: 'HASH' });
    await node.awaitIndex('by_qty_hash');
    expect((await collect(t.scan({ index: 'by_qty_hash', gte: 42, lte: 42 }))).map((r) => r.id)).toEqual([42n]);
    expect((await collect(t.scan({ index: 'by_qty_hash', gte: 42, lte: 42, reverse: true }))).map((r) => r.id)).toEqual([42n]);
    await expect(async () => collect(t.scan({ index: 'by_qty_hash', gte: 1 }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('adds and drops columns: rows of every schema version are read through the current one', async () => {
    const node = await open();
    await withOrders(node, profile);
    const t = node.table<Record<string, unknown>>('Orders');
    await t.insert({ id: 1n, customer: 'v1' });
    await node.alterTable('Orders', { addColumns: [{ name: 'note', type: 'VARCHAR', default: 'none' }, { name: 'flag', type: 'BOOLEAN' }] });
    await t.insert({ id: 2n, customer: 'v3', note: 'hi', flag: true });
    expect(await t.get({ id: 1n })).toEqual({ id: 1n, customer: 'v1', amount: '0.00', qty: 1, note: 'none', flag: null });
    await node.alterTable('Orders', { dropColumns: ['amount'] });
    expect(await t.get({ id: 1n })).toEqual({ id: 1n, customer: 'v1', qty: 1, note: 'none', flag: null });
    expect(await t.get({ id: 2n })).toEqual({ id: 2n, customer: 'v3', qty: 1, note: 'hi', flag: true });
    await expect(t.insert({ id: 3n, amount: '1' })).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'amount' });
    expect(node.tables()[0]!.schemaVersion).toBe(4);
    await expect(node.alterTable('Orders', { dropColumns: ['id'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // A refused argument is a rejection too, never a throw before the promise.
    let refused: Promise<unknown> | undefined;
    expect(() => (refused = node.transaction(42 as never))).not.toThrow();
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(node.alterTable('Orders', { addColumns: [{ name: 'must', type: 'INT', nullable: false }] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(node.tables()[0]!.schemaVersion).toBe(4);
  });

  it('emits one change per row per committed transaction, in commit order, nothing for aborted ones', async () => {
    const node = await open();
    await withOrders(node, profile);
    const t = node.table<Order>('Orders');
    const changes = firstValueFrom(t.changes$.pipe(take(3), toArray()));
    await t.insert({ id: 1n, customer: 'a' });
    await expect(node.transaction(async (tx) => {
      await tx.table<Order>('Orders').upsert({ id: 5n, customer: 'gone' });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    const ts = await node.transaction(async (tx) => {
      const o = tx.table<Order>('Orders');
      await o.upsert({ id: 1n, customer: 'b' });
      await o.upsert({ id: 1n, customer: 'c' }); // net effect: a → c
      await o.insert({ id: 2n, customer: 'n' });
      return tx.timestamp;
    });
    const got = (await changes) as TableChange<Order>[];
    expect(got.map((c) => [c.key, c.oldRow?.customer ?? null, c.newRow?.customer ?? null])).toEqual([
      [{ id: 1n }, null, 'a'], [{ id: 1n }, 'a', 'c'], [{ id: 2n }, null, 'n'],
    ]);
    expect(got[1]!.commitTimestamp).toBe(got[2]!.commitTimestamp);
    expect(got[1]!.commitTimestamp > ts).toBe(true);
    expect(got[0]!.commitTimestamp < got[1]!.commitTimestamp).toBe(true);
    expect(await t.get({ id: 5n })).toBeNull();
  });

  it('refuses bad input with typed errors naming table and column, and changes nothing', async () => {
    const node = await open();
    await withOrders(node, profile);
    const t = node.table<Record<string, unknown>>('Orders');
    await t.insert({ id: 1n, customer: 'ok' });
    const cases: [Record<string, unknown>, string, string | null][] = [
      [{ id: 2n, customer: 'x'.repeat(11) }, 'INVALID_ARGUMENT', 'customer'],
      [{ id: 2n, customer: 5 }, 'INVALID_ARGUMENT', 'customer'],
      [{ id: 2n, qty: 1.5 }, 'INVALID_ARGUMENT', 'qty'],
      [{ id: 2n, qty: 2 ** 31 }, 'INVALID_ARGUMENT', 'qty'],
      [{ id: 2n, amount: '1e20' }, 'INVALID_ARGUMENT', 'amount'],
      [{ id: 2n, nope: 1 }, 'COLUMN_NOT_FOUND', 'nope'],
      [{ customer: 'nokey' }, 'NOT_NULL_VIOLATION', 'id'],
      [{ id: 2n ** 64n }, 'INVALID_ARGUMENT', 'id'],
    ];
    for (const [row, code, column] of cases) {
      const error = await t.insert(row).then(() => null, (e: unknown) => e);
      expect(error, JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).toMatchObject({ code, table: 'Orders', column });
      expect((error as Error).message).toContain('Orders');
    }
    await expect(t.get({ customer: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(t.get({ id: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', column: 'id' });
    expect(() => node.table('nope')).toThrow(expect.objectContaining({ code: 'TABLE_NOT_FOUND' }));
    await expect(node.createTable({ name: 'orders', columns: [{ name: 'a', type: 'INT' }], primaryKey: ['a'] })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(node.createTable({ name: 'x', zone: 'nozone', columns: [{ name: 'a', type: 'INT' }], primaryKey: ['a'] })).rejects.toMatchObject({ code: 'ZONE_NOT_FOUND' });
    await expect(node.createTable({ name: 'x', zone: 'z', storageProfile: 'other', columns: [{ name: 'a', type: 'INT' }], primaryKey: ['a'] })).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    await expect(node.createTable({ name: 'x', columns: [{ name: 'a', type: 'INT' }], primaryKey: ['b'] })).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND' });
    await expect(node.createTable({ name: 'x', columns: [{ name: 'a', type: 'NUMBER' as never }], primaryKey: ['a'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(node.createIndex({ name: 'i', table: 'Orders', columns: ['nope'] })).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND' });
    await expect(node.dropIndex('nope')).rejects.toMatchObject({ code: 'INDEX_NOT_FOUND' });
    await expect(node.dropZone('z')).rejects.toMatchObject({ code: 'ZONE_IN_USE' });
    await expect(node.createZone({ name: 'Z' })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(node.createZone({ name: 'big', partitions: 65_001 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(node.tables().map((x) => x.name)).toEqual(['Orders']);
    expect(await t.count()).toBe(1);
    expect(await t.get({ id: 1n })).toEqual({ id: 1n, customer: 'ok', amount: '0.00', qty: 1 });
  });
});

describe('catalog across restarts', () => {
  const scope = useNodeScope();

  it('keeps zones, tables and indexes; aimem tables come back empty, aipersist rows stay', async () => {
    const dir = scope.dir();
    const node = await openNode({ workDir: dir, config: MEM_CONFIG as never });
    expect(node.zones()).toEqual([{ name: 'Default', partitions: 25, replicas: 1, storageProfiles: ['default'] }]);
    await withOrders(node, 'default');
    await node.createTable({ name: 'cache', zone: 'z', storageProfile: 'mem', columns: [{ name: 'k', type: 'INT' }], primaryKey: ['k'] });
    await node.table('cache').insert({ k: 1 });
    await node.table<Order>('Orders').insert({ id: 7n, customer: 'kept' });
    await node.createIndex({ name: 'oc', table: 'Orders', columns: ['customer'] });
    await node.awaitIndex('oc');
    await node.close();
    const again = scope.keep(await openNode({ workDir: dir, config: MEM_CONFIG as never }));
    expect(again.zones().map((z) => z.name)).toEqual(['Default', 'z']);
    expect(again.tables().map((t) => t.name).sort()).toEqual(['Orders', 'cache']);
    expect(again.indexes().map((i) => [i.name, i.available])).toEqual([['oc', true]]);
    expect(await again.table('cache').count()).toBe(0);
    expect(await again.table<Order>('Orders').get({ id: 7n })).toMatchObject({ customer: 'kept' });
    expect((await collect(again.table<Order>('Orders').scan({ index: 'oc' }))).map((r) => r.id)).toEqual([7n]);
    await again.dropTable('Orders');
    await again.createTable({ name: 'Orders', columns: [{ name: 'id', type: 'BIGINT' }], primaryKey: ['id'], zone: 'z' });
    expect(await again.table('Orders').count()).toBe(0);
  });
});

describe('garbage collection and the low watermark', () => {
  const scope = useNodeScope();

  it.each(['mem', 'default'])('vacuums versions and index entries below the low watermark (%s)', async (profile) => {
    const node = scope.keep(await openNode({ workDir: scope.dir(), config: MEM_CONFIG as never, gc: { dataAvailabilityTimeMillis: 0, intervalMillis: 5 } }));
    await withOrders(node, profile);
    await node.createIndex({ name: 'oc', table: 'Orders', columns: ['customer'] });
    await node.awaitIndex('oc');
    const t = node.table<Order>('Orders');
    for (let i = 0; i < 50; i++) await t.upsert({ id: 1n, customer: `v${i}` });
    const open = node.openTable('Orders');
    const part = open.partitionOf([1n]);
    const versions = () => [...part.mv.scanVersions(part.pk.get([1n]).next())].length;
    const entries = (customer: string) => [...part.indexes.values()][0]!.storage.get([customer]).hasNext();
    for (let i = 0; i < 200 && versions() > 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(versions()).toBe(1);
    expect(entries('v0')).toBe(false);
    expect(entries('v49')).toBe(true);
    expect(await t.get({ id: 1n })).toMatchObject({ customer: 'v49' });
    const old = node.clock.now() - (1000n << 16n);
    await expect(node.transaction(async () => 1, { readOnly: true, timestamp: old })).rejects.toMatchObject({ code: 'TIMESTAMP_TOO_OLD' });
  });

  it('refuses bad gc options', async () => {
    await expect(openNode({ gc: { intervalMillis: 0 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(openNode({ gc: { bogus: 1 } as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('durability before visibility', () => {
  const scope = useNodeScope();

  it.each([['one partition', 1], ['two partitions', 2], ['a plain upsert', 0]])('a commit (%s) is seen by readers only once durable', async (_, rows) => {
    const dir = scope.dir();
    const io = new SlowFileIo((path) => path.includes('/log'));
    io.mkdirs(dir);
    const node = scope.keep(await openNode({ workDir: dir }, { configure: tuneAipersist(dir, { io, inlineSyncRecords: 0 }) }));
    await node.createZone({ name: 'z', partitions: 4 });
    await node.createTable({ name: 't', zone: 'z', columns: [{ name: 'k', type: 'INT' }, { name: 'v', type: 'INT' }], primaryKey: ['k'] });
    const t = node.table<{ k: number; v: number }>('t');
    for (let k = 0; k < 8; k++) await t.insert({ k, v: 0 });
    io.slow = true;
    const order: string[] = [];
    const write = rows === 0
      ? t.upsert({ k: 0, v: 1 })
      : node.transaction(async (tx) => {
        for (let k = 0; k < 8 && k < rows * 4; k += 4 / rows) await tx.table<{ k: number; v: number }>('t').upsert({ k, v: 1 });
      });
    const commit = write.then(() => order.push('commit'));
    while (io.queued === 0) await new Promise((r) => setImmediate(r));
    const read = t.get({ k: 0 }).then((row) => {
      order.push('read');
      return row;
    });
    // A full scan in storage order (SQL's FullScan) meets the same rows and waits as well, and so does table.scan().
    const fullScan = node.sql<{ s: bigint }>('SELECT SUM(v) AS s FROM t').then((r) => {
      order.push('sql');
      return r.rows[0]!.s;
    });
    const scanned = (async () => {
      let sum = 0n;
      for await (const row of t.scan()) sum += BigInt(row.v);
      order.push('scan');
      return sum;
    })();
    await new Promise((r) => setTimeout(r, 30));
    expect(order).toEqual([]); // the readers wait for the commit's fdatasync
    io.fast();
    expect(await read).toEqual({ k: 0, v: 1 });
    let written = 0n;
    for await (const row of t.scan()) written += BigInt(row.v);
    expect([await fullScan, await scanned, written > 0n]).toEqual([written, written, true]);
    await commit;
    expect(order.sort()).toEqual(['commit', 'read', 'scan', 'sql']);
  });
});
