/**
 * What the shell needs of a SQL engine: run one statement and return its result with rows as arrays. The shell is
 * written against this interface only; sql-engine-runner.ts adapts the node's SqlEngine to it.
 */

export interface SqlColumn {
  readonly name: string;
  /** The SQL type name (`BIGINT`, `VARCHAR`, …): numeric columns are right-aligned in table output. */
  readonly type: string;
}

export interface SqlResult {
  /** Empty for statements that return no rows (DML, DDL, transaction control). */
  readonly columns: readonly SqlColumn[];
  /** Each row aligned with `columns`. */
  readonly rows: readonly (readonly unknown[])[];
  readonly rowsAffected: number;
}

export interface SqlRunner {
  /**
   * Runs one statement (no trailing `;` needed). Statements run in one session: a transaction started by one
   * (START TRANSACTION) stays open for the next until COMMIT or ROLLBACK. Rejects with the engine's typed error.
   */
  run(statementText: string): Promise<SqlResult>;
  /** Ends the session (an open transaction is rolled back). */
  close(): Promise<void>;
}
