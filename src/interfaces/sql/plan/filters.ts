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

export function filterNode(input: PlanNode, conds: readonly Expression[], scope: Scope, ctx: PlanContext): PlanNode {
  if (conds.length === 0) return input;
  const predicate = allOf(conds.map((c) => ctx.compile(c, scope)));
  return { kind: 'filter', input, predicate, columns: input.columns, label: `Filter(${conds.map(exprText).join(' AND ')})` };
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

