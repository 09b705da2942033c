/**
 * Child of test/integration/aipersist-many-files.test.ts, run under a low `ulimit -n`: `create` makes TABLES tables in
 * the Default zone (25 partitions each) on a work dir, writes a row into each and closes (a checkpoint of every
 * partition); `reopen` opens the work dir again, prints each table's rows as a JSON line, and the number of
 * descriptors the process holds.
 */
import { readdirSync } from 'node:fs';
import { openNode } from '../../src/interfaces/api/open-node';

async function main(): Promise<void> {
  const [workDir, phase, tablesText] = process.argv.slice(2);
  const tables = Number(tablesText);
  const node = await openNode({ workDir: workDir! });
  try {
    if (phase === 'create') {
      for (let i = 0; i < tables; i++) {
        await node.sql(`CREATE TABLE t${i} (id INT PRIMARY KEY, v VARCHAR)`);
        await node.sql(`INSERT INTO t${i} VALUES (${i}, 'row of t${i}'), (${i + 1000}, 'second')`);
      }
      await node.checkpoint();
    } else {
      const rows: unknown[] = [];
      for (let i = 0; i < tables; i++) rows.push(...(await node.sql(`SELECT id, v FROM t${i} ORDER BY id`)).rows);
      console.log(JSON.stringify({ rows, descriptors: readdirSync('/proc/self/fd').length }));
    }
  } finally {
    await node.close();
  }
}

main().catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  console.error(`FAILED ${err.code ?? ''} ${err.message ?? String(e)}`);
  process.exit(1);
});
