/**
 * Scalar functions by name (case-insensitive): COALESCE, NULLIF, ABS, MOD, ROUND, FLOOR, CEIL/CEILING, LOWER, UPPER,
 * LENGTH/CHAR_LENGTH/CHARACTER_LENGTH, SUBSTRING/SUBSTR, TRIM/LTRIM/RTRIM. A null argument gives null (except in
 * COALESCE/NULLIF). Decisions:
 *
 * - ROUND rounds HALF_UP (away from zero on a tie), exactly (a DOUBLE by its decimal text: ROUND(1.005e0, 2) = 1.01);
 *   ROUND(x, n) with n < 0 rounds to tens, hundreds…; the result keeps x's type (DECIMAL at scale max(n, 0));
 * - FLOOR/CEIL of a DECIMAL is a DECIMAL of scale 0; of an integer, the integer; ABS keeps the type (ABS of the
 *   type's minimum is "out of range");
 * - lengths and SUBSTRING positions count characters (code points), 1-based as in SQL: SUBSTRING(s, 0, 2) is the
 *   first character; a negative length is an error; LENGTH of a VARBINARY counts bytes;
 * - TRIM removes spaces (U+0020) only, as SQL's TRIM(BOTH ' ' FROM s); LOWER/UPPER use Unicode default case mapping.
 */
import { codePointCount } from '../../../domain/table/value-normalizers';
import type { FunctionCall, SourcePos } from '../ast';
import type { CompiledExpression, ValueType } from '../semantics';
import { compileCoalesce, compileNullif } from './conditional';
import { evalError } from './eval-errors';
import { exactOfNumber, exactToNumber, floorOrCeilExact, formatExact, negateExact, roundExact } from './exact-decimal';
import { compileArithmetic } from './operators';
import { bigToInteger, checkBigint, checkNumberInteger, type NumberIntegerType, toBig, toExact } from './numeric-values';
import { effectiveType, isIntegerType, isNumeric, type NumericType } from './value-types';

type Compile = (e: FunctionCall['args'][number]) => CompiledExpression;

const FUNCTION_NAMES = [
  'ABS', 'CEIL', 'CEILING', 'CHARACTER_LENGTH', 'CHAR_LENGTH', 'COALESCE', 'FLOOR', 'LENGTH', 'LOWER', 'LTRIM', 'MOD',
  'NULLIF', 'ROUND', 'RTRIM', 'SUBSTR', 'SUBSTRING', 'TRIM', 'UPPER',
];

export function compileFunction(call: FunctionCall, compile: Compile): CompiledExpression {
  const name = call.name.name.toUpperCase();
  const args = call.args.map(compile);
  const pos = call.pos;
  const arity = (min: number, max = min): void => {
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : `${min} to ${max}`;
      throw evalError(`${name} takes ${expected} argument${max === 1 ? '' : 's'}, got ${args.length}`, pos);
    }
  };
  switch (name) {
    case 'COALESCE': return compileCoalesce(args, pos);
    case 'NULLIF': return compileNullif(args, pos);
    case 'MOD': arity(2); return compileArithmetic('%', args[0]!, args[1]!, pos);
    case 'ABS': arity(1); return numericFunction(name, args[0]!, pos, absOf);
    case 'FLOOR': arity(1); return numericFunction(name, args[0]!, pos, (v, t, p) => floorOrCeil(v, t, false, p), 0);
    case 'CEIL': case 'CEILING':
      arity(1); return numericFunction(name, args[0]!, pos, (v, t, p) => floorOrCeil(v, t, true, p), 0);
    case 'ROUND': arity(1, 2); return compileRound(args[0]!, args[1], pos);
    case 'LOWER': arity(1); return stringFunction(name, args, pos, (s) => s.toLowerCase());
    case 'UPPER': arity(1); return stringFunction(name, args, pos, (s) => s.toUpperCase());
    case 'TRIM': arity(1); return stringFunction(name, args, pos, (s) => trimSpaces(s, true, true));
    case 'LTRIM': arity(1); return stringFunction(name, args, pos, (s) => trimSpaces(s, true, false));
    case 'RTRIM': arity(1); return stringFunction(name, args, pos, (s) => trimSpaces(s, false, true));
    case 'LENGTH': case 'CHAR_LENGTH': case 'CHARACTER_LENGTH': arity(1); return compileLength(name, args[0]!, pos);
    case 'SUBSTRING': case 'SUBSTR': arity(2, 3); return compileSubstring(name, args, pos);
    default:
      throw evalError(`Unknown function ${call.name.name}(…); the functions are ${FUNCTION_NAMES.join(', ')} `
        + 'and the aggregates COUNT, SUM, AVG, MIN, MAX', pos);
  }
}

type NumericOp = (v: unknown, type: NumericType, pos: SourcePos) => unknown;

/** f(x) of a numeric x, keeping x's type (`scale` is the static DECIMAL result scale when fixed). */
function numericFunction(name: string, x: CompiledExpression, pos: SourcePos, f: NumericOp, scale?: number): CompiledExpression {
  if (x.type !== 'NULL' && !isNumeric(x.type)) throw evalError(`${name} needs a number, got ${x.type}`, pos);
  const from = x.type;
  return {
    type: from, precision: x.precision, scale: from === 'DECIMAL' ? scale ?? x.scale : undefined,
    evaluate: (row, params, outer) => {
      const v = x.evaluate(row, params, outer);
      return v === null ? null : f(v, numericType(v, from, name, pos), pos);
    },
  };
}

function numericType(v: unknown, t: ValueType, name: string, pos: SourcePos): NumericType {
  const e = effectiveType(v, t, pos);
  if (isNumeric(e)) return e;
  if (e === 'VARCHAR') return 'DECIMAL';
  throw evalError(`${name} needs a number, got a ${e} value`, pos);
}

function absOf(v: unknown, type: NumericType, pos: SourcePos): unknown {
  switch (type) {
    case 'BIGINT': {
      const b = toBig(v, pos);
      return checkBigint(b < 0n ? -b : b, pos);
    }
    case 'DECIMAL': {
      const d = toExact(v, pos);
      return formatExact(d.unscaled < 0n ? negateExact(d) : d);
    }
    case 'REAL': case 'DOUBLE': return Math.abs(v as number);
    default: return checkNumberInteger(Math.abs(v as number), type as NumberIntegerType, pos);
  }
}

function floorOrCeil(v: unknown, type: NumericType, up: boolean, pos: SourcePos): unknown {
  if (isIntegerType(type)) return v;
  if (type === 'DECIMAL') return formatExact(floorOrCeilExact(toExact(v, pos), up));
  return (up ? Math.ceil(v as number) : Math.floor(v as number)) + 0;
}

/** x rounded HALF_UP to `digits` fraction digits, in x's type. */
function roundValue(v: unknown, type: NumericType, digits: number, pos: SourcePos): unknown {
  if (isIntegerType(type)) {
    if (digits >= 0) return v;
    return bigToInteger(roundExact(toExact(v, pos), digits).unscaled, type, pos);
  }
  if (type === 'DECIMAL') return formatExact(roundExact(toExact(v, pos), digits));
  const d = exactOfNumber(v as number);
  if (d === null) return v;
  const r = exactToNumber(roundExact(d, digits));
  return type === 'REAL' ? Math.fround(r) : r;
}

function compileRound(x: CompiledExpression, n: CompiledExpression | undefined, pos: SourcePos): CompiledExpression {
  if (n === undefined) return numericFunction('ROUND', x, pos, (v, t, p) => roundValue(v, t, 0, p), 0);
  if (n.type !== 'NULL' && !isIntegerType(n.type)) throw evalError(`ROUND needs an integer number of digits, got ${n.type}`, pos);
  const inner = numericFunction('ROUND', x, pos, (v) => v);
  const from = x.type;
  return {
    type: inner.type, precision: inner.precision,
    evaluate: (row, params, outer) => {
      const v = x.evaluate(row, params, outer);
      if (v === null) return null;
      const digits = n.evaluate(row, params, outer);
      if (digits === null) return null;
      const d = Number(toBig(digits, pos));
      if (Math.abs(d) > 1000) throw evalError(`ROUND digits ${d} is out of range -1000..1000`, pos);
      return roundValue(v, numericType(v, from, 'ROUND', pos), d, pos);
    },
  };
}

function stringFunction(name: string, args: readonly CompiledExpression[], pos: SourcePos, f: (s: string) => string): CompiledExpression {
  const s = stringArgument(name, args[0]!, pos);
  return {
    type: 'VARCHAR',
    evaluate: (row, params, outer) => {
      const v = s(row, params, outer);
      return v === null ? null : f(v as string);
    },
  };
}

function stringArgument(name: string, c: CompiledExpression, pos: SourcePos): CompiledExpression['evaluate'] {
  if (c.type === 'VARCHAR') return c.evaluate;
  if (c.type !== 'NULL') throw evalError(`${name} needs a VARCHAR argument, got ${c.type}; CAST it to VARCHAR`, pos);
  return (row, params, outer) => {
    const v = c.evaluate(row, params, outer);
    if (v !== null && typeof v !== 'string') throw evalError(`${name} needs a VARCHAR argument, got ${String(v)}`, pos);
    return v;
  };
}

function trimSpaces(s: string, start: boolean, end: boolean): string {
  let i = 0;
  let j = s.length;
  if (start) while (i < j && s.charCodeAt(i) === 32) i++;
  if (end) while (j > i && s.charCodeAt(j - 1) === 32) j--;
  return i === 0 && j === s.length ? s : s.slice(i, j);
}

function compileLength(name: string, c: CompiledExpression, pos: SourcePos): CompiledExpression {
  if (c.type !== 'NULL' && c.type !== 'VARCHAR' && c.type !== 'VARBINARY') {
    throw evalError(`${name} needs a VARCHAR or VARBINARY argument, got ${c.type}`, pos);
  }
  return {
    type: 'INT',
    evaluate: (row, params, outer) => {
      const v = c.evaluate(row, params, outer);
      if (v === null) return null;
      if (typeof v === 'string') return codePointCount(v);
      if (v instanceof Uint8Array) return v.length;
      throw evalError(`${name} needs a VARCHAR or VARBINARY argument, got ${String(v)}`, pos);
    },
  };
}

function integerArgument(name: string, c: CompiledExpression, pos: SourcePos): void {
  if (c.type !== 'NULL' && !isIntegerType(c.type)) throw evalError(`${name} needs integer positions, got ${c.type}`, pos);
}

function compileSubstring(name: string, args: readonly CompiledExpression[], pos: SourcePos): CompiledExpression {
  const s = stringArgument(name, args[0]!, pos);
  const start = args[1]!;
  const length = args[2];
  integerArgument(name, start, pos);
  if (length !== undefined) integerArgument(name, length, pos);
  return {
    type: 'VARCHAR',
    evaluate: (row, params, outer) => {
      const v = s(row, params, outer);
      if (v === null) return null;
      const from = start.evaluate(row, params, outer);
      if (from === null) return null;
      const count = length === undefined ? undefined : length.evaluate(row, params, outer);
      if (count === null) return null;
      return substring(v as string, Number(toBig(from, pos)), count === undefined ? undefined : Number(toBig(count, pos)), name, pos);
    },
  };
}

/** Characters [start, start + length) of s, 1-based, clamped to the string (SQL's SUBSTRING). */
function substring(s: string, start: number, length: number | undefined, name: string, pos: SourcePos): string {
  if (length !== undefined && length < 0) throw evalError(`${name} needs a length ≥ 0, got ${length}`, pos);
  const end = length === undefined ? Infinity : start + length;
  const first = Math.max(start, 1) - 1;
  if (end - 1 <= first) return '';
  const chars = codePointCount(s) === s.length ? null : Array.from(s);
  if (chars === null) return s.slice(first, end === Infinity ? undefined : end - 1);
  return chars.slice(first, end === Infinity ? undefined : end - 1).join('');
}
