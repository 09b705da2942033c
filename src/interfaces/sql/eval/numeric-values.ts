/**
 * Numeric values across their JS representations (TINYINT/SMALLINT/INT/REAL/DOUBLE `number`, BIGINT `bigint`,
 * DECIMAL canonical string) and the range checks of the integer types. Conversions to an integer type round HALF_UP
 * (away from zero on a tie: CAST(2.5 AS INT) = 3, CAST(-2.5 AS INT) = -3), as PostgreSQL does and as DECIMAL(p, s)
 * assignment rounds; a value outside the target's range is an error ("out of range"), never wrapped or clamped.
 */
import type { SourcePos } from '../ast';
import { evalError } from './eval-errors';
import { ExactDecimal, exactOfNumber, parseExact, roundExact } from './exact-decimal';
import type { NumericType } from './value-types';

export const MIN_BIGINT = -(1n << 63n);
export const MAX_BIGINT = (1n << 63n) - 1n;

/** Inclusive ranges of the number-valued integer types. */
export const INTEGER_RANGES = {
  TINYINT: [-0x80, 0x7f],
  SMALLINT: [-0x8000, 0x7fff],
  INT: [-0x8000_0000, 0x7fff_ffff],
} as const;

export type NumberIntegerType = keyof typeof INTEGER_RANGES;

export function outOfRange(type: string, value: unknown, pos: SourcePos | undefined): Error {
  return evalError(`Value ${String(value)} is out of range for ${type}; use a wider type (BIGINT, DECIMAL) `
    + `or smaller values`, pos);
}

/** `n` (an integer number) when it is in the type's range. */
export function checkNumberInteger(n: number, type: NumberIntegerType, pos: SourcePos | undefined): number {
  const [min, max] = INTEGER_RANGES[type];
  if (n < min || n > max) throw outOfRange(type, n, pos);
  return n + 0;
}

export function checkBigint(b: bigint, pos: SourcePos | undefined): bigint {
  if (b < MIN_BIGINT || b > MAX_BIGINT) throw outOfRange('BIGINT', b, pos);
  return b;
}

/** The exact value of a number, bigint or decimal string (a string that does not parse, NaN and ±Infinity are refused). */
export function toExact(v: unknown, pos: SourcePos | undefined): ExactDecimal {
  if (typeof v === 'bigint') return new ExactDecimal(v, 0);
  if (typeof v === 'number') {
    const d = exactOfNumber(v);
    if (d === null) throw evalError(`${v} has no exact DECIMAL value`, pos);
    return d;
  }
  const d = typeof v === 'string' ? parseExact(v) : null;
  if (d === null) throw evalError(`${describe(v)} is not a number`, pos);
  return d;
}

/** A numeric value as a JS number (DOUBLE). */
export function toDouble(v: unknown, pos: SourcePos | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const d = parseExact(v);
    if (d !== null) return Number(v);
  }
  throw evalError(`${describe(v)} is not a number`, pos);
}

/** An integer-valued number or a bigint as a bigint. */
export function toBig(v: unknown, pos: SourcePos | undefined): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw evalError(`${describe(v)} is not an integer`, pos);
}

/** A finite number rounded HALF_UP to an integer of `type` (a NaN or an infinity is refused). */
export function doubleToInteger(x: number, type: NumericType, pos: SourcePos | undefined): number | bigint {
  if (!Number.isFinite(x)) throw evalError(`${x} cannot be converted to ${type}`, pos);
  const r = x < 0 ? -Math.round(-x) : Math.round(x);
  if (type === 'BIGINT') {
    if (r < -9.3e18 || r > 9.3e18) throw outOfRange(type, x, pos);
    return checkBigint(BigInt(r), pos);
  }
  return checkNumberInteger(r, type as NumberIntegerType, pos);
}

/** An exact value rounded HALF_UP to an integer of `type`. */
export function exactToInteger(d: ExactDecimal, type: NumericType, pos: SourcePos | undefined): number | bigint {
  const i = roundExact(d, 0).unscaled;
  if (type === 'BIGINT') return checkBigint(i, pos);
  const [min, max] = INTEGER_RANGES[type as NumberIntegerType];
  if (i < BigInt(min) || i > BigInt(max)) throw outOfRange(type, i, pos);
  return Number(i);
}

/** An integer bigint as a value of integer `type` (range-checked). */
export function bigToInteger(b: bigint, type: NumericType, pos: SourcePos | undefined): number | bigint {
  if (type === 'BIGINT') return checkBigint(b, pos);
  const [min, max] = INTEGER_RANGES[type as NumberIntegerType];
  if (b < BigInt(min) || b > BigInt(max)) throw outOfRange(type, b, pos);
  return Number(b);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `'${v.length > 40 ? `${v.slice(0, 40)}...` : v}'` : String(v);
}
