/** Filters: conjunctions of WHERE / ON conditions over one scope. */
import type { Expression } from '../ast';
import type { CompiledExpression, Scope } from '../semantics';
import type { PlanNode } from './plan-types';
import type { PlanContext } from './plan-context';
import { exprText } from './expr-text';

/** A compiled conjunction (each part is true). */
export function allOf(parts: readonly CompiledExpression[]): CompiledExpression {
  if (parts.length === 1) return parts[0]!;
  return {
    type: 'BOOLEAN',
    evaluate: (row, params, outerRows) => parts.every((p) => p.evaluate(row, params, outerRows) === true),
  };
}

/**
 * The filter of `conds` over `input`. `covered`: conjuncts a key lookup or range scan below already implies for
 * integer key values; the filter keeps the rest as its `residual` for readers that got such values (FilterNode).
 */
export function filterNode(
  input: PlanNode, conds: readonly Expression[], scope: Scope, ctx: PlanContext, covered?: ReadonlySet<Expression>,
): PlanNode {
  if (conds.length === 0) return input;
  const compiled = conds.map((c) => ctx.compile(c, scope));
  const label = `Filter(${conds.map(exprText).join(' AND ')})`;
  const node = { kind: 'filter' as const, input, predicate: allOf(compiled), columns: input.columns, label };
  if (covered === undefined || covered.size === 0) return node;
  const rest = compiled.filter((_, i) => !covered.has(conds[i]!));
  return { ...node, residual: rest.length === 0 ? null : allOf(rest) };
}

/** The conjuncts that compile against `scope` alone (they read nothing else). */
export function localConds(conds: readonly Expression[], scope: Scope, ctx: PlanContext): Expression[] {
  return conds.filter((c) => {
    try {
      ctx.compile(c, scope);
      return true;
    } catch {
      return false;
    }
  });
}

