/**
 * Name matching (DESIGN.md §9 "Names"): an unquoted identifier matches a declared name case-insensitively, a quoted
 * one exactly. The catalog itself matches case-insensitively, so the planner finds the declared name first and checks
 * a quoted identifier against it here.
 */
import type { ColumnRef, Identifier } from '../ast';
import type { Scope, ScopeColumn } from '../semantics';

/** The generated primary-key column of a table declared without one (hidden from `SELECT *`). */
export const HIDDEN_KEY_COLUMN = '__p_key';

export function nameMatches(id: Identifier, declared: string): boolean {
  return id.quoted ? id.name === declared : id.name.toLowerCase() === declared.toLowerCase();
}

/** The declared name among `names` that `id` names, or undefined. */
export function findName(id: Identifier, names: readonly string[]): string | undefined {
  return names.find((n) => nameMatches(id, n));
}

/** `"Order"` for a quoted identifier, `order` otherwise: as written, for messages. */
export function written(id: Identifier): string {
  return id.quoted ? `"${id.name}"` : id.name;
}

function tableMatches(ref: Identifier, c: ScopeColumn): boolean {
  if (c.table === null) return false;
  if (ref.quoted || c.tableQuoted === true) return ref.name === c.table;
  return ref.name.toLowerCase() === c.table.toLowerCase();
}

/**
 * The position of the column `ref` names in `scope.columns` (its own level only): -1 when none, -2 when the name is
 * ambiguous (two columns match an unqualified name).
 */
export function resolveColumn(scope: Scope, ref: ColumnRef): number {
  let found = -1;
  scope.columns.forEach((c, i) => {
    if (ref.table !== undefined && !tableMatches(ref.table, c)) return;
    if (!nameMatches(ref.column, c.name)) return;
    found = found === -1 ? i : -2;
  });
  return found;
}

/** A scope's columns re-qualified by an alias (a table or derived table named `alias`). */
export function qualify(columns: readonly ScopeColumn[], alias: Identifier): ScopeColumn[] {
  return columns.map((c) => ({ ...c, table: alias.name, tableQuoted: alias.quoted }));
}
