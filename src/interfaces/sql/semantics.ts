/**
 * The contract between the SQL planner/executor (plan/, exec/) and the expression compiler (eval/): how an AST
 * expression becomes a function of a row, with its SQL type. DESIGN.md §9 decides the semantics (integer division
 * truncates, AVG is a fraction, three-valued logic, NULL ordering).
 *
 * Values at run time are the table API's JS values (README "Tables and transactions"): BIGINT `bigint`,
 * TINYINT/SMALLINT/INT/REAL/DOUBLE `number`, DECIMAL a canonical string, BOOLEAN `boolean`, VARCHAR `string`,
 * VARBINARY `Uint8Array`, DATE/TIME/TIMESTAMP ISO strings, UUID a lowercase string; SQL NULL is `null`.
 */
import type { AggregateCall, Expression, SelectQuery, SourcePos } from './ast';
import type { SqlType } from '../../domain/table/table-schema';

/** A value's SQL type; 'NULL' is the type of a bare NULL literal (or a `?` whose type is not known yet). */
export type ValueType = SqlType | 'NULL';

/** A column an expression can refer to: position `i` in `Scope.columns` is index `i` of the row array. */
export interface ScopeColumn {
  /** The table or alias qualifying it (`o` in `o.id`); null for computed columns without one. */
  readonly table: string | null;
  /** Whether `table` was a quoted identifier (matched exactly) or not (matched case-insensitively). */
  readonly tableQuoted?: boolean;
  /** The column's declared (or aliased) name. */
  readonly name: string;
  readonly type: ValueType;
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
  /** Hidden columns (a generated primary key) are found by name but not expanded by `*`. */
  readonly hidden?: boolean;
  /** Set once an expression of the plan reads the column (resolve.ts: a table access decodes only such columns). */
  readonly used?: boolean;
}

/** The columns of the row an expression is evaluated against; `outer` is the enclosing query's (correlated subqueries). */
export interface Scope {
  readonly columns: readonly ScopeColumn[];
  readonly outer?: Scope;
}

/** Statement parameters: `?` by position (from 0), `:name` by name. */
export interface Params {
  readonly positional: readonly unknown[];
  readonly named: Readonly<Record<string, unknown>>;
}

/** A compiled expression: its static SQL type and a synchronous evaluator. */
export interface CompiledExpression {
  readonly type: ValueType;
  readonly precision?: number;
  readonly scale?: number;
  /** Set on a plain reference to a column of the row itself: the row position it reads (plans skip identity projections). */
  readonly columnIndex?: number;
  /** The value for one row (`outerRows[k]` is the row of the k-th enclosing scope, for correlated references). */
  evaluate(row: readonly unknown[], params: Params, outerRows?: readonly (readonly unknown[])[]): unknown;
}

/** What the compiler asks of the planner. */
export interface CompileContext {
  /** Runs a scalar subquery (at most one row of one column; more rows is an error) and gives its value per outer row. */
  scalarSubquery(select: SelectQuery, scope: Scope): CompiledExpression;
  /** `x IN (SELECT …)` / `EXISTS (SELECT …)`: the subquery's rows for an outer row. */
  subqueryRows(select: SelectQuery, scope: Scope): { readonly type: ValueType; rows(outer: readonly unknown[], params: Params): readonly unknown[] };
  /** The node's hybrid clock's now, as milliseconds since the epoch (CURRENT_TIMESTAMP is one value per statement). */
  readonly statementTimeMillis: number;
}

/** An aggregate's running state: `add` each input row's argument value, then `result`. */
export interface Accumulator {
  add(value: unknown): void;
  result(): unknown;
}

/** A compiled aggregate call (COUNT/SUM/AVG/MIN/MAX [DISTINCT]): its result type and fresh accumulators per group. */
export interface CompiledAggregate {
  readonly type: ValueType;
  readonly precision?: number;
  readonly scale?: number;
  /** The argument to evaluate per input row (null for COUNT(*)). */
  readonly argument: CompiledExpression | null;
  accumulator(): Accumulator;
}

/** The compiler's entry points (implemented in eval/compile.ts). */
export interface ExpressionCompiler {
  compile(expr: Expression, scope: Scope, context: CompileContext): CompiledExpression;
  compileAggregate(call: AggregateCall, scope: Scope, context: CompileContext): CompiledAggregate;
  /** SQL comparison of two non-null values of comparable types (for ORDER BY, MIN/MAX, DISTINCT, GROUP BY keys): <0, 0, >0. */
  compareValues(a: unknown, b: unknown, type: ValueType): number;
  /** A value converted to a column's type for INSERT/UPDATE (CAST rules; typed errors naming the column when it does not fit). */
  coerce(value: unknown, from: ValueType, to: ScopeColumn): unknown;
  /**
   * The values of one column of `(VALUES …)` rows as one column of a common type, as CASE / COALESCE branches are
   * typed (a parameter takes the others' type; mixed numbers widen): each value converted to it. Throws for values
   * without a common type.
   */
  unifyColumn(values: readonly CompiledExpression[], what: string, pos: SourcePos): CompiledExpression[];
}
