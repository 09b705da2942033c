/**
 * The spec's "Usage" statements verbatim (spec/aimem.md and spec/aipersist.md) on profiles of those names, then rows
 * inserted, read, updated and deleted in SQL on both engines; across a restart the aipersist table keeps its rows
 * and the aimem one comes back defined but empty.
 */
import { describe, expect, it } from 'vitest';
import { openNode, type StorageConfigInput, type StorageNode } from '../../src/interfaces/api/index';
import { expressionCompiler } from '../../src/interfaces/sql/eval/compile';
import { SqlEngine } from '../../src/interfaces/sql/sql-api';
import { AIMEM_USAGE, AIPERSIST_USAGE } from '../support/spec-usage';
import { useNodeScope } from '../support/node-scope';

const MiB = 1024 * 1024;
const CONFIG: StorageConfigInput = {
  ignite: {
    storage: {
      engines: { aipersist: { pageSizeBytes: 1024 } },
      profiles: [
        { name: 'cache_profile', engine: 'aimem' as const, initSizeBytes: 16 * MiB, maxSizeBytes: 64 * MiB },
        { name: 'persistent_profile', engine: 'aipersist', sizeBytes: 32 * MiB },
      ],
    },
  },
};

const scope = useNodeScope();
const U1 = '11111111-1111-1111-1111-111111111111';
const U2 = '22222222-2222-2222-2222-222222222222';

async function open(dir: string): Promise<{ node: StorageNode; db: SqlEngine }> {
  const node = scope.keep(await openNode({ workDir: dir, config: CONFIG }));
  return { node, db: new SqlEngine(node, expressionCompiler) };
}

describe("the spec's Usage SQL", () => {
  it('works as written on aimem and aipersist, and rows live through a restart on aipersist only', async () => {
    const dir = scope.dir();
    let { node, db } = await open(dir);
    await db.exec(AIMEM_USAGE);
    await db.exec(AIPERSIST_USAGE);
    expect(node.zones().find((z) => z.name === 'cache_zone')).toMatchObject({ partitions: 10, replicas: 2, storageProfiles: ['cache_profile'] });
    expect(node.tables().find((t) => t.name === 'orders')).toMatchObject({ zone: 'transaction_zone', storageProfile: 'persistent_profile' });

    await db.sql('INSERT INTO sessions VALUES (?, 7, \'cart\', TIMESTAMP \'2026-01-02 03:04:05\'), (?, 8, NULL, NULL)', [U1, U2]);
    await db.sql('INSERT INTO orders (order_id, customer_id, total, created_at) VALUES (1, 7, 12.5, TIMESTAMP \'2026-01-02 03:04:05\'), (2, 8, 3, NULL), (3, 7, 1.25, NULL)');
    expect((await db.sql('SELECT user_id, data, expires_at FROM sessions WHERE session_id = ?', [U1])).rows)
      .toEqual([{ user_id: 7, data: 'cart', expires_at: '2026-01-02T03:04:05' }]);
    expect((await db.sql('UPDATE orders SET total = total * 2 WHERE customer_id = 7')).rowsAffected).toBe(2);
    expect((await db.sql('DELETE FROM orders WHERE order_id = 2')).rowsAffected).toBe(1);
    expect((await db.sql('UPDATE sessions SET data = \'paid\' WHERE user_id = 7')).rowsAffected).toBe(1);
    const orders = 'SELECT order_id, total FROM orders ORDER BY order_id';
    expect((await db.sql(orders, [], { rowMode: 'array' })).rows).toEqual([[1n, '25.00'], [3n, '2.50']]);
    expect((await db.sql('SELECT data FROM sessions ORDER BY user_id', [], { rowMode: 'array' })).rows).toEqual([['paid'], [null]]);

    await node.close();
    ({ node, db } = await open(dir));
    expect((await db.sql(orders, [], { rowMode: 'array' })).rows).toEqual([[1n, '25.00'], [3n, '2.50']]);
    expect((await db.sql('SELECT COUNT(*) AS n FROM sessions')).rows).toEqual([{ n: 0n }]);
    expect((await db.sql('SELECT customer_id, SUM(total) AS s FROM orders GROUP BY customer_id')).rows).toEqual([{ customer_id: 7, s: '27.50' }]);
    await db.sql('INSERT INTO sessions (session_id, user_id) VALUES (?, 9)', [U1]);
    expect((await db.sql('SELECT user_id FROM sessions')).rows).toEqual([{ user_id: 9 }]);
  });
});
