/**
 * Tables on aipersist across a clean close and reopen of the node (DESIGN.md §9): what the catalog holds (zones with
 * their partitions, replicas and profiles; tables with every column type, nullability, defaults and one- or
 * several-column primary keys; indexes), rows of every type read back exactly (bigint, decimal strings, Uint8Array,
 * canonical temporal strings), sorted (ASC, DESC, two columns) and hash indexes and scans over them, an index whose
 * build the close interrupted (it resumes at the reopen; awaitIndex resolves; scans then answer right; an awaitIndex
 * of the closed node settles), the write intents of a transaction still running at the close (rolled back by whoever
 * meets them, a writer included), schema versions made by adding and dropping columns (rows of each version read
 * through the newest), a dropped table (gone; one of the same name created again starts empty), and an aimem table
 * beside them (it comes back defined, its indexes available, but empty).
 *
 * Each test opens its own work dir with 1 KiB aipersist pages (rows and index keys span pages early).
 */
import { describe, expect, it } from 'vitest';
import { openNode, type StorageConfigInput, type StorageNode } from '../../src/interfaces/api/index';
import { SeededRandom } from '../contract/support/seeded-random';
import { deferred } from '../support/deferred';
import { useNodeScope } from '../support/node-scope';

const MiB = 1024 * 1024;
const CONFIG: StorageConfigInput = {
  ignite: {
    storage: {
      engines: { aipersist: { pageSizeBytes: 1024 } },
      profiles: [{ name: 'default', engine: 'aipersist', sizeBytes: 32 * MiB }, { name: 'mem', engine: 'aimem', initSizeBytes: 16 * MiB, maxSizeBytes: 32 * MiB }],
    },
  },
};

type Row = Record<string, unknown>;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

const scope = useNodeScope();

async function open(dir: string): Promise<StorageNode> {
  return scope.keep(await openNode({ workDir: dir, config: CONFIG }));
}

/** Closes `node` and opens its work dir again. */
async function reopen(node: StorageNode): Promise<StorageNode> {
  const dir = node.workDir!;
  await node.close();
  return open(dir);
}

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** Inserts `rows`, `size` of them per transaction. */
async function insertAll(node: StorageNode, table: string, rows: readonly Row[], size = 250): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    await node.transaction(async (tx) => {
      const t = tx.table(table);
      for (const row of rows.slice(i, i + size)) await t.insert(row);
    });
  }
}

/** The SQL order of one column: nulls last ascending (the DESC order is its exact reverse). */
function compareAsc(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return (a as number) < (b as number) ? -1 : 1;
}

/** What `fn` throws (undefined when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('tables on aipersist: a clean close and reopen keeps', () => {
  const EVERY_TYPE = [
    { name: 'id', type: 'BIGINT' }, { name: 'flag', type: 'BOOLEAN' }, { name: 'tiny', type: 'TINYINT', nullable: false, default: 7 },
    { name: 'small', type: 'SMALLINT' }, { name: 'num', type: 'INT', default: -5 }, { name: 'big', type: 'BIGINT', default: 9007199254740993n },
    { name: 'real', type: 'REAL' }, { name: 'dbl', type: 'DOUBLE' }, { name: 'amount', type: 'DECIMAL', precision: 20, scale: 4, default: '12.5' },
    { name: 'label', type: 'VARCHAR', length: 12, nullable: false, default: 'none' },
    { name: 'bytes', type: 'VARBINARY', length: 16, default: new Uint8Array([1, 2, 3]) }, { name: 'day', type: 'DATE', default: '2026-01-02' },
    { name: 'clock', type: 'TIME' }, { name: 'at', type: 'TIMESTAMP', default: '2026-01-02T03:04:05.120' }, { name: 'uid', type: 'UUID' },
  ] as const;

  /** A row of only its key reads as this (defaults normalized; null where there is none). */
  const OMITTED: Row = {
    flag: null, tiny: 7, small: null, num: -5, big: 9007199254740993n, real: null, dbl: null, amount: '12.5000', label: 'none',
    bytes: new Uint8Array([1, 2, 3]), day: '2026-01-02', clock: null, at: '2026-01-02T03:04:05.12', uid: null,
  };

  /** Rows as written, and each as it must read back (normalized: fround, scale digits, canonical temporals, ...). */
  const EVERY_TYPE_ROWS: Array<{ written: Row; read: Row }> = [
    {
      written: {
        id: -(2n ** 63n), flag: true, tiny: -128, small: 32767, num: -2147483648, big: 2n ** 63n - 1n, real: 3.14159, dbl: 1e308,
        amount: '-9999999999999999.9999', label: 'héllo 😀 ok', bytes: new Uint8Array([0, 255, 128, 7]), day: '0001-01-01',
        clock: '23:59:59.999999999', at: '9999-12-31 23:59:59.5', uid: 'ABCDEF01-2345-6789-ABCD-EF0123456789',
      },
      read: {
        id: -(2n ** 63n), flag: true, tiny: -128, small: 32767, num: -2147483648, big: 2n ** 63n - 1n, real: Math.fround(3.14159), dbl: 1e308,
        amount: '-9999999999999999.9999', label: 'héllo 😀 ok', bytes: new Uint8Array([0, 255, 128, 7]), day: '0001-01-01',
        clock: '23:59:59.999999999', at: '9999-12-31T23:59:59.5', uid: 'abcdef01-2345-6789-abcd-ef0123456789',
      },
    },
    { written: { id: 0n }, read: { id: 0n, ...OMITTED } },
    {
      written: {
        id: 2n ** 63n - 1n, flag: false, tiny: 127, small: -32768, num: null, big: null, real: -0.1, dbl: Number.NaN, amount: 0.00005,
        label: '', bytes: new Uint8Array(0), day: '9999-12-31', clock: '00:00:00.000', at: new Date(Date.UTC(1970, 0, 1, 0, 0, 0, 1)), uid: ZERO_UUID,
      },
      read: {
        id: 2n ** 63n - 1n, flag: false, tiny: 127, small: -32768, num: null, big: null, real: Math.fround(-0.1), dbl: Number.NaN,
        amount: '0.0001', label: '', bytes: new Uint8Array(0), day: '9999-12-31', clock: '00:00:00', at: '1970-01-01T00:00:00.001', uid: ZERO_UUID,
      },
    },
    {
      written: { id: 42, dbl: Number.NEGATIVE_INFINITY, real: Number.POSITIVE_INFINITY, amount: 123456789012345n, bytes: null, day: null, at: null },
      read: {
        ...OMITTED, id: 42n, real: Number.POSITIVE_INFINITY, dbl: Number.NEGATIVE_INFINITY, amount: '123456789012345.0000', bytes: null, day: null, at: null,
      },
    },
  ];

  it('the catalog (zones, tables of every column type with nullability and defaults, one- and several-column keys, indexes), and rows of a several-column key', async () => {
    let node = await open(scope.dir());
    await node.createZone({ name: 'Zone3', partitions: 3, replicas: 2, storageProfiles: ['default', 'mem'] });
    await node.createZone({ name: 'single', partitions: 1 });
    await node.createTable({ name: 'Everything', zone: 'Zone3', columns: EVERY_TYPE, primaryKey: ['id'] });
    await node.createTable({
      name: 'Composite', zone: 'Zone3', primaryKey: ['region', 'on', 'seq'],
      columns: [
        { name: 'region', type: 'VARCHAR', length: 8 }, { name: 'on', type: 'DATE' }, { name: 'seq', type: 'INT' },
        { name: 'note', type: 'VARCHAR', nullable: false, default: '-' },
      ],
    });
    const visits = ['ap', 'eu', 'us'].flatMap((region) => ['2026-01-01', '2026-02-01'].flatMap((on) =>
      [0, 1, 2, 3, 4].map((seq): Row => ({ region, on, seq, note: `${region}-${on}-${seq}` }))));
    await insertAll(node, 'Composite', visits);
    await node.createTable({ name: 'volatile', zone: 'Zone3', storageProfile: 'mem', columns: [{ name: 'k', type: 'INT' }], primaryKey: ['k'] });
    await node.createIndex({ name: 'every_day', table: 'Everything', columns: [{ name: 'day', order: 'DESC' }, 'label'] });
    await node.createIndex({ name: 'every_uid', table: 'Everything', columns: ['uid'], type: 'HASH' });
    await node.awaitIndex('every_day');
    await node.awaitIndex('every_uid');
    const catalog = { zones: node.zones(), tables: node.tables(), indexes: node.indexes() };

    // What was declared, as the catalog resolved it (defaults normalized, keys NOT NULL).
    expect(catalog.zones).toEqual([
      { name: 'Default', partitions: 25, replicas: 1, storageProfiles: ['default'] },
      { name: 'Zone3', partitions: 3, replicas: 2, storageProfiles: ['default', 'mem'] },
      { name: 'single', partitions: 1, replicas: 1, storageProfiles: ['default'] },
    ]);
    const everything = catalog.tables.find((t) => t.name === 'Everything')!;
    expect(everything).toMatchObject({ zone: 'Zone3', storageProfile: 'default', primaryKey: ['id'], schemaVersion: 1 });
    expect(everything.columns.map((c) => [c.name, c.type, c.nullable])).toEqual(
      EVERY_TYPE.map((c) => [c.name, c.type, c.name === 'id' ? false : !('nullable' in c) || c.nullable]));
    expect(everything.columns.find((c) => c.name === 'amount')).toEqual({ name: 'amount', type: 'DECIMAL', nullable: true, default: '12.5000', precision: 20, scale: 4 });
    expect(everything.columns.find((c) => c.name === 'bytes')).toEqual({ name: 'bytes', type: 'VARBINARY', nullable: true, default: new Uint8Array([1, 2, 3]), length: 16 });
    expect(catalog.tables.find((t) => t.name === 'Composite')!.primaryKey).toEqual(['region', 'on', 'seq']);
    expect(catalog.tables.find((t) => t.name === 'volatile')).toMatchObject({ zone: 'Zone3', storageProfile: 'mem' });
    expect(catalog.indexes).toEqual([
      { name: 'every_day', table: 'Everything', type: 'SORTED', columns: [{ name: 'day', order: 'DESC' }, { name: 'label', order: 'ASC' }], available: true },
      { name: 'every_uid', table: 'Everything', type: 'HASH', columns: [{ name: 'uid', order: 'ASC' }], available: true },
    ]);

    node = await reopen(node);
    expect({ zones: node.zones(), tables: node.tables(), indexes: node.indexes() }).toEqual(catalog);
    // Rows of the several-column key: by the whole key, and scans bounded by a leading prefix (merged over partitions).
    const t = node.table('Composite');
    expect(await all(t.scan())).toEqual(visits); // made in key order
    expect(await t.get({ region: 'eu', on: '2026-02-01', seq: 3 })).toEqual({ region: 'eu', on: '2026-02-01', seq: 3, note: 'eu-2026-02-01-3' });
    expect(await t.get({ region: 'eu', on: '2026-02-02', seq: 3 })).toBeNull();
    expect(await all(t.scan({ gte: { region: 'eu' }, lte: { region: 'eu' } }))).toEqual(visits.filter((r) => r['region'] === 'eu'));
    expect(await all(t.scan({ gte: ['eu', '2026-02-01'], lt: ['eu', '2026-02-01', 2] }))).toEqual(visits.slice(15, 17));
    expect(await all(t.scan({ gt: { region: 'eu' }, reverse: true, limit: 3 }))).toEqual(visits.slice(-3).reverse());
    // The reopened catalog goes on: names stay taken, and a new object gets a fresh id that does not clash.
    await expect(node.createZone({ name: 'Zone3' })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(node.createTable({ name: 'Composite', columns: [{ name: 'k', type: 'INT' }], primaryKey: ['k'] })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await node.createTable({ name: 'later', zone: 'single', columns: [{ name: 'k', type: 'INT' }], primaryKey: ['k'] });
    await node.table('later').insert({ k: 1 });
    expect(await node.table('Everything').count()).toBe(0);
    node = await reopen(node);
    expect(node.tables().map((t) => t.name)).toEqual(['Everything', 'Composite', 'volatile', 'later']);
    expect(await node.table('later').get({ k: 1 })).toEqual({ k: 1 });
  });

  it('rows of every type, read back exactly by get, getAll, scans of the primary key and of a hash and a sorted index', async () => {
    let node = await open(scope.dir());
    await node.createZone({ name: 'Zone3', partitions: 3 });
    await node.createTable({ name: 'Everything', zone: 'Zone3', columns: EVERY_TYPE, primaryKey: ['id'] });
    await node.createIndex({ name: 'every_uid', table: 'Everything', columns: ['uid'], type: 'HASH' });
    await node.createIndex({ name: 'every_amount', table: 'Everything', columns: [{ name: 'amount', order: 'DESC' }] });
    await node.awaitIndex('every_amount');
    await insertAll(node, 'Everything', EVERY_TYPE_ROWS.map((r) => r.written));
    const expected = EVERY_TYPE_ROWS.map((r) => r.read);
    const keys = expected.map((r) => ({ id: r['id'] }));

    const check = async (when: string): Promise<void> => {
      const t = node.table('Everything');
      for (const row of expected) expect(await t.get({ id: row['id'] }), `${when}: get id ${row['id']}`).toEqual(row);
      expect(await t.getAll([...keys, { id: 7n }]), when).toEqual([...expected, null]);
      expect(await all(t.scan()), when).toEqual([...expected].sort((a, b) => compareAsc(a['id'], b['id'])));
      expect(await all(t.scan({ index: 'every_uid', gte: ZERO_UUID, lte: ZERO_UUID })), when).toEqual([expected[2]]);
      // DECIMAL order is numeric, not the strings'.
      expect((await all(t.scan({ index: 'every_amount' }))).map((r) => r['amount']), when)
        .toEqual(['123456789012345.0000', '12.5000', '0.0001', '-9999999999999999.9999']);
      // Bounds follow the index's order: on a DESC column, gt is "after" (smaller).
      expect((await all(t.scan({ index: 'every_amount', gt: '12.5', limit: 1 }))).map((r) => r['id']), when).toEqual([2n ** 63n - 1n]);
      expect((await all(t.scan({ index: 'every_amount', lt: '12.5' }))).map((r) => r['id']), when).toEqual([42n]);
    };
    await check('before the close');
    node = await reopen(node);
    await check('after the reopen');
    // A row of every type written after the reopen joins them (the codecs and indexes work on the reopened files).
    await node.table('Everything').upsert({ ...EVERY_TYPE_ROWS[0]!.written, id: 5n, uid: ZERO_UUID });
    node = await reopen(node);
    const t = node.table('Everything');
    expect(await t.get({ id: 5n })).toEqual({ ...expected[0], id: 5n, uid: ZERO_UUID });
    const zeros = await all(t.scan({ index: 'every_uid', gte: ZERO_UUID, lte: ZERO_UUID }));
    expect(zeros.map((r) => r['id']).sort(compareAsc)).toEqual([5n, 2n ** 63n - 1n]);
  });

  it('sorted (ASC, DESC, two columns) and hash indexes: written, updated and deleted rows, scanned alike before and after', async () => {
    let node = await open(scope.dir());
    await node.createZone({ name: 'z', partitions: 5 });
    await node.createTable({
      name: 'People', zone: 'z',
      columns: [{ name: 'id', type: 'INT' }, { name: 'name', type: 'VARCHAR' }, { name: 'age', type: 'INT' }, { name: 'score', type: 'DOUBLE' }, { name: 'city', type: 'VARCHAR' }],
      primaryKey: ['id'],
    });
    await node.createIndex({ name: 'by_age', table: 'People', columns: ['age'] });
    await node.createIndex({ name: 'by_score_desc', table: 'People', columns: [{ name: 'score', order: 'DESC' }] });
    await node.createIndex({ name: 'by_city_age', table: 'People', columns: [{ name: 'city' }, { name: 'age', order: 'DESC' }] });
    await node.createIndex({ name: 'by_name', table: 'People', columns: ['name'], type: 'HASH' });
    for (const name of ['by_age', 'by_score_desc', 'by_city_age', 'by_name']) await node.awaitIndex(name);
    const random = new SeededRandom(20260102);
    const cities = ['Oslo', 'Paris', 'Rome', null];
    const person = (id: number): Row => ({
      id, name: `n${random.int(40)}`, age: random.chance(0.1) ? null : random.int(90), score: random.chance(0.1) ? null : random.int(1000) / 8,
      city: random.pick(cities),
    });
    const model = new Map<number, Row>();
    for (let id = 0; id < 300; id++) model.set(id, person(id));
    await insertAll(node, 'People', [...model.values()]);
    // Changes of the indexed columns leave entries of the old versions behind: scans must skip them.
    await node.transaction(async (tx) => {
      const t = tx.table('People');
      for (let id = 0; id < 300; id += 3) {
        const row = person(id);
        model.set(id, row);
        await t.upsert(row);
      }
      for (let id = 1; id < 300; id += 7) {
        model.delete(id);
        await t.delete({ id });
      }
    });

    const check = async (when: string): Promise<void> => {
      const t = node.table('People');
      const rows = [...model.values()];
      const sortedBy = (col: string, desc = false): unknown[] => rows.map((r) => r[col]).sort((a, b) => (desc ? -1 : 1) * compareAsc(a, b));
      const ids = (list: readonly Row[]): unknown[] => list.map((r) => r['id']).sort(compareAsc);
      const byAge = await all(t.scan({ index: 'by_age' }));
      expect(byAge.map((r) => r['age']), when).toEqual(sortedBy('age'));
      expect(ids(byAge), when).toEqual(ids(rows));
      for (const r of byAge) expect(r, when).toEqual(model.get(r['id'] as number));
      expect((await all(t.scan({ index: 'by_score_desc' }))).map((r) => r['score']), when).toEqual(sortedBy('score', true));
      const range = await all(t.scan({ index: 'by_age', gte: 20, lt: 30 }));
      expect(ids(range), when).toEqual(ids(rows.filter((r) => r['age'] !== null && (r['age'] as number) >= 20 && (r['age'] as number) < 30)));
      const last = await all(t.scan({ index: 'by_age', reverse: true, limit: 5 }));
      expect(last.map((r) => r['age']), when).toEqual(sortedBy('age').slice(-5).reverse());
      for (const city of ['Paris', 'Rome']) {
        const inCity = await all(t.scan({ index: 'by_city_age', gte: [city], lte: [city] }));
        const want = rows.filter((r) => r['city'] === city);
        expect(inCity.map((r) => r['age']), `${when}: ${city}`).toEqual(want.map((r) => r['age']).sort((a, b) => -compareAsc(a, b)));
        expect(ids(inCity), `${when}: ${city}`).toEqual(ids(want));
      }
      const cityOrder = (await all(t.scan({ index: 'by_city_age' }))).map((r) => r['city']);
      expect(cityOrder, when).toEqual(rows.map((r) => r['city']).sort(compareAsc));
      for (let n = 0; n < 40; n += 3) {
        const named = await all(t.scan({ index: 'by_name', gte: `n${n}`, lte: `n${n}` }));
        expect(ids(named), `${when}: name n${n}`).toEqual(ids(rows.filter((r) => r['name'] === `n${n}`)));
      }
    };
    await check('before the close');
    node = await reopen(node);
    expect(node.indexes().map((i) => [i.name, i.available])).toEqual([['by_age', true], ['by_score_desc', true], ['by_city_age', true], ['by_name', true]]);
    await check('after the reopen');
  });

  it('an index build interrupted by the close resumes at the reopen: awaitIndex resolves and its scans see every row', async () => {
    let node = await open(scope.dir());
    await node.createZone({ name: 'z', partitions: 4 });
    await node.createTable({ name: 'Big', zone: 'z', columns: [{ name: 'id', type: 'INT' }, { name: 'v', type: 'INT' }, { name: 'pad', type: 'VARCHAR' }], primaryKey: ['id'] });
    const model = new Map<number, number>();
    const ROWS = 12_000; // 3000 per partition: twelve build batches of 256 rows each, a turn of the event loop between
    for (let id = 0; id < ROWS; id++) model.set(id, (id * 7919) % 1000);
    await insertAll(node, 'Big', [...model].map(([id, v]) => ({ id, v, pad: `row ${id}` })), 1000);
    await node.createIndex({ name: 'big_v', table: 'Big', columns: [{ name: 'v', order: 'DESC' }] });
    // Written while the build runs: they put their own entries (or leave stale ones behind).
    await node.transaction(async (tx) => {
      const t = tx.table('Big');
      for (let id = 0; id < ROWS; id += 97) {
        model.set(id, 1000 + id);
        await t.upsert({ id, v: 1000 + id, pad: 'moved' });
      }
      for (let id = 5; id < ROWS; id += 101) {
        model.delete(id);
        await t.delete({ id });
      }
    });
    expect(node.indexes()[0]!.available, 'the build is still running when the node closes').toBe(false);
    const waiting = node.awaitIndex('big_v').then(() => 'resolved', (e: { code?: string }) => `rejected (${e.code})`);

    node = await reopen(node);
    expect(node.indexes()).toEqual([{ name: 'big_v', table: 'Big', type: 'SORTED', columns: [{ name: 'v', order: 'DESC' }], available: false }]);
    expect(thrown(() => node.table('Big').scan({ index: 'big_v' }))).toMatchObject({ code: 'INDEX_NOT_BUILT' });
    await node.table('Big').upsert({ id: 1, v: 5000, pad: 'during the resumed build' });
    model.set(1, 5000);
    await node.awaitIndex('big_v');
    expect(node.indexes()[0]!.available).toBe(true);

    const check = async (when: string): Promise<void> => {
      const t = node.table('Big');
      const scanned = await all(t.scan({ index: 'big_v' }));
      expect(scanned.length, when).toBe(model.size);
      expect(scanned.map((r) => r['v']), when).toEqual([...model.values()].sort((a, b) => b - a));
      for (const r of scanned) expect(r['v'], `${when}: row ${r['id']}`).toBe(model.get(r['id'] as number));
      const band = await all(t.scan({ index: 'big_v', gte: 500, lte: 400 })); // DESC: from 500 down to 400
      expect(band.map((r) => r['id']).sort(compareAsc), when).toEqual([...model].filter(([, v]) => v <= 500 && v >= 400).map(([id]) => id));
    };
    await check('after the resumed build');
    node = await reopen(node);
    expect(node.indexes()[0]!.available).toBe(true);
    await check('after another reopen');
    // The awaitIndex that the first close interrupted has settled (a rejection; it cannot resolve on a closed node).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending = new Promise<string>((r) => (timer = setTimeout(() => r('still pending long after its node closed'), 200)));
    expect(await Promise.race([waiting, pending])).toMatch(/^rejected /);
    clearTimeout(timer);
  });

  it('a transaction still running at the close leaves nothing behind: its keys read as before and can be written again', async () => {
    let node = await open(scope.dir());
    await node.createZone({ name: 'z', partitions: 2 });
    await node.createTable({ name: 'T', zone: 'z', columns: [{ name: 'id', type: 'INT' }, { name: 'v', type: 'INT' }], primaryKey: ['id'] });
    await node.createIndex({ name: 't_v', table: 'T', columns: ['v'] });
    await node.awaitIndex('t_v');
    await insertAll(node, 'T', [{ id: 1, v: 10 }, { id: 2, v: 20 }]);
    // Its write intents stay in the partitions at the close (as a crash before the commit would leave them).
    const [written, release] = [deferred(), deferred()];
    const running = node.transaction(async (tx) => {
      const t = tx.table('T');
      await t.insert({ id: 3, v: 30 });
      await t.insert({ id: 4, v: 40 });
      await t.replace({ id: 1, v: 11 });
      await t.delete({ id: 2 });
      written.resolve();
      await release.promise;
    }, { retries: 0 }).then(() => 'committed', () => 'failed');
    await written.promise;
    node = await reopen(node);
    release.resolve();
    expect(await running).toBe('failed');

    const t = node.table('T');
    // Writes meet the dead transaction's intents first (no read resolved them): key 3 is new, key 1 has a row.
    await t.insert({ id: 3, v: 31 });
    await t.upsert({ id: 1, v: 12 });
    expect(await t.get({ id: 4 })).toBeNull();
    await t.insert({ id: 4, v: 41 });
    const expected = [{ id: 1, v: 12 }, { id: 2, v: 20 }, { id: 3, v: 31 }, { id: 4, v: 41 }];
    const check = async (when: string): Promise<void> => {
      expect(await node.table('T').get({ id: 3 }), when).toEqual(expected[2]);
      expect(await all(node.table('T').scan()), when).toEqual(expected);
      expect(await all(node.table('T').scan({ index: 't_v' })), when).toEqual(expected);
      expect(await node.table('T').count(), when).toBe(4);
    };
    await check('after the reopen');
    await t.upsert({ id: 3, v: 32 }); // one row per key: the upsert replaces the insert's row
    expected[2] = { id: 3, v: 32 };
    node = await reopen(node);
    await check('after another reopen');
  });

  it('schema versions: rows written under each version are read through the newest after the reopen', async () => {
    let node = await open(scope.dir());
    await node.createZone({ name: 'z', partitions: 2 });
    await node.createTable({ name: 'Evolving', zone: 'z', columns: [{ name: 'id', type: 'INT' }, { name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'INT' }], primaryKey: ['id'] });
    await insertAll(node, 'Evolving', [{ id: 1, a: 'v1', b: 11 }, { id: 2, a: 'v1', b: 12 }]);
    await node.alterTable('Evolving', { addColumns: [{ name: 'c', type: 'BIGINT', nullable: false, default: 7n }, { name: 'd', type: 'DATE' }] });
    await node.table('Evolving').insert({ id: 3, a: 'v2', b: 13, c: 30n, d: '2026-03-03' });
    node = await reopen(node); // versions 1 and 2 on disk; 3 and 4 made after the reopen
    await node.alterTable('Evolving', { dropColumns: ['b'] });
    await node.table('Evolving').insert({ id: 4, a: 'v3', c: 40n });
    // A new column under a dropped column's name is another column: the old values must not show through it.
    await node.alterTable('Evolving', { addColumns: [{ name: 'b', type: 'VARCHAR', default: 'new b' }] });
    await node.table('Evolving').insert({ id: 5, a: 'v4', c: 50n, d: null, b: 'five' });
    await node.createIndex({ name: 'evolving_c', table: 'Evolving', columns: ['c'] });
    await node.awaitIndex('evolving_c');
    const expected = [
      { id: 1, a: 'v1', c: 7n, d: null, b: 'new b' }, { id: 2, a: 'v1', c: 7n, d: null, b: 'new b' },
      { id: 3, a: 'v2', c: 30n, d: '2026-03-03', b: 'new b' }, { id: 4, a: 'v3', c: 40n, d: null, b: 'new b' },
      { id: 5, a: 'v4', c: 50n, d: null, b: 'five' },
    ];
    const check = async (when: string): Promise<void> => {
      const t = node.table('Evolving');
      expect(node.tables()[0]!.schemaVersion, when).toBe(5);
      expect(node.tables()[0]!.columns.map((c) => c.name), when).toEqual(['id', 'a', 'c', 'd', 'b']);
      expect(await all(t.scan()), when).toEqual(expected);
      for (const row of expected) expect(await t.get({ id: row.id }), when).toEqual(row);
      expect((await all(t.scan({ index: 'evolving_c', lte: 7n }))).map((r) => r['id']).sort(compareAsc), when).toEqual([1, 2]);
      await expect(t.insert({ id: 9, a: 'x', d: null, b: 'x', c: 1n, gone: 1 } as Row), when).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND' });
    };
    await check('before the close');
    node = await reopen(node);
    await check('after the reopen');
    // An old row rewritten under the newest version keeps what it read.
    const old = (await node.table('Evolving').get({ id: 1 }))!;
    await node.table('Evolving').replace({ ...old, a: 'v5' });
    node = await reopen(node);
    expect(await node.table('Evolving').get({ id: 1 })).toEqual({ id: 1, a: 'v5', c: 7n, d: null, b: 'new b' });
  });

  it('a dropped table stays gone, and a table created again under its name starts empty', async () => {
    let node = await open(scope.dir());
    await node.createZone({ name: 'z', partitions: 3 });
    const columns = [{ name: 'id', type: 'INT' }, { name: 'v', type: 'VARCHAR' }] as const;
    await node.createTable({ name: 'Gone', zone: 'z', columns, primaryKey: ['id'] });
    await node.createTable({ name: 'Again', zone: 'z', columns, primaryKey: ['id'] });
    await node.createIndex({ name: 'again_v', table: 'Again', columns: ['v'] });
    for (const name of ['Gone', 'Again']) await insertAll(node, name, Array.from({ length: 50 }, (_, id) => ({ id, v: `old ${id}` })));
    await node.dropTable('Gone');
    await node.dropTable('Again');
    await node.createTable({ name: 'Again', zone: 'z', columns, primaryKey: ['id'] });
    await node.createIndex({ name: 'again_v', table: 'Again', columns: ['v'] }); // the dropped table's index went with it
    await node.table('Again').insert({ id: 7, v: 'new 7' });

    node = await reopen(node);
    expect(node.tables().map((t) => t.name)).toEqual(['Again']);
    expect(thrown(() => node.table('Gone'))).toMatchObject({ code: 'TABLE_NOT_FOUND' });
    expect(node.indexes().map((i) => i.name)).toEqual(['again_v']);
    await node.awaitIndex('again_v');
    expect(await all(node.table('Again').scan())).toEqual([{ id: 7, v: 'new 7' }]);
    expect(await all(node.table('Again').scan({ index: 'again_v' }))).toEqual([{ id: 7, v: 'new 7' }]);
    expect(await node.table('Again').get({ id: 3 })).toBeNull();

    await node.createTable({ name: 'Gone', zone: 'z', columns, primaryKey: ['id'] });
    expect(await node.table('Gone').count()).toBe(0);
    expect(await node.table('Gone').get({ id: 3 })).toBeNull();
    await node.table('Gone').insert({ id: 3, v: 'new 3' }); // no DUPLICATE_KEY from the dropped table's row
    node = await reopen(node);
    expect(await all(node.table('Gone').scan())).toEqual([{ id: 3, v: 'new 3' }]);
    expect(await all(node.table('Again').scan())).toEqual([{ id: 7, v: 'new 7' }]);
  });

  it('an aimem table in the same node comes back defined, with its indexes available, but empty; the aipersist rows beside it stay', async () => {
    let node = await open(scope.dir());
    await node.createZone({ name: 'both', partitions: 3, storageProfiles: ['default', 'mem'] });
    const columns = [{ name: 'id', type: 'INT' }, { name: 'v', type: 'INT' }] as const;
    await node.createTable({ name: 'Durable', zone: 'both', columns, primaryKey: ['id'] });
    await node.createTable({ name: 'Cache', zone: 'both', storageProfile: 'mem', columns, primaryKey: ['id'] });
    await node.createIndex({ name: 'cache_v', table: 'Cache', columns: ['v'], type: 'HASH' });
    await node.createIndex({ name: 'cache_v_sorted', table: 'Cache', columns: ['v'] });
    await node.awaitIndex('cache_v');
    await node.awaitIndex('cache_v_sorted');
    await node.transaction(async (tx) => {
      for (let id = 0; id < 20; id++) {
        await tx.table('Durable').insert({ id, v: id });
        await tx.table('Cache').insert({ id, v: id % 2 });
      }
    });
    expect(await node.table('Cache').count()).toBe(20);
    const catalog = { tables: node.tables(), indexes: node.indexes() };

    node = await reopen(node);
    expect({ tables: node.tables(), indexes: node.indexes() }).toEqual(catalog);
    const cache = node.table('Cache');
    expect(await cache.count()).toBe(0);
    expect(await cache.get({ id: 1 })).toBeNull();
    expect(await all(cache.scan())).toEqual([]);
    expect(await node.table('Durable').count()).toBe(20);
    expect(await node.table('Durable').get({ id: 19 })).toEqual({ id: 19, v: 19 });
    // It is usable again on its new, empty storage (an insert meets no row of the previous run).
    await cache.insert({ id: 1, v: 1 });
    expect(await all(cache.scan())).toEqual([{ id: 1, v: 1 }]);
    // Its indexes: available in the catalog, so their (new, empty) storage must answer scans.
    await node.awaitIndex('cache_v');
    expect(await all(cache.scan({ index: 'cache_v', gte: 1, lte: 1 }))).toEqual([{ id: 1, v: 1 }]);
    expect(await all(cache.scan({ index: 'cache_v_sorted' }))).toEqual([{ id: 1, v: 1 }]);
    node = await reopen(node);
    expect(await node.table('Cache').count()).toBe(0);
  });
});
