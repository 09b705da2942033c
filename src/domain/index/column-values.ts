/**
 * Index key columns as the key codec sees them, compiled once into a `KeyColumnPlan`, and the typed errors for
 * values that do not fit their column. Every message names the column, what it expects and what it was given.
 */
import { describeValue } from '../shared/describe-value';
import { InvalidArgumentError } from '../shared/errors';
import type { ColumnType } from '../storage/column-type';
import type { HashIndexColumn } from '../storage/index-descriptors';

/** A sorted index column, or a hash index column (no `asc`: encoded ascending, nulls first). */
export type KeyColumn = HashIndexColumn & { readonly asc?: boolean; readonly nullsFirst?: boolean };

/** Type codes used by the codec's switch (dense small integers, stable only inside this process). */
export const T_INT8 = 0;
export const T_INT16 = 1;
export const T_INT32 = 2;
export const T_INT64 = 3;
export const T_FLOAT = 4;
export const T_DOUBLE = 5;
export const T_DECIMAL = 6;
export const T_BOOLEAN = 7;
export const T_UUID = 8;
export const T_STRING = 9;
export const T_BYTES = 10;
export const T_DATE = 11;
export const T_TIME = 12;
export const T_DATETIME = 13;
export const T_TIMESTAMP = 14;

const TYPE_CODES: Readonly<Record<ColumnType, number>> = {
  INT8: T_INT8, INT16: T_INT16, INT32: T_INT32, INT64: T_INT64, FLOAT: T_FLOAT, DOUBLE: T_DOUBLE,
  DECIMAL: T_DECIMAL, BOOLEAN: T_BOOLEAN, UUID: T_UUID, STRING: T_STRING, BYTES: T_BYTES, DATE: T_DATE,
  TIME: T_TIME, DATETIME: T_DATETIME, TIMESTAMP: T_TIMESTAMP,
};

/** Byte width of fixed-width value encodings by type code; 0 = variable (DECIMAL, STRING, BYTES). */
export const FIXED_WIDTH: readonly number[] = [1, 2, 4, 8, 4, 8, 0, 1, 16, 0, 0, 4, 6, 10, 8];

/** Null marker bytes. They are never inverted for DESC columns: the marker alone decides null placement. */
export const MARK_NULL_FIRST = 0x00;
export const MARK_VALUE = 0x01;
export const MARK_NULL_LAST = 0x02;

/** Largest DECIMAL precision and scale a column may declare (as in Apache Ignite). */
export const MAX_DECIMAL_DIGITS = 32767;

/**
 * The per-column facts the codec needs, in parallel arrays so the encode loop reads no descriptor objects.
 * Immutable after construction; shared by an encoder and a decoder of the same index.
 */
export class KeyColumnPlan {
  readonly count: number;
  readonly columns: readonly KeyColumn[];
  readonly types: Uint8Array;
  /** 0x00 for ASC, 0xFF for DESC: XORed over a column's value bytes. */
  readonly masks: Uint8Array;
  readonly nullMarks: Uint8Array;
  readonly nullable: Uint8Array;
  /** DECIMAL scale, or -1 when the column declares none (the value keeps its own scale). */
  readonly scales: Int32Array;
  /** DECIMAL precision, or -1 when the column declares none (not checked). */
  readonly precisions: Int32Array;
  /**
   * Declared STRING length in characters (Unicode code points) or BYTES length in bytes, or -1 when the column
   * declares none. Stored keys and searched keys (not scan bounds) longer than it are refused.
   */
  readonly lengths: Int32Array;

  constructor(columns: readonly KeyColumn[]) {
    const n = columns.length;
    this.count = n;
    this.columns = columns;
    this.types = new Uint8Array(n);
    this.masks = new Uint8Array(n);
    this.nullMarks = new Uint8Array(n);
    this.nullable = new Uint8Array(n);
    this.scales = new Int32Array(n);
    this.precisions = new Int32Array(n);
    this.lengths = new Int32Array(n);
    for (let i = 0; i < n; i++) this.#compile(i, columns[i]!);
  }

  #compile(i: number, c: KeyColumn): void {
    const code = Object.prototype.hasOwnProperty.call(TYPE_CODES, c.type) ? TYPE_CODES[c.type] : undefined;
    if (code === undefined) {
      throw new InvalidArgumentError(`Index column '${c.name}' has unknown type '${String(c.type)}'; use one of ${Object.keys(TYPE_CODES).join(', ')}`);
    }
    const asc = c.asc !== false;
    const nullsFirst = c.nullsFirst ?? asc;
    this.types[i] = code;
    this.masks[i] = asc ? 0x00 : 0xff;
    this.nullMarks[i] = nullsFirst ? MARK_NULL_FIRST : MARK_NULL_LAST;
    this.nullable[i] = c.nullable ? 1 : 0;
    this.scales[i] = optionalDigits(c, 'scale', c.scale, 0);
    this.precisions[i] = optionalDigits(c, 'precision', c.precision, 1);
    this.lengths[i] = code === T_STRING || code === T_BYTES ? optionalLength(c) : -1;
    if (code === T_DECIMAL && this.scales[i]! >= 0 && this.precisions[i]! >= 0 && this.scales[i]! > this.precisions[i]!) {
      throw new InvalidArgumentError(`Index column '${c.name}' has DECIMAL scale ${c.scale} greater than its precision ${c.precision}`);
    }
  }
}

function optionalDigits(c: KeyColumn, what: string, v: number | undefined, min: number): number {
  if (v === undefined || c.type !== 'DECIMAL') return -1;
  if (!Number.isInteger(v) || v < min || v > MAX_DECIMAL_DIGITS) {
    throw new InvalidArgumentError(`Index column '${c.name}' has DECIMAL ${what} ${v}; it must be an integer in ${min}..${MAX_DECIMAL_DIGITS}`);
  }
  return v;
}

/** Largest declared STRING/BYTES length (the lengths are kept as 32-bit integers). */
export const MAX_DECLARED_LENGTH = 0x7fff_ffff;

function optionalLength(c: KeyColumn): number {
  const v = c.length;
  if (v === undefined) return -1;
  if (!Number.isInteger(v) || v < 1 || v > MAX_DECLARED_LENGTH) {
    throw new InvalidArgumentError(
      `Index column '${c.name}' has ${c.type} length ${describeValue(v)}; it must be an integer in 1..${MAX_DECLARED_LENGTH}, or omitted`);
  }
  return v;
}

/**
 * True when `s` has more than `limit` Unicode code points (a surrogate pair counts once, a lone surrogate once).
 * Allocation-free; O(1) unless limit < s.length <= 2 * limit (UTF-16 units bound the code points both ways).
 */
export function exceedsCodePoints(s: string, limit: number): boolean {
  const n = s.length;
  if (n <= limit) return false;
  if (n > 2 * limit) return true;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    if (++count > limit) return true;
  }
  return false;
}

/** A stored or searched value longer than its column's declared length. */
export function tooLong(c: KeyColumn, got: unknown): InvalidArgumentError {
  const unit = c.type === 'STRING' ? 'characters (Unicode code points)' : 'bytes';
  return new InvalidArgumentError(
    `Index column '${c.name}' (${c.type}) has a declared column length of ${c.length} ${unit}, got a longer value ${describeValue(got)}: `
      + 'use a value within the declared length, or declare the column with a larger length or none');
}

/** `Column 'x' (INT32) expects <expected>, got <value>`. */
export function wrongValue(c: KeyColumn, expected: string, got: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`Index column '${c.name}' (${c.type}) expects ${expected}, got ${describeValue(got)}`);
}

export function nullNotAllowed(c: KeyColumn): InvalidArgumentError {
  return new InvalidArgumentError(`Index column '${c.name}' (${c.type}) is not nullable, got null; pass a ${c.type} value`);
}
