/**
 * A SQL session: statements run one after another (calls queue), and START TRANSACTION … COMMIT / ROLLBACK spans
 * calls. Outside an explicit transaction each statement is its own (read-only for queries). DDL refuses to run inside
 * one. `close()` rolls back a transaction left open.
 */
import { InvalidArgumentError } from '../../domain/shared/errors';
import type { Statement } from './ast';
import {
  openQuery, queryColumns, runPrepared, type Engine, type Prepared, type RawResult, type TxStatement,
} from './exec/statement-runner';
import { openTransaction, type TxHandle } from './exec/tx-handle';
import { DONE } from './exec/step';
import type { Params } from './semantics';
import {
  checkOptions, rowMaker, toParams, toResult, type SqlOptions, type SqlParams, type SqlResult,
} from './sql-result';
import { PreparedStatement } from './sql-prepared';

/** What a session needs of its engine: planning by text (cached) and by AST. */
export interface SessionEngine extends Engine {
  preparedOf(text: string): Prepared;
  prepareAst(s: Statement): Prepared;
  parseScript(script: string): Statement[];
}

export class SqlSession {
  #open: TxHandle | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  /** @internal Use `engine.session()`. */
  constructor(private readonly engine: SessionEngine, private readonly transient = false) {}

  /** Whether a START TRANSACTION is open. */
  get inTransaction(): boolean {
    return this.#open !== null;
  }

  /** Runs one statement (one trailing `;` accepted). */
  sql<R = Record<string, unknown>>(text: string, params?: SqlParams, options?: SqlOptions): Promise<SqlResult<R>> {
    return this.#serial(async () => {
      const mode = checkOptions(options);
      const p = this.engine.preparedOf(checkText(text));
      return toResult(await this.#run(p, toParams(params)), mode) as SqlResult<R>;
    });
  }

  /** Runs a script of statements; throws (with the failing statement's code) at the first failure. */
  exec(script: string): Promise<SqlResult[]> {
    return this.#serial(async () => {
      const statements = this.engine.parseScript(checkText(script));
      const results: SqlResult[] = [];
      const before = this.#open;
      try {
        for (const s of statements) results.push(toResult(await this.#run(this.engine.prepareAst(s), toParams(undefined)), 'object') as SqlResult);
      } catch (e) {
        if (this.#open !== null && this.#open !== before) await this.#finish(false).catch(() => undefined);
        throw e;
      }
      return results;
    });
  }

  /** Parses and plans a statement once; run it many times. */
  async prepare(text: string): Promise<PreparedStatement> {
    this.engine.preparedOf(checkText(text)); // errors now, not at the first run
    return new PreparedStatement(this, text);
  }

  /** Rolls back a transaction left open (the session stays usable). */
  close(): Promise<void> {
    return this.#serial(async () => {
      if (this.#open !== null) await this.#finish(false);
    });
  }

  /** @internal A prepared statement's rows, streamed (a query holds a read-only transaction until the rows end). */
  async *iterateText(text: string, params: SqlParams | undefined, options?: SqlOptions): AsyncGenerator<unknown> {
    const mode = checkOptions(options);
    const p = this.engine.preparedOf(text);
    if (p.kind !== 'query') {
      yield* toResult(await this.#serial(() => this.#run(p, toParams(params))), mode).rows;
      return;
    }
    const own = this.#open === null ? await openTransaction(this.engine.node, true) : null;
    const handle = (own ?? this.#open)!;
    try {
      const op = await openQuery(this.engine, p.plan, handle.tx, toParams(params));
      const make = rowMaker(queryColumns(p.plan), mode);
      try {
        for (;;) {
          const r = op.step();
          if (r === DONE) return;
          if (r instanceof Promise) await r;
          else yield make(r);
        }
      } finally {
        op.close();
      }
    } finally {
      await own?.rollback();
    }
  }

  async #run(p: Prepared, params: Params): Promise<RawResult> {
    if (p.kind === 'tx') {
      await this.#transaction(p.statement);
      return { columns: [], rows: [], rowsAffected: 0 };
    }
    return runPrepared(this.engine, p, params, this.#open);
  }

  async #transaction(s: TxStatement): Promise<void> {
    if (s.kind === 'startTransaction') {
      if (this.transient) {
        throw new InvalidArgumentError('START TRANSACTION needs a session (engine.session()) or a script (exec): sql() runs one statement');
      }
      if (this.#open !== null) throw new InvalidArgumentError('A transaction is already open in this session: COMMIT or ROLLBACK it first');
      this.#open = await openTransaction(this.engine.node, s.readOnly);
      return;
    }
    if (this.#open === null) return; // COMMIT / ROLLBACK without a transaction: nothing to do
    await this.#finish(s.kind === 'commit');
  }

  async #finish(commit: boolean): Promise<void> {
    const open = this.#open!;
    this.#open = null;
    if (commit) await open.commit();
    else await open.rollback();
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function checkText(text: unknown): string {
  if (typeof text !== 'string') throw new InvalidArgumentError(`SQL text must be a string, got ${typeof text}`);
  return text;
}
