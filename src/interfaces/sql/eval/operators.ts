/**
 * Compiled value operators: arithmetic (arithmetic.ts decides the types), unary minus, `||` and CAST. A null operand
 * gives null. When every operand's static type is known, the operation is chosen once; a parameter operand (static
 * type 'NULL') makes the result type 'NULL' and the operation is chosen per row from the value's JS type.
 */
import type { SqlType } from '../../../domain/table/table-schema';
import type { DataType, SourcePos } from '../ast';
import type { CompiledExpression, ValueType } from '../semantics';
import {
  arithmeticFn, type ArithmeticOperator, arithmeticType, dynamicArithmeticFn, negateFn, operandType,
} from './arithmetic';
import { castValue, type CastTarget, toVarchar } from './cast';
import { evalError } from './eval-errors';
import { effectiveType, isIntegerType, isNumeric, type NumericType } from './value-types';

function requireNumeric(c: CompiledExpression, op: string, pos: SourcePos): void {
  if (c.type !== 'NULL' && !isNumeric(c.type)) {
    throw evalError(`Operator ${op} needs numbers, got ${c.type}; CAST the operand to a numeric type`, pos);
  }
}

/** A static DECIMAL result scale where it is fixed by the operands' scales (integers have scale 0). */
function resultScale(op: ArithmeticOperator, l: CompiledExpression, r: CompiledExpression): number | undefined {
  const ls = isIntegerType(l.type) ? 0 : l.scale;
  const rs = isIntegerType(r.type) ? 0 : r.scale;
  if (ls === undefined || rs === undefined || op === '/') return undefined;
  return op === '*' ? ls + rs : Math.max(ls, rs);
}

export function compileArithmetic(op: ArithmeticOperator, l: CompiledExpression, r: CompiledExpression, pos: SourcePos): CompiledExpression {
  requireNumeric(l, op, pos);
  requireNumeric(r, op, pos);
  let type: SqlType | 'NULL' = 'NULL';
  let scale: number | undefined;
  let fn;
  if (l.type !== 'NULL' && r.type !== 'NULL') {
    type = arithmeticType(l.type as NumericType, r.type as NumericType);
    fn = arithmeticFn(op, type, pos);
    if (type === 'DECIMAL') scale = resultScale(op, l, r);
  } else if ((l.type !== 'NULL' && !isIntegerType(l.type)) || (r.type !== 'NULL' && !isIntegerType(r.type))) {
    ({ type, fn } = withParameter(op, l, r, pos));
  } else {
    fn = dynamicArithmeticFn(op, l.type, r.type, pos);
  }
  return {
    type,
    ...(scale === undefined ? {} : { scale }),
    evaluate: (row, params, outer) => {
      const a = l.evaluate(row, params, outer);
      if (a === null) return null;
      const b = r.evaluate(row, params, outer);
      return b === null ? null : fn(a, b);
    },
  };
}

/**
 * `col op ?` with a DECIMAL, REAL or DOUBLE operand: the parameter takes that operand's type, as in Calcite (its value
 * is cast to it: an integer or a fraction fits any of them), so the expression has a static type that ORDER BY,
 * MIN/MAX, CASE and COALESCE can use. Against an integer operand the type stays the value's own (a fraction must not
 * be rounded), chosen per row: the expression is dynamic, and a CASE / COALESCE over it stays so (param-typing.ts).
 */
function withParameter(
  op: ArithmeticOperator, l: CompiledExpression, r: CompiledExpression, pos: SourcePos,
): { type: SqlType; fn: (a: unknown, b: unknown) => unknown } {
  const type = (l.type !== 'NULL' ? l.type : r.type) as NumericType;
  const exact = arithmeticFn(op, type as ReturnType<typeof arithmeticType>, pos);
  const to = (v: unknown, t: ValueType): unknown => castValue(v, effectiveType(v, t, pos), { type }, pos);
  return { type, fn: (a, b) => exact(to(a, l.type), to(b, r.type)) };
}

export function compileNegate(c: CompiledExpression, pos: SourcePos): CompiledExpression {
  requireNumeric(c, '-', pos);
  if (c.type === 'NULL') {
    const negators = {
      INT: negateFn('INT', pos), BIGINT: negateFn('BIGINT', pos), DECIMAL: negateFn('DECIMAL', pos),
      REAL: negateFn('REAL', pos), DOUBLE: negateFn('DOUBLE', pos),
    };
    return {
      type: 'NULL',
      evaluate: (row, params, outer) => {
        const v = c.evaluate(row, params, outer);
        return v === null ? null : negators[arithmeticType(operandType(v, 'NULL', '-', pos), 'INT')](v);
      },
    };
  }
  const type = arithmeticType(c.type as NumericType, 'INT');
  const negate = negateFn(type, pos);
  return {
    type, precision: c.precision, scale: c.scale,
    evaluate: (row, params, outer) => {
      const v = c.evaluate(row, params, outer);
      return v === null ? null : negate(v);
    },
  };
}

/** `a || b`: VARBINARY when both are VARBINARY, else VARCHAR (other values as CAST to VARCHAR writes them). */
export function compileConcat(l: CompiledExpression, r: CompiledExpression, pos: SourcePos): CompiledExpression {
  if (l.type === 'VARBINARY' && r.type === 'VARBINARY') {
    return {
      type: 'VARBINARY',
      evaluate: (row, params, outer) => {
        const a = l.evaluate(row, params, outer) as Uint8Array | null;
        if (a === null) return null;
        const b = r.evaluate(row, params, outer) as Uint8Array | null;
        if (b === null) return null;
        const out = new Uint8Array(a.length + b.length);
        out.set(a);
        out.set(b, a.length);
        return out;
      },
    };
  }
  const lt = l.type;
  const rt = r.type;
  return {
    type: 'VARCHAR',
    evaluate: (row, params, outer) => {
      const a = l.evaluate(row, params, outer);
      if (a === null) return null;
      const b = r.evaluate(row, params, outer);
      if (b === null) return null;
      const x = typeof a === 'string' ? a : toVarchar(a, effectiveType(a, lt, pos), pos);
      const y = typeof b === 'string' ? b : toVarchar(b, effectiveType(b, rt, pos), pos);
      return x + y;
    },
  };
}

export function compileCast(c: CompiledExpression, to: DataType, pos: SourcePos): CompiledExpression {
  const target: CastTarget = { type: to.type, length: to.length, precision: to.precision, scale: to.scale };
  const scale = to.type === 'DECIMAL' && to.precision !== undefined ? to.scale ?? 0 : undefined;
  const typing = { type: to.type, precision: to.precision, scale };
  if (c.type === to.type && to.length === undefined && to.precision === undefined) return { ...typing, evaluate: c.evaluate };
  const from = c.type;
  return {
    ...typing,
    evaluate: (row, params, outer) => {
      const v = c.evaluate(row, params, outer);
      return v === null ? null : castValue(v, effectiveType(v, from, pos), target, pos);
    },
  };
}
