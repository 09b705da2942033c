/**
 * `npm run bench [-- name ...]`: runs every bench/*.bench.ts (or those whose name contains an argument), each in
 * its own Node process so that one benchmark's heap does not skew the next. Sizes come from BENCH_N.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = __dirname;
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n## ${file}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', join(dir, file)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (r.status !== 0) {
    failed++;
    console.error(`${file} failed with status ${r.status ?? r.signal}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
