/**
 * The shell's SqlRunner over the node's SQL engine: one engine session for the whole shell, so that a transaction
 * begun by one statement (START TRANSACTION) spans the next ones until COMMIT or ROLLBACK (closing the runner rolls
 * back one left open). Rows come as arrays (`rowMode: 'array'`), so that repeated column names keep every value.
 */
import type { StorageNode } from '../../api/storage-node';
import { expressionCompiler } from '../../sql/eval/compile';
import { SqlEngine } from '../../sql/sql-api';
import type { SqlResult, SqlRunner } from './sql-runner';

export function engineRunner(node: StorageNode): SqlRunner {
  const engine = new SqlEngine(node, expressionCompiler);
  const session = engine.session();
  return {
    async run(statementText: string): Promise<SqlResult> {
      const result = await session.sql<unknown[]>(statementText, undefined, { rowMode: 'array' });
      return { columns: result.columns, rows: result.rows, rowsAffected: result.rowsAffected };
    },
    async close(): Promise<void> {
      try {
        await session.close();
      } finally {
        engine.close();
      }
    },
  };
}
