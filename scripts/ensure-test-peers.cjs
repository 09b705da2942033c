#!/usr/bin/env node
/**
 * `npm test`'s pretest: the SQL differential test (test/integration/sql-differential.test.ts) compares aistorage with
 * SQLite through better-sqlite3, a native peer kept out of the library's dependencies — it is listed in
 * bench/package.json (with the benchmarks' other peers) and installed there. When bench/node_modules/better-sqlite3 is
 * missing, or its native build does not load in this Node.js, this installs (or rebuilds) the bench's packages;
 * when that fails it prints the command to run and lets the tests run (the differential test then fails saying the
 * same). Instant when the peer is there. Plain CommonJS so that it runs before anything is compiled.
 */
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = join(__dirname, '..');
const PEER = join(ROOT, 'bench', 'node_modules', 'better-sqlite3');
const INSTALL = ['--prefix', 'bench', 'install', '--no-audit', '--no-fund'];
const REBUILD = ['--prefix', 'bench', 'rebuild', 'better-sqlite3'];
const HINT = 'npm --prefix bench install --no-audit --no-fund';

function main() {
  if (existsSync(join(PEER, 'package.json'))) {
    if (loads()) return;
    console.log('ensure-test-peers: bench/node_modules/better-sqlite3 does not load in this Node.js; rebuilding it '
      + `(npm ${REBUILD.join(' ')}) for the SQL differential test…`);
    if (npm(REBUILD) && loads()) return;
  } else {
    console.log(`ensure-test-peers: installing the bench's packages (npm ${INSTALL.join(' ')}) for the SQL differential `
      + 'test, which needs better-sqlite3…');
    if (npm(INSTALL) && loads()) return;
  }
  console.warn(`ensure-test-peers: better-sqlite3 could not be installed; the SQL differential test will fail. Install it:\n  ${HINT}`);
}

/** Whether better-sqlite3 loads (in a child process: a failed native load is not retried within one process). */
function loads() {
  const probe = `require(${JSON.stringify(PEER)}); `;
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;
}

function npm(args) {
  const command = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status === 0;
}

main();
