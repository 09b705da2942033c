/**
 * An SqlEngine of its own (its counters and parse count are the test's) over a node on a scratch work dir with one
 * aimem profile `mem` of 64 MiB, after running a setup script.
 */
import { openNode } from '../../src/interfaces/api/index';
import { expressionCompiler } from '../../src/interfaces/sql/eval/compile';
import { SqlEngine } from '../../src/interfaces/sql/sql-api';
import type { NodeScope } from './node-scope';

export const MEM_PROFILE_CONFIG = {
  ignite: { storage: { profiles: [{ name: 'mem', engine: 'aimem' as const, maxSizeBytes: 64 * 1024 * 1024 }] } },
};

export async function sqlEngineWith(scope: NodeScope, script: string): Promise<SqlEngine> {
  const node = scope.keep(await openNode({ workDir: scope.dir(), config: MEM_PROFILE_CONFIG }));
  const db = new SqlEngine(node, expressionCompiler);
  await db.exec(script);
  return db;
}
