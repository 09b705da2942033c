/**
 * Index key values of the reference engine: validation, normalisation and the §6.1 order.
 *
 * JS values per column type: INT8/INT16/INT32 integer number, INT64 and TIMESTAMP bigint, FLOAT/DOUBLE number,
 * DECIMAL string ('-12.345'), BOOLEAN boolean, UUID string, STRING string, BYTES Uint8Array, DATE 'YYYY-MM-DD',
 * TIME 'HH:MM:SS[.fffffffff]', DATETIME 'YYYY-MM-DDTHH:MM:SS[.fffffffff]'; null where the column is nullable.
 *
 * Order: integers, bigints, DECIMAL by numeric value; FLOAT/DOUBLE numerically with -0 = 0 (stored as 0) and one
 * NaN above +Infinity; BOOLEAN false < true; UUID by signed (msb, lsb); STRING by UTF-8 bytes; BYTES
 * unsigned, a shorter prefix first; DATE/TIME/DATETIME chronologically (trailing fractional zeros do not count).
 * Values equal in this order are the same key ('1.5' and '1.50'), for sorted and hash indexes alike.
 */
import { describeValue } from '../../../src/domain/shared/describe-value';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import type { ColumnType } from '../../../src/domain/storage/column-type';

export interface KeyColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** STRING: at most this many characters (Unicode code points); BYTES: bytes. Checked for keys, not for bounds. */
  readonly length?: number;
}

const INT_RANGES: Partial<Record<ColumnType, readonly [number, number]>> = {
  INT8: [-128, 127], INT16: [-32768, 32767], INT32: [-2147483648, 2147483647],
};
const LONG_MIN = -(1n << 63n);
const LONG_MAX = (1n << 63n) - 1n;
const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;
const utf8 = new TextEncoder();

function isValid(type: ColumnType, v: unknown): boolean {
  const range = INT_RANGES[type];
  if (range !== undefined) return Number.isInteger(v) && (v as number) >= range[0] && (v as number) <= range[1];
  switch (type) {
    case 'INT64': case 'TIMESTAMP': return typeof v === 'bigint' && v >= LONG_MIN && v <= LONG_MAX;
    case 'FLOAT': case 'DOUBLE': return typeof v === 'number';
    case 'DECIMAL': return typeof v === 'string' && DECIMAL_RE.test(v);
    case 'BOOLEAN': return typeof v === 'boolean';
    case 'UUID': return typeof v === 'string' && UUID_RE.test(v);
    case 'STRING': return typeof v === 'string';
    case 'BYTES': return v instanceof Uint8Array;
    case 'DATE': return typeof v === 'string' && DATE_RE.test(v);
    case 'TIME': return typeof v === 'string' && TIME_RE.test(v);
    case 'DATETIME': return typeof v === 'string' && DATETIME_RE.test(v);
    default: return false;
  }
}

/**
 * Checks a key (full: exactly one value per column) or a bound prefix (at most one per column) and returns a
 * copy in stored form (FLOAT rounded to float32, -0 as 0, UUID lower case, BYTES copied).
 */
export function checkKey(columns: readonly KeyColumn[], key: readonly unknown[], prefix: boolean): unknown[] {
  if (!Array.isArray(key)) throw new InvalidArgumentError('An index key must be an array of column values');
  if (prefix ? key.length > columns.length : key.length !== columns.length) {
    throw new InvalidArgumentError(
      `${prefix ? 'A bound' : 'A key'} of this index has ${prefix ? 'at most ' : ''}${columns.length} values, got ${key.length}`);
  }
  return key.map((v, i) => {
    const col = columns[i]!;
    if (v === null) {
      if (!col.nullable) throw new InvalidArgumentError(`Column ${col.name} is not nullable, got null`);
      return null;
    }
    if (!isValid(col.type, v)) throw new InvalidArgumentError(`Column ${col.name} (${col.type}) cannot hold ${describeValue(v)}`);
    if (!prefix && col.length !== undefined && (col.type === 'STRING' || col.type === 'BYTES') && lengthOf(v as string | Uint8Array) > col.length) {
      throw new InvalidArgumentError(`Column ${col.name} (${col.type}) has a declared column length of ${col.length}, got a longer value`);
    }
    if (col.type === 'FLOAT' || col.type === 'DOUBLE') {
      const n = col.type === 'FLOAT' ? Math.fround(v as number) : (v as number);
      return n === 0 ? 0 : n;
    }
    if (col.type === 'UUID') return (v as string).toLowerCase();
    if (col.type === 'BYTES') return (v as Uint8Array).slice();
    return v;
  });
}

/** STRING: Unicode code points (a lone surrogate counts as one); BYTES: bytes. */
const lengthOf = (v: string | Uint8Array): number => (typeof v === 'string' ? Array.from(v).length : v.length);

const sign = (d: number): number => (d < 0 ? -1 : d > 0 ? 1 : 0);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return sign(a.length - b.length);
}

/** Numeric order, -0 = 0, NaN after +Infinity and equal to itself. */
function compareDouble(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** '-007.500' → { negative: true, int: '7', frac: '5' }; zero is never negative. */
function splitDecimal(s: string): { negative: boolean; int: string; frac: string } {
  const negative = s.startsWith('-');
  const [intPart = '', fracPart = ''] = (negative ? s.slice(1) : s).split('.');
  const int = intPart.replace(/^0+/, '');
  const frac = fracPart.replace(/0+$/, '');
  return { negative: negative && (int !== '' || frac !== ''), int, frac };
}

function compareMagnitude(a: { int: string; frac: string }, b: { int: string; frac: string }): number {
  if (a.int.length !== b.int.length) return sign(a.int.length - b.int.length);
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  return a.frac === b.frac ? 0 : a.frac < b.frac ? -1 : 1;
}

function compareDecimal(a: string, b: string): number {
  const x = splitDecimal(a);
  const y = splitDecimal(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const m = compareMagnitude(x, y);
  return x.negative ? -m : m;
}

function uuidHalves(s: string): [bigint, bigint] {
  const hex = s.replace(/-/g, '');
  return [BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)), BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`))];
}

function compareBigint(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** '12:00:00.500' → '12:00:00.5', '12:00:00.000' → '12:00:00'. */
export function trimFraction(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Compares two non-null values of one column type, ascending. */
export function compareValues(type: ColumnType, a: unknown, b: unknown): number {
  switch (type) {
    case 'INT8': case 'INT16': case 'INT32': return sign((a as number) - (b as number));
    case 'INT64': case 'TIMESTAMP': return compareBigint(a as bigint, b as bigint);
    case 'FLOAT': case 'DOUBLE': return compareDouble(a as number, b as number);
    case 'DECIMAL': return compareDecimal(a as string, b as string);
    case 'BOOLEAN': return a === b ? 0 : a ? 1 : -1;
    case 'UUID': {
      const [am, al] = uuidHalves(a as string);
      const [bm, bl] = uuidHalves(b as string);
      return compareBigint(am, bm) || compareBigint(al, bl);
    }
    case 'STRING': return compareBytes(utf8.encode(a as string), utf8.encode(b as string));
    case 'BYTES': return compareBytes(a as Uint8Array, b as Uint8Array);
    case 'DATE': case 'TIME': case 'DATETIME': {
      const x = trimFraction(a as string);
      const y = trimFraction(b as string);
      return x === y ? 0 : x < y ? -1 : 1;
    }
  }
}

/** A text form equal for equal values (the hash index's map key). */
export function canonicalValue(type: ColumnType, v: unknown): string {
  if (v === null) return 'null';
  switch (type) {
    case 'INT64': case 'TIMESTAMP': return `${v as bigint}n`;
    case 'FLOAT': case 'DOUBLE': return String(v === 0 ? 0 : v);
    case 'DECIMAL': {
      const d = splitDecimal(v as string);
      return `${d.negative ? '-' : ''}${d.int || '0'}.${d.frac}`;
    }
    case 'BYTES': return Array.from(v as Uint8Array, (b) => b.toString(16).padStart(2, '0')).join('');
    case 'DATE': case 'TIME': case 'DATETIME': return trimFraction(v as string);
    default: return JSON.stringify(v);
  }
}
