/**
 * Boolean-valued expressions with SQL's three-valued logic (null is "unknown"): AND, OR, NOT, comparisons, IS [NOT]
 * NULL, [NOT] BETWEEN, [NOT] IN (list or subquery), EXISTS, [NOT] LIKE. Any null operand of a comparison gives null;
 * `x IN (…)` is true on a match, else null when the operand or any item is null, else false (so `1 NOT IN (2, NULL)`
 * is null); against an empty subquery IN is false and NOT IN true whatever the operand.
 */
import type { ComparisonOperator, SourcePos } from '../ast';
import type { CompiledExpression, Params, ValueType } from '../semantics';
import { comparatorFor } from './compare';
import { evalError } from './eval-errors';
import { LikeMatcher } from './like-pattern';

type Evaluate = CompiledExpression['evaluate'];
type Outer = readonly (readonly unknown[])[] | undefined;

/** The evaluator of an operand that must be BOOLEAN (a parameter's value is checked per row). */
export function booleanOperand(c: CompiledExpression, what: string, pos: SourcePos | undefined): Evaluate {
  if (c.type === 'BOOLEAN') return c.evaluate;
  if (c.type !== 'NULL') throw evalError(`${what} needs a BOOLEAN operand, got ${c.type}`, pos);
  return (row, params, outer) => {
    const v = c.evaluate(row, params, outer);
    if (v !== null && typeof v !== 'boolean') throw evalError(`${what} needs a BOOLEAN operand, got ${String(v)}`, pos);
    return v;
  };
}

/** The evaluator of an operand that must be a string (VARCHAR). */
function stringOperand(c: CompiledExpression, what: string, pos: SourcePos | undefined): Evaluate {
  if (c.type === 'VARCHAR') return c.evaluate;
  if (c.type !== 'NULL') throw evalError(`${what} needs a VARCHAR operand, got ${c.type}; CAST it to VARCHAR`, pos);
  return (row, params, outer) => {
    const v = c.evaluate(row, params, outer);
    if (v !== null && typeof v !== 'string') throw evalError(`${what} needs a VARCHAR operand, got ${String(v)}`, pos);
    return v;
  };
}

function bool(evaluate: Evaluate): CompiledExpression {
  return { type: 'BOOLEAN', evaluate };
}

export function compileAnd(l: CompiledExpression, r: CompiledExpression, pos: SourcePos): CompiledExpression {
  const a = booleanOperand(l, 'AND', pos);
  const b = booleanOperand(r, 'AND', pos);
  return bool((row, params, outer) => {
    const x = a(row, params, outer);
    if (x === false) return false;
    const y = b(row, params, outer);
    if (y === false) return false;
    return x === null || y === null ? null : true;
  });
}

export function compileOr(l: CompiledExpression, r: CompiledExpression, pos: SourcePos): CompiledExpression {
  const a = booleanOperand(l, 'OR', pos);
  const b = booleanOperand(r, 'OR', pos);
  return bool((row, params, outer) => {
    const x = a(row, params, outer);
    if (x === true) return true;
    const y = b(row, params, outer);
    if (y === true) return true;
    return x === null || y === null ? null : false;
  });
}

export function compileNot(c: CompiledExpression, pos: SourcePos): CompiledExpression {
  const a = booleanOperand(c, 'NOT', pos);
  return bool((row, params, outer) => {
    const x = a(row, params, outer);
    return x === null ? null : !x;
  });
}

const TESTS: Readonly<Record<ComparisonOperator, (c: number) => boolean>> = {
  '=': (c) => c === 0, '<>': (c) => c !== 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0,
};

export function compileComparison(op: ComparisonOperator, l: CompiledExpression, r: CompiledExpression, pos: SourcePos): CompiledExpression {
  const compare = comparatorFor(l.type, r.type, pos);
  const test = TESTS[op];
  return bool((row, params, outer) => {
    const a = l.evaluate(row, params, outer);
    if (a === null) return null;
    const b = r.evaluate(row, params, outer);
    if (b === null) return null;
    return test(compare(a, b));
  });
}

export function compileIsNull(c: CompiledExpression, negated: boolean): CompiledExpression {
  return bool((row, params, outer) => (c.evaluate(row, params, outer) === null) !== negated);
}

export function compileBetween(
  operand: CompiledExpression, low: CompiledExpression, high: CompiledExpression, negated: boolean, pos: SourcePos,
): CompiledExpression {
  const compareLow = comparatorFor(operand.type, low.type, pos);
  const compareHigh = comparatorFor(operand.type, high.type, pos);
  return bool((row, params, outer) => {
    const v = operand.evaluate(row, params, outer);
    if (v === null) return null;
    const lo = low.evaluate(row, params, outer);
    const hi = high.evaluate(row, params, outer);
    const aboveLow = lo === null ? null : compareLow(v, lo) >= 0;
    const belowHigh = hi === null ? null : compareHigh(v, hi) <= 0;
    const inside = aboveLow === false || belowHigh === false ? false : aboveLow === null || belowHigh === null ? null : true;
    return inside === null ? null : inside !== negated;
  });
}

export function compileInList(operand: CompiledExpression, items: readonly CompiledExpression[], negated: boolean, pos: SourcePos): CompiledExpression {
  const comparators = items.map((item) => comparatorFor(operand.type, item.type, pos));
  const n = items.length;
  return bool((row, params, outer) => {
    const v = operand.evaluate(row, params, outer);
    if (v === null) return null;
    let sawNull = false;
    for (let i = 0; i < n; i++) {
      const x = items[i]!.evaluate(row, params, outer);
      if (x === null) sawNull = true;
      else if (comparators[i]!(v, x) === 0) return !negated;
    }
    return sawNull ? null : negated;
  });
}

/** The subquery side of `x IN (SELECT …)` as CompileContext.subqueryRows gives it: one value per row. */
export interface SubqueryRows {
  readonly type: ValueType;
  rows(outer: readonly unknown[], params: Params): readonly unknown[];
}

export function compileInSubquery(operand: CompiledExpression, sub: SubqueryRows, negated: boolean, pos: SourcePos): CompiledExpression {
  const compare = comparatorFor(operand.type, sub.type, pos);
  return bool((row, params, outer) => {
    const values = sub.rows(row, params);
    if (values.length === 0) return negated;
    const v = operand.evaluate(row, params, outer);
    if (v === null) return null;
    let sawNull = false;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (x === null || x === undefined) sawNull = true;
      else if (compare(v, x) === 0) return !negated;
    }
    return sawNull ? null : negated;
  });
}

export function compileExists(sub: SubqueryRows): CompiledExpression {
  return bool((row, params) => sub.rows(row, params).length > 0);
}

export function compileLike(
  operand: CompiledExpression, pattern: CompiledExpression, escape: CompiledExpression | undefined, negated: boolean,
  pos: SourcePos,
): CompiledExpression {
  const value = stringOperand(operand, 'LIKE', pos);
  const patternOf = stringOperand(pattern, 'LIKE', pos);
  const escapeOf = escape === undefined ? undefined : stringOperand(escape, 'ESCAPE', pos);
  const matcher = new LikeMatcher(pos);
  return bool((row, params, outer: Outer) => {
    const v = value(row, params, outer);
    if (v === null) return null;
    const p = patternOf(row, params, outer);
    if (p === null) return null;
    let e: string | undefined;
    if (escapeOf !== undefined) {
      const x = escapeOf(row, params, outer);
      if (x === null) return null;
      e = x as string;
      if (e.length !== 1) throw evalError(`The ESCAPE of LIKE must be one character, got '${e}'`, pos);
    }
    return matcher.matches(v as string, p as string, e) !== negated;
  });
}
