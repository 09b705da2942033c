/**
 * Temporary directories for a test file (vitest): `dir()` gives a fresh one, removed after the test that made it.
 * Kept apart from temp-dir.ts, which scripts outside vitest use too.
 */
import { afterEach } from 'vitest';
import { tempDir } from './temp-dir';

/** `dir()` gives a fresh temporary directory; every one made in a test is removed after it (vitest's afterEach). */
export function useTempDirs(prefix?: string): () => string {
  const dirs: Array<{ path: string; cleanup(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });
  return () => {
    const d = tempDir(prefix);
    dirs.push(d);
    return d.path;
  };
}
