/**
 * Joins. The inner (right) side of an INNER or LEFT join that is a table is read per left row through its primary
 * key or an index when the ON equalities give it (index nested loop); else equalities between the two sides make a
 * hash join (the right side built once); else a nested loop over the right side's rows (read once). The whole ON
 * condition is checked on every combined row.
 */
import type { Expression, Join } from '../ast';
import type { CompiledExpression, Scope, ValueType } from '../semantics';
import type { FromPlan, JoinNode, PlanNode, Pushdown } from './plan-types';
import type { PlanContext } from './plan-context';
import { chooseAccess } from './access-path';
import { findTable, scopeColumn } from './catalog';
import { conjuncts, exprText } from './expr-text';
import { filterNode, localConds } from './filters';

import type { WantedOrder } from './access-path';
import { systemViewOf } from './system-views';

const INTEGERS = new Set<ValueType>(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);

type PlanFrom = (item: Join['left'], ctx: PlanContext, outer: Scope | undefined, push: Pushdown, order?: WantedOrder) => FromPlan;

export function planJoin(join: Join, ctx: PlanContext, outer: Scope | undefined, push: Pushdown, planFrom: PlanFrom): PlanNode {
  const inner = join.joinType !== 'LEFT';
  const left = planFrom(join.left, ctx, outer, push).node;
  const leftScope = scopeOf(left.columns, outer);
  const onConds = conjuncts(join.on);
  const lookup = join.joinType === 'CROSS' ? null : indexLookup(join, left, onConds, inner ? push : null, ctx);
  const right = lookup ?? planFrom(join.right, ctx, outer, inner ? push : { conds: [], pushed: new Set() }).node;
  const columns = [...left.columns, ...right.columns];
  const on = join.on === undefined ? undefined : ctx.compile(join.on, scopeOf(columns, outer));
  const base = { kind: 'join' as const, joinType: join.joinType, left, right, columns, ...(on === undefined ? {} : { on }) };
  const cond = join.on === undefined ? '' : `, ${exprText(join.on)}`;
  if (lookup !== null) return { ...base, algorithm: 'indexNestedLoop', label: `IndexNestedLoopJoin(${join.joinType}${cond})` };
  const keys = hashKeys(onConds, leftScope, scopeOf(right.columns, outer), ctx);
  if (keys !== null) {
    const node: JoinNode = { ...base, algorithm: 'hash', leftKeys: keys.left, rightKeys: keys.right, label: `HashJoin(${join.joinType}${cond})` };
    return node;
  }
  return { ...base, algorithm: 'nestedLoop', label: `NestedLoopJoin(${join.joinType}${cond})` };
}

function scopeOf(columns: Scope['columns'], outer: Scope | undefined): Scope {
  return outer === undefined ? { columns } : { columns, outer };
}

/**
 * The right table read per left row, when the ON equalities (with the left row's values) give a better access path
 * than its own conditions do; null otherwise (or when the right side is not a table).
 */
function indexLookup(join: Join, left: PlanNode, onConds: readonly Expression[], push: Pushdown | null, ctx: PlanContext): PlanNode | null {
  const ref = join.right;
  if (ref.kind !== 'table' || systemViewOf(ref) !== undefined) return null;
  const table = findTable(ctx.env.node, ref.name);
  if (table === undefined) return null;
  const columns = table.columns.map((c) => scopeColumn(c, ref.alias?.name ?? table.name, ref.alias?.quoted ?? false));
  const scope: Scope = { columns };
  const own = push === null ? [] : localConds(push.conds, scope, ctx);
  const indexes = ctx.env.node.indexes();
  const alone = chooseAccess(table, indexes, scope, own, { columns: [] }, ctx);
  const joined = chooseAccess(table, indexes, scope, [...own, ...onConds], { columns: left.columns }, ctx);
  if (joined.access.kind === 'fullScan' || joined.label === alone.label) return null;
  if (push !== null) for (const c of own) push.pushed.add(c);
  const access: PlanNode = { kind: 'tableAccess', table: table.name, access: joined.access, columns, label: joined.label };
  return filterNode(access, own, scope, ctx);
}

/** Key expressions of equalities `l = r` between the sides, of types compared alike; null when there is none. */
function hashKeys(
  conds: readonly Expression[], leftScope: Scope, rightScope: Scope, ctx: PlanContext,
): { left: CompiledExpression[]; right: CompiledExpression[] } | null {
  const left: CompiledExpression[] = [];
  const right: CompiledExpression[] = [];
  for (const c of conds) {
    if (c.kind !== 'binary' || c.op !== '=') continue;
    const pair = sides(c.left, c.right, leftScope, rightScope, ctx) ?? sides(c.right, c.left, leftScope, rightScope, ctx);
    if (pair === null || !alike(pair[0], pair[1])) continue;
    left.push(pair[0]);
    right.push(pair[1]);
  }
  return left.length === 0 ? null : { left, right };
}

function sides(a: Expression, b: Expression, ls: Scope, rs: Scope, ctx: PlanContext): [CompiledExpression, CompiledExpression] | null {
  try {
    return [ctx.compile(a, { columns: ls.columns }), ctx.compile(b, { columns: rs.columns })];
  } catch {
    return null;
  }
}

function alike(a: CompiledExpression, b: CompiledExpression): boolean {
  if (INTEGERS.has(a.type) && INTEGERS.has(b.type)) return true;
  if (a.type === 'DECIMAL' && b.type === 'DECIMAL') return (a.scale ?? 0) === (b.scale ?? 0);
  return a.type === b.type && a.type !== 'NULL' && a.type !== 'REAL' && a.type !== 'DOUBLE';
}
