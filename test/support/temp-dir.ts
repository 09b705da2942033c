import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary directory; call the returned cleanup in afterEach. */
export function tempDir(prefix = 'aistorage-test-'): { readonly path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

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
