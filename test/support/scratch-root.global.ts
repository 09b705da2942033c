/**
 * vitest globalSetup (vitest.config.mts): at the end of a run, removes the scratch root the config made for it (a
 * directory on a RAM file system holding the tests' temp dirs), so that what tests leave behind — e.g. the work dir
 * of a failed run — does not keep memory. AIPERSIST_SIGKILL_KEEP=1 or AISTORAGE_TEST_KEEP_TMP=1 keeps it, renamed
 * aistorage-tests-kept-* (its path is printed; remove it by hand).
 */
import { renameSync, rmSync } from 'node:fs';

export function teardown(): void {
  const root = process.env['AISTORAGE_TEST_SCRATCH_ROOT'];
  if (root === undefined) return;
  if (process.env['AIPERSIST_SIGKILL_KEEP'] === '1' || process.env['AISTORAGE_TEST_KEEP_TMP'] === '1') {
    const kept = root.replace(/aistorage-tests-(\d+)-/, 'aistorage-tests-kept-$1-'); // not a dead run's root to clear
    renameSync(root, kept);
    console.log(`test scratch dirs kept in ${kept}`);
    return;
  }
  rmSync(root, { recursive: true, force: true });
}
