/**
 * The non-temporal column types' values (DESIGN.md §9 "Values"): each function takes any JS value and returns the
 * column's normalized value, or throws TableArgumentError naming the table, the column and the rule broken. Null is
 * handled by the caller (normalizeValue). DECIMAL parsing and rounding are the index key codec's (key-decimal.ts).
 */
import { describeValue } from '../shared/describe-value';
import { InvalidArgumentError } from '../shared/errors';
import type { KeyColumn } from '../index/column-values';
import { DecimalScratch, formatDecimal, parseDecimal, roundToScale } from '../index/key-decimal';
import { valueError, wrongType } from './table-argument-error';
import type { SchemaColumn } from './table-schema';

export const MIN_BIGINT = -(1n << 63n);
export const MAX_BIGINT = (1n << 63n) - 1n;

/** Only passed to the key codec's DECIMAL parser, whose errors are replaced by the table's own. */
const PARSER_COLUMN: KeyColumn = { name: 'value', type: 'DECIMAL', nullable: false };
const DECIMAL_SHAPE = "a decimal string like '-123.45' (or a finite number or a bigint)";
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** TINYINT, SMALLINT, INT: an integer number in min..max (-0 becomes 0). */
export function normalizeInteger(table: string, column: SchemaColumn, v: unknown, min: number, max: number): number {
  const range = `an integer number in ${min}..${max}`;
  if (typeof v !== 'number') throw wrongType(table, column, range, v);
  if (!Number.isInteger(v)) throw valueError(table, column, `${v} is not an integer; pass ${range}`);
  if (v < min || v > max) {
    throw valueError(table, column, `${v} is out of range ${min}..${max}; pass a value in range, or use a wider integer type`);
  }
  return v + 0;
}

export function normalizeBigint(table: string, column: SchemaColumn, v: unknown): bigint {
  if (typeof v === 'bigint') {
    if (v < MIN_BIGINT || v > MAX_BIGINT) {
      throw valueError(table, column, `${v} is out of range ${MIN_BIGINT}..${MAX_BIGINT} (64-bit signed); pass a value in range, or use DECIMAL`);
    }
    return v;
  }
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw valueError(table, column, `${v} is not an integer; pass a bigint (or a safe-integer number)`);
    if (!Number.isSafeInteger(v)) {
      throw valueError(table, column, `${v} is not a safe integer number (beyond +-(2^53-1) a number is not exact); pass a bigint such as 123n`);
    }
    return BigInt(v);
  }
  throw wrongType(table, column, 'a bigint (or a safe-integer number)', v);
}

/** REAL: rounded to the nearest 32-bit float; NaN and +-Infinity are taken as SQL floats take them. */
export function normalizeReal(table: string, column: SchemaColumn, v: unknown): number {
  if (typeof v !== 'number') throw wrongType(table, column, 'a number', v);
  return Math.fround(v);
}

export function normalizeDouble(table: string, column: SchemaColumn, v: unknown): number {
  if (typeof v !== 'number') throw wrongType(table, column, 'a number', v);
  return v;
}

export function normalizeBoolean(table: string, column: SchemaColumn, v: unknown): boolean {
  if (typeof v !== 'boolean') throw wrongType(table, column, 'a boolean', v);
  return v;
}

/** VARCHAR: well-formed Unicode text (no lone surrogates: UTF-8 cannot hold them), at most `length` code points. */
export function normalizeVarchar(table: string, column: SchemaColumn, v: unknown): string {
  if (typeof v !== 'string') throw wrongType(table, column, 'a string', v);
  const count = codePointCount(v);
  if (count < 0) {
    throw valueError(table, column, `${describeValue(v)} has a lone UTF-16 surrogate at index ${-count - 1}; `
      + 'VARCHAR holds valid Unicode text only (store raw code units in a VARBINARY column)');
  }
  if (column.length !== undefined && count > column.length) {
    throw valueError(table, column, `${describeValue(v)} has ${count} characters, more than ${column.length}; `
      + 'shorten the value, or declare the column with a larger length');
  }
  return v;
}

/** The number of code points of `s` (a surrogate pair counts once), or -(index + 1) of its first lone surrogate. */
export function codePointCount(s: string): number {
  const n = s.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c > 0xdbff || i + 1 >= n || (s.charCodeAt(i + 1) & 0xfc00) !== 0xdc00) return -(i + 1);
      i++;
    }
    count++;
  }
  return count;
}

/** VARBINARY: a Uint8Array (a Buffer is one) of at most `length` bytes; returns a plain copy the caller owns. */
export function normalizeVarbinary(table: string, column: SchemaColumn, v: unknown): Uint8Array {
  return new Uint8Array(checkVarbinary(table, column, v));
}

/** VARBINARY checked but not copied: the caller's own array (for a value encoded at once and not kept). */
export function checkVarbinary(table: string, column: SchemaColumn, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw wrongType(table, column, 'a Uint8Array (or a Buffer)', v);
  if (column.length !== undefined && v.length > column.length) {
    throw valueError(table, column, `the value has ${v.length} bytes, more than ${column.length}; `
      + 'shorten the value, or declare the column with a larger length');
  }
  return v;
}

export function normalizeUuid(table: string, column: SchemaColumn, v: unknown): string {
  if (typeof v !== 'string') throw wrongType(table, column, "a UUID string 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'", v);
  if (!UUID_PATTERN.test(v)) {
    throw valueError(table, column, `${describeValue(v)} is not a UUID; write it as 8-4-4-4-12 hex digits, like '123e4567-e89b-12d3-a456-426614174000'`);
  }
  return v.toLowerCase();
}

/**
 * DECIMAL(p,s): a string, finite number or bigint, rounded HALF_UP to s fraction digits; refused when its integer part
 * has more than p-s digits. Returns the canonical string: exactly s fraction digits, no '+', no exponent, no '-0'.
 */
export function normalizeDecimal(table: string, column: SchemaColumn, v: unknown): string {
  if (typeof v !== 'string' && typeof v !== 'bigint' && !(typeof v === 'number' && Number.isFinite(v))) {
    throw wrongType(table, column, DECIMAL_SHAPE, v);
  }
  const d = new DecimalScratch();
  try {
    parseDecimal(PARSER_COLUMN, v, d);
  } catch (e) {
    if (e instanceof InvalidArgumentError) {
      throw valueError(table, column, `${describeValue(v)} is not a decimal number; write it like '-123.45' or '1.5e3'`);
    }
    throw e;
  }
  const precision = column.precision!;
  const scale = column.scale!;
  roundToScale(d, scale);
  const intDigits = d.count > 0 && d.exponent > 0 ? d.exponent : 0;
  if (intDigits > precision - scale) {
    throw valueError(table, column, `${describeValue(v)} is out of range for DECIMAL(${precision},${scale}): it has ${intDigits} `
      + `integer digit${intDigits === 1 ? '' : 's'}, at most ${precision - scale} fit; pass a smaller value, or declare a larger precision`);
  }
  return formatDecimal(d, scale);
}
