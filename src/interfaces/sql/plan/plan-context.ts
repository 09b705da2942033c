/**
 * What planning one statement needs: the node (catalog), the expression compiler, and the statement's CompileContext,
 * which plans the subqueries the compiler meets and collects them for the executor (run-plan.ts).
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { SqlHost } from '../sql-host';
import type { Expression, SelectQuery } from '../ast';
import type {
  CompileContext, CompiledExpression, ExpressionCompiler, Params, Scope, ValueType,
} from '../semantics';
import type { QueryPlan, SubqueryPlan } from './plan-types';
import { scalarOf, subqueryResult } from '../exec/run-plan';

export interface PlanEnv {
  readonly node: SqlHost;
  readonly compiler: ExpressionCompiler;
  /** Plans a SELECT in `ctx`; `outer` is the enclosing query's scope for a correlated subquery. */
  readonly planSelect: (select: SelectQuery, ctx: PlanContext, outer: Scope | undefined) => QueryPlan;
}

export class PlanContext implements CompileContext {
  readonly subqueries: SubqueryPlan[] = [];
  /** Uncorrelated subqueries by their AST: compiled more than once (trial compiles), planned and run once. */
  readonly #uncorrelated = new Map<SelectQuery, SubqueryPlan>();

  constructor(readonly env: PlanEnv, readonly statementTimeMillis: number) {}

  compile(e: Expression, scope: Scope): CompiledExpression {
    return this.env.compiler.compile(e, scope, this);
  }

  compare(a: unknown, b: unknown, type: ValueType): number {
    return this.env.compiler.compareValues(a, b, type);
  }

  /** A new context for a nested query (its subqueries are its own). */
  child(): PlanContext {
    return new PlanContext(this.env, this.statementTimeMillis);
  }

  scalarSubquery(select: SelectQuery, scope: Scope): CompiledExpression {
    const s = this.#plan(select, scope);
    const column = this.#oneColumn(s, 'A scalar subquery');
    const compare = this.compare.bind(this);
    return {
      type: column.type, ...(column.precision === undefined ? {} : { precision: column.precision }),
      ...(column.scale === undefined ? {} : { scale: column.scale }),
      evaluate: (row, params, outerRows) => scalarOf(subqueryResult(s, compare, row, params, outerRows)),
    };
  }

  subqueryRows(select: SelectQuery, scope: Scope): { readonly type: ValueType; rows(outer: readonly unknown[], params: Params): readonly unknown[] } {
    const s = this.#plan(select, scope);
    const column = s.query.columns.length === 1 ? s.query.columns[0]! : { type: 'NULL' as ValueType };
    const compare = this.compare.bind(this);
    return {
      type: column.type,
      rows: (outer, params) => subqueryResult(s, compare, outer, params, undefined).map((r) => r[0]),
    };
  }

  /** Plans the subquery on its own first; when it names a column of the enclosing query, again as correlated. */
  #plan(select: SelectQuery, scope: Scope): SubqueryPlan {
    const known = this.#uncorrelated.get(select);
    if (known !== undefined) return known;
    let plan: SubqueryPlan;
    try {
      plan = { query: this.env.planSelect(select, this.child(), undefined), correlated: false };
      this.#uncorrelated.set(select, plan);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'COLUMN_NOT_FOUND') throw e;
      plan = { query: this.env.planSelect(select, this.child(), scope), correlated: true };
    }
    this.subqueries.push(plan);
    return plan;
  }

  #oneColumn(s: SubqueryPlan, what: string): { type: ValueType; precision?: number; scale?: number } {
    if (s.query.columns.length !== 1) {
      throw new InvalidArgumentError(`${what} must return one column; it returns ${s.query.columns.length}`);
    }
    return s.query.columns[0]!;
  }
}
