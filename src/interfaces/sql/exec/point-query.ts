/**
 * The fast path of the commonest prepared query, `SELECT … FROM t WHERE pk = ?` outside a transaction: a plan of
 * projections, filters, trims and limits over one primary-key lookup of one key, no subqueries. It reads the latest
 * committed row synchronously (a single-row read at "now" needs no transaction: the table level's plain get), and
 * evaluates the operators above it on that one row — no operator tree, no async steps. Anything else (or a read that
 * must wait for a commit outcome) returns null and takes the general path.
 */
import type { Params } from '../semantics';
import type { PlanNode, QueryPlan, TableAccessNode } from '../plan/plan-types';
import type { SqlHost } from '../sql-host';

/** The plan's path from the root to its table access, when it has the fast path's shape. */
function chainOf(plan: QueryPlan): { chain: PlanNode[]; access: TableAccessNode } | null {
  if (plan.subqueries.length > 0) return null;
  const chain: PlanNode[] = [];
  let node: PlanNode = plan.root;
  for (;;) {
    if (node.kind === 'tableAccess') break;
    if (node.kind !== 'project' && node.kind !== 'filter' && node.kind !== 'trim' && node.kind !== 'limit') return null;
    chain.push(node);
    node = node.input;
  }
  const access = node;
  if (access.access.kind !== 'pkLookup' || access.access.keys.length !== 1) return null;
  return { chain, access };
}

const shapes = new WeakMap<QueryPlan, ReturnType<typeof chainOf>>();

/** The query's rows, or null when the fast path does not apply (then nothing was read). */
export function pointQuery(host: SqlHost, plan: QueryPlan, params: Params): (readonly unknown[])[] | null {
  let shape = shapes.get(plan);
  if (shape === undefined) shapes.set(plan, (shape = chainOf(plan)));
  if (shape === null) return null;
  const { chain, access } = shape;
  if (access.access.kind !== 'pkLookup') return null;
  const key = access.access.keys[0]!.map((e) => e.evaluate([], params, []));
  if (key.includes(null)) return [];
  const found = host.latestRow(access.table, access.access.keyColumns, key, access.columns.map((c) => c.name));
  if (found instanceof Promise) return null;
  let rows: (readonly unknown[])[] = found === null ? [] : [found];
  for (let i = chain.length - 1; i >= 0 && rows.length > 0; i--) rows = applyNode(chain[i]!, rows, params);
  return rows;
}

function applyNode(node: PlanNode, rows: (readonly unknown[])[], params: Params): (readonly unknown[])[] {
  switch (node.kind) {
    case 'filter': return rows.filter((r) => node.predicate.evaluate(r, params, []) === true);
    case 'project': return rows.map((r) => node.exprs.map((e) => e.evaluate(r, params, [])));
    case 'trim': return rows.map((r) => r.slice(0, node.width));
    case 'limit': {
      const offset = node.offset === undefined ? 0 : Number(node.offset.evaluate([], params, []));
      const limit = node.limit === undefined ? Infinity : Number(node.limit.evaluate([], params, []));
      return rows.slice(offset, offset + limit);
    }
    default: return rows;
  }
}
