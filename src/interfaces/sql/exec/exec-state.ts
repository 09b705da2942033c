/**
 * The state of one execution of a statement: the tables it reads (bound to its transaction), the statement's
 * parameters, subquery results computed before it runs, tables preloaded for correlated subqueries, and counters.
 *
 * Compiled expressions of a cached plan are shared by concurrent executions, and the compiler hands them only the
 * `Params` object; so each execution makes its own Params object and this module maps it to its state.
 */
import type { Params } from '../semantics';
import type { SubqueryPlan, TableAccessNode } from '../plan/plan-types';
import type { Table, RowObject } from '../../api/table-handle';

/** The tables a statement reads and writes: from its transaction. */
export interface TableSource {
  table(name: string): Table<RowObject>;
}

/** Per-engine statistics, for tests and tuning: rows handed out by table reads. */
export interface SqlCounters {
  rowsRead: number;
}

export interface ExecState {
  readonly tables: TableSource;
  readonly counters: SqlCounters;
  /** Rows of uncorrelated subqueries, computed before the statement runs. */
  readonly subqueryRows: Map<SubqueryPlan, readonly (readonly unknown[])[]>;
  /** Every row of the tables correlated subqueries read (they run synchronously, once per outer row). */
  readonly preloaded: Map<TableAccessNode, readonly (readonly unknown[])[]>;
}

const states = new WeakMap<Params, ExecState>();

/** A fresh Params object for one execution, bound to its state. */
export function bindParams(params: Params, state: ExecState): Params {
  const own: Params = { positional: params.positional, named: params.named };
  states.set(own, state);
  return own;
}

export function stateOf(params: Params): ExecState {
  const s = states.get(params);
  if (s === undefined) throw new Error('SQL: a subquery was evaluated outside its statement');
  return s;
}

/** Runtime of one operator tree: the params, the rows of the enclosing queries (correlated subqueries), the mode. */
export interface Runtime {
  readonly params: Params;
  readonly outerRows: readonly (readonly unknown[])[];
  readonly state: ExecState;
  /** Synchronous: tables come from `state.preloaded` (correlated subqueries). */
  readonly sync: boolean;
}
