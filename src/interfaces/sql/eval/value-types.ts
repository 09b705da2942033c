/**
 * Static and dynamic SQL types of values. A compiled expression has a static type; 'NULL' means "not known when
 * compiling" (a NULL literal, or a parameter, whose type is its value's): such a value's type is classified from its JS
 * type at run time (`dynamicType`), so parameters work whatever JS value is passed. Whether such an expression may
 * take its context's type (a bare parameter, a NULL) or has its values' own (`i - ?`) is param-typing.ts's decision.
 *
 * Numeric promotion (the wider of two operands): TINYINT < SMALLINT < INT < BIGINT < DECIMAL < REAL < DOUBLE.
 */
import type { SqlType } from '../../../domain/table/table-schema';
import type { SourcePos } from '../ast';
import type { ValueType } from '../semantics';
import { evalError } from './eval-errors';

export type NumericType = 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT' | 'DECIMAL' | 'REAL' | 'DOUBLE';

/** Families of mutually comparable types; VARCHAR also compares with every other family (the string is cast). */
export type TypeFamily = 'numeric' | 'string' | 'boolean' | 'binary' | 'date' | 'time' | 'timestamp' | 'uuid';

const RANK: Readonly<Record<NumericType, number>> = {
  TINYINT: 0, SMALLINT: 1, INT: 2, BIGINT: 3, DECIMAL: 4, REAL: 5, DOUBLE: 6,
};

const INT_MIN = -0x8000_0000;
const INT_MAX = 0x7fff_ffff;

export function isNumeric(t: ValueType): t is NumericType {
  return t in RANK;
}

/** TINYINT, SMALLINT, INT, BIGINT. */
export function isIntegerType(t: ValueType): boolean {
  return t === 'INT' || t === 'BIGINT' || t === 'SMALLINT' || t === 'TINYINT';
}

/** Types whose values are JS numbers. */
export function isNumberType(t: ValueType): boolean {
  return t === 'INT' || t === 'DOUBLE' || t === 'SMALLINT' || t === 'TINYINT' || t === 'REAL';
}

export function familyOf(t: SqlType): TypeFamily {
  switch (t) {
    case 'VARCHAR': return 'string';
    case 'BOOLEAN': return 'boolean';
    case 'VARBINARY': return 'binary';
    case 'DATE': return 'date';
    case 'TIME': return 'time';
    case 'TIMESTAMP': return 'timestamp';
    case 'UUID': return 'uuid';
    default: return 'numeric';
  }
}

/** The wider numeric type. */
export function widerNumeric(a: NumericType, b: NumericType): NumericType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The SQL type of a run-time value whose static type is not known: number → INT when a 32-bit integer, BIGINT when
 * another safe integer, else DOUBLE; bigint → BIGINT; string → VARCHAR; boolean; Uint8Array → VARBINARY.
 * Anything else (objects, undefined, symbols) is refused.
 */
export function dynamicType(v: unknown, pos?: SourcePos): SqlType {
  switch (typeof v) {
    case 'number':
      if (Number.isInteger(v)) {
        if (v >= INT_MIN && v <= INT_MAX) return 'INT';
        if (Number.isSafeInteger(v)) return 'BIGINT';
      }
      return 'DOUBLE';
    case 'bigint': return 'BIGINT';
    case 'string': return 'VARCHAR';
    case 'boolean': return 'BOOLEAN';
    default:
      if (v instanceof Uint8Array) return 'VARBINARY';
      throw evalError(`A value of JS type ${v === null ? 'null' : typeof v} has no SQL type; pass a number, bigint, `
        + 'string, boolean, Uint8Array or null', pos);
  }
}

/** The type of a value: its static type, or its dynamic one when the static type is 'NULL'. */
export function effectiveType(v: unknown, t: ValueType, pos?: SourcePos): SqlType {
  return t === 'NULL' ? dynamicType(v, pos) : t;
}

/**
 * The type that values of types a and b both convert to (CASE branches, COALESCE, IN lists): the wider numeric
 * type; DATE and TIMESTAMP → TIMESTAMP; VARCHAR and a temporal, UUID or BOOLEAN type → that type (the string is
 * cast); 'NULL' with X → X. Undefined when there is none.
 */
export function commonType(a: ValueType, b: ValueType): ValueType | undefined {
  if (a === b) return a;
  if (a === 'NULL') return b;
  if (b === 'NULL') return a;
  if (isNumeric(a) && isNumeric(b)) return widerNumeric(a, b);
  if ((a === 'DATE' && b === 'TIMESTAMP') || (a === 'TIMESTAMP' && b === 'DATE')) return 'TIMESTAMP';
  if (a === 'VARCHAR' && b !== 'VARBINARY' && !isNumeric(b)) return b;
  if (b === 'VARCHAR' && a !== 'VARBINARY' && !isNumeric(a)) return a;
  return undefined;
}

/** Whether values of the two types can be compared (=, <, IN, BETWEEN, CASE … WHEN). */
export function comparable(a: ValueType, b: ValueType): boolean {
  if (a === 'NULL' || b === 'NULL' || a === 'VARCHAR' || b === 'VARCHAR') return true;
  const fa = familyOf(a);
  const fb = familyOf(b);
  return fa === fb || ((fa === 'date' || fa === 'timestamp') && (fb === 'date' || fb === 'timestamp'));
}

