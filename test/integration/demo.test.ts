/**
 * `npm run demo` (src/interfaces/demo/demo.ts) runs, shows the product through the public API only, and prints
 * what the README promises: the spec's profiles, rows read at two timestamps, an index lookup and a range scan,
 * events, stats; in under 10 seconds of its own time, leaving no work dir behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built-package';

describe('npm run demo', () => {
  let out = '';
  let err = '';
  let status: number | null = null;

  beforeAll(() => {
    const r = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    ({ stdout: out, stderr: err, status } = r);
  }, 90_000);

  it('exits 0 without errors', () => {
    expect({ status, err }).toEqual({ status: 0, err: '' });
  });

  it('uses the spec profiles, writes and reads rows at two timestamps, looks up and scans indexes', () => {
    expect(out).toMatch(/^profiles: default \(aipersist\), cache_profile \(aimem\), persistent_profile \(aipersist\), blob_profile \(aimem\)$/m);
    expect(out).toMatch(/^sessions: 1000 rows written at t1 = \d+$/m);
    expect(out).toMatch(/^lookup session_id=00000000-0000-4000-8000-00000000006f \(hash primary key\)$/m);
    expect(out).toMatch(/^ {2}at t1: {2}cart v1 of session 111$/m);
    expect(out).toMatch(/^ {2}latest: cart v2 of session 111$/m);
    expect(out).toMatch(/^ {2}versions: cart v2 of session 111 @ \d+, cart v1 of session 111 @ \d+$/m);
    expect(out).toMatch(/^lookup session_id=00000000-0000-4000-8000-000000000005: 0 index entries now$/m);
    expect(out).toMatch(/^ {2}user 10: 10 sessions, carts v1\n {2}user 11: 10 sessions, carts v2\n {2}user 12: 10 sessions, carts v1$/m);
  });

  it('prints events$ (a segment allocated, then out of memory) and the typed error', () => {
    expect(out).toMatch(/^event: region\.segmentAllocated blob_profile: segment 1 of 54\.0 MiB, 64\.0 MiB in all$/m);
    expect(out).toMatch(/^event: region\.outOfMemory blob_profile: init 10\.0 MiB, max 64\.0 MiB$/m);
    expect(out).toMatch(/^blob_profile: \d+ blobs of 64 KiB written, the next one refused: OUT_OF_MEMORY$/m);
    expect(out).toMatch(/^blob_profile: the first blob still reads back intact: true$/m);
    expect(out).toMatch(/^events\$ completed$/m);
  });

  it('writes orders on the durable default profile, checkpoints them, and reads them back after a restart', () => {
    expect(out).toMatch(/^orders \(aipersist, default profile\): 500 rows written and checkpointed$/m);
    expect(out).toMatch(/^ {2}table 3 on default: partition 0 ≈ 500 rows$/m);
    expect(out).toMatch(/^orders after a restart: 500 rows read back from disk; orders 100\.\.109 total 150\.00 151\.50 153\.00 154\.50 156\.00 157\.50 159\.00 160\.50 162\.00 163\.50$/m);
  });

  it("prints the node's stats()", () => {
    expect(out).toMatch(/^stats\(\):\n {2}default \(aipersist\): 1 segment\(s\), [\d.]+ MiB reserved of max [\d.]+ MiB, \d+ pages of 16384 B in use$/m);
    expect(out).toMatch(/^ {2}cache_profile \(aimem\): 1 segment\(s\), 512\.0 MiB reserved of max 1024\.0 MiB, \d+ pages of 16384 B in use$/m);
    expect(out).toMatch(/^ {2}blob_profile \(aimem\): 2 segment\(s\), 64\.0 MiB reserved of max 64\.0 MiB, 0 pages of 16384 B in use$/m);
  });

  it("prints the node's metrics(): regions without dirty pages, and the table's rows", () => {
    expect(out).toMatch(/^metrics\(\):\n {2}region default: \d+ pages in use, 0 dirty \(volatile: false\), 1 of 1 segments\n {2}region cache_profile: \d+ pages in use, 0 dirty \(volatile: true\), 1 of 3 segments$/m);
    expect(out).toMatch(/^ {2}table 1 on cache_profile: partition 0 ≈ 999 rows$/m);
  });

  it('finishes in under 10 seconds of its own time and removes its work dir', () => {
    const ms = Number(/^node closed; demo done in (\d+) ms$/m.exec(out)?.[1]);
    expect(ms).toBeLessThan(10_000);
    const workDir = /^aistorage demo — work dir (.+)$/m.exec(out)?.[1];
    expect(workDir).toBeDefined();
    expect(existsSync(workDir!)).toBe(false);
  });

  it('imports only the public entry of the package (and node:*, and its own files)', () => {
    for (const file of ['demo.ts', 'demo-sql.ts']) {
      const source = readFileSync(join(repoRoot, 'src/interfaces/demo', file), 'utf8');
      const imports = [...source.matchAll(/^import [\s\S]*? from '([^']+)';$/gm)].map((m) => m[1]);
      expect(imports.length, file).toBeGreaterThan(0);
      expect(imports.filter((i) => !i!.startsWith('node:') && i !== '../api/index' && !/^\.\/demo-[\w-]+$/.test(i!)), file).toEqual([]);
    }
  });

  it("runs the spec's orders statements in SQL, streams changes, and reads the rows back with SQL after the restart", () => {
    expect(out).toMatch(/^sql_orders: 21 committed changes streamed on changes\$ \(transaction, then a table call\)$/m);
    expect(out).toMatch(/^sql_orders per customer: 0: 5 orders, 112\.50; 1: 5 orders, 125\.00; 2: 5 orders, 137\.50; 3: 6 orders, 249\.99$/m);
    expect(out).toMatch(/^plan of a key lookup: .*PrimaryKeyLookup\(sql_orders, key=order_id = 7\)$/m);
    expect(out).toMatch(/^sql_orders after a restart: 21 rows, top total 99\.99$/m);
  });
});
