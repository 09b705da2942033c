/**
 * FROM items to plan nodes: tables (with the access path their own WHERE conditions allow), system views, derived
 * tables, `(VALUES …)`, `TABLE(system_range(…))`, and joins (index nested loop when the left row gives the inner
 * table's key or an index prefix, hash join on equalities, else nested loop). A join's row is the left row's values,
 * then the right row's.
 */
import { InvalidArgumentError, TableNotFoundError } from '../../../domain/shared/errors';
import type { FromItem, Identifier, TableFunction, TableRef, ValuesTable } from '../ast';
import type { Scope, ScopeColumn } from '../semantics';
import type { FromPlan, PlanNode, Pushdown } from './plan-types';

export type { FromPlan, Pushdown };
import type { PlanContext } from './plan-context';
import { chooseAccess, type WantedOrder } from './access-path';
import { findTable, scopeColumn } from './catalog';
import { exprText } from './expr-text';
import { qualify, written } from './names';
import { systemViewOf, viewColumns } from './system-views';
import { planJoin } from './join-planner';
import { filterNode, localConds } from './filters';

export function planFrom(item: FromItem, ctx: PlanContext, outer: Scope | undefined, push: Pushdown, order?: WantedOrder): FromPlan {
  switch (item.kind) {
    case 'table': return planTable(item, ctx, push, order);
    case 'join': return { node: planJoin(item, ctx, outer, push, planFrom), ordered: false };
    case 'derived': {
      const q = ctx.env.planSelect(item.query, ctx, outer);
      const columns = rename(q.columns, item.alias, item.columnAliases);
      return { node: { ...q.root, columns } as PlanNode, ordered: false };
    }
    case 'values': return { node: planValues(item, ctx, outer), ordered: false };
    case 'tableFunction': return { node: planRange(item, ctx, outer), ordered: false };
  }
}

function planTable(ref: TableRef, ctx: PlanContext, push: Pushdown, order?: WantedOrder): FromPlan {
  const node = ctx.env.node;
  const view = systemViewOf(ref);
  if (view !== undefined) {
    const columns = viewColumns(view.view, ref.alias?.name ?? view.name.slice('SYSTEM.'.length), ref.alias?.quoted ?? false);
    return { node: { kind: 'rows', columns, label: `SystemView(${view.name})`, rows: () => view.view.rows(node) }, ordered: false };
  }
  const table = findTable(node, ref.name);
  if (table === undefined) {
    throw new TableNotFoundError(`Table ${written(ref.name)} does not exist (line ${ref.pos.line}, column ${ref.pos.column})`, ref.name.name);
  }
  const columns = table.columns.map((c) => scopeColumn(c, ref.alias?.name ?? table.name, ref.alias?.quoted ?? false));
  const scope: Scope = { columns };
  const local = localConds(push.conds, scope, ctx);
  for (const c of local) push.pushed.add(c);
  const chosen = chooseAccess(table, node.indexes(), scope, local, { columns: [] }, ctx, order);
  const access: PlanNode = { kind: 'tableAccess', table: table.name, access: chosen.access, columns, label: chosen.label };
  return { node: filterNode(access, local, scope, ctx, chosen.covered), ordered: chosen.ordered };
}

function rename(columns: readonly ScopeColumn[], alias: Identifier | undefined, names: readonly Identifier[] | undefined): ScopeColumn[] {
  if (names !== undefined && names.length !== columns.length) {
    throw new InvalidArgumentError(`The column list (${names.map(written).join(', ')}) names ${names.length} columns; the table has ${columns.length}`);
  }
  const renamed = columns.map((c, i) => (names === undefined ? c : { ...c, name: names[i]!.name }));
  return alias === undefined ? renamed.map((c) => ({ ...c, table: null })) : qualify(renamed, alias);
}

function planValues(item: ValuesTable, ctx: PlanContext, outer: Scope | undefined): PlanNode {
  const scope: Scope = outer === undefined ? { columns: [] } : { columns: [], outer };
  const compiled = item.rows.map((r) => r.map((e) => ctx.compile(e, scope)));
  const width = compiled[0]!.length;
  if (compiled.some((r) => r.length !== width)) throw new InvalidArgumentError('Every row of VALUES must have the same number of values');
  // Each column of one type, its values converted to it (VALUES (1), (2.5) is a DECIMAL column of '1' and '2.5').
  const columnsOf = Array.from({ length: width }, (_, i) => ctx.env.compiler.unifyColumn(compiled.map((r) => r[i]!), `column ${i + 1} of VALUES`, item.pos));
  const rows = compiled.map((_, k) => columnsOf.map((c) => c[k]!));
  const base: ScopeColumn[] = columnsOf.map((c, i) => ({
    table: null, name: `EXPR$${i}`, type: c[0]!.type, ...(c[0]!.scale === undefined ? {} : { scale: c[0]!.scale }),
  }));
  const columns = rename(base, item.alias, item.columnAliases);
  return {
    kind: 'rows', columns, label: `Values(${rows.length} rows)`,
    rows: (_ctxRow, rt) => rows.map((r) => r.map((e) => e.evaluate([], rt.params, rt.outerRows))),
  };
}

function planRange(item: TableFunction, ctx: PlanContext, outer: Scope | undefined): PlanNode {
  if (item.name.name.toLowerCase() !== 'system_range' || item.args.length < 2 || item.args.length > 3) {
    throw new InvalidArgumentError(`Unknown table function ${written(item.name)}/${item.args.length}: the table function is system_range(start, end [, step])`);
  }
  const scope: Scope = outer === undefined ? { columns: [] } : { columns: [], outer };
  const args = item.args.map((a) => ctx.compile(a, scope));
  const columns = rename([{ table: null, name: 'X', type: 'BIGINT' }], item.alias, item.columnAliases);
  return {
    kind: 'rows', columns, label: `SystemRange(${item.args.map(exprText).join(', ')})`,
    rows: (_ctxRow, rt) => {
      const [start, end, step] = args.map((a) => toBig(a.evaluate([], rt.params, rt.outerRows)));
      return range(start!, end!, step ?? 1n);
    },
  };
}

function toBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new InvalidArgumentError(`system_range takes integers, got ${String(v)}`);
}

function* range(start: bigint, end: bigint, step: bigint): Generator<unknown[]> {
  if (step === 0n) throw new InvalidArgumentError('system_range: step must not be 0');
  for (let x = start; step > 0n ? x <= end : x >= end; x += step) yield [x];
}

