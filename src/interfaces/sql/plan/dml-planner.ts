/**
 * INSERT, UPDATE and DELETE plans: the target table, the rows to write (VALUES or a query) or to change (a scan of the
 * target with the WHERE conditions, through the access path they allow), and the compiled assignments.
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { TableInfo } from '../../api/node-tables';
import type { DeleteStatement, InsertStatement, UpdateStatement } from '../ast';
import type { CompiledExpression, Scope, ScopeColumn } from '../semantics';
import type { PlanNode, QueryPlan } from './plan-types';
import type { PlanContext } from './plan-context';
import { columnOf, isHidden, scopeColumn, tableOf } from './catalog';
import { conjuncts } from './expr-text';
import { planFrom } from './from-planner';
import { filterNode } from './filters';
import { written } from './names';
import { useColumns } from '../eval/resolve';

export interface InsertPlan {
  readonly kind: 'insert';
  readonly table: TableInfo;
  /** The columns given, in the order of each source row's values. */
  readonly targets: readonly ScopeColumn[];
  /** The hidden generated key is filled on insert. */
  readonly generatedKey: boolean;
  readonly source:
    | { readonly kind: 'values'; readonly rows: readonly (readonly CompiledExpression[])[] }
    | { readonly kind: 'query'; readonly query: QueryPlan };
  readonly subqueries: QueryPlan['subqueries'];
}

export interface ChangePlan {
  readonly kind: 'update' | 'delete';
  readonly table: TableInfo;
  /** Every column of the table (hidden key included), as the scan produces them. */
  readonly columns: readonly ScopeColumn[];
  readonly scan: PlanNode;
  readonly assignments: readonly { readonly index: number; readonly column: ScopeColumn; readonly value: CompiledExpression }[];
  readonly subqueries: QueryPlan['subqueries'];
}

export function planInsert(s: InsertStatement, ctx: PlanContext): InsertPlan {
  const table = tableOf(ctx.env.node, s.table);
  const all = table.columns.map((c) => ({ ...scopeColumn(c, table.name, false), nullable: c.nullable }));
  const targets = s.columns === undefined ? all.filter((c) => c.hidden !== true)
    : s.columns.map((id) => all.find((c) => c.name === columnOf(table, id).name)!);
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.name)) throw new InvalidArgumentError(`INSERT INTO ${table.name} names column '${t.name}' twice`);
    seen.add(t.name);
  }
  const generatedKey = table.primaryKey.some((k) => isHidden({ name: k })) && !targets.some((t) => t.hidden === true);
  const width = targets.length;
  const checkWidth = (n: number): void => {
    if (n !== width) {
      throw new InvalidArgumentError(`INSERT INTO ${written(s.table)} gives ${n} values for ${width} columns (${targets.map((t) => t.name).join(', ')})`);
    }
  };
  if (s.source.kind === 'values') {
    const rows = s.source.rows.map((r) => {
      checkWidth(r.length);
      return r.map((e) => ctx.compile(e, { columns: [] }));
    });
    return { kind: 'insert', table, targets, generatedKey, source: { kind: 'values', rows }, subqueries: ctx.subqueries };
  }
  const query = ctx.env.planSelect(s.source, ctx, undefined);
  checkWidth(query.columns.length);
  return { kind: 'insert', table, targets, generatedKey, source: { kind: 'query', query }, subqueries: ctx.subqueries };
}

export function planChange(s: UpdateStatement | DeleteStatement, ctx: PlanContext): ChangePlan {
  const table = tableOf(ctx.env.node, s.table);
  const ref = { kind: 'table' as const, name: s.table, pos: s.pos, ...(s.alias === undefined ? {} : { alias: s.alias }) };
  const conds = conjuncts(s.where);
  const pushed = new Set<(typeof conds)[number]>();
  const from = planFrom(ref, ctx, undefined, { conds, pushed });
  const columns = from.node.columns;
  useColumns(columns); // the changed rows are written back whole
  const scope: Scope = { columns };
  const scan = filterNode(from.node, conds.filter((c) => !pushed.has(c)), scope, ctx);
  const assignments = s.kind === 'update' ? s.assignments.map((a) => {
    const name = columnOf(table, a.column).name;
    const index = columns.findIndex((c) => c.name === name);
    const column = { ...columns[index]!, table: table.name, nullable: table.columns.find((c) => c.name === name)!.nullable !== false };
    return { index, column, value: ctx.compile(a.value, scope) };
  }) : [];
  return { kind: s.kind, table, columns, scan, assignments, subqueries: ctx.subqueries };
}

