/**
 * + − × ÷ % and unary minus on numeric values. Decisions (DESIGN.md §9 fixes integer division):
 *
 * - result type: the wider operand type (TINYINT < SMALLINT < INT < BIGINT < DECIMAL < REAL < DOUBLE), at least INT
 *   (TINYINT + TINYINT is INT, as in PostgreSQL's promotion of small integers); INT op INT is INT, as in
 *   Ignite 3 / Calcite: a result outside the type's range is an error ("out of range"), never wrapped or widened;
 * - integer ÷ integer truncates toward zero (-7 / 2 = -3); % takes the dividend's sign (-7 % 2 = -1);
 * - division or % by zero is an error for every type (DOUBLE too: no Infinity or NaN results);
 * - DECIMAL is exact: + and − at scale max(s1, s2), × at s1 + s2, % at max(s1, s2); ÷ rounds HALF_UP to scale
 *   max(6, s1 + p2 + 1) (Calcite's rule), where s1 is the dividend's scale and p2 the divisor's digit count (integers
 *   are DECIMALs of scale 0): 1.0 / 3 = 0.333333, 10.00 / 4 = 2.500000;
 * - DECIMAL with REAL or DOUBLE is computed in binary floating point; REAL results are rounded to 32-bit floats.
 */
import type { SourcePos } from '../ast';
import type { ValueType } from '../semantics';
import { evalError } from './eval-errors';
import {
  addExact, digitCount, divideExact, type ExactDecimal, formatExact, multiplyExact, negateExact, remainderExact,
  subtractExact,
} from './exact-decimal';
import { checkBigint, checkNumberInteger, toBig, toDouble, toExact } from './numeric-values';
import { effectiveType, isNumeric, type NumericType, widerNumeric } from './value-types';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type BinaryFn = (a: unknown, b: unknown) => unknown;
type ResultType = 'INT' | 'BIGINT' | 'DECIMAL' | 'REAL' | 'DOUBLE';

/** The static result type of `l op r` for numeric l and r. */
export function arithmeticType(l: NumericType, r: NumericType): ResultType {
  const t = widerNumeric(l, r);
  return t === 'TINYINT' || t === 'SMALLINT' ? 'INT' : t;
}

function divisionByZero(pos: SourcePos | undefined): Error {
  return evalError('Division by zero', pos);
}

function intFn(op: ArithmeticOperator, pos: SourcePos | undefined): BinaryFn {
  const check = (r: number): number => checkNumberInteger(r, 'INT', pos);
  switch (op) {
    case '+': return (a, b) => check((a as number) + (b as number));
    case '-': return (a, b) => check((a as number) - (b as number));
    case '*': return (a, b) => check((a as number) * (b as number));
    case '/': return (a, b) => {
      if (b === 0) throw divisionByZero(pos);
      return check(Math.trunc((a as number) / (b as number)));
    };
    case '%': return (a, b) => {
      if (b === 0) throw divisionByZero(pos);
      return ((a as number) % (b as number)) + 0;
    };
  }
}

function bigintFn(op: ArithmeticOperator, pos: SourcePos | undefined): BinaryFn {
  switch (op) {
    case '+': return (a, b) => checkBigint(toBig(a, pos) + toBig(b, pos), pos);
    case '-': return (a, b) => checkBigint(toBig(a, pos) - toBig(b, pos), pos);
    case '*': return (a, b) => checkBigint(toBig(a, pos) * toBig(b, pos), pos);
    case '/': return (a, b) => {
      const y = toBig(b, pos);
      if (y === 0n) throw divisionByZero(pos);
      return checkBigint(toBig(a, pos) / y, pos);
    };
    case '%': return (a, b) => {
      const y = toBig(b, pos);
      if (y === 0n) throw divisionByZero(pos);
      return toBig(a, pos) % y;
    };
  }
}

/** The DECIMAL quotient's scale: max(6, s1 + p2 + 1). */
export function divisionScale(dividend: ExactDecimal, divisor: ExactDecimal): number {
  const s = dividend.scale + digitCount(divisor) + 1;
  return s > 6 ? s : 6;
}

function decimalFn(op: ArithmeticOperator, pos: SourcePos | undefined): BinaryFn {
  switch (op) {
    case '+': return (a, b) => formatExact(addExact(toExact(a, pos), toExact(b, pos)));
    case '-': return (a, b) => formatExact(subtractExact(toExact(a, pos), toExact(b, pos)));
    case '*': return (a, b) => formatExact(multiplyExact(toExact(a, pos), toExact(b, pos)));
    case '/': return (a, b) => {
      const x = toExact(a, pos);
      const y = toExact(b, pos);
      if (y.unscaled === 0n) throw divisionByZero(pos);
      return formatExact(divideExact(x, y, divisionScale(x, y)));
    };
    case '%': return (a, b) => {
      const y = toExact(b, pos);
      if (y.unscaled === 0n) throw divisionByZero(pos);
      return formatExact(remainderExact(toExact(a, pos), y));
    };
  }
}

function floatFn(op: ArithmeticOperator, real: boolean, pos: SourcePos | undefined): BinaryFn {
  const f = real ? Math.fround : (x: number): number => x;
  switch (op) {
    case '+': return (a, b) => f(toDouble(a, pos) + toDouble(b, pos));
    case '-': return (a, b) => f(toDouble(a, pos) - toDouble(b, pos));
    case '*': return (a, b) => f(toDouble(a, pos) * toDouble(b, pos));
    case '/': return (a, b) => {
      const y = toDouble(b, pos);
      if (y === 0) throw divisionByZero(pos);
      return f(toDouble(a, pos) / y);
    };
    case '%': return (a, b) => {
      const y = toDouble(b, pos);
      if (y === 0) throw divisionByZero(pos);
      return f(toDouble(a, pos) % y);
    };
  }
}

/** `op` for operands already known to give `type` (see arithmeticType); operands may be any numeric representation. */
export function arithmeticFn(op: ArithmeticOperator, type: ResultType, pos: SourcePos | undefined): BinaryFn {
  switch (type) {
    case 'INT': return intFn(op, pos);
    case 'BIGINT': return bigintFn(op, pos);
    case 'DECIMAL': return decimalFn(op, pos);
    case 'REAL': return floatFn(op, true, pos);
    case 'DOUBLE': return floatFn(op, false, pos);
  }
}

/**
 * The numeric type of an operand value whose static type is 'NULL' (a parameter): by its JS type, a string being
 * read as a DECIMAL (the table API's DECIMAL values are strings). Non-numeric values are refused.
 */
export function operandType(v: unknown, staticType: ValueType, op: string, pos: SourcePos | undefined): NumericType {
  const t = effectiveType(v, staticType, pos);
  if (isNumeric(t)) return t;
  if (t === 'VARCHAR') return 'DECIMAL';
  throw evalError(`Operator ${op} needs numbers, got a ${t} value`, pos);
}

/** `op` when one operand's type is known only at run time: the result type is chosen per row. */
export function dynamicArithmeticFn(op: ArithmeticOperator, lt: ValueType, rt: ValueType, pos: SourcePos | undefined): BinaryFn {
  const fns: Record<ResultType, BinaryFn> = {
    INT: intFn(op, pos), BIGINT: bigintFn(op, pos), DECIMAL: decimalFn(op, pos),
    REAL: floatFn(op, true, pos), DOUBLE: floatFn(op, false, pos),
  };
  return (a, b) => fns[arithmeticType(operandType(a, lt, op, pos), operandType(b, rt, op, pos))](a, b);
}

/** Unary minus for a value of result type `type` (small integers are negated as INT). */
export function negateFn(type: ResultType, pos: SourcePos | undefined): (v: unknown) => unknown {
  switch (type) {
    case 'INT': return (v) => checkNumberInteger(-(v as number), 'INT', pos);
    case 'BIGINT': return (v) => checkBigint(-toBig(v, pos), pos);
    case 'DECIMAL': return (v) => formatExact(negateExact(toExact(v, pos)));
    case 'REAL': case 'DOUBLE': return (v) => -toDouble(v, pos);
  }
}
