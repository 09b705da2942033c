/**
 * The node's SQL (level 1 of the API, README "SQL"): `sql(text, params?, options?)`, `prepare(text)`, `exec(script)`
 * and `sqlSession()`, in better-sqlite3's style, over the tables of level 2. StorageNode extends it; the engine (and
 * its statement cache, keyed by text and dropped on every catalog change) is made at the first call.
 */
import { SqlEngine, type PreparedStatement, type SqlOptions, type SqlParams, type SqlResult, type SqlSession } from '../sql/sql-api';
import { expressionCompiler } from '../sql/eval/compile';
import { NodeTables } from './node-tables';
import { settled } from './settled';
import type { SqlHost } from '../sql/sql-host';

export abstract class NodeSql extends NodeTables {
  #sql: SqlEngine | null = null;

  /**
   * Runs one SQL statement (one trailing `;` allowed) in its own transaction (a query in a read-only one):
   * `{ columns: [{ name, type }], rows, rowsAffected }`, rows as objects keyed by the column labels, or arrays with
   * `{ rowMode: 'array' }`. `params`: an array for `?`, an object for `:name`.
   */
  sql<R = Record<string, unknown>>(text: string, params?: SqlParams, options?: SqlOptions): Promise<SqlResult<R>> {
    return settled(() => this.#engine().sql<R>(text, params, options));
  }

  /** Parses and plans a statement once: `all(params)`, `get(params)`, `run(params)`, `iterate(params)`. */
  prepare(text: string): Promise<PreparedStatement> {
    return settled(() => this.#engine().prepare(text));
  }

  /** Runs a script of one or more statements (START TRANSACTION … COMMIT groups them); throws on the first failure. */
  exec(script: string): Promise<SqlResult[]> {
    return settled(() => this.#engine().exec(script));
  }

  /** A session whose START TRANSACTION spans its next calls until COMMIT or ROLLBACK. */
  sqlSession(): SqlSession {
    return this.#engine().session();
  }

  /** Stops the SQL engine following the catalog (close() calls it). */
  protected closeSql(): void {
    this.#sql?.close();
  }

  #engine(): SqlEngine {
    this.tableService(); // STORAGE_CLOSED on a closed node, READ_ONLY on a read-only one
    return (this.#sql ??= new SqlEngine(this as unknown as SqlHost, expressionCompiler));
  }
}
