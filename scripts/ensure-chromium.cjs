#!/usr/bin/env node
/**
 * `npm test`'s pretest: the dashboard's browser test (test/integration/dashboard-browser.test.ts) needs Chromium —
 * the Debian package's /usr/bin/chromium, or CHROMIUM_PATH. When it is missing and this machine can install it
 * (apt-get, as root or with password-less sudo) this installs the distribution's package; otherwise it prints the
 * command and lets the tests run (the browser test then fails saying the same). Instant when Chromium is there.
 * Plain CommonJS so that it runs before anything is compiled.
 */
'use strict';
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');

const HINT = 'sudo apt-get update && sudo apt-get install -y chromium   (or set CHROMIUM_PATH to a Chromium or Chrome binary)';

function main() {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted) {
    if (!existsSync(wanted)) console.warn(`ensure-chromium: CHROMIUM_PATH=${wanted} does not exist; the dashboard's browser test will fail.`);
    return;
  }
  if (existsSync('/usr/bin/chromium')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !root && succeeds('sudo', ['-n', 'true']);
  if (!succeeds('sh', ['-c', 'command -v apt-get']) || (!root && !sudo)) {
    console.warn(`ensure-chromium: Chromium is missing and cannot be installed from here; the dashboard's browser test will fail. Install it:\n  ${HINT}`);
    return;
  }
  console.log('ensure-chromium: installing Chromium (Debian package `chromium`) for the dashboard\'s browser test…');
  const apt = (args) => {
    const command = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
    const r = root ? spawnSync(command[0], command.slice(1), { stdio: 'inherit' }) : spawnSync('sudo', ['-n', ...command], { stdio: 'inherit' });
    return r.status === 0;
  };
  if (!apt(['update', '-q']) || !apt(['install', '-y', '-q', 'chromium']) || !existsSync('/usr/bin/chromium')) {
    console.warn(`ensure-chromium: the install failed; the dashboard's browser test will fail. Install it:\n  ${HINT}`);
  }
}

function succeeds(command, args) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

main();
