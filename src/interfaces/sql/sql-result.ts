/** The shapes `sql()` / prepared statements take and give, and their conversions. */
import { objectMaker } from '../../domain/shared/object-maker';
import { InvalidArgumentError } from '../../domain/shared/errors';
import { describeValue } from '../../domain/shared/describe-value';
import type { Params } from './semantics';
import type { RawResult } from './exec/statement-runner';

/** A result column: its label as written in the query (alias, else the column's name, else `EXPR$n`) and SQL type. */
export interface SqlColumn {
  readonly name: string;
  /** `BIGINT`, `DECIMAL`, `VARCHAR`, … (`NULL` for a bare NULL). */
  readonly type: string;
}

export interface SqlResult<R = Record<string, unknown>> {
  readonly columns: readonly SqlColumn[];
  readonly rows: R[];
  /** Rows inserted, updated or deleted (0 for queries and DDL). */
  readonly rowsAffected: number;
}

export interface SqlOptions {
  /** `object` (default): rows keyed by column labels; `array`: values in column order. */
  readonly rowMode?: 'object' | 'array';
}

/** `?` values by position, or `:name` values by name. */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

export function toParams(params: SqlParams | undefined): Params {
  if (params === undefined || params === null) return { positional: [], named: {} };
  if (Array.isArray(params)) return { positional: params, named: {} };
  if (typeof params === 'object' && !(params instanceof Uint8Array) && !(params instanceof Date)) {
    return { positional: [], named: params as Readonly<Record<string, unknown>> };
  }
  throw new InvalidArgumentError(`SQL parameters must be an array (for ?) or an object (for :name), got ${describeValue(params)}`);
}

export function checkOptions(options: SqlOptions | undefined): 'object' | 'array' {
  const mode = options?.rowMode ?? 'object';
  if (mode !== 'object' && mode !== 'array') {
    throw new InvalidArgumentError(`rowMode must be 'object' or 'array', got ${describeValue(mode)}`);
  }
  return mode;
}

type RowMaker = (r: readonly unknown[]) => unknown;

/** Object row makers per columns array (a query plan's columns are one array: queryColumns keeps it per plan). */
const MAKERS = new WeakMap<RawResult['columns'], RowMaker>();
/** ...and per list of labels, so that statements of the same labels (fresh texts of one shape) share one. */
const BY_LABELS = new Map<string, RowMaker>();
const BY_LABELS_MAX = 1000;

export function rowMaker(columns: RawResult['columns'], mode: 'object' | 'array'): RowMaker {
  if (mode === 'array') return (r) => r.slice();
  let make = MAKERS.get(columns);
  if (make === undefined) {
    const names = columns.map((c) => c.name);
    const key = names.join('\u0000');
    make = BY_LABELS.get(key);
    if (make === undefined) {
      if (BY_LABELS.size >= BY_LABELS_MAX) BY_LABELS.clear();
      BY_LABELS.set(key, (make = objectMaker(names)));
    }
    MAKERS.set(columns, make);
  }
  return make;
}

export function toResult(raw: RawResult, mode: 'object' | 'array'): SqlResult<unknown> {
  const make = rowMaker(raw.columns, mode);
  return { columns: raw.columns.map((c) => ({ ...c })), rows: raw.rows.map(make), rowsAffected: raw.rowsAffected };
}
