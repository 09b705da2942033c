/**
 * How parameters are typed by their context, and the common type of CASE / COALESCE branches that follows from it.
 * A static type of 'NULL' means one of two things, and the difference decides whether a value may be converted:
 *
 * - **typeless**: a NULL literal or a bare parameter (`?`, `:name`), or a CASE / COALESCE / NULLIF made only of them.
 *   It has no type of its own and takes its context's, as in Ignite 3 / Calcite and PostgreSQL: in `COALESCE(?, i)`
 *   the parameter is an INT and the expression is INT. Its value must then *fit* that type: an integer type refuses a
 *   fraction or an out-of-range value (DESIGN.md §9: INT refuses 1.5) instead of rounding it as a CAST would;
 *   DECIMAL, REAL and DOUBLE take any number (as a parameter against such an operand does, operators.ts).
 * - **dynamic**: computed from a parameter where the context gave it no type — `i - ?` with an integer `i` (a fraction
 *   must not be rounded there either, so the value keeps its own type and the operation is chosen per row),
 *   `ABS(?)`, `SUM(?)`, a derived table's column of a parameter. Its values already have their type.
 *
 * A CASE / COALESCE with a dynamic branch cannot take an integer type from its other branches without rounding or
 * refusing values the branch legitimately computed (`COALESCE(i - ?, id)` with ? = 2.25 is i - 2.25, as in SQLite), so
 * its static type is 'NULL' (dynamic) too — the same for every execution of the statement, whatever the parameter
 * values, so DISTINCT and ORDER BY keys (exec/value-key.ts) and aggregates see one stable column type: integer-valued
 * numbers and bigints share their keys and compare numerically. Each value is at least the others' integer type
 * (an INT value of a branch beside BIGINT ones becomes a BIGINT). With a DECIMAL, REAL or DOUBLE branch the
 * expression keeps that static type: every number converts to it, as before.
 */
import type { SourcePos } from '../ast';
import type { CompiledExpression, ValueType } from '../semantics';
import { castValue } from './cast';
import { compareTyped } from './compare';
import { evalError } from './eval-errors';
import { commonType, effectiveType, isIntegerType, isNumeric, type NumericType, widerNumeric } from './value-types';

type Evaluate = CompiledExpression['evaluate'];

/** A typeless expression (see above): its static type is 'NULL' until its context gives it one. */
export interface TypelessExpression extends CompiledExpression {
  readonly type: 'NULL';
  /** How messages name it ('parameter ?2', 'parameter :id'); undefined for a NULL literal, whose only value is null. */
  readonly typeless: { readonly label: string | undefined };
}

export function typelessExpression(label: string | undefined, evaluate: Evaluate): TypelessExpression {
  return { type: 'NULL', typeless: { label }, evaluate };
}

export function isTypeless(c: CompiledExpression): c is TypelessExpression {
  return (c as Partial<TypelessExpression>).typeless !== undefined;
}

/** The typeless expression `c` (a CASE, COALESCE or NULLIF) makes of typeless `parts`, or `c` itself if one is not. */
export function typelessOf(c: CompiledExpression, parts: readonly CompiledExpression[]): CompiledExpression {
  if (c.type !== 'NULL' || !parts.every(isTypeless)) return c;
  const labels = parts.map((p) => p.typeless.label).filter((l) => l !== undefined);
  return typelessExpression(labels.length === 0 ? undefined : labels.join(' or '), c.evaluate);
}

/** The common type of the branches, or an error naming the first pair without one. */
export function unifyTypes(branches: readonly CompiledExpression[], what: string, pos: SourcePos): ValueType {
  let type: ValueType = 'NULL';
  for (const b of branches) {
    const next = commonType(type, b.type);
    if (next === undefined) {
      throw evalError(`The values of ${what} have incompatible types ${type} and ${b.type}; CAST them to one type`, pos);
    }
    type = next;
  }
  return type;
}

/** The branch's evaluator, converting its values to `type` when its own type differs (as a CAST does). */
export function convertedTo(c: CompiledExpression, type: ValueType, pos: SourcePos): Evaluate {
  if (type === 'NULL' || c.type === type) return c.evaluate;
  const from = c.type;
  const target = { type };
  return (row, params, outer) => {
    const v = c.evaluate(row, params, outer);
    return v === null ? null : castValue(v, effectiveType(v, from, pos), target, pos);
  };
}

/** A typeless branch's evaluator for context type `type`: its values converted only where they fit (see above). */
function fittedTo(c: TypelessExpression, type: ValueType, what: string, pos: SourcePos): Evaluate {
  if (!isIntegerType(type)) return convertedTo(c, type, pos);
  const target = { type: type as NumericType };
  return (row, params, outer) => {
    const v = c.evaluate(row, params, outer);
    if (v === null) return null;
    const from = effectiveType(v, 'NULL', pos);
    const x = castValue(v, from, target, pos);
    if (compareTyped(x, target.type, v, from, pos) !== 0) {
      throw evalError(`The value ${String(v)} of ${c.typeless.label ?? 'a parameter'} is not ${type === 'INT' ? 'an' : 'a'} `
        + `${type}, the type the other values of ${what} give it; pass an integer, or CAST the parameter to the type `
        + 'you mean (e.g. CAST(? AS DOUBLE))', pos);
    }
    return x;
  };
}

/** A dynamic branch's evaluator in a dynamic result whose other branches are of integer type `floor` (or 'NULL'). */
function atLeast(c: CompiledExpression, floor: ValueType, pos: SourcePos): Evaluate {
  if (floor === 'NULL') return c.evaluate;
  return (row, params, outer) => {
    const v = c.evaluate(row, params, outer);
    if (v === null) return null;
    const t = effectiveType(v, 'NULL', pos);
    // A string here is a DECIMAL (the table API's representation, as arithmetic reads a string parameter).
    if (!isNumeric(t)) return castValue(v, t, { type: t === 'VARCHAR' ? 'DECIMAL' : floor as NumericType }, pos);
    return widerNumeric(t, floor as NumericType) === t ? v : castValue(v, t, { type: floor as NumericType }, pos);
  };
}

function scaleOf(branches: readonly CompiledExpression[], type: ValueType): number | undefined {
  if (type !== 'DECIMAL') return undefined;
  let scale = 0;
  for (const b of branches) {
    if (b.type === 'NULL' && !(isTypeless(b) && b.typeless.label === undefined)) return undefined; // a value's own scale
    if (b.type === 'DECIMAL' && b.scale === undefined) return undefined;
    if (b.type === 'DECIMAL') scale = Math.max(scale, b.scale!);
  }
  return scale;
}

/** The result typing of a CASE / COALESCE: its static type and scale, and each branch's evaluator converted to it. */
export interface BranchTyping {
  readonly type: ValueType;
  readonly scale: number | undefined;
  readonly values: readonly Evaluate[];
}

export function typeBranches(branches: readonly CompiledExpression[], what: string, pos: SourcePos): BranchTyping {
  const type = unifyTypes(branches.filter((b) => b.type !== 'NULL'), what, pos);
  const dynamic = branches.some((b) => b.type === 'NULL' && !isTypeless(b));
  if (dynamic && (type === 'NULL' || isIntegerType(type))) {
    const values = branches.map((b) => (b.type === 'NULL' ? atLeast(b, type, pos) : convertedTo(b, type, pos)));
    return { type: 'NULL', scale: undefined, values };
  }
  const values = branches.map((b) => (isTypeless(b) ? fittedTo(b, type, what, pos) : convertedTo(b, type, pos)));
  return { type, scale: scaleOf(branches, type), values };
}
