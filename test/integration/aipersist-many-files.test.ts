/**
 * A node with more partition files than the process may open descriptors: 24 tables in the Default zone are 600
 * partitions, each with its files, in child processes limited to `ulimit -n 256`. Creating, checkpointing, closing,
 * reopening and reading all succeed (NodeFileIo keeps at most 256 descriptors and gives some back on EMFILE), and the
 * reopened node holds far fewer descriptors than it has files.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';
import { ROOT, tsChildArgs } from '../support/ts-child';

const CHILD = join(__dirname, '..', 'support', 'many-tables-child.ts');
const TABLES = 24;
const LIMIT = 256;

function runLimited(workDir: string, phase: 'create' | 'reopen'): string {
  const args = [process.execPath, ...tsChildArgs(CHILD), workDir, phase, String(TABLES)].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `ulimit -n ${LIMIT} && exec ${args}`], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${phase} failed (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
  return r.stdout;
}

describe('aipersist: more files than descriptors', () => {
  const dirs: Array<{ path: string; cleanup(): void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it(`${TABLES} tables × 25 partitions under ulimit -n ${LIMIT}: create, checkpoint, close, reopen, read`, () => {
    const dir = tempDir();
    dirs.push(dir);
    runLimited(dir.path, 'create');
    const out = JSON.parse(runLimited(dir.path, 'reopen').trim().split('\n').pop()!) as { rows: unknown[]; descriptors: number };
    const want = Array.from({ length: TABLES }, (_, i) => [{ id: i, v: `row of t${i}` }, { id: i + 1000, v: 'second' }]).flat();
    expect(out.rows).toEqual(want);
    expect(out.descriptors).toBeLessThan(LIMIT);
  }, 240_000);
});
