/**
 * CASE (simple and searched), COALESCE and NULLIF. The result type of CASE and COALESCE is the common type of the
 * branches (value-types.ts `commonType`: the wider number, DATE with TIMESTAMP → TIMESTAMP, VARCHAR with a temporal,
 * UUID or BOOLEAN type → that type); each branch's value is converted to it (CASE WHEN … THEN 1 ELSE 2.5 END gives
 * DECIMAL '1' or '2.5'). Branches without a common type are an error. CASE without ELSE gives null when nothing
 * matches; a WHEN condition that is null counts as not true; a simple CASE compares with `=` (null never matches).
 */
import type { SourcePos } from '../ast';
import type { CompiledExpression, ValueType } from '../semantics';
import { castValue } from './cast';
import { comparatorFor } from './compare';
import { evalError } from './eval-errors';
import { booleanOperand } from './predicates';
import { commonType, effectiveType } from './value-types';

type Evaluate = CompiledExpression['evaluate'];

/** The common type of the branches, or an error naming the first pair without one. */
export function unifyTypes(branches: readonly CompiledExpression[], what: string, pos: SourcePos): ValueType {
  let type: ValueType = 'NULL';
  for (const b of branches) {
    const next = commonType(type, b.type);
    if (next === undefined) throw evalError(`The values of ${what} have incompatible types ${type} and ${b.type}; CAST them to one type`, pos);
    type = next;
  }
  return type;
}

/** The branch's evaluator, converting its values to `type` when its own type differs. */
export function convertedTo(c: CompiledExpression, type: ValueType, pos: SourcePos): Evaluate {
  if (type === 'NULL' || c.type === type) return c.evaluate;
  const from = c.type;
  const target = { type };
  return (row, params, outer) => {
    const v = c.evaluate(row, params, outer);
    return v === null ? null : castValue(v, effectiveType(v, from, pos), target, pos);
  };
}

function scaleOf(branches: readonly CompiledExpression[], type: ValueType): number | undefined {
  if (type !== 'DECIMAL') return undefined;
  let scale = 0;
  for (const b of branches) {
    if (b.type === 'DECIMAL' && b.scale === undefined) return undefined;
    if (b.type === 'DECIMAL') scale = Math.max(scale, b.scale!);
  }
  return scale;
}

export interface CompiledWhen {
  readonly when: CompiledExpression;
  readonly then: CompiledExpression;
}

export function compileCase(
  operand: CompiledExpression | undefined, whens: readonly CompiledWhen[], otherwise: CompiledExpression | undefined, pos: SourcePos,
): CompiledExpression {
  const results = whens.map((w) => w.then).concat(otherwise === undefined ? [] : [otherwise]);
  const type = unifyTypes(results, 'CASE', pos);
  const thens = whens.map((w) => convertedTo(w.then, type, pos));
  const elseOf = otherwise === undefined ? undefined : convertedTo(otherwise, type, pos);
  const n = whens.length;
  const typing = { type, scale: scaleOf(results, type) };
  if (operand === undefined) {
    const conditions = whens.map((w) => booleanOperand(w.when, 'CASE WHEN', pos));
    return {
      ...typing,
      evaluate: (row, params, outer) => {
        for (let i = 0; i < n; i++) if (conditions[i]!(row, params, outer) === true) return thens[i]!(row, params, outer);
        return elseOf === undefined ? null : elseOf(row, params, outer);
      },
    };
  }
  const comparators = whens.map((w) => comparatorFor(operand.type, w.when.type, pos));
  return {
    ...typing,
    evaluate: (row, params, outer) => {
      const v = operand.evaluate(row, params, outer);
      if (v !== null) {
        for (let i = 0; i < n; i++) {
          const w = whens[i]!.when.evaluate(row, params, outer);
          if (w !== null && comparators[i]!(v, w) === 0) return thens[i]!(row, params, outer);
        }
      }
      return elseOf === undefined ? null : elseOf(row, params, outer);
    },
  };
}

export function compileCoalesce(args: readonly CompiledExpression[], pos: SourcePos): CompiledExpression {
  if (args.length === 0) throw evalError('COALESCE takes at least one argument, got none', pos);
  const type = unifyTypes(args, 'COALESCE', pos);
  const values = args.map((a) => convertedTo(a, type, pos));
  const n = values.length;
  return {
    type, scale: scaleOf(args, type),
    evaluate: (row, params, outer) => {
      for (let i = 0; i < n; i++) {
        const v = values[i]!(row, params, outer);
        if (v !== null) return v;
      }
      return null;
    },
  };
}

/** NULLIF(a, b): null when a = b, else a (a's type). */
export function compileNullif(args: readonly CompiledExpression[], pos: SourcePos): CompiledExpression {
  if (args.length !== 2) throw evalError(`NULLIF takes 2 arguments, got ${args.length}`, pos);
  const [a, b] = args as [CompiledExpression, CompiledExpression];
  const compare = comparatorFor(a.type, b.type, pos);
  return {
    type: a.type, precision: a.precision, scale: a.scale,
    evaluate: (row, params, outer) => {
      const x = a.evaluate(row, params, outer);
      if (x === null) return null;
      const y = b.evaluate(row, params, outer);
      return y !== null && compare(x, y) === 0 ? null : x;
    },
  };
}
