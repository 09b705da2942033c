#!/usr/bin/env node
'use strict';
// Runs the CLI from the TypeScript sources in a checkout (via ts-node), or from dist/ in an installed package.
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const src = path.join(root, 'src', 'interfaces', 'cli', 'main.ts');
let cli;
if (fs.existsSync(src)) {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  cli = require(src);
} else {
  cli = require(path.join(root, 'dist', 'interfaces', 'cli', 'main.js'));
}
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
