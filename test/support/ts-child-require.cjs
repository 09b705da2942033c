'use strict';
/**
 * `node --require test/support/ts-child-require.cjs child.ts ...`: the TypeScript loader of the tests' child
 * processes (work-dir-child.ts, aipersist-crash-child.ts). Like `ts-node/register/transpile-only` — the TypeScript
 * compiler's own transpileModule with the options of tsconfig.json, as CommonJS (what this package's `nodenext`
 * build emits) — but each file's output is kept in a cache keyed by a hash of the TypeScript version, tsconfig.json,
 * the file's path and its exact source text. ts-node transpiles every source file again in every process (~6 s of
 * CPU per child here, most of a test's time); with the cache a child loads the JavaScript directly, and only a file
 * whose source changed is transpiled again (a changed source has a new key: an entry is never stale).
 *
 * Cache: AISTORAGE_TEST_TS_CACHE, default node_modules/.cache/aistorage-test-ts (safe to delete at any time; entries
 * older than 14 days are pruned now and then).
 * Entries are written to a temporary name and renamed, so children starting together never read a partial one.
 * Source maps are inline and enabled, so a child's stack traces name the .ts lines.
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const TSCONFIG = path.join(ROOT, 'tsconfig.json');
const CACHE = process.env.AISTORAGE_TEST_TS_CACHE || path.join(ROOT, 'node_modules', '.cache', 'aistorage-test-ts');

const salt = createHash('sha256')
  .update(`v1\0${require('typescript/package.json').version}\0`)
  .update(fs.readFileSync(TSCONFIG))
  .digest('hex');

/** Loaded on the first cache miss only: loading and running the compiler is the cost the cache avoids. */
let compiler = null;
function transpile(source, fileName) {
  if (compiler === null) {
    const ts = require('typescript');
    const parsed = ts.getParsedCommandLineOfConfigFile(TSCONFIG, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    const options = {
      ...parsed.options,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: true,
      noEmit: false,
    };
    delete options.outDir;
    delete options.rootDir;
    compiler = { ts, options };
  }
  const out = compiler.ts.transpileModule(source, { fileName, compilerOptions: compiler.options, reportDiagnostics: true });
  const errors = (out.diagnostics || []).filter((d) => d.category === compiler.ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(`${fileName}: ${errors.map((d) => compiler.ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')}`);
  }
  return out.outputText;
}

/** Now and then, on a miss: drops entries written more than 14 days ago (sources edited since leave old ones behind). */
function prune() {
  const before = Date.now() - 14 * 24 * 3600 * 1000;
  for (const name of fs.readdirSync(CACHE)) {
    try {
      const file = path.join(CACHE, name);
      if (fs.statSync(file).mtimeMs < before) fs.rmSync(file, { force: true });
    } catch {
      // Another process pruning at the same time.
    }
  }
}

function compiled(fileName) {
  const source = fs.readFileSync(fileName, 'utf8');
  const key = createHash('sha256').update(salt).update('\0').update(fileName).update('\0').update(source).digest('hex');
  const entry = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(entry, 'utf8');
  } catch {
    const js = transpile(source, fileName);
    try {
      fs.mkdirSync(CACHE, { recursive: true });
      const tmp = `${entry}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, js);
      fs.renameSync(tmp, entry);
      if (Math.random() < 0.05) prune();
    } catch {
      // An unwritable cache only costs the next process the transpile again.
    }
    return js;
  }
}

process.setSourceMapsEnabled(true);
require.extensions['.ts'] = function loadTs(module, fileName) {
  module._compile(compiled(fileName), fileName);
};
