/**
 * Column references against a Scope (DESIGN.md §9 "Names"): an unquoted name matches case-insensitively, a quoted
 * one exactly; `t.c` also matches the column's table or alias by the same rule (exactly when either the reference or
 * the scope's table name was quoted). The innermost scope with a match wins; two matches there are ambiguous. A
 * match in an enclosing scope (depth k ≥ 1) is read from `outerRows[k - 1]` (correlated subqueries).
 */
import { ColumnNotFoundError } from '../../../domain/shared/errors';
import type { ColumnRef, Identifier } from '../ast';
import type { CompiledExpression, Params, Scope, ScopeColumn } from '../semantics';
import { evalError } from './eval-errors';

/**
 * Scope columns that some compiled expression reads are marked `used` as references are resolved, at plan time (a
 * plan's scope columns are its own objects). A table access decodes only these of its columns (the others read as
 * null): `SELECT grp, COUNT(*) … GROUP BY grp` never decodes a long VARCHAR it does not read. Plans that need every
 * column whatever their expressions read (UPDATE and DELETE rewrite whole rows) mark them all with useColumns.
 */
function markUsed(column: ScopeColumn): void {
  (column as { used?: boolean }).used = true;
}

/** Marks every one of `columns` as read. */
export function useColumns(columns: readonly ScopeColumn[]): void {
  for (const c of columns) markUsed(c);
}

/** Whether a compiled expression reads the column. */
export function isColumnUsed(column: ScopeColumn): boolean {
  return column.used === true;
}

export interface ResolvedColumn {
  readonly column: ScopeColumn;
  /** 0: the current row; k: the k-th enclosing scope's row. */
  readonly depth: number;
  readonly index: number;
}

function nameMatches(written: Identifier, declared: string, declaredQuoted = false): boolean {
  return written.quoted || declaredQuoted ? written.name === declared : written.name.toLowerCase() === declared.toLowerCase();
}

function matches(ref: ColumnRef, c: ScopeColumn): boolean {
  if (!nameMatches(ref.column, c.name)) return false;
  if (ref.table === undefined) return true;
  return c.table !== null && nameMatches(ref.table, c.table, c.tableQuoted === true);
}

function spell(ref: ColumnRef): string {
  return ref.table === undefined ? ref.column.name : `${ref.table.name}.${ref.column.name}`;
}

/** Finds `ref` in `scope` or an enclosing one; throws ColumnNotFoundError (COLUMN_NOT_FOUND) or an ambiguity error. */
export function resolveColumn(ref: ColumnRef, scope: Scope): ResolvedColumn {
  let depth = 0;
  for (let s: Scope | undefined = scope; s !== undefined; s = s.outer, depth++) {
    let found = -1;
    for (let i = 0; i < s.columns.length; i++) {
      if (!matches(ref, s.columns[i]!)) continue;
      if (found >= 0) {
        const tables = [s.columns[found]!.table, s.columns[i]!.table].map((t) => t ?? '(no table)').join("' and '");
        throw evalError(`Column '${spell(ref)}' is ambiguous: it is in '${tables}'; qualify it with its table `
          + `or alias (t.${ref.column.name})`, ref.pos);
      }
      found = i;
    }
    if (found >= 0) {
      markUsed(s.columns[found]!);
      return { column: s.columns[found]!, depth, index: found };
    }
  }
  throw notFound(ref, scope);
}

function notFound(ref: ColumnRef, scope: Scope): ColumnNotFoundError {
  const names = scope.columns.filter((c) => c.hidden !== true)
    .map((c) => (c.table === null ? c.name : `${c.table}.${c.name}`));
  const available = names.length === 0 ? 'there are no columns here' : `the columns here are: ${names.join(', ')}`;
  const hint = ref.column.quoted ? ' (a quoted name matches exactly, case included)' : '';
  return new ColumnNotFoundError(`Column '${spell(ref)}' not found at line ${ref.pos.line}, column ${ref.pos.column}`
    + `${hint}; ${available}`, ref.table?.name ?? null, ref.column.name);
}

/** The compiled reference: reads the row (or the enclosing row) at the resolved index. */
export function compileColumnRef(ref: ColumnRef, scope: Scope): CompiledExpression {
  const { column, depth, index } = resolveColumn(ref, scope);
  const typing = { type: column.type, precision: column.precision, scale: column.scale };
  if (depth === 0) return { ...typing, columnIndex: index, evaluate: (row) => row[index] ?? null };
  const k = depth - 1;
  return {
    ...typing,
    evaluate: (_row: readonly unknown[], _params: Params, outerRows?: readonly (readonly unknown[])[]) => {
      const outer = outerRows?.[k];
      if (outer === undefined) {
        throw evalError(`Column '${spell(ref)}' is a correlated reference but no outer row was given`, ref.pos);
      }
      return outer[index] ?? null;
    },
  };
}
