import type { ColumnType } from './column-type';
import type { RowId } from './row-id';

export interface SortedIndexColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly asc: boolean;
  /** Defaults to true for ASC, false for DESC. */
  readonly nullsFirst?: boolean;
  /**
   * DECIMAL precision/scale, STRING/BYTES maximum length (characters / bytes). Optional; when given, indexes size
   * their items by them and refuse longer values with InvalidArgumentError.
   */
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
}

export interface SortedIndexDescriptor {
  readonly id: number;
  readonly columns: readonly SortedIndexColumn[];
  readonly primary?: boolean;
}

export interface HashIndexColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
}

export interface HashIndexDescriptor {
  readonly id: number;
  readonly columns: readonly HashIndexColumn[];
  readonly primary?: boolean;
}

/** An index entry: the column values of the key, and the row it points to. */
export interface IndexRow {
  readonly key: readonly unknown[];
  readonly rowId: RowId;
}

/** Scan bound flags; bounds are column prefixes. */
export const GREATER = 0;
export const GREATER_OR_EQUAL = 1;
export const LESS = 0;
export const LESS_OR_EQUAL = 2;
