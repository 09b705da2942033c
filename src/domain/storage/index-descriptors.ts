import type { ColumnType } from './column-type';
import type { RowId } from './row-id';

/**
 * Descriptors of the indexes of a partition (MvTableStorage.createSortedIndex / createHashIndex). A malformed
 * descriptor is refused with InvalidArgumentError (INVALID_ARGUMENT) naming the field, and nothing is created: `id`
 * an integer in 0..2^31−1; `columns` a non-empty array; each column a non-empty string `name`, a `type` of
 * ColumnType, a boolean `nullable` (sorted: `asc`, and `nullsFirst` if given, booleans); `length` an integer ≥ 1;
 * DECIMAL `precision` in 1..32767 and `scale` in 0..precision; `primary` a boolean if given.
 */

/** A column of a sorted index key: its name, type, nullability and order. */
export interface SortedIndexColumn {
  /** The column's name (non-empty; informative: keys are matched by position). */
  readonly name: string;
  /** The column's type: it decides the JS values of the key (README "Column types") and their order. */
  readonly type: ColumnType;
  /** Whether the key may hold null here; a null in a NOT NULL column is refused with InvalidArgumentError. */
  readonly nullable: boolean;
  /** Ascending (true) or descending (false) order of this column. */
  readonly asc: boolean;
  /** Defaults to true for ASC, false for DESC. */
  readonly nullsFirst?: boolean;
  /**
   * DECIMAL precision/scale, STRING/BYTES maximum length (STRING: characters, counted as Unicode code points — a
   * surrogate pair is one, as in DESIGN §9's VARCHAR; BYTES: bytes). Optional; when given, indexes size their items by
   * them and refuse longer stored or searched keys with InvalidArgumentError (scan bounds are not limited).
   */
  readonly precision?: number;
  /** DECIMAL: digits after the point (0..precision); values are rounded HALF_UP to it. */
  readonly scale?: number;
  /** STRING: maximum characters (code points); BYTES: maximum bytes (see precision). */
  readonly length?: number;
}

/** A sorted index: key order by its columns, in order (see SortedIndexStorage). */
export interface SortedIndexDescriptor {
  /** The index id, unique among the indexes of a table (an integer in 0..2^31−1). */
  readonly id: number;
  /** The key's columns, most significant first (at least one). */
  readonly columns: readonly SortedIndexColumn[];
  /** A primary index is built from the start (no build state); other indexes start being built. Default false. */
  readonly primary?: boolean;
}

/** A column of a hash index key; `precision`, `scale` and `length` as in SortedIndexColumn. */
export interface HashIndexColumn {
  /** The column's name (non-empty; informative: keys are matched by position). */
  readonly name: string;
  /** The column's type: it decides the JS values of the key (README "Column types"). */
  readonly type: ColumnType;
  /** Whether the key may hold null here; a null in a NOT NULL column is refused with InvalidArgumentError. */
  readonly nullable: boolean;
  /** DECIMAL: total digits (1..32767); longer values are refused with InvalidArgumentError. */
  readonly precision?: number;
  /** DECIMAL: digits after the point (0..precision); values are rounded HALF_UP to it. */
  readonly scale?: number;
  /** STRING: maximum characters (code points); BYTES: maximum bytes; longer values are refused. */
  readonly length?: number;
}

/** A hash index: lookups by the whole key (see HashIndexStorage). */
export interface HashIndexDescriptor {
  /** The index id, unique among the indexes of a table (an integer in 0..2^31−1). */
  readonly id: number;
  /** The key's columns (at least one). */
  readonly columns: readonly HashIndexColumn[];
  /** A primary index is built from the start (no build state); other indexes start being built. Default false. */
  readonly primary?: boolean;
}

/** An index entry: the column values of the key, and the row it points to. */
export interface IndexRow {
  /** One value per column of the index, in column order (JS values: README "Column types"; null where nullable). */
  readonly key: readonly unknown[];
  /** The row (of the index's partition) the entry points to. */
  readonly rowId: RowId;
}

/**
 * Scan bound flags of SortedIndexStorage scans (bounds are column prefixes): combine one lower-bound flag with one
 * upper-bound flag, e.g. `GREATER_OR_EQUAL | LESS` for [lower, upper).
 */

/** Lower bound exclusive: entries greater than `lower` (0: the default). */
export const GREATER = 0;
/** Lower bound inclusive: entries greater than or equal to `lower` (entries that start with the prefix included). */
export const GREATER_OR_EQUAL = 1;
/** Upper bound exclusive: entries less than `upper` (0: the default). */
export const LESS = 0;
/** Upper bound inclusive: entries less than or equal to `upper` (entries that start with the prefix included). */
export const LESS_OR_EQUAL = 2;
/**
 * Or-ed with the bound flags: the entries from the upper bound down to the lower one (the index's order reversed),
 * e.g. `GREATER_OR_EQUAL | LESS | BACKWARDS`. A live cursor then sees entries put below its position.
 */
export const BACKWARDS = 4;
