/**
 * SELECT to a plan: FROM (with WHERE conditions pushed to the tables they concern) → Filter → Aggregate → Filter
 * (HAVING) → Project (the select list, then ORDER BY keys not in it) → Distinct → Sort (unless the rows come in index
 * order) → Limit → Trim (drops the extra ORDER BY keys).
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { ColumnRef, Expression, SelectQuery } from '../ast';
import type { CompiledExpression, Scope, ScopeColumn } from '../semantics';
import type { OutputItem, PlanNode, QueryPlan } from './plan-types';
import type { PlanContext } from './plan-context';
import { conjuncts, exprText, hasAggregate } from './expr-text';
import { filterNode } from './filters';
import { planFrom } from './from-planner';
import { Grouping } from './aggregate-planner';
import { orderKeys, wantedOrder } from './order-planner';
import { nameMatches } from './names';

export function planSelect(q: SelectQuery, ctx: PlanContext, outer: Scope | undefined): QueryPlan {
  const grouped = q.groupBy.length > 0 || q.having !== undefined || q.items.some((i) => i.kind === 'expr' && hasAggregate(i.expr))
    || q.orderBy.some((o) => hasAggregate(o.expr));
  const conds = conjuncts(q.where);
  if (conds.some(hasAggregate)) throw new InvalidArgumentError('WHERE cannot use aggregates (COUNT, SUM, AVG, MIN, MAX): use HAVING');
  const pushed = new Set<Expression>();
  let from: { node: PlanNode; ordered: boolean };
  if (q.from === undefined) {
    from = { node: { kind: 'rows', columns: [], label: 'Values(1 row)', rows: () => [[]] }, ordered: false };
  } else {
    const order = grouped || q.limit === undefined ? undefined : wantedOrder(q, ctx);
    from = planFrom(q.from, ctx, outer, { conds, pushed }, order);
  }
  const scope: Scope = outer === undefined ? { columns: from.node.columns } : { columns: from.node.columns, outer };
  if (pushed.size > 0 && q.from?.kind === 'join') for (const c of pushed) ctx.compile(c, scope); // ambiguity is an error
  let node = filterNode(from.node, conds.filter((c) => !pushed.has(c)), scope, ctx);
  const items = expandItems(q, scope);
  let above = scope;
  let compile = (e: Expression): CompiledExpression => ctx.compile(e, above);
  if (grouped) {
    const g = new Grouping(q.groupBy, scope, ctx);
    const having = q.having === undefined ? undefined : g.rewrite(q.having);
    const rewritten = items.map((i) => ({ ...i, expr: g.rewrite(i.expr) }));
    const orderExprs = q.orderBy.map((o) => ({ ...o, expr: g.rewrite(o.expr) }));
    above = g.scope(outer);
    node = g.node(node, outer);
    compile = (e) => g.compile(e, above);
    if (having !== undefined) {
      node = { kind: 'filter', input: node, predicate: compile(having), columns: node.columns, label: `Filter(${exprText(q.having!)})` };
    }
    return finish({ ...q, orderBy: orderExprs }, rewritten, node, compile, ctx, false);
  }
  return finish(q, items, node, compile, ctx, from.ordered);
}

function finish(
  q: SelectQuery, items: readonly OutputItem[], input: PlanNode, compile: (e: Expression) => CompiledExpression, ctx: PlanContext,
  ordered: boolean,
): QueryPlan {
  const exprs = items.map((i) => compile(i.expr));
  const columns: ScopeColumn[] = items.map((item, i) => {
    const e = exprs[i]!;
    return {
      table: null, name: item.label, type: e.type, ...(e.precision === undefined ? {} : { precision: e.precision }),
      ...(e.scale === undefined ? {} : { scale: e.scale }),
    };
  });
  const order = orderKeys(q.orderBy, items, compile);
  const extra = order.extra.map((e, i): ScopeColumn => ({ table: null, name: `$o${i}`, type: e.type }));
  const projected = [...exprs, ...order.extra];
  const identity = projected.length === input.columns.length && projected.every((e, i) => e.columnIndex === i);
  let node: PlanNode = {
    kind: 'project', input, exprs: projected, columns: [...columns, ...extra],
    label: `Project(${items.map((i) => i.label).join(', ')})`, ...(identity ? { identity } : {}),
  };
  if (q.distinct) node = { kind: 'distinct', input: node, width: items.length, columns: node.columns, label: 'Distinct' };
  if (order.keys.length > 0 && !ordered) node = { kind: 'sort', input: node, keys: order.keys, columns: node.columns, label: `Sort(${order.text})` };
  if (q.limit !== undefined || q.offset !== undefined) {
    const limit = q.limit === undefined ? undefined : compile(q.limit);
    const offset = q.offset === undefined ? undefined : compile(q.offset);
    const text = `${q.limit === undefined ? 'ALL' : exprText(q.limit)}, ${q.offset === undefined ? '0' : exprText(q.offset)}`;
    node = {
      kind: 'limit', input: node, columns: node.columns, label: `Limit(${text})`,
      ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }),
    };
  }
  if (extra.length > 0) node = { kind: 'trim', input: node, width: items.length, columns, label: 'Trim' };
  return { root: node, columns, subqueries: ctx.subqueries };
}

/** The select list with `*` and `t.*` expanded to the visible columns; labels as Ignite gives them. */
function expandItems(q: SelectQuery, scope: Scope): OutputItem[] {
  const out: OutputItem[] = [];
  q.items.forEach((item, i) => {
    if (item.kind === 'star') {
      const cols = scope.columns.filter((c) => c.hidden !== true && (item.table === undefined || (c.table !== null && nameMatches(item.table, c.table))));
      if (item.table !== undefined && cols.length === 0) {
        throw new InvalidArgumentError(`${item.table.name}.* names no table of the FROM clause (line ${item.pos.line}, column ${item.pos.column})`);
      }
      for (const c of cols) out.push({ expr: columnRef(c, item.pos), label: c.name, name: { name: c.name, quoted: true } });
      return;
    }
    if (item.alias !== undefined) {
      out.push({ expr: item.expr, label: item.alias.name, name: item.alias });
    } else if (item.expr.kind === 'column') {
      const c = scope.columns[resolveIndex(scope, item.expr)];
      const label = c?.name ?? item.expr.column.name;
      out.push({ expr: item.expr, label, name: { name: label, quoted: c !== undefined } });
    } else {
      out.push({ expr: item.expr, label: `EXPR$${i}` });
    }
  });
  return out;
}

function resolveIndex(scope: Scope, ref: ColumnRef): number {
  return scope.columns.findIndex((c) => nameMatches(ref.column, c.name) && (ref.table === undefined || (c.table !== null && nameMatches(ref.table, c.table))));
}

function columnRef(c: ScopeColumn, pos: ColumnRef['pos']): ColumnRef {
  const column = { name: c.name, quoted: true, pos };
  if (c.table === null) return { kind: 'column', column, pos };
  return { kind: 'column', table: { name: c.table, quoted: c.tableQuoted === true, pos }, column, pos };
}
