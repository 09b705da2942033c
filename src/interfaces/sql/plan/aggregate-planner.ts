/**
 * GROUP BY and aggregates: the input rows become one row per group (the group keys, then each aggregate's result), and
 * every expression above (select list, HAVING, ORDER BY) is rewritten to read that row: an aggregate call becomes a
 * reference to its result, a subexpression equal to a group key (same columns, same operators) a reference to the key.
 * What is left reading an input column is an error: it is neither grouped nor aggregated.
 */
import { ColumnNotFoundError, InvalidArgumentError } from '../../../domain/shared/errors';
import type { AggregateCall, ColumnRef, Expression, SourcePos } from '../ast';
import type { CompiledAggregate, CompiledExpression, Scope, ScopeColumn } from '../semantics';
import type { PlanNode } from './plan-types';
import type { PlanContext } from './plan-context';
import { exprText, rewrite } from './expr-text';
import { resolveColumn } from './names';

export class Grouping {
  readonly #keys: { canonical: string; compiled: CompiledExpression; column: ScopeColumn }[] = [];
  readonly #aggs: { canonical: string; compiled: CompiledAggregate; column: ScopeColumn }[] = [];

  constructor(groupBy: readonly Expression[], private readonly input: Scope, private readonly ctx: PlanContext) {
    groupBy.forEach((e, i) => {
      const compiled = ctx.compile(e, input);
      this.#keys.push({ canonical: this.#canonical(e), compiled, column: column(`$g${i}`, compiled) });
    });
  }

  /** The expression over the grouped row (registers its aggregate calls). */
  rewrite(e: Expression): Expression {
    return rewrite(e, (x) => {
      if (x.kind === 'aggregate') return ref(this.#aggregate(x), x.pos);
      if (x.kind === 'column' || x.kind === 'binary' || x.kind === 'function' || x.kind === 'cast' || x.kind === 'unary' || x.kind === 'case') {
        const c = this.#canonical(x);
        const k = this.#keys.findIndex((key) => key.canonical === c);
        if (k >= 0) return ref(this.#keys[k]!.column.name, x.pos);
      }
      return undefined;
    });
  }

  /** Compiles a rewritten expression over the grouped row, saying so when it reads an ungrouped column. */
  compile(e: Expression, scope: Scope): CompiledExpression {
    try {
      return this.ctx.compile(e, scope);
    } catch (err) {
      if (!(err instanceof ColumnNotFoundError)) throw err;
      throw new ColumnNotFoundError(
        `${err.message.split(';')[0]}: in a query with GROUP BY or aggregates, a column must be grouped or inside an aggregate`,
        err.table, err.column);
    }
  }

  /** The grouped row's scope (call after every rewrite). */
  scope(outer: Scope | undefined): Scope {
    const columns = [...this.#keys.map((k) => k.column), ...this.#aggs.map((a) => a.column)];
    return outer === undefined ? { columns } : { columns, outer };
  }

  node(input: PlanNode, outer: Scope | undefined): PlanNode {
    const keys = this.#keys.map((k) => k.canonical);
    const aggs = this.#aggs.map((a) => a.canonical);
    return {
      kind: 'aggregate', input, groupKeys: this.#keys.map((k) => k.compiled), aggregates: this.#aggs.map((a) => a.compiled),
      columns: this.scope(outer).columns,
      label: `Aggregate(${keys.length === 0 ? '' : `group=[${keys.join(', ')}], `}${aggs.join(', ')})`,
    };
  }

  #aggregate(call: AggregateCall): string {
    if (call.arg !== undefined && containsAggregate(call.arg)) {
      throw new InvalidArgumentError(`Aggregate calls cannot be nested: ${exprText(call)} (line ${call.pos.line}, column ${call.pos.column})`);
    }
    const canonical = this.#canonical(call);
    let i = this.#aggs.findIndex((a) => a.canonical === canonical);
    if (i < 0) {
      const compiled = this.ctx.env.compiler.compileAggregate(call, this.input, this.ctx);
      i = this.#aggs.length;
      this.#aggs.push({ canonical, compiled, column: column(`$a${i}`, compiled) });
    }
    return this.#aggs[i]!.column.name;
  }

  /** The expression's text with each column read replaced by its position in the input (so `c` equals `t.c`). */
  #canonical(e: Expression): string {
    const input = this.input;
    return exprText(rewrite(e, (x) => {
      if (x.kind !== 'column') return undefined;
      const i = resolveColumn(input, x);
      return i < 0 ? undefined : ref(`#${i}`, x.pos);
    }));
  }
}

function containsAggregate(e: Expression): boolean {
  let found = false;
  rewrite(e, (x) => {
    if (x.kind === 'aggregate') found = true;
    return undefined;
  });
  return found;
}

function column(name: string, c: { type: ScopeColumn['type']; precision?: number; scale?: number }): ScopeColumn {
  return {
    table: null, name, type: c.type, ...(c.precision === undefined ? {} : { precision: c.precision }),
    ...(c.scale === undefined ? {} : { scale: c.scale }),
  };
}

function ref(name: string, pos: SourcePos): ColumnRef {
  return { kind: 'column', column: { name, quoted: true, pos }, pos };
}
