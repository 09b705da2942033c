import { join } from 'node:path';

/** The repository root: the working directory of the tests' child processes. */
export const ROOT = join(__dirname, '..', '..');

/**
 * Node arguments that run the TypeScript file `script` in a child process, through the caching TypeScript loader
 * test/support/ts-child-require.cjs (the same transpile as ts-node's transpile-only mode, kept between processes).
 */
export function tsChildArgs(script: string): string[] {
  return ['--require', join(__dirname, 'ts-child-require.cjs'), script];
}
