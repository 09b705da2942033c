/**
 * Every code block of README.md runs as written, as a user would paste it into a project after
 * `npm install aistorage`: a temp project where `aistorage` is a fresh build of this checkout (test/support/
 * built-package.ts), `ts` blocks compiled by tsc (strict, "module": "nodenext", in a CommonJS project: so no
 * top-level await) and run with node, `js` blocks run with node under the file name their first line gives, `bash`
 * blocks run with bash -e (their `npx aistorage` is the package's bin). Each block runs in a fresh directory, exits 0,
 * and prints exactly the `text` block that follows it in the README, if there is one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBuiltPackage, repoRoot, tscBin, userEnv } from '../support/built-package';
import { codeBlocks, normalizeOutput, RUNNABLE_LANGS, type CodeBlock } from '../support/readme-blocks';
import { tempDir } from '../support/temp-dir';

const blocks = codeBlocks(readFileSync(join(repoRoot, 'README.md'), 'utf8'));

/**
 * The one block not run here: the set-up lines of a checkout of this repository (not of a user's project).
 * `npm install` would rebuild this working tree under the running tests and `npm test` would run this test inside
 * itself; `npm run demo` runs in test/integration/demo.test.ts.
 */
const CHECKOUT_COMMANDS = [/^npm install && npm run demo\b/, /^npm install && npm test\b/];
const isCheckoutBlock = (b: CodeBlock): boolean => {
  const lines = b.code.trim().split('\n');
  return b.lang === 'bash' && lines.length === CHECKOUT_COMMANDS.length && lines.every((l, i) => CHECKOUT_COMMANDS[i]!.test(l));
};
const runnable = blocks.filter((b) => RUNNABLE_LANGS.includes(b.lang) && !isCheckoutBlock(b));

/** The file a block is pasted into, relative to its directory. */
function fileOf(b: CodeBlock): string {
  if (b.lang === 'bash') return 'block.sh';
  return b.fileName ?? (b.lang === 'ts' ? 'block.ts' : 'block.mjs');
}
const dirOf = (project: string, b: CodeBlock): string => join(project, `block-${b.index}`);

describe('README code blocks', () => {
  const project = tempDir('aistorage-readme-');
  /** tsc's diagnostics for the ts blocks, one per line (`block-N/file.ts(line,col): error ...`). */
  let diagnostics: string[] = [];

  beforeAll(() => {
    installBuiltPackage(project.path);
    for (const b of runnable) {
      mkdirSync(dirOf(project.path, b));
      writeFileSync(join(dirOf(project.path, b), fileOf(b)), b.code);
    }
    writeFileSync(
      join(project.path, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, types: ['node'],
          skipLibCheck: true,
        },
        include: ['block-*/*.ts'],
      }),
    );
    try {
      execFileSync(process.execPath, [tscBin, '-p', project.path, '--pretty', 'false'], { cwd: project.path, encoding: 'utf8' });
    } catch (e) {
      diagnostics = String((e as { stdout?: string }).stdout ?? e).split('\n').filter((l) => l.trim() !== '');
    }
  }, 120_000);
  afterAll(() => project.cleanup());

  it('has only blocks it knows how to treat, and every output block belongs to a runnable block', () => {
    expect(blocks.filter((b) => ![...RUNNABLE_LANGS, 'text', ''].includes(b.lang)).map((b) => `${b.line}: ${b.lang}`)).toEqual([]);
    const outputs = blocks.filter((b) => b.lang === 'text');
    const owned = blocks.filter((b) => b.expectedOutput !== null);
    expect(outputs.length).toBe(owned.length);
    expect(runnable.filter((b) => b.lang === 'ts').length).toBeGreaterThanOrEqual(2);
    expect(runnable.filter((b) => b.lang === 'js').length).toBeGreaterThanOrEqual(1);
    expect(runnable.filter((b) => b.lang === 'bash').length).toBeGreaterThanOrEqual(1);
  });

  it('leaves out only the checkout set-up block (npm install && npm run demo / npm test)', () => {
    const skipped = blocks.filter((b) => RUNNABLE_LANGS.includes(b.lang) && !runnable.includes(b));
    expect(skipped.map((b) => b.line)).toEqual([7]);
    expect(skipped.every(isCheckoutBlock)).toBe(true);
  });

  it.each(runnable.map((b) => [`block ${b.index} (${b.lang}, README line ${b.line})`, b] as const))('%s runs as written', (_name, b) => {
    const dir = dirOf(project.path, b);
    const file = fileOf(b);
    let command: string[];
    if (b.lang === 'ts') {
      expect(file.endsWith('.ts')).toBe(true);
      expect(diagnostics.filter((d) => d.startsWith(`block-${b.index}/`))).toEqual([]);
      command = [process.execPath, file.replace(/\.ts$/, '.js')];
    } else if (b.lang === 'js') {
      command = [process.execPath, file];
    } else {
      command = ['bash', '-e', '-u', '-o', 'pipefail', file];
    }
    const r = spawnSync(command[0]!, command.slice(1), { cwd: dir, env: userEnv(), encoding: 'utf8', timeout: 60_000 });
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    if (b.lang !== 'bash') expect(r.stderr).toBe('');
    if (b.expectedOutput !== null) expect(normalizeOutput(r.stdout)).toBe(normalizeOutput(b.expectedOutput));
    else expect(r.stdout.length).toBeGreaterThan(0);
  });
});
