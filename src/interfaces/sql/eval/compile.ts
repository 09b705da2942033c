/**
 * The expression compiler (semantics.ts `ExpressionCompiler`): an AST expression becomes a tree of closures, built
 * once per statement, that evaluates against a row array without walking the AST again. Static types flow bottom-up
 * (literal types, Scope column types, operator result types); type errors (`'a' + 1`, `NOT 5`, unknown function,
 * unknown or ambiguous column) are thrown when compiling, value errors (overflow, bad cast, division by zero) when
 * evaluating; both are INVALID_ARGUMENT with the position, except an unknown column (COLUMN_NOT_FOUND).
 *
 * Literals: an integer literal is INT (`number`), BIGINT (`bigint`) or DECIMAL by its `sqlType`; `1.50` is DECIMAL
 * '1.50' (scale 2); `1e3` DOUBLE; strings VARCHAR; x'..' VARBINARY; DATE/TIME/TIMESTAMP literals are checked and made
 * canonical here (TIMESTAMP '2026-01-02 03:04:05.500' → '2026-01-02T03:04:05.5'). NULL and parameters are typeless
 * (param-typing.ts): type 'NULL' until a context (a CASE / COALESCE branch, a DECIMAL operand) gives them one, their
 * values otherwise typed by their JS type at run time (value-types.ts); a JS Date is taken as a UTC TIMESTAMP.
 * CURRENT_DATE / CURRENT_TIME / CURRENT_TIMESTAMP are UTC values of `context.statementTimeMillis`, one per statement.
 *
 * Aggregate calls are compiled by `compileAggregate` only: the planner replaces them in select items and HAVING by
 * references to its aggregation output before compiling those; an aggregate met by `compile` is an error.
 */
import { formatDate, formatTime } from '../../../domain/index/key-temporal';
import { dateDays, formatTimestamp, MILLIS_PER_DAY, timeNanos } from '../../../domain/table/temporal-values';
import type { BinaryExpression, Expression, Literal, NamedParameter, PositionalParameter, TemporalLiteral } from '../ast';
import type { CompileContext, CompiledExpression, ExpressionCompiler, Params, Scope } from '../semantics';
import { compiledAggregate } from './aggregates';
import { canonicalTimestamp } from './cast';
import { coerceValue } from './coerce';
import { compareValues } from './compare';
import { compileCase } from './conditional';
import { evalError } from './eval-errors';
import { compileFunction } from './functions';
import { compileArithmetic, compileCast, compileConcat, compileNegate } from './operators';
import { typeBranches, typelessExpression } from './param-typing';
import {
  compileAnd, compileBetween, compileComparison, compileExists, compileInList, compileInSubquery, compileIsNull,
  compileLike, compileNot, compileOr,
} from './predicates';
import { compileColumnRef } from './resolve';

function constant(type: CompiledExpression['type'], value: unknown, extra?: { precision?: number; scale?: number }): CompiledExpression {
  return { type, ...extra, evaluate: () => value };
}

function compileTemporal(e: TemporalLiteral): CompiledExpression {
  let value: string | null;
  if (e.type === 'DATE') value = dateDays(e.value) === dateDays(e.value) ? e.value : null;
  else if (e.type === 'TIME') value = timeNanos(e.value) === timeNanos(e.value) ? formatTime(timeNanos(e.value)) : null;
  else value = canonicalTimestamp(e.value);
  if (value === null) {
    const shape = e.type === 'DATE' ? "'YYYY-MM-DD'" : e.type === 'TIME' ? "'HH:MM:SS[.fffffffff]'" : "'YYYY-MM-DD HH:MM:SS[.fffffffff]'";
    throw evalError(`Invalid ${e.type} literal '${e.value}'; write it as ${shape} (years 0001..9999)`, e.pos);
  }
  return constant(e.type, value);
}

function compileLiteral(e: Literal): CompiledExpression {
  switch (e.kind) {
    case 'integer': {
      if (e.sqlType === 'INT') return constant('INT', Number(e.value));
      if (e.sqlType === 'BIGINT') return constant('BIGINT', e.value);
      const digits = (e.value < 0n ? -e.value : e.value).toString().length;
      return constant('DECIMAL', e.value.toString(), { precision: digits, scale: 0 });
    }
    case 'decimal': {
      const point = e.text.indexOf('.');
      const scale = point < 0 ? 0 : e.text.length - point - 1;
      const digits = e.text.replace(/[-.]/g, '').replace(/^0+(?=\d)/, '').length;
      return constant('DECIMAL', e.text, { precision: Math.max(digits, scale), scale });
    }
    case 'float': return constant('DOUBLE', e.value);
    case 'string': return constant('VARCHAR', e.value);
    case 'boolean': return constant('BOOLEAN', e.value);
    case 'null': return typelessExpression(undefined, () => null);
    case 'bytes': return constant('VARBINARY', e.value);
    case 'temporal': return compileTemporal(e);
  }
}

/** A parameter's value as SQL sees it: null, a number, bigint, string, boolean or Uint8Array (a Date → TIMESTAMP). */
function parameterValue(v: unknown, label: string, e: Expression): unknown {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
  if (v instanceof Date) {
    const ms = v.getTime();
    const days = Math.floor(ms / MILLIS_PER_DAY);
    if (ms === ms) return formatTimestamp(days, (ms - days * MILLIS_PER_DAY) * 1e6);
  }
  throw evalError(`Parameter ${label} has an unsupported value (${Object.prototype.toString.call(v)}); pass a number, `
    + 'bigint, string, boolean, Uint8Array, Date or null', e.pos);
}

function compilePositional(e: PositionalParameter): CompiledExpression {
  const index = e.index;
  const label = `?${index + 1}`;
  return typelessExpression(`parameter ${label}`, (_row, params: Params) => {
    const v = params.positional[index];
    if (v === undefined) {
      throw evalError(`Parameter ${label} (the ${ordinal(index + 1)} '?') has no value: ${params.positional.length} `
        + 'positional parameters were given', e.pos);
    }
    return typeof v === 'object' && v !== null ? parameterValue(v, label, e) : v;
  });
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function compileNamed(e: NamedParameter): CompiledExpression {
  const name = e.name;
  return typelessExpression(`parameter :${name}`, (_row, params: Params) => {
    const v = Object.prototype.hasOwnProperty.call(params.named, name) ? params.named[name] : undefined;
    if (v === undefined) throw evalError(`Parameter :${name} has no value; pass it in the named parameters`, e.pos);
    return typeof v === 'object' && v !== null ? parameterValue(v, `:${name}`, e) : v;
  });
}

function compileCurrent(type: 'DATE' | 'TIME' | 'TIMESTAMP', millis: number): CompiledExpression {
  const days = Math.floor(millis / MILLIS_PER_DAY);
  const nanos = (millis - days * MILLIS_PER_DAY) * 1e6;
  if (type === 'DATE') return constant(type, formatDate(days));
  return constant(type, type === 'TIME' ? formatTime(nanos) : formatTimestamp(days, nanos));
}

function compileBinary(e: BinaryExpression, compile: (x: Expression) => CompiledExpression): CompiledExpression {
  const l = compile(e.left);
  const r = compile(e.right);
  switch (e.op) {
    case 'AND': return compileAnd(l, r, e.pos);
    case 'OR': return compileOr(l, r, e.pos);
    case '||': return compileConcat(l, r, e.pos);
    case '+': case '-': case '*': case '/': case '%': return compileArithmetic(e.op, l, r, e.pos);
    default: return compileComparison(e.op, l, r, e.pos);
  }
}

function compileExpression(e: Expression, scope: Scope, context: CompileContext): CompiledExpression {
  const sub = (x: Expression): CompiledExpression => compileExpression(x, scope, context);
  switch (e.kind) {
    case 'integer': case 'decimal': case 'float': case 'string': case 'boolean': case 'null': case 'temporal':
    case 'bytes':
      return compileLiteral(e);
    case 'column': return compileColumnRef(e, scope);
    case 'parameter': return compilePositional(e);
    case 'namedParameter': return compileNamed(e);
    case 'unary': return e.op === '-' ? compileNegate(sub(e.operand), e.pos) : compileNot(sub(e.operand), e.pos);
    case 'binary': return compileBinary(e, sub);
    case 'in': return compileInList(sub(e.operand), e.list.map(sub), e.negated, e.pos);
    case 'inSubquery': return compileInSubquery(sub(e.operand), context.subqueryRows(e.query, scope), e.negated, e.pos);
    case 'exists': return compileExists(context.subqueryRows(e.query, scope));
    case 'subquery': return context.scalarSubquery(e.query, scope);
    case 'between': return compileBetween(sub(e.operand), sub(e.low), sub(e.high), e.negated, e.pos);
    case 'like':
      return compileLike(sub(e.operand), sub(e.pattern), e.escape === undefined ? undefined : sub(e.escape), e.negated, e.pos);
    case 'isNull': return compileIsNull(sub(e.operand), e.negated);
    case 'case':
      return compileCase(e.operand === undefined ? undefined : sub(e.operand),
        e.whens.map((w) => ({ when: sub(w.when), then: sub(w.then) })), e.else === undefined ? undefined : sub(e.else), e.pos);
    case 'cast': return compileCast(sub(e.operand), e.type, e.pos);
    case 'function': return compileFunction(e, sub);
    case 'currentDateTime': return compileCurrent(e.type, context.statementTimeMillis);
    case 'aggregate':
      throw evalError(`Aggregate ${e.fn}(…) is not allowed here: aggregates go in the select list, HAVING or `
        + 'ORDER BY of a query, and not inside another aggregate', e.pos);
  }
}

export const expressionCompiler: ExpressionCompiler = {
  compile: compileExpression,
  compileAggregate: (call, scope, context) =>
    compiledAggregate(call, call.arg === undefined ? null : compileExpression(call.arg, scope, context)),
  compareValues,
  coerce: coerceValue,
  unifyColumn: (values, what, pos) => {
    const { type, scale, values: converted } = typeBranches(values, what, pos);
    return converted.map((evaluate) => ({ type, ...(scale === undefined ? {} : { scale }), evaluate }));
  },
};
