/**
 * CAST(v AS type) between every pair of SQL types that has a meaning; the values are the table API's canonical JS
 * values (semantics.ts). Decisions:
 *
 * - numeric → integer type: rounded HALF_UP (numeric-values.ts); out of range → error, never wrapped;
 * - → DECIMAL(p, s): rounded HALF_UP to s; more than p − s integer digits → error; `DECIMAL` without (p, s) keeps the
 *   value's own scale (an unbounded DECIMAL, as PostgreSQL's NUMERIC); DECIMAL(p) is DECIMAL(p, 0);
 * - VARCHAR → number / temporal / BOOLEAN / UUID: the text is trimmed of spaces first and must be a literal of that
 *   type ('TRUE'/'FALSE' in any case for BOOLEAN; a space or 'T' between date and time for TIMESTAMP);
 * - → VARCHAR: numbers as JS prints them (DOUBLE 1.5 → '1.5', 1e21 → '1e+21'; REAL by its shortest float32 text), BOOLEAN 'TRUE'/'FALSE', temporal
 *   and UUID values as their canonical strings, VARBINARY decoded as UTF-8 (invalid UTF-8 → error);
 *   VARCHAR(n) truncates to n characters (code points), as a CAST does in SQL (assignment refuses instead: coerce.ts);
 * - VARCHAR → VARBINARY: UTF-8 bytes; VARBINARY(n) truncates to n bytes;
 * - TIMESTAMP → DATE / TIME: its date / time part; DATE → TIMESTAMP: midnight; TIME(p) / TIMESTAMP(p) truncate the
 *   fraction to p digits;
 * - anything else (BOOLEAN ↔ numbers, temporal ↔ numbers, UUID ↔ non-strings) → error naming both types.
 */
import { formatTime } from '../../../domain/index/key-temporal';
import { describeValue } from '../../../domain/shared/describe-value';
import type { SqlType } from '../../../domain/table/table-schema';
import { dateDays, timeNanos, timestampDays, timestampNanos } from '../../../domain/table/temporal-values';
import { codePointCount } from '../../../domain/table/value-normalizers';
import type { SourcePos } from '../ast';
import { evalError } from './eval-errors';
import { formatExact, integerDigits, parseExact, roundExact } from './exact-decimal';
import { bigToInteger, checkNumberInteger, doubleToInteger, exactToInteger, toDouble, toExact } from './numeric-values';
import type { NumberIntegerType } from './numeric-values';
import { isIntegerType, isNumeric, type NumericType } from './value-types';

export interface CastTarget {
  readonly type: SqlType;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SPECIAL_FLOATS: Readonly<Record<string, number>> = {
  nan: NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true });
const DEFAULT_DECIMAL_PRECISION = 32767;

/** The type as SQL spells it: `INT`, `VARCHAR(20)`, `DECIMAL(15,2)`, `TIME(3)`. */
export function targetLabel(to: CastTarget): string {
  if (to.length !== undefined) return `${to.type}(${to.length})`;
  if (to.precision === undefined) return to.type;
  return to.scale === undefined ? `${to.type}(${to.precision})` : `${to.type}(${to.precision},${to.scale})`;
}

/** `v` (non-null, of type `from`) converted to `to`; throws SqlEvalError (INVALID_ARGUMENT) when it does not convert. */
export function castValue(v: unknown, from: SqlType, to: CastTarget, pos: SourcePos | undefined): unknown {
  switch (to.type) {
    case 'BOOLEAN': return toBoolean(v, from, pos);
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': return toInteger(v, from, to.type, pos);
    case 'REAL': return Math.fround(toFloat(v, from, pos));
    case 'DOUBLE': return toFloat(v, from, pos);
    case 'DECIMAL': return toDecimal(v, from, to, pos);
    case 'VARCHAR': return truncateChars(toVarchar(v, from, pos), to.length);
    case 'VARBINARY': return truncateBytes(toVarbinary(v, from, pos), to.length);
    case 'DATE': return toDate(v, from, pos);
    case 'TIME': return truncateFraction(toTime(v, from, pos), to.precision);
    case 'TIMESTAMP': return truncateFraction(toTimestamp(v, from, pos), to.precision);
    case 'UUID': return toUuid(v, from, pos);
    default: throw evalError(`Unknown type ${String(to.type)}`, pos);
  }
}

function cannot(v: unknown, from: SqlType, to: string, pos: SourcePos | undefined, detail = ''): Error {
  const why = detail === '' ? '' : `: ${detail}`;
  return evalError(`Cannot cast ${describeValue(v)} of type ${from} to ${to}${why}`, pos);
}

function toBoolean(v: unknown, from: SqlType, pos: SourcePos | undefined): boolean {
  if (from === 'BOOLEAN') return v as boolean;
  if (from === 'VARCHAR') {
    const s = (v as string).trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    throw cannot(v, from, 'BOOLEAN', pos, "write 'TRUE' or 'FALSE'");
  }
  throw cannot(v, from, 'BOOLEAN', pos);
}

function toInteger(v: unknown, from: SqlType, to: NumericType, pos: SourcePos | undefined): number | bigint {
  if (isIntegerType(from)) {
    if (from === to) return v as number | bigint;
    if (typeof v === 'bigint') return bigToInteger(v, to, pos);
    return to === 'BIGINT' ? BigInt(v as number) : checkNumberInteger(v as number, to as NumberIntegerType, pos);
  }
  if (from === 'REAL' || from === 'DOUBLE') return doubleToInteger(v as number, to, pos);
  if (from === 'DECIMAL') return exactToInteger(toExact(v, pos), to, pos);
  if (from === 'VARCHAR') {
    const d = parseExact((v as string).trim());
    if (d === null) throw cannot(v, from, to, pos, 'not a number');
    return exactToInteger(d, to, pos);
  }
  throw cannot(v, from, to, pos);
}

function toFloat(v: unknown, from: SqlType, pos: SourcePos | undefined): number {
  if (isNumeric(from)) return toDouble(v, pos);
  if (from === 'VARCHAR') {
    const s = (v as string).trim();
    if (parseExact(s) !== null) return Number(s);
    const special = SPECIAL_FLOATS[s.toLowerCase()];
    if (special !== undefined) return special;
    throw cannot(v, from, 'DOUBLE', pos, 'not a number');
  }
  throw cannot(v, from, 'DOUBLE', pos);
}

function toDecimal(v: unknown, from: SqlType, to: CastTarget, pos: SourcePos | undefined): string {
  let d;
  if (isNumeric(from)) {
    if (typeof v === 'number' && !Number.isFinite(v)) throw cannot(v, from, 'DECIMAL', pos, 'not a finite number');
    d = toExact(v, pos);
  } else if (from === 'VARCHAR') {
    d = parseExact((v as string).trim());
    if (d === null) throw cannot(v, from, targetLabel(to), pos, 'not a number');
  } else {
    throw cannot(v, from, targetLabel(to), pos);
  }
  if (to.precision === undefined && to.scale === undefined) return formatExact(d);
  const scale = to.scale ?? 0;
  const precision = to.precision ?? DEFAULT_DECIMAL_PRECISION;
  const rounded = roundExact(d, scale);
  if (integerDigits(rounded) > precision - scale) {
    throw evalError(`Value ${formatExact(d)} is out of range for DECIMAL(${precision},${scale}): at most `
      + `${precision - scale} integer digits fit; use a larger precision`, pos);
  }
  return formatExact(rounded);
}

/** The text of a non-null value of any type. */
export function toVarchar(v: unknown, from: SqlType, pos: SourcePos | undefined): string {
  switch (from) {
    case 'BOOLEAN': return v ? 'TRUE' : 'FALSE';
    case 'VARBINARY':
      try {
        return UTF8_DECODER.decode(v as Uint8Array);
      } catch {
        throw cannot(v, from, 'VARCHAR', pos, 'the bytes are not valid UTF-8');
      }
    case 'REAL': return formatReal(v as number);
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/** The shortest text that reads back as the same 32-bit float (Math.fround(0.1) prints '0.1', not its double). */
function formatReal(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

function truncateChars(s: string, length: number | undefined): string {
  if (length === undefined || s.length <= length) return s;
  if (codePointCount(s) <= length) return s;
  let end = 0;
  for (let n = 0; n < length; n++) end += s.codePointAt(end)! > 0xffff ? 2 : 1;
  return s.slice(0, end);
}

function toVarbinary(v: unknown, from: SqlType, pos: SourcePos | undefined): Uint8Array {
  if (from === 'VARBINARY') return v as Uint8Array;
  if (from === 'VARCHAR') return UTF8_ENCODER.encode(v as string);
  throw cannot(v, from, 'VARBINARY', pos);
}

function truncateBytes(b: Uint8Array, length: number | undefined): Uint8Array {
  return length === undefined || b.length <= length ? b : b.slice(0, length);
}

function toDate(v: unknown, from: SqlType, pos: SourcePos | undefined): string {
  if (from === 'DATE') return v as string;
  if (from === 'TIMESTAMP') return (v as string).slice(0, 10);
  if (from === 'VARCHAR') {
    const s = (v as string).trim();
    if (dateDays(s) === dateDays(s)) return s;
    throw cannot(v, from, 'DATE', pos, "write it as 'YYYY-MM-DD' (years 0001..9999)");
  }
  throw cannot(v, from, 'DATE', pos);
}

function toTime(v: unknown, from: SqlType, pos: SourcePos | undefined): string {
  if (from === 'TIME') return v as string;
  if (from === 'TIMESTAMP') return (v as string).slice(11);
  if (from === 'VARCHAR') {
    const nanos = timeNanos((v as string).trim());
    if (nanos === nanos) return formatTime(nanos);
    throw cannot(v, from, 'TIME', pos, "write it as 'HH:MM:SS[.fffffffff]'");
  }
  throw cannot(v, from, 'TIME', pos);
}

/** A TIMESTAMP string (a space or 'T' between date and time) made canonical; null when it is not one. */
export function canonicalTimestamp(text: string): string | null {
  const s = text.charCodeAt(10) === 32 ? `${text.slice(0, 10)}T${text.slice(11)}` : text;
  const days = timestampDays(s);
  return days === days ? `${s.slice(0, 10)}T${formatTime(timestampNanos(s))}` : null;
}

function toTimestamp(v: unknown, from: SqlType, pos: SourcePos | undefined): string {
  if (from === 'TIMESTAMP') return v as string;
  if (from === 'DATE') return `${v as string}T00:00:00`;
  if (from === 'VARCHAR') {
    const s = canonicalTimestamp((v as string).trim());
    if (s !== null) return s;
    throw cannot(v, from, 'TIMESTAMP', pos, "write it as 'YYYY-MM-DD HH:MM:SS[.fffffffff]' (years 0001..9999)");
  }
  throw cannot(v, from, 'TIMESTAMP', pos);
}

/** Keeps at most `digits` fraction digits of a canonical TIME/TIMESTAMP string (canonical again: no trailing zeros). */
function truncateFraction(s: string, digits: number | undefined): string {
  if (digits === undefined) return s;
  const dot = s.lastIndexOf('.');
  if (dot < 0 || s.length - dot - 1 <= digits) return s;
  let end = dot + 1 + digits;
  while (end > dot + 1 && s.charCodeAt(end - 1) === 48) end--;
  return end === dot + 1 ? s.slice(0, dot) : s.slice(0, end);
}

function toUuid(v: unknown, from: SqlType, pos: SourcePos | undefined): string {
  if (from === 'UUID') return v as string;
  if (from === 'VARCHAR') {
    const s = (v as string).trim();
    if (UUID_PATTERN.test(s)) return s.toLowerCase();
    throw cannot(v, from, 'UUID', pos, 'write it as 8-4-4-4-12 hex digits');
  }
  throw cannot(v, from, 'UUID', pos);
}
