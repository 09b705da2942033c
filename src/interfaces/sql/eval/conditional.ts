/**
 * CASE (simple and searched), COALESCE and NULLIF. The result type of CASE and COALESCE is the common type of the
 * branches (value-types.ts `commonType`: the wider number, DATE with TIMESTAMP → TIMESTAMP, VARCHAR with a temporal,
 * UUID or BOOLEAN type → that type); each branch's value is converted to it (CASE WHEN … THEN 1 ELSE 2.5 END gives
 * DECIMAL '1' or '2.5'). A bare parameter takes that type and its value must fit it; a branch computed from a
 * parameter beside integer branches keeps its values' own type (param-typing.ts decides both). Branches without a
 * common type are an error. CASE without ELSE gives null when nothing matches; a WHEN condition that is null counts as
 * not true; a simple CASE compares with `=` (null never matches).
 */
import type { SourcePos } from '../ast';
import type { CompiledExpression } from '../semantics';
import { comparatorFor } from './compare';
import { evalError } from './eval-errors';
import { typeBranches, typelessOf } from './param-typing';
import { booleanOperand } from './predicates';

export interface CompiledWhen {
  readonly when: CompiledExpression;
  readonly then: CompiledExpression;
}

export function compileCase(
  operand: CompiledExpression | undefined, whens: readonly CompiledWhen[], otherwise: CompiledExpression | undefined, pos: SourcePos,
): CompiledExpression {
  const results = whens.map((w) => w.then).concat(otherwise === undefined ? [] : [otherwise]);
  const { type, scale, values } = typeBranches(results, 'CASE', pos);
  const thens = values.slice(0, whens.length);
  const elseOf = otherwise === undefined ? undefined : values[whens.length];
  const n = whens.length;
  const typing = { type, scale };
  if (operand === undefined) {
    const conditions = whens.map((w) => booleanOperand(w.when, 'CASE WHEN', pos));
    return typelessOf({
      ...typing,
      evaluate: (row, params, outer) => {
        for (let i = 0; i < n; i++) if (conditions[i]!(row, params, outer) === true) return thens[i]!(row, params, outer);
        return elseOf === undefined ? null : elseOf(row, params, outer);
      },
    }, results);
  }
  const comparators = whens.map((w) => comparatorFor(operand.type, w.when.type, pos));
  return typelessOf({
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
  }, results);
}

export function compileCoalesce(args: readonly CompiledExpression[], pos: SourcePos): CompiledExpression {
  if (args.length === 0) throw evalError('COALESCE takes at least one argument, got none', pos);
  const { type, scale, values } = typeBranches(args, 'COALESCE', pos);
  const n = values.length;
  return typelessOf({
    type, scale,
    evaluate: (row, params, outer) => {
      for (let i = 0; i < n; i++) {
        const v = values[i]!(row, params, outer);
        if (v !== null) return v;
      }
      return null;
    },
  }, args);
}

/** NULLIF(a, b): null when a = b, else a (a's type; typeless when a is). */
export function compileNullif(args: readonly CompiledExpression[], pos: SourcePos): CompiledExpression {
  if (args.length !== 2) throw evalError(`NULLIF takes 2 arguments, got ${args.length}`, pos);
  const [a, b] = args as [CompiledExpression, CompiledExpression];
  const compare = comparatorFor(a.type, b.type, pos);
  return typelessOf({
    type: a.type, precision: a.precision, scale: a.scale,
    evaluate: (row, params, outer) => {
      const x = a.evaluate(row, params, outer);
      if (x === null) return null;
      const y = b.evaluate(row, params, outer);
      return y !== null && compare(x, y) === 0 ? null : x;
    },
  }, [a]);
}
