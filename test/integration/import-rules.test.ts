/**
 * The import-direction rules of STYLE.md (.dependency-cruiser.cjs) catch each kind of violation. Runs the real
 * config with dependency-cruiser's CLI on a scratch tree that links the project's node_modules.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const root = resolve(__dirname, '../..');
const files: Record<string, string> = {
  'src/domain/shared/ok.ts': 'export const ok = 1;',
  'src/domain/region/agg.ts': "import { Subject } from 'rxjs'; export const s = Subject;",
  'src/domain/btree/bad-rxjs.ts': "import { Subject } from 'rxjs'; export const s = Subject;",
  'src/domain/btree/bad-node.ts': "import { readFileSync } from 'node:fs'; export const r = readFileSync;",
  'src/domain/btree/bad-app.ts': "import { a } from '../../application/a'; export const x = a;",
  'src/application/a.ts': "import { Subject } from 'rxjs'; export const a = Subject;",
  'src/application/bad-infra.ts': "import { i } from '../infrastructure/i'; export const x = i;",
  'src/application/bad-msgpack.ts': "import { pack } from 'msgpackr'; export const x = pack;",
  'src/infrastructure/i.ts': "import { pack } from 'msgpackr'; import { readFileSync } from 'node:fs'; export const i = [pack, readFileSync];",
  'src/infrastructure/bad-interfaces.ts': "import { c } from '../interfaces/composition/c'; export const x = c;",
  'src/interfaces/composition/c.ts': "import { Container } from 'inversify'; export const c = Container;",
  'src/interfaces/api/bad-inversify.ts': "import { Container } from 'inversify'; export const x = Container;",
  'src/interfaces/api/bad-test.ts': "import { t } from '../../../test/t'; export const x = t;",
  'src/domain/shared/cycle-a.ts': "import { b } from './cycle-b'; export const a = () => b;",
  'src/domain/shared/cycle-b.ts': "import { a } from './cycle-a'; export const b = () => a;",
  'src/domain/ports/p.ts': 'export interface P { readonly x: number }',
  'src/interfaces/api/index.ts': "export { c } from '../composition/c'; export type { P } from '../../domain/ports/p';",
  'src/interfaces/api/testing.ts': "export { c } from '../composition/c'; export type { P } from '../../domain/ports/p';",
  'test/t.ts': 'export const t = 1;',
};

describe('import-direction rules', () => {
  let dir: { path: string; cleanup(): void };
  let output = '';
  beforeAll(() => {
    dir = tempDir('aistorage-deps-');
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir.path, file)), { recursive: true });
      writeFileSync(join(dir.path, file), text);
    }
    copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir.path, '.dependency-cruiser.cjs'));
    copyFileSync(join(root, 'tsconfig.json'), join(dir.path, 'tsconfig.json'));
    symlinkSync(join(root, 'node_modules'), join(dir.path, 'node_modules'), 'dir');
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', '.dependency-cruiser.cjs'], { cwd: dir.path, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? "");
      if (process.env["SHOW_DEPS"]) console.log(output);
      return;
    }
    throw new Error('dependency-cruiser accepted a tree full of violations');
  });
  afterAll(() => dir.cleanup());

  it.each([
    ['domain-no-node-modules', 'src/domain/btree/bad-rxjs.ts'],
    ['domain-only-domain', 'src/domain/btree/bad-node.ts'],
    ['domain-only-domain', 'src/domain/btree/bad-app.ts'],
    ['application-inward-only', 'src/application/bad-infra.ts'],
    ['application-no-node-modules-but-rxjs', 'src/application/bad-msgpack.ts'],
    ['infrastructure-not-interfaces', 'src/infrastructure/bad-interfaces.ts'],
    ['inversify-only-in-composition', 'src/interfaces/api/bad-inversify.ts'],
    ['src-not-to-test', 'src/interfaces/api/bad-test.ts'],
    ['no-cycles', 'src/domain/shared/cycle-a.ts'],
  ])('%s catches %s', (rule, file) => {
    expect(output).toMatch(new RegExp(`error ${rule}: ${file.replace(/\./g, '\\.')}`));
  });

  it.each([
    ['src/interfaces/composition/c.ts'],
    ['src/domain/ports/p.ts'],
  ])('public-entry-no-internals catches the main entry re-exporting %s (type-only too)', (target) => {
    expect(output).toMatch(new RegExp(`error public-entry-no-internals: src/interfaces/api/index\\.ts → ${target.replace(/\./g, '\\.')}`));
  });

  it('allows what the rules allow: rxjs in aggregates and application, msgpackr and node:* in infrastructure, inversify in composition, internals in the testing entry', () => {
    for (const file of ['src/domain/region/agg.ts', 'src/application/a.ts', 'src/infrastructure/i.ts', 'src/interfaces/composition/c.ts', 'src/interfaces/api/testing.ts']) {
      expect(output).not.toMatch(new RegExp(`error [a-z-]+: ${file.replace(/\./g, '\\.')}`));
    }
  });
});
