/**
 * ORDER BY: each item is an ordinal (`ORDER BY 2`), an output column's alias or name, or an expression over the rows
 * (computed beside the select list and dropped after the sort). NULLs are placed as the parser resolved (§9: last for
 * ASC, first for DESC unless written).
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { Expression, OrderByItem, SelectQuery } from '../ast';
import type { CompiledExpression } from '../semantics';
import type { OutputItem, SortKey } from './plan-types';
import type { PlanContext } from './plan-context';
import type { WantedOrder } from './access-path';
import { findTable } from './catalog';
import { exprText } from './expr-text';
import { nameMatches } from './names';
import { systemViewOf } from './system-views';

export function orderKeys(
  orderBy: readonly OrderByItem[], items: readonly OutputItem[], compile: (e: Expression) => CompiledExpression,
): { keys: SortKey[]; extra: CompiledExpression[]; text: string } {
  const keys: SortKey[] = [];
  const extra: CompiledExpression[] = [];
  for (const o of orderBy) {
    let index = outputIndex(o.expr, items);
    if (index < 0) {
      index = items.length + extra.length;
      extra.push(compile(o.expr));
    }
    keys.push({ index, desc: o.direction === 'DESC', nullsFirst: o.nulls === 'FIRST' });
  }
  const text = orderBy.map((o) => `${exprText(o.expr)} ${o.direction} NULLS ${o.nulls}`).join(', ');
  return { keys, extra, text };
}

/** The output column an ORDER BY item names (ordinal, alias or column name), or -1. */
function outputIndex(e: Expression, items: readonly OutputItem[]): number {
  if (e.kind === 'integer') {
    const n = Number(e.value);
    if (n < 1 || n > items.length) {
      throw new InvalidArgumentError(`ORDER BY ${n}: the select list has ${items.length} columns (line ${e.pos.line}, column ${e.pos.column})`);
    }
    return n - 1;
  }
  if (e.kind !== 'column' || e.table !== undefined) return -1;
  return items.findIndex((i) => i.name !== undefined && nameMatches(e.column, i.name.name));
}

/**
 * The order an ORDER BY asks of a single table's rows, when each item is a column of it (directly, by ordinal or by an
 * alias of a column): the access path may then read an index in that order instead of sorting.
 */
export function wantedOrder(q: SelectQuery, ctx: PlanContext): WantedOrder | undefined {
  if (q.from?.kind !== 'table' || q.orderBy.length === 0 || systemViewOf(q.from) !== undefined) return undefined;
  const table = findTable(ctx.env.node, q.from.name);
  if (table === undefined) return undefined;
  const columns: { name: string; desc: boolean; nullsFirst: boolean }[] = [];
  for (const o of q.orderBy) {
    const e = throughSelectList(o.expr, q);
    if (e?.kind !== 'column') return undefined;
    const c = table.columns.find((x) => nameMatches(e.column, x.name));
    if (c === undefined) return undefined;
    columns.push({ name: c.name, desc: o.direction === 'DESC', nullsFirst: o.nulls === 'FIRST' });
  }
  return { columns };
}

function throughSelectList(e: Expression, q: SelectQuery): Expression | undefined {
  if (e.kind === 'integer') {
    const item = q.items[Number(e.value) - 1];
    return item?.kind === 'expr' ? item.expr : undefined;
  }
  if (e.kind === 'column' && e.table === undefined) {
    const aliased = q.items.find((i) => i.kind === 'expr' && i.alias !== undefined && nameMatches(e.column, i.alias.name));
    if (aliased?.kind === 'expr') return aliased.expr;
  }
  return e;
}
