/**
 * The INVALID_ARGUMENT refusal of the table level (DESIGN.md §9 "Error codes"): a bad column definition, row, key or
 * value. It is an InvalidArgumentError (same code, same class for `instanceof`) that also carries `table` and
 * `column` for programs, like the TableLevelError classes do. Messages name the table and the column, the rule
 * broken and what to do.
 */
import { describeValue } from '../shared/describe-value';
import { InvalidArgumentError } from '../shared/errors';
import type { SchemaColumn } from './table-schema';

export class TableArgumentError extends InvalidArgumentError {
  constructor(
    message: string,
    /** The table concerned, as declared. */
    readonly table: string | null = null,
    /** The column concerned, as declared (null when none applies). */
    readonly column: string | null = null,
  ) {
    super(message);
  }
}

/** The column's type as SQL spells it: `INT`, `VARCHAR(20)`, `DECIMAL(15,2)`. */
export function typeLabel(column: Pick<SchemaColumn, 'type' | 'length' | 'precision' | 'scale'>): string {
  if (column.type === 'DECIMAL') return `DECIMAL(${column.precision},${column.scale})`;
  if (column.length !== undefined) return `${column.type}(${column.length})`;
  return column.type;
}

/** `Column 'qty' of table 'orders' is INT: <detail>` */
export function valueError(table: string, column: SchemaColumn, detail: string): TableArgumentError {
  return new TableArgumentError(`Column '${column.name}' of table '${table}' is ${typeLabel(column)}: ${detail}`, table, column.name);
}

/** A value of the wrong JS type: says which JS values the column takes. */
export function wrongType(table: string, column: SchemaColumn, expected: string, got: unknown): TableArgumentError {
  return valueError(table, column, `expected ${expected}, got ${describeValue(got)}`);
}
