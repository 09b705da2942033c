/**
 * One statement from AST to result: `prepareStatement` plans it (once per text and catalog version: sql-api.ts caches
 * it), `runPrepared` runs it in a transaction — the session's open one, else its own (`node.transaction`: read-only
 * for queries). DDL runs outside transactions.
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import { physicalOf } from '../../../domain/storage/hybrid-timestamp';
import type { SqlHost } from '../sql-host';
import type { RowObject, Table, Transaction } from '../../api/table-handle';
import type { CommitStatement, RollbackStatement, StartTransactionStatement, Statement } from '../ast';
import type { ExpressionCompiler, Params } from '../semantics';
import type { QueryPlan } from '../plan/plan-types';
import { PlanContext, type PlanEnv } from '../plan/plan-context';
import { planSelect } from '../plan/select-planner';
import { planChange, planInsert, type ChangePlan, type InsertPlan } from '../plan/dml-planner';
import { explainChange, explainInsert, explainQuery } from '../plan/explain';
import { executeDdl, isDdl, type DdlStatement } from './ddl-exec';
import { executeChange, executeInsert } from './dml-exec';
import { bindParams, type ExecState, type Runtime, type SqlCounters } from './exec-state';
import { instantiate, prepareSubqueries } from './run-plan';
import { drain, type Operator } from './step';
import type { TxHandle } from './tx-handle';
import { pointQuery } from './point-query';

export type TxStatement = StartTransactionStatement | CommitStatement | RollbackStatement;

export type Prepared =
  | { readonly kind: 'query'; readonly plan: QueryPlan }
  | { readonly kind: 'explain'; readonly lines: readonly string[] }
  | { readonly kind: 'insert'; readonly plan: InsertPlan }
  | { readonly kind: 'change'; readonly plan: ChangePlan }
  | { readonly kind: 'ddl'; readonly statement: DdlStatement }
  | { readonly kind: 'tx'; readonly statement: TxStatement };

export interface Engine {
  readonly node: SqlHost;
  readonly compiler: ExpressionCompiler;
  readonly counters: SqlCounters;
}

export function planEnv(e: Engine): PlanEnv {
  return { node: e.node, compiler: e.compiler, planSelect };
}

export function prepareStatement(s: Statement, e: Engine): Prepared {
  const ctx = new PlanContext(planEnv(e), physicalOf(e.node.clock.now()));
  switch (s.kind) {
    case 'select': return { kind: 'query', plan: planSelect(s, ctx, undefined) };
    case 'insert': return { kind: 'insert', plan: planInsert(s, ctx) };
    case 'update': case 'delete': return { kind: 'change', plan: planChange(s, ctx) };
    case 'startTransaction': case 'commit': case 'rollback': return { kind: 'tx', statement: s };
    case 'explain': {
      const inner = prepareStatement(s.statement, e);
      if (inner.kind === 'query') return { kind: 'explain', lines: explainQuery(inner.plan) };
      if (inner.kind === 'insert') return { kind: 'explain', lines: explainInsert(inner.plan) };
      if (inner.kind === 'change') return { kind: 'explain', lines: explainChange(inner.plan) };
      throw new InvalidArgumentError('EXPLAIN takes a query, INSERT, UPDATE or DELETE');
    }
    default:
      if (isDdl(s)) return { kind: 'ddl', statement: s };
      throw new InvalidArgumentError(`Unsupported statement ${(s as Statement).kind}`);
  }
}

/** The rows a statement gives (objects are made by the caller) and its count of changed rows. */
export interface RawResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
  readonly rowsAffected: number;
}

/** The tables of a transaction, one handle per name, kept for its later statements (a session's INSERT per row). */
const SOURCES = new WeakMap<Transaction, { table(name: string): Table<RowObject> }>();

function tableSource(tx: Transaction): { table(name: string): Table<RowObject> } {
  const known = SOURCES.get(tx);
  if (known !== undefined) return known;
  const cache = new Map<string, Table<RowObject>>();
  const source = {
    table: (name: string) => {
      let t = cache.get(name);
      if (t === undefined) cache.set(name, (t = tx.table(name)));
      return t;
    },
  };
  SOURCES.set(tx, source);
  return source;
}

/**
 * The runtime of one execution. `subqueries`: the statement has some — only their compiled expressions look the state
 * up from the parameters, so only then are the parameters bound to it (a WeakMap entry per execution).
 */
export function runtimeOf(e: Engine, tx: Transaction, params: Params, subqueries: boolean): Runtime {
  const state: ExecState = { tables: tableSource(tx), counters: e.counters, subqueryRows: new Map(), preloaded: new Map() };
  return { params: subqueries ? bindParams(params, state) : params, outerRows: [], state, sync: false };
}

/** The operator tree of a query, its subqueries run first. */
export async function openQuery(e: Engine, plan: QueryPlan, tx: Transaction, params: Params): Promise<Operator> {
  const rt = runtimeOf(e, tx, params, plan.subqueries.length > 0);
  const compare = e.compiler.compareValues.bind(e.compiler);
  await prepareSubqueries(plan, rt, compare);
  return instantiate(plan.root, rt, compare);
}

/** The result columns of a plan's query, one array per plan (a cached plan answers many calls). */
const COLUMNS = new WeakMap<QueryPlan, RawResult['columns']>();

export function queryColumns(plan: QueryPlan): RawResult['columns'] {
  let columns = COLUMNS.get(plan);
  if (columns === undefined) COLUMNS.set(plan, (columns = plan.columns.map((c) => ({ name: c.name, type: c.type }))));
  return columns;
}

/** Runs a prepared statement (not a transaction statement) in `open` or in its own transaction. */
export async function runPrepared(e: Engine, p: Prepared, params: Params, open: TxHandle | null): Promise<RawResult> {
  const within = <T>(readOnly: boolean, fn: (tx: Transaction) => Promise<T>): Promise<T> =>
    open !== null ? fn(open.tx) : e.node.transaction(fn, { readOnly });
  switch (p.kind) {
    case 'query': {
      const fast = open === null ? pointQuery(e.node, p.plan, params, e.counters) : null;
      if (fast !== null) {
        return { columns: queryColumns(p.plan), rows: fast, rowsAffected: 0 };
      }
      const rows = await within(true, async (tx) => drain(await openQuery(e, p.plan, tx, params)));
      return { columns: queryColumns(p.plan), rows, rowsAffected: 0 };
    }
    case 'explain': return { columns: [{ name: 'plan', type: 'VARCHAR' }], rows: p.lines.map((l) => [l]), rowsAffected: 0 };
    case 'insert': {
      const n = await within(false, (tx) => executeInsert(p.plan, runtimeOf(e, tx, params, p.plan.subqueries.length > 0), e.compiler));
      return { columns: [], rows: [], rowsAffected: n };
    }
    case 'change': {
      const n = await within(false, (tx) => executeChange(p.plan, runtimeOf(e, tx, params, p.plan.subqueries.length > 0), e.compiler));
      return { columns: [], rows: [], rowsAffected: n };
    }
    case 'ddl': {
      if (open !== null) throw new InvalidArgumentError('DDL cannot run inside a transaction: COMMIT or ROLLBACK first');
      await executeDdl(p.statement, new PlanContext(planEnv(e), physicalOf(e.node.clock.now())));
      return { columns: [], rows: [], rowsAffected: 0 };
    }
    case 'tx': throw new InvalidArgumentError(`${p.statement.kind} is handled by the session`);
  }
}
