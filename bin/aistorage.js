#!/usr/bin/env node
'use strict';
// Runs the CLI from the built JavaScript in dist/ — in an installed package and in a checkout alike (a checkout's
// `npm install` builds dist/ through the `prepare` script; after editing src/, `npm run build` again).
const path = require('node:path');
const fs = require('node:fs');

const main = path.join(__dirname, '..', 'dist', 'interfaces', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write(`aistorage: the built CLI (${main}) is missing — run npm run build\n`);
  process.exit(1);
}
require(main)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
