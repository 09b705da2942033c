/**
 * The demo's level 1 and 2 part: the spec's `orders` statements in SQL on `persistent_profile` (aipersist), rows
 * inserted in one SQL transaction, a change stream, a typed table call, an aggregate and a plan; after the restart the
 * rows are read back with SQL.
 */
import type { StorageNode } from '../api/index';

export async function sqlOrders(node: StorageNode): Promise<void> {
  await node.exec(`
    CREATE ZONE transaction_zone WITH PARTITIONS=25, REPLICAS=3, STORAGE PROFILES ['persistent_profile'];
    CREATE TABLE sql_orders (
        order_id BIGINT PRIMARY KEY,
        customer_id INT,
        total DECIMAL(15,2),
        created_at TIMESTAMP
    ) ZONE transaction_zone STORAGE PROFILE 'persistent_profile';
  `);
  const changes: string[] = [];
  const subscription = node.table('sql_orders').changes$.subscribe((c) => changes.push(`${String(c.key['order_id'])}`));
  const values = Array.from({ length: 20 }, (_, i) => `(${i + 1}, ${i % 4}, ${(i + 1) * 2.5}, TIMESTAMP '2026-01-0${(i % 9) + 1} 10:00:00')`);
  await node.exec(`START TRANSACTION; INSERT INTO sql_orders VALUES ${values.join(', ')}; COMMIT;`);
  await node.table<{ order_id: bigint; customer_id: number; total: string }>('sql_orders').upsert({ order_id: 21n, customer_id: 3, total: '99.99' });
  subscription.unsubscribe();
  console.log(`sql_orders: ${changes.length} committed changes streamed on changes$ (transaction, then a table call)`);
  const perCustomer = await node.sql('SELECT customer_id, COUNT(*) AS n, SUM(total) AS total FROM sql_orders GROUP BY customer_id ORDER BY customer_id');
  console.log(`sql_orders per customer: ${perCustomer.rows.map((r) => `${String(r['customer_id'])}: ${String(r['n'])} orders, ${String(r['total'])}`).join('; ')}`);
  const plan = await node.sql('EXPLAIN SELECT total FROM sql_orders WHERE order_id = 7');
  console.log(`plan of a key lookup: ${plan.rows.map((r) => String(r['plan']).trim()).join(' <- ')}`);
}

export async function sqlOrdersAfterRestart(node: StorageNode): Promise<void> {
  const r = await node.sql('SELECT COUNT(*) AS n, MAX(total) AS top FROM sql_orders');
  console.log(`sql_orders after a restart: ${String(r.rows[0]!['n'])} rows, top total ${String(r.rows[0]!['top'])}`);
}
