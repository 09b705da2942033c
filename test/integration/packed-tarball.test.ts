/**
 * The package as a user gets it: `npm pack` of this checkout's package, installed with npm into a temp project, then
 * used from CommonJS (`require('aistorage')`), from an ES module (`import { openNode } from 'aistorage'`), both
 * entries (`aistorage`, `aistorage/testing`), through its `aistorage` command, and its live dashboard (the page's
 * files in dashboard/ and uPlot's from node_modules). The install must bring only the runtime dependencies (no
 * ts-node, no typescript).
 * What is packed is a staging copy in the temp dir: package.json, bin/, dashboard/ and README.md of the checkout, and a dist/
 * built there from src by tsc (test/support/built-package.ts), packed with --ignore-scripts. So the checkout's own
 * dist/ is neither needed nor touched, and the package's `prepare` script (which deletes and rebuilds dist/ for a
 * publish from the checkout) is not run by this test.
 * Slow by nature (a build and an npm install from the npm cache): about 20–40 s.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInto, readPackageJson, repoRoot, userEnv } from '../support/built-package';
import { tempDir } from '../support/temp-dir';

const RUNTIME_DEPENDENCIES = ['chevrotain', 'commander', 'inversify', 'msgpackr', 'reflect-metadata', 'rxjs', 'uplot'];

/** Runs npm; a failure throws with npm's output. */
function npm(args: string[], cwd: string): void {
  const r = spawnSync('npm', args, { cwd, env: userEnv(), encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

const WRITE_AND_READ = (moduleKind: string): string => `
  const node = await openNode({
    workDir: process.argv[2],
    config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', maxSizeBytes: 16777216 }] } } },
  });
  const table = node.engine('aimem').createMvTable({ tableId: 1, partitions: 1, storageProfile: 'p' });
  const part = await table.createMvPartition(0);
  const rowId = RowId.random(0);
  const ts = node.clock.now();
  part.runConsistently(() => part.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new TextEncoder().encode('hello from ${moduleKind}') }, ts));
  console.log(new TextDecoder().decode(part.read(rowId, MAX_VALUE).binaryRow.bytes), typeof TOKENS.Clock);
  await node.close();
`;
const CJS = `const { openNode, RowId, MAX_VALUE } = require('aistorage');
const { TOKENS } = require('aistorage/testing');
(async () => {${WRITE_AND_READ('cjs')}})().catch((e) => { console.error(e); process.exitCode = 1; });
`;
/** Serves the dashboard from the installed package and prints the status and type of the page, each file and /metrics. */
const DASHBOARD = `const { openNode } = require('aistorage');
(async () => {
  const node = await openNode({ workDir: process.argv[2] });
  const d = await node.serveDashboard();
  for (const path of ['', 'assets/dashboard.js', 'assets/dashboard.css', 'assets/uPlot.iife.min.js', 'assets/uPlot.min.css', 'metrics']) {
    const r = await fetch(d.url + path);
    console.log('/' + path, r.status, r.headers.get('content-type').split(';')[0], (await r.text()).length > 0);
  }
  await node.close();
})().catch((e) => { console.error(e); process.exitCode = 1; });
`;
const ESM = `import { openNode, RowId, MAX_VALUE } from 'aistorage';
import { TOKENS } from 'aistorage/testing';
${WRITE_AND_READ('esm')}`;

describe('the packed tarball, installed in a temp project', () => {
  const tmp = tempDir('aistorage-pack-');
  const app = join(tmp.path, 'app');
  const workDir = join(tmp.path, 'work');
  let tarball = '';
  let tarFiles: string[] = [];
  const pkg = readPackageJson();

  const run = (cmd: string, args: string[]): SpawnSyncReturns<string> =>
    spawnSync(cmd, args, { cwd: app, env: userEnv(), encoding: 'utf8', timeout: 60_000 });

  beforeAll(() => {
    const staging = join(tmp.path, 'staging');
    mkdirSync(staging);
    for (const f of ['package.json', 'bin', 'dashboard', 'README.md']) cpSync(join(repoRoot, f), join(staging, f), { recursive: true });
    buildInto(join(staging, 'dist')); // a failed build throws with tsc's diagnostics
    const packDir = join(tmp.path, 'pack');
    mkdirSync(packDir);
    npm(['pack', staging, '--ignore-scripts', '--pack-destination', packDir, '--silent'], tmp.path);
    tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
    tarFiles = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    npm(['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], app);
    writeFileSync(join(app, 'app.cjs'), CJS);
    writeFileSync(join(app, 'app.mjs'), ESM);
    writeFileSync(join(app, 'dashboard.cjs'), DASHBOARD);
  }, 240_000);
  afterAll(() => tmp.cleanup());

  it('holds the built package, its bin, dashboard files and README, and no sources, tests or source maps', () => {
    for (const f of ['package.json', 'README.md', 'bin/aistorage.js', 'dist/interfaces/api/index.js', 'dist/interfaces/api/index.d.ts',
      'dist/interfaces/api/testing.js', 'dist/interfaces/cli/main.js', 'dist/interfaces/dashboard/dashboard-server.js',
      'dashboard/dashboard.js', 'dashboard/dashboard.css']) {
      expect(tarFiles).toContain(`package/${f}`);
    }
    expect(tarFiles.filter((f) => /^package\/(src|test|bench)\//.test(f) || f.endsWith('.map'))).toEqual([]);
  });

  it('brings only the runtime dependencies: no ts-node, no typescript', () => {
    const installed = readPackageJson(join(app, 'node_modules', 'aistorage'));
    expect(Object.keys(installed.dependencies ?? {}).sort()).toEqual(RUNTIME_DEPENDENCIES);
    for (const dev of ['ts-node', 'typescript', 'vitest']) expect(existsSync(join(app, 'node_modules', dev))).toBe(false);
    for (const dep of RUNTIME_DEPENDENCIES) expect(existsSync(join(app, 'node_modules', dep))).toBe(true);
  });

  it('works from CommonJS: require(aistorage) and require(aistorage/testing), a write and a read', () => {
    const r = run(process.execPath, ['app.cjs', join(workDir, 'cjs')]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toBe('hello from cjs symbol\n');
  });

  it('works from an ES module: import { openNode } from aistorage (named exports), a write and a read', () => {
    const r = run(process.execPath, ['app.mjs', join(workDir, 'esm')]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toBe('hello from esm symbol\n');
  });

  it('serves the live dashboard: the page, its own files, uPlot from node_modules, and /metrics', () => {
    const r = run(process.execPath, ['dashboard.cjs', join(workDir, 'dashboard')]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout.trim().split('\n')).toEqual([
      '/ 200 text/html true', '/assets/dashboard.js 200 text/javascript true', '/assets/dashboard.css 200 text/css true',
      '/assets/uPlot.iife.min.js 200 text/javascript true', '/assets/uPlot.min.css 200 text/css true', '/metrics 200 text/plain true',
    ]);
  });

  it("runs the CLI's --version", () => {
    const r = run(join(app, 'node_modules', '.bin', 'aistorage'), ['--version']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("runs the CLI's config show on a work dir (the profile the CJS app stored there)", () => {
    const r = run(join(app, 'node_modules', '.bin', 'aistorage'), ['config', 'show', '-w', join(workDir, 'cjs')]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const shown = JSON.parse(r.stdout) as { ignite: { storage: { profiles: { name: string; engine: string }[] } } };
    expect(shown.ignite.storage.profiles.map((p) => `${p.name}:${p.engine}`)).toEqual(expect.arrayContaining(['default:aipersist', 'p:aimem']));
  });
});
