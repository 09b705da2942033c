/**
 * Comparison of non-null SQL values: a total order per type family, for =, <, IN, BETWEEN, CASE and for ORDER BY,
 * GROUP BY, DISTINCT, MIN/MAX (`compareValues`). Decisions:
 *
 * - numbers compare exactly across representations (INT `number`, BIGINT `bigint`, DECIMAL string): 2^53 + 1 as a
 *   bigint is larger than 2^53 as a number; a DOUBLE compares with a DECIMAL by the decimal JS prints for it (0.1e0 =
 *   0.1); -0 = 0; NaN equals NaN and sorts above +Infinity (Java's Double.compare order);
 * - VARCHAR by Unicode code points, which is the order of their UTF-8 bytes (SQLite's BINARY collation, and the order
 *   of the index key encoding) — not JS's UTF-16 order, which puts U+10000.. before U+E000..U+FFFF; case-sensitive;
 * - DATE, TIME, TIMESTAMP, UUID by their canonical strings (fixed-width ASCII forms whose string order is the time
 *   order); a DATE against a TIMESTAMP is taken as its midnight;
 * - BOOLEAN false < true; VARBINARY by unsigned bytes, a prefix first;
 * - a VARCHAR against another family is cast to that family first (to DECIMAL for numbers, so '1.5' = 1.5 and never
 *   rounds); a string that does not convert is an error, as is any other pair of families.
 */
import type { SqlType } from '../../../domain/table/table-schema';
import type { SourcePos } from '../ast';
import type { ValueType } from '../semantics';
import { castValue } from './cast';
import { evalError } from './eval-errors';
import { compareExact } from './exact-decimal';
import { toExact } from './numeric-values';
import { comparable, effectiveType, familyOf, isNumberType } from './value-types';

/** <0, 0, >0 for two non-null values. */
export type Comparator = (a: unknown, b: unknown) => number;

/** By code points (= UTF-8 byte order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800..U+DFFF, i.e. code points ≥ U+10000) above U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  return (a !== a ? 1 : 0) - (b !== b ? 1 : 0);
}

function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBooleans(a: boolean, b: boolean): number {
  return (a ? 1 : 0) - (b ? 1 : 0);
}

/** Exactly, across number / bigint / DECIMAL string. */
export function compareNumeric(a: unknown, b: unknown, pos?: SourcePos): number {
  if (typeof a === 'number') {
    if (typeof b === 'number') return compareNumbers(a, b);
    if (typeof b === 'bigint') return compareNumberBig(a, b);
  } else if (typeof a === 'bigint') {
    if (typeof b === 'bigint') return compareBigints(a, b);
    if (typeof b === 'number') return -compareNumberBig(b, a);
  }
  const ra = specialRank(a);
  const rb = specialRank(b);
  if (ra !== 0 || rb !== 0) return ra - rb;
  return compareExact(toExact(a, pos), toExact(b, pos));
}

/** -1 for -Infinity, 1 for +Infinity, 2 for NaN, 0 for any finite value. */
function specialRank(v: unknown): number {
  if (typeof v !== 'number' || Number.isFinite(v)) return 0;
  return v !== v ? 2 : v > 0 ? 1 : -1;
}

function compareNumberBig(n: number, b: bigint): number {
  if (!Number.isFinite(n)) return n < 0 ? -1 : 1;
  if (Number.isInteger(n)) return compareBigints(BigInt(n), b);
  return BigInt(Math.floor(n)) < b ? -1 : 1;
}

/** Two non-null values of (effective, non-'NULL') types ta and tb. */
export function compareTyped(a: unknown, ta: SqlType, b: unknown, tb: SqlType, pos?: SourcePos): number {
  const fa = familyOf(ta);
  const fb = familyOf(tb);
  if (fa === fb) {
    switch (fa) {
      case 'numeric': return compareNumeric(a, b, pos);
      case 'string': return compareStrings(a as string, b as string);
      case 'boolean': return compareBooleans(a as boolean, b as boolean);
      case 'binary': return compareBytes(a as Uint8Array, b as Uint8Array);
      default: return compareAscii(a as string, b as string);
    }
  }
  if (fa === 'string') return compareTyped(castValue(a, 'VARCHAR', { type: castTargetOf(tb) }, pos), castTargetOf(tb), b, tb, pos);
  if (fb === 'string') return compareTyped(a, ta, castValue(b, 'VARCHAR', { type: castTargetOf(ta) }, pos), castTargetOf(ta), pos);
  if (fa === 'date' && fb === 'timestamp') return compareAscii(`${a as string}T00:00:00`, b as string);
  if (fa === 'timestamp' && fb === 'date') return compareAscii(a as string, `${b as string}T00:00:00`);
  throw incomparable(ta, tb, pos);
}

/** Strings compared with numbers are read as exact DECIMALs (never rounded to the number's type). */
function castTargetOf(t: SqlType): SqlType {
  return familyOf(t) === 'numeric' ? 'DECIMAL' : t;
}

function incomparable(ta: ValueType, tb: ValueType, pos: SourcePos | undefined): Error {
  return evalError(`Cannot compare ${ta} with ${tb}; CAST one side to the other's type`, pos);
}

/**
 * The comparator for values of static types ta and tb, chosen once: a specialized one when both are known, else one
 * that classifies run-time values ('NULL': parameters). Throws at once when the types can never compare.
 */
export function comparatorFor(ta: ValueType, tb: ValueType, pos: SourcePos | undefined): Comparator {
  if (!comparable(ta, tb)) throw incomparable(ta, tb, pos);
  if (ta === 'NULL' || tb === 'NULL') {
    return (a, b) => compareTyped(a, effectiveType(a, ta, pos), b, effectiveType(b, tb, pos), pos);
  }
  if (isNumberType(ta) && isNumberType(tb)) return compareNumbers as Comparator;
  if (ta === 'BIGINT' && tb === 'BIGINT') return compareBigints as Comparator;
  if (ta === tb) {
    switch (familyOf(ta)) {
      case 'string': return compareStrings as Comparator;
      case 'boolean': return compareBooleans as Comparator;
      case 'binary': return compareBytes as Comparator;
      case 'numeric': return (a, b) => compareNumeric(a, b, pos);
      default: return compareAscii as Comparator;
    }
  }
  return (a, b) => compareTyped(a, ta, b, tb, pos);
}

/** ExpressionCompiler.compareValues: two non-null values of one static type ('NULL': classified at run time). */
export function compareValues(a: unknown, b: unknown, type: ValueType): number {
  return compareTyped(a, effectiveType(a, type), b, effectiveType(b, type));
}
