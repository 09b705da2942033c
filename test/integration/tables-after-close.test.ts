/**
 * Table calls on a closed node (DESIGN.md §8: a typed error that says what to do): from the moment `node.close()` is
 * called, every call of a table handle — plain or in a transaction — and the end of a transaction (commit or
 * rollback, SQL's COMMIT and ROLLBACK included) rejects with StorageClosedError (STORAGE_CLOSED) saying the node is
 * closed, never with an error of a partition closing under it; and a transaction the close overtook is not committed.
 */
import { describe, expect, it } from 'vitest';
import { openNode, type StorageNode } from '../../src/interfaces/api/index';
import { useNodeScope } from '../support/node-scope';

const MEM_CONFIG = { ignite: { storage: { profiles: [{ name: 'mem', engine: 'aimem', maxSizeBytes: 64 * 1024 * 1024 }] } } };

interface Item {
  id: bigint;
  v: string | null;
}

const CLOSED = { code: 'STORAGE_CLOSED', message: expect.stringMatching(/node is closed/) };

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return 'nothing thrown';
}

/** Every public table call of `t`, each as a promise (a synchronous throw becomes a rejection). */
function calls(t: ReturnType<StorageNode['table']>): Record<string, () => Promise<unknown>> {
  const call = (f: () => unknown) => async () => f();
  return {
    get: call(() => t.get({ id: 1n })),
    getAll: call(() => t.getAll([{ id: 1n }])),
    insert: call(() => t.insert({ id: 500n, v: 'x' })),
    upsert: call(() => t.upsert({ id: 1n, v: 'x' })),
    replace: call(() => t.replace({ id: 1n, v: 'x' })),
    delete: call(() => t.delete({ id: 1n })),
    count: call(() => t.count()),
    scan: call(() => collect(t.scan())),
    reverseScan: call(() => collect(t.scan({ reverse: true }))),
    changes: call(() => t.changes$),
  };
}

describe.each(['mem', 'default'])('table calls after node.close() (%s)', (profile) => {
  const scope = useNodeScope();

  async function open(dir = scope.dir()): Promise<StorageNode> {
    const node = scope.keep(await openNode({ workDir: dir, config: MEM_CONFIG as never }));
    if (node.tables().length > 0) return node;
    await node.createZone({ name: 'z', partitions: 3, storageProfiles: ['mem', 'default'] });
    await node.createTable({
      name: 'items', zone: 'z', storageProfile: profile,
      columns: [{ name: 'id', type: 'BIGINT' }, { name: 'v', type: 'VARCHAR' }],
      primaryKey: ['id'],
    });
    for (let i = 0n; i < 10n; i++) await node.table<Item>('items').insert({ id: i, v: 'a' });
    return node;
  }

  it('a commit after the node closed is refused, and nothing of the transaction stays', async () => {
    const dir = scope.dir();
    let node = await open(dir);
    await expect(node.transaction(async (tx) => { // one row: the one-partition commit
      await tx.table<Item>('items').insert({ id: 100n, v: 'one' });
      await node.close();
    })).rejects.toMatchObject(CLOSED);
    node = await open(dir);
    await expect(node.transaction(async (tx) => { // rows in several partitions: the two-phase commit
      for (let i = 200n; i < 210n; i++) await tx.table<Item>('items').insert({ id: i, v: 'many' });
      await node.close();
    })).rejects.toMatchObject(CLOSED);
    if (profile === 'mem') return; // an aimem table comes back empty
    node = await open(dir);
    const t = node.table<Item>('items');
    expect(await t.count()).toBe(10);
    expect(await t.get({ id: 100n })).toBeNull();
    expect(await t.get({ id: 205n })).toBeNull();
    await t.insert({ id: 100n, v: 'again' }); // the intents left behind were rolled back when met
    expect(await t.get({ id: 100n })).toEqual({ id: 100n, v: 'again' });
  });

  it('every call of a handle, plain or in a transaction, is refused after close', async () => {
    const node = await open();
    const plain = node.table<Item>('items');
    let inTx!: ReturnType<StorageNode['table']>;
    await expect(node.transaction(async (tx) => {
      inTx = tx.table<Item>('items');
      await inTx.upsert({ id: 1n, v: 'b' });
      await node.close();
      for (const [name, call] of Object.entries(calls(inTx))) await expect(call(), name).rejects.toMatchObject(CLOSED);
      expect(thrown(() => tx.table('items'))).toMatchObject(CLOSED);
    })).rejects.toMatchObject(CLOSED);
    for (const [name, call] of Object.entries(calls(plain))) await expect(call(), name).rejects.toMatchObject(CLOSED);
    for (const [name, call] of Object.entries(calls(inTx))) await expect(call(), name).rejects.toMatchObject(CLOSED);
    await expect(node.transaction(async () => 1)).rejects.toMatchObject(CLOSED);
    await expect(node.transaction(async () => 1, { readOnly: true })).rejects.toMatchObject(CLOSED);
    expect(thrown(() => node.table('items'))).toMatchObject(CLOSED);
    // Every node method that returns a promise rejects — never throws before it has one — so .catch() sees the error.
    const nodeCalls: Record<string, () => Promise<unknown>> = {
      sql: () => node.sql('SELECT * FROM items'), prepare: () => node.prepare('SELECT 1'), exec: () => node.exec('SELECT 1'),
      createZone: () => node.createZone({ name: 'z2' }), alterZone: () => node.alterZone('z', { replicas: 2 }),
      dropZone: () => node.dropZone('z'), dropTable: () => node.dropTable('items'),
      createTable: () => node.createTable({ name: 't2', columns: [{ name: 'id', type: 'INT' }], primaryKey: ['id'] }),
      alterTable: () => node.alterTable('items', { addColumns: [{ name: 'w', type: 'INT' }] }),
      createIndex: () => node.createIndex({ name: 'i', table: 'items', columns: ['v'] }), dropIndex: () => node.dropIndex('i'),
      awaitIndex: () => node.awaitIndex('i'),
    };
    for (const [name, call] of Object.entries(nodeCalls)) {
      let promise: Promise<unknown> | undefined;
      expect(thrown(() => (promise = call())), name).toBe('nothing thrown');
      await expect(promise, name).rejects.toMatchObject(CLOSED);
    }
  });

  it('refuses from the moment close() is called, before the tables are closed', async () => {
    const node = await open();
    const t = node.table<Item>('items');
    const closing = node.close();
    for (const [name, call] of Object.entries(calls(t))) await expect(call(), name).rejects.toMatchObject(CLOSED);
    await closing;
    const again = await open();
    const rows = again.table<Item>('items').scan();
    expect((await rows.next()).value).toMatchObject({ id: 0n });
    await again.close();
    await expect(rows.next()).rejects.toMatchObject(CLOSED); // a scan the close overtook
  });

  it('the end of a transaction the close overtook is refused: resolved, thrown, read-only, or without writes', async () => {
    const node = await open();
    const reading = node.transaction(async (tx) => {
      const row = await tx.table<Item>('items').get({ id: 1n });
      await node.close();
      return row;
    }, { readOnly: true });
    await expect(reading).rejects.toMatchObject(CLOSED);
    const other = await open();
    const failed = await other.transaction(async (tx) => {
      await tx.table<Item>('items').insert({ id: 300n, v: 'c' });
      await other.close();
      throw new Error('my own failure');
    }).catch((e: unknown) => e);
    expect(failed).toMatchObject(CLOSED);
    expect((failed as Error).cause).toMatchObject({ message: 'my own failure' });
    const third = await open();
    await expect(third.transaction(async () => {
      await third.close();
    })).rejects.toMatchObject(CLOSED);
  });

  it("SQL's COMMIT and ROLLBACK of a transaction the close overtook, and prepared statements, are refused", async () => {
    let node = await open();
    let session = node.sqlSession();
    await session.sql('START TRANSACTION');
    await session.sql("INSERT INTO items VALUES (400, 'd')");
    await node.close();
    await expect(session.sql('SELECT * FROM items')).rejects.toMatchObject(CLOSED);
    await expect(session.sql('COMMIT')).rejects.toMatchObject(CLOSED);
    node = await open();
    session = node.sqlSession();
    await session.sql('START TRANSACTION');
    await session.sql("INSERT INTO items VALUES (400, 'd')");
    await node.close();
    await expect(session.sql('ROLLBACK')).rejects.toMatchObject(CLOSED);
    node = await open();
    const point = await node.prepare('SELECT * FROM items WHERE id = ?');
    const range = await node.prepare('SELECT * FROM items WHERE id > ?');
    const insert = await node.prepare("INSERT INTO items VALUES (?, 'e')");
    await node.close();
    await expect(point.all([1n])).rejects.toMatchObject(CLOSED);
    await expect(range.all([1n])).rejects.toMatchObject(CLOSED);
    await expect(insert.run([600n])).rejects.toMatchObject(CLOSED);
  });
});
