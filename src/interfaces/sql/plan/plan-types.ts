/**
 * Physical plans: immutable trees of operators with compiled expressions, built once per statement text (and catalog
 * version) and executed many times by exec/. Every node carries its EXPLAIN label. A node's output row is an array in
 * the order of its `columns`.
 */
import type { Expression } from '../ast';
import type { CompiledAggregate, CompiledExpression, Params, ScopeColumn } from '../semantics';

/** Bounds of an index range, each a tuple of leading column values (in index order, DESC columns already swapped). */
export interface RangeBounds {
  readonly gt?: readonly CompiledExpression[];
  readonly gte?: readonly CompiledExpression[];
  readonly lt?: readonly CompiledExpression[];
  readonly lte?: readonly CompiledExpression[];
}

/**
 * How a table is read. Key and bound expressions are evaluated against the "context row": empty for a table read on
 * its own, the left row for the inner side of an index nested-loop join.
 */
export type AccessPath =
  | { readonly kind: 'fullScan' }
  /** One `get` per key tuple (a tuple per IN-list value); `keyColumns` in primary-key order. */
  | { readonly kind: 'pkLookup'; readonly keyColumns: readonly string[]; readonly keys: readonly (readonly CompiledExpression[])[] }
  /**
   * A scan of the primary key (`index` null) or of a secondary index between bounds (none: the whole index), in the
   * index's order, or from its end when `reverse` (an ORDER BY in exactly the opposite order).
   */
  | { readonly kind: 'indexScan'; readonly index: string | null; readonly bounds: RangeBounds; readonly reverse?: boolean };

export interface PlanBase {
  readonly label: string;
  readonly columns: readonly ScopeColumn[];
}

export interface TableAccessNode extends PlanBase {
  readonly kind: 'tableAccess';
  /** The table's declared name. */
  readonly table: string;
  readonly access: AccessPath;
}

export interface RowsNode extends PlanBase {
  /** A system view or constant rows computed at run time (`VALUES`, `system_range`). */
  readonly kind: 'rows';
  readonly rows: (contextRow: readonly unknown[], run: RowsRuntime) => Iterable<readonly unknown[]>;
}

/** What a RowsNode may use to make its rows. */
export interface RowsRuntime {
  readonly params: Params;
  readonly outerRows: readonly (readonly unknown[])[];
}

export interface FilterNode extends PlanBase {
  readonly kind: 'filter'; readonly input: PlanNode; readonly predicate: CompiledExpression;
  /**
   * Over a primary-key lookup or range scan: the conjuncts the key values or bounds do not already imply, when those
   * values are integers (null: none left). A reader that got the access with such values may check only this; any
   * other reader (a fallback full scan, non-integer values) checks `predicate`.
   */
  readonly residual?: CompiledExpression | null;
}

export interface ProjectNode extends PlanBase {
  readonly kind: 'project'; readonly input: PlanNode; readonly exprs: readonly CompiledExpression[];
  /** Every input column in its place and nothing else: rows pass through unchanged. */
  readonly identity?: boolean;
}

export interface JoinNode extends PlanBase {
  readonly kind: 'join';
  readonly algorithm: 'hash' | 'nestedLoop' | 'indexNestedLoop';
  readonly joinType: 'INNER' | 'LEFT' | 'CROSS';
  readonly left: PlanNode;
  /** indexNestedLoop: made again per left row (its key expressions read the left row). */
  readonly right: PlanNode;
  /** The whole ON condition over the combined row (left columns, then right ones); absent: always true. */
  readonly on?: CompiledExpression;
  /** Hash join: key expressions of each side (over that side's row), compared by value. */
  readonly leftKeys?: readonly CompiledExpression[];
  readonly rightKeys?: readonly CompiledExpression[];
}

export interface AggregateNode extends PlanBase {
  readonly kind: 'aggregate';
  readonly input: PlanNode;
  readonly groupKeys: readonly CompiledExpression[];
  readonly aggregates: readonly CompiledAggregate[];
}

export interface DistinctNode extends PlanBase {
  /** Keeps the first row of each distinct tuple of its first `width` columns. */
  readonly kind: 'distinct'; readonly input: PlanNode; readonly width: number;
}

export interface SortKey {
  readonly index: number;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export interface SortNode extends PlanBase {
  readonly kind: 'sort'; readonly input: PlanNode; readonly keys: readonly SortKey[];
}

export interface LimitNode extends PlanBase {
  readonly kind: 'limit'; readonly input: PlanNode; readonly limit?: CompiledExpression; readonly offset?: CompiledExpression;
}

/** Keeps the first `width` columns (drops sort keys computed for ORDER BY only); not shown by EXPLAIN. */
export interface TrimNode extends PlanBase {
  readonly kind: 'trim'; readonly input: PlanNode; readonly width: number;
}

export type PlanNode =
  | TableAccessNode | RowsNode | FilterNode | ProjectNode | JoinNode | AggregateNode | DistinctNode | SortNode | LimitNode
  | TrimNode;

/** A subquery used by an expression: run once before the statement (uncorrelated) or per outer row (correlated). */
export interface SubqueryPlan {
  readonly query: QueryPlan;
  /** True when it reads columns of an enclosing query: then it runs synchronously over preloaded tables. */
  readonly correlated: boolean;
}

export interface QueryPlan {
  readonly root: PlanNode;
  /** The output columns (labels as `columns[].name`). */
  readonly columns: readonly ScopeColumn[];
  readonly subqueries: readonly SubqueryPlan[];
}

export interface FromPlan {
  readonly node: PlanNode;
  /** Whether the rows come in the wanted order (the caller then needs no sort). */
  readonly ordered: boolean;
}

/** The WHERE conjuncts a FROM item may apply itself; each one it applies is added to `pushed`. */
export interface Pushdown {
  readonly conds: readonly Expression[];
  readonly pushed: Set<Expression>;
}


/** A select-list entry once `*` is expanded: its expression and label. */
export interface OutputItem {
  readonly expr: Expression;
  readonly label: string;
  /** The alias or column name ORDER BY may use (undefined for an unnamed expression). */
  readonly name?: { readonly name: string; readonly quoted: boolean };
}

