/**
 * The SQL API (DESIGN.md §9, README "SQL"): `new SqlEngine(node, expressionCompiler)`, then `sql(text, params,
 * options)`, `prepare(text)`, `exec(script)` and `session()`. Statement texts are parsed and planned once: the cache
 * keeps each text's AST and plan, and a catalog change (a zone, table or index created, altered, dropped or made
 * available) makes plans be made again at their next use. Statements using CURRENT_DATE/TIME/TIMESTAMP are planned
 * at each run (the time is one value per statement).
 */
import type { Subscription } from 'rxjs';
import type { SqlHost } from './sql-host';
import type { Statement } from './ast';
import { parseStatement, parseStatements } from './parse';
import type { ExpressionCompiler } from './semantics';
import { usesCurrentTime } from './plan/expr-text';
import type { SqlCounters } from './exec/exec-state';
import { prepareStatement, queryColumns, type Prepared } from './exec/statement-runner';
import { PreparedStatement, type StatementRunner } from './sql-prepared';
import { SqlSession, type SessionEngine } from './sql-session';
import type { SqlOptions, SqlParams, SqlResult } from './sql-result';

export type { SqlColumn, SqlOptions, SqlParams, SqlResult } from './sql-result';
import { checkOptions, toParams, toResult } from './sql-result';
import { pointQuery } from './exec/point-query';
export { PreparedStatement, SqlSession };

/** Texts kept parsed and planned (least recently used dropped first). */
const CACHE_SIZE = 500;

interface CacheEntry {
  readonly statement: Statement;
  /** null: planned at each run (DDL, transaction statements and CURRENT_* use). */
  prepared: Prepared | null;
  generation: number;
  readonly cacheable: boolean;
}

export class SqlEngine implements SessionEngine {
  /** Rows handed out by table reads, over every statement (a LIMIT stops reading: see it stay small). */
  readonly counters: SqlCounters = { rowsRead: 0 };
  /** Parses of statement texts (a text found in the cache costs none). */
  parses = 0;
  readonly #cache = new Map<string, CacheEntry>();
  /** The entry of the text last looked up (it is the cache's most recent). */
  #last: { readonly text: string; readonly entry: CacheEntry } | null = null;
  #generation = 0;
  readonly #subscription: Subscription | null;
  /** Runs each prepared statement's call in a one-statement session of its own (calls do not queue). */
  readonly #runner: StatementRunner = {
    sql: (text, params, options) => this.#pointQuery(text, params, options) ?? new SqlSession(this, true).sql(text, params, options),
    iterateText: (text, params, options) => new SqlSession(this, true).iterateText(text, params, options),
  };

  constructor(readonly node: SqlHost, readonly compiler: ExpressionCompiler) {
    let subscription: Subscription | null = null;
    try {
      subscription = node.catalogChanges$.subscribe(() => this.#generation++);
    } catch {
      subscription = null; // a read-only node has no catalog to follow
    }
    this.#subscription = subscription;
  }

  /** Runs one statement, in its own transaction (a query in a read-only one). */
  sql<R = Record<string, unknown>>(text: string, params?: SqlParams, options?: SqlOptions): Promise<SqlResult<R>> {
    return new SqlSession(this, true).sql<R>(text, params, options);
  }

  /** Runs a script; START TRANSACTION … COMMIT groups statements; the first failure throws (and rolls back). */
  async exec(script: string): Promise<SqlResult[]> {
    const session = new SqlSession(this);
    try {
      return await session.exec(script);
    } finally {
      await session.close(); // a transaction the script left open is rolled back
    }
  }

  /** Parses and plans a statement now (errors now); each run is its own transaction. */
  async prepare(text: string): Promise<PreparedStatement> {
    if (typeof text !== 'string') return new SqlSession(this, true).prepare(text); // the session's argument error
    this.preparedOf(text); // errors now, not at the first run
    return new PreparedStatement(this.#runner, text);
  }

  /** A session: START TRANSACTION in one `sql()` call spans the next ones until COMMIT or ROLLBACK. */
  session(): SqlSession {
    return new SqlSession(this);
  }

  /**
   * A prepared point query (`… WHERE pk = ?`, no transaction open) answered synchronously (exec/point-query.ts); null
   * when the statement is not one, or its read must wait: the caller runs it the general way.
   */
  #pointQuery<R>(text: string, params: SqlParams | undefined, options: SqlOptions | undefined): Promise<SqlResult<R>> | null {
    let mode: 'object' | 'array';
    let p: Prepared;
    try {
      mode = checkOptions(options);
      p = this.preparedOf(text);
    } catch {
      return null; // the general path reports the error
    }
    if (p.kind !== 'query') return null;
    try {
      const rows = pointQuery(this.node, p.plan, toParams(params), this.counters);
      if (rows === null) return null;
      return Promise.resolve(toResult({ columns: queryColumns(p.plan), rows, rowsAffected: 0 }, mode) as SqlResult<R>);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Stops following the catalog (the engine can still run statements, planning each anew). */
  close(): void {
    this.#subscription?.unsubscribe();
    this.#cache.clear();
    this.#last = null;
  }

  /** @internal */
  preparedOf(text: string): Prepared {
    const last = this.#last;
    // The same text again (a prepared statement in a loop): no cache lookup or reordering (it is the most recent).
    if (last !== null && last.text === text && last.entry.prepared !== null && last.entry.generation === this.#generation) {
      return last.entry.prepared;
    }
    let entry = this.#cache.get(text);
    if (entry === undefined) {
      this.parses++;
      const statement = parseStatement(text);
      const cacheable = statement.kind !== 'startTransaction' && statement.kind !== 'commit' && statement.kind !== 'rollback'
        && !usesCurrentTime(statement);
      entry = { statement, prepared: null, generation: -1, cacheable };
      if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    } else {
      this.#cache.delete(text); // re-inserted below: most recently used last
    }
    this.#cache.set(text, entry);
    this.#last = { text, entry };
    if (entry.prepared !== null && entry.generation === this.#generation) return entry.prepared;
    const generation = this.#generation;
    const prepared = prepareStatement(entry.statement, this);
    if (entry.cacheable && prepared.kind !== 'ddl') {
      entry.prepared = prepared;
      entry.generation = generation;
    }
    return prepared;
  }

  /** @internal */
  prepareAst(s: Statement): Prepared {
    return prepareStatement(s, this);
  }

  /** @internal */
  parseScript(script: string): Statement[] {
    this.parses++;
    return parseStatements(script);
  }
}
