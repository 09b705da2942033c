/** A prepared statement: parsed and planned once (again after a catalog change), run many times. */
import type { SqlOptions, SqlParams, SqlResult } from './sql-result';

/** What a prepared statement runs on: its session. */
export interface StatementRunner {
  sql<R>(text: string, params?: SqlParams, options?: SqlOptions): Promise<SqlResult<R>>;
  iterateText(text: string, params: SqlParams | undefined, options?: SqlOptions): AsyncGenerator<unknown>;
}

export class PreparedStatement {
  /** @internal Use `engine.prepare(text)` or `session.prepare(text)`. */
  constructor(private readonly session: StatementRunner, readonly text: string) {}

  /** Every row (objects keyed by column labels). */
  async all<R = Record<string, unknown>>(params?: SqlParams): Promise<R[]> {
    return (await this.session.sql<R>(this.text, params)).rows;
  }

  /** The first row, or null. */
  async get<R = Record<string, unknown>>(params?: SqlParams): Promise<R | null> {
    return (await this.session.sql<R>(this.text, params)).rows[0] ?? null;
  }

  /** Runs it: the whole result (`rowsAffected` for DML). */
  run<R = Record<string, unknown>>(params?: SqlParams, options?: SqlOptions): Promise<SqlResult<R>> {
    return this.session.sql<R>(this.text, params, options);
  }

  /** The rows one at a time, streamed from the tables (LIMIT stops reading early). */
  iterate<R = Record<string, unknown>>(params?: SqlParams, options?: SqlOptions): AsyncGenerator<R> {
    return this.session.iterateText(this.text, params, options) as AsyncGenerator<R>;
  }
}
