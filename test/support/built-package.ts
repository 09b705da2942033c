/**
 * A temp project in which `aistorage` resolves to a fresh build of this checkout, laid out as `npm install` lays
 * out an installed package: node_modules/aistorage/{package.json, bin, dist} (dist compiled from src by tsc into
 * the temp dir — the checkout's own dist/ is neither needed nor touched), the package's runtime dependencies beside
 * it (links into the checkout's node_modules: only those, so a require of anything else fails as it would for a
 * user), node_modules/.bin/aistorage, and @types/node for the project's own TypeScript.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');
export const tscBin = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly bin: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

export function readPackageJson(dir: string = repoRoot): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Builds the package into `<project>/node_modules/aistorage` and writes the project's package.json. */
export function installBuiltPackage(project: string): void {
  const pkgJson = readPackageJson();
  const modules = join(project, 'node_modules');
  const pkgDir = join(modules, pkgJson.name);
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'readme-user', private: true }, null, 2));
  buildInto(join(pkgDir, 'dist'));
  cpSync(join(repoRoot, 'package.json'), join(pkgDir, 'package.json'));
  cpSync(join(repoRoot, 'bin'), join(pkgDir, 'bin'), { recursive: true });
  for (const dep of [...Object.keys(pkgJson.dependencies ?? {}), '@types/node']) {
    const link = join(modules, dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(join(repoRoot, 'node_modules', dep)), link, 'dir');
  }
  mkdirSync(join(modules, '.bin'));
  for (const [name, target] of Object.entries(pkgJson.bin)) {
    symlinkSync(join('..', pkgJson.name, target), join(modules, '.bin', name));
  }
}

/**
 * The environment of a user's shell: no npm_* variables of the npm that runs these tests, no NODE_OPTIONS, no work
 * dir override; the running node's directory first on PATH (so `node`, `npm` and `npx` are this node's).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.toLowerCase().startsWith('npm_') && k !== 'NODE_OPTIONS' && k !== 'AISTORAGE_WORK_DIR') env[k] = v;
  }
  env['PATH'] = `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`;
  return env;
}

/** `tsc -p tsconfig.json` into `outDir`; a failed build throws with tsc's diagnostics. */
export function buildInto(outDir: string): void {
  try {
    execFileSync(process.execPath, [tscBin, '-p', join(repoRoot, 'tsconfig.json'), '--outDir', outDir, '--pretty', 'false'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (e) {
    throw new Error(`the package does not build (tsc -p tsconfig.json):\n${String((e as { stdout?: string }).stdout ?? e)}`);
  }
}
