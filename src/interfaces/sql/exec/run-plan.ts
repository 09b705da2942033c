/**
 * Plans to operator trees, and the subquery protocol: before a query runs, its uncorrelated subqueries are run (each
 * once) and the tables its correlated subqueries read are preloaded; the compiled subquery expressions then find
 * their rows through the execution's state (exec-state.ts), synchronously.
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { Params } from '../semantics';
import type { PlanNode, QueryPlan, SubqueryPlan } from '../plan/plan-types';
import { stateOf, type Runtime } from './exec-state';
import { AggregateOp, countValue, DistinctOp, FilterOp, LimitOp, ProjectOp, SortOp, TrimOp, type Compare } from './operators';
import { HashProbe, JoinOp, LookupProbe, NestedLoopProbe } from './join-ops';
import { drain, drainSync, IterableSource, type Operator, type Row } from './step';
import { preload, tableAccess } from './table-access';

/** The operator tree of a plan node. `contextRow` feeds the key expressions of an index nested-loop's inner side. */
export function instantiate(node: PlanNode, rt: Runtime, compare: Compare, contextRow: Row = []): Operator {
  const sub = (n: PlanNode): Operator => instantiate(n, rt, compare, contextRow);
  switch (node.kind) {
    case 'tableAccess': return tableAccess(node, rt, contextRow);
    case 'rows': return new IterableSource(node.rows(contextRow, rt));
    case 'filter': return new FilterOp(sub(node.input), node.predicate, rt);
    case 'project': return node.identity === true ? sub(node.input) : new ProjectOp(sub(node.input), node.exprs, rt);
    case 'trim': return new TrimOp(sub(node.input), node.width);
    case 'distinct': return new DistinctOp(sub(node.input), node.width, node.columns.slice(0, node.width).map((c) => c.type));
    case 'sort': return new SortOp(sub(node.input), node.keys, node.input.columns.map((c) => c.type), compare);
    case 'aggregate': return new AggregateOp(sub(node.input), node.groupKeys, node.aggregates, rt);
    case 'limit':
      return new LimitOp(sub(node.input), countValue(node.limit, rt, 'LIMIT', Infinity), countValue(node.offset, rt, 'OFFSET', 0));
    case 'join': {
      const left = sub(node.left);
      const width = node.right.columns.length;
      const outer = node.joinType === 'LEFT';
      if (node.algorithm === 'indexNestedLoop' && !rt.sync) {
        return new JoinOp(left, new LookupProbe((l) => instantiate(node.right, rt, compare, l)), node.on, outer, width, rt);
      }
      if (node.algorithm === 'hash') {
        return new JoinOp(left, new HashProbe(sub(node.right), node.leftKeys!, node.rightKeys!, rt), node.on, outer, width, rt);
      }
      return new JoinOp(left, new NestedLoopProbe(sub(node.right)), node.on, outer, width, rt);
    }
  }
}

/** Runs the uncorrelated subqueries of `plan` and preloads what its correlated ones read (recursively). */
export async function prepareSubqueries(plan: QueryPlan, rt: Runtime, compare: Compare): Promise<void> {
  for (const s of plan.subqueries) {
    if (rt.state.subqueryRows.has(s)) continue;
    if (!s.correlated) {
      await prepareSubqueries(s.query, rt, compare);
      rt.state.subqueryRows.set(s, await drain(instantiate(s.query.root, { ...rt, outerRows: [] }, compare)));
    } else {
      for (const t of tableNodes(s.query.root)) {
        if (!rt.state.preloaded.has(t)) rt.state.preloaded.set(t, await preload(t, rt));
      }
      await prepareSubqueries(s.query, rt, compare);
    }
  }
}

function tableNodes(node: PlanNode): Extract<PlanNode, { kind: 'tableAccess' }>[] {
  switch (node.kind) {
    case 'tableAccess': return [node];
    case 'rows': return [];
    case 'join': return [...tableNodes(node.left), ...tableNodes(node.right)];
    default: return tableNodes(node.input);
  }
}

/**
 * The rows of a subquery for one row of the enclosing query (`row`, with the enclosing queries' rows `outerRows`):
 * computed once before the statement when uncorrelated, else now, synchronously over preloaded tables.
 */
export function subqueryResult(
  s: SubqueryPlan, compare: Compare, row: readonly unknown[], params: Params, outerRows: readonly (readonly unknown[])[] | undefined,
): readonly Row[] {
  const state = stateOf(params);
  if (!s.correlated) {
    const rows = state.subqueryRows.get(s);
    if (rows === undefined) throw new Error('SQL: an uncorrelated subquery was not run before its statement');
    return rows;
  }
  const rt: Runtime = { params, outerRows: [row, ...(outerRows ?? [])], state, sync: true };
  return drainSync(instantiate(s.query.root, rt, compare));
}

/** The value of a scalar subquery: NULL for no row; more than one row is an error. */
export function scalarOf(rows: readonly Row[]): unknown {
  if (rows.length > 1) {
    throw new InvalidArgumentError(`A scalar subquery returned ${rows.length} rows; it must return at most one (add a WHERE, an aggregate or LIMIT 1)`);
  }
  return rows.length === 0 ? null : rows[0]![0];
}

