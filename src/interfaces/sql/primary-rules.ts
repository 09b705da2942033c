/**
 * Primary expressions: literals, parameters, CURRENT_*, CASE, CAST, EXISTS, scalar subqueries, parentheses, function
 * and aggregate calls, column references. `expression` and `query` are defined further down the class chain.
 */
import type { IToken, ParserMethod, TokenType } from 'chevrotain';
import type { AggregateFunction, Expression, SelectQuery, SourcePos, WhenClause } from './ast';
import { Comma, Dot, K, LParen, NamedParameter, Question, RParen, Star } from './lexer';
import { SqlParserBase } from './parser-base';

const AGGREGATES: ReadonlySet<string> = new Set<AggregateFunction>(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);

interface CallArgs {
  readonly star?: IToken;
  readonly distinct?: IToken;
  readonly args: readonly Expression[];
}

export abstract class PrimaryParser extends SqlParserBase {
  protected abstract readonly expression: ParserMethod<[], Expression>;
  protected abstract readonly query: ParserMethod<[], SelectQuery>;

  readonly primary = this.RULE('primary', (): Expression => {
    return this.OR<Expression>([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => {
        const token = this.CONSUME(Question);
        return this.ACTION((): Expression => ({
          kind: 'parameter', index: this.parameterCount++, pos: this.posOf(token),
        }));
      } },
      { ALT: () => {
        const token = this.CONSUME(NamedParameter);
        return { kind: 'namedParameter', name: token.image.slice(1), pos: this.posOf(token) };
      } },
      { ALT: () => this.current(K.CURRENT_DATE, 'DATE') },
      { ALT: () => this.current(K.CURRENT_TIME, 'TIME') },
      { ALT: () => this.current(K.CURRENT_TIMESTAMP, 'TIMESTAMP') },
      { ALT: () => this.SUBRULE(this.caseExpression) },
      { ALT: () => this.SUBRULE(this.castCall) },
      { ALT: () => this.exists() },
      { ALT: () => this.parenthesized() },
      { ALT: () => this.SUBRULE(this.functionCall) },
      { ALT: () => this.SUBRULE(this.columnRef) },
    ]);
  });

  private exists(): Expression {
    const token = this.CONSUME(K.EXISTS);
    this.CONSUME1(LParen);
    const query = this.SUBRULE(this.query);
    this.CONSUME1(RParen);
    return { kind: 'exists', query, pos: this.posOf(token) };
  }

  /** `(SELECT …)` (a scalar subquery) or `(e)` (no node of its own). */
  private parenthesized(): Expression {
    const open = this.CONSUME2(LParen);
    const inner = this.OR2<Expression>([
      { ALT: () => {
        const query = this.SUBRULE2(this.query);
        return this.ACTION((): Expression => ({ kind: 'subquery', query, pos: this.posOf(open) }));
      } },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
    this.CONSUME2(RParen);
    return inner;
  }

  private current(keyword: TokenType, type: 'DATE' | 'TIME' | 'TIMESTAMP'): Expression {
    return { kind: 'currentDateTime', type, pos: this.posOf(this.CONSUME(keyword)) };
  }

  /** `c` or `t.c`. */
  readonly columnRef = this.RULE('columnRef', (): Expression => {
    const first = this.SUBRULE(this.columnName);
    const second = this.OPTION(() => {
      this.CONSUME(Dot);
      return this.SUBRULE2(this.columnName);
    });
    return this.ACTION((): Expression => second === undefined
      ? { kind: 'column', column: first, pos: first.pos }
      : { kind: 'column', table: first, column: second, pos: first.pos });
  });

  readonly caseExpression = this.RULE('caseExpression', (): Expression => {
    const start = this.CONSUME(K.CASE);
    const operand = this.OPTION(() => this.SUBRULE(this.expression));
    const whens: WhenClause[] = [];
    this.AT_LEAST_ONE(() => {
      this.CONSUME(K.WHEN);
      const when = this.SUBRULE2(this.expression);
      this.CONSUME(K.THEN);
      const then = this.SUBRULE3(this.expression);
      whens.push({ when, then });
    });
    const otherwise = this.OPTION2(() => {
      this.CONSUME(K.ELSE);
      return this.SUBRULE4(this.expression);
    });
    this.CONSUME(K.END);
    return {
      kind: 'case', ...(operand === undefined ? {} : { operand }), whens,
      ...(otherwise === undefined ? {} : { else: otherwise }), pos: this.posOf(start),
    };
  });

  readonly castCall = this.RULE('castCall', (): Expression => {
    const start = this.CONSUME(K.CAST);
    this.CONSUME(LParen);
    const operand = this.SUBRULE(this.expression);
    this.CONSUME(K.AS);
    const type = this.SUBRULE(this.dataType);
    this.CONSUME(RParen);
    return { kind: 'cast', operand, type, pos: this.posOf(start) };
  });

  /** `name(…)`: an aggregate when the name is COUNT, SUM, AVG, MIN or MAX (any case), otherwise a function. */
  readonly functionCall = this.RULE('functionCall', (): Expression => {
    const name = this.SUBRULE(this.functionName);
    this.CONSUME(LParen);
    const call = this.OPTION(() => this.callArgs());
    const close = this.CONSUME(RParen);
    return this.ACTION((): Expression => {
      const { star, distinct, args } = call ?? { args: [] };
      const upper = name.name.toUpperCase();
      if (AGGREGATES.has(upper)) {
        return this.aggregate(upper as AggregateFunction, { star, distinct, args }, name.pos, close);
      }
      const argument = `Expected an argument of ${name.name}(…)`;
      if (star !== undefined) throw this.failAt(star, `${argument} but found '*'`, ['an expression']);
      if (distinct !== undefined) {
        throw this.failAt(distinct, `${argument} but found DISTINCT (only aggregates take it)`, ['an expression']);
      }
      return { kind: 'function', name, args, pos: name.pos };
    });
  });

  private callArgs(): CallArgs {
    return this.OR<CallArgs>([
      { ALT: () => ({ star: this.CONSUME(Star), args: [] }) },
      { ALT: () => {
        const distinct = this.OPTION2(() => this.OR2([
          { ALT: () => this.CONSUME(K.DISTINCT) },
          { ALT: () => {
            this.CONSUME(K.ALL);
            return undefined;
          } },
        ]));
        const args = [this.SUBRULE(this.expression)];
        this.MANY(() => {
          this.CONSUME(Comma);
          args.push(this.SUBRULE2(this.expression));
        });
        return distinct === undefined ? { args } : { distinct, args };
      } },
    ]);
  }

  private aggregate(fn: AggregateFunction, call: CallArgs, pos: SourcePos, close: IToken): Expression {
    if (call.star !== undefined) {
      if (fn !== 'COUNT') {
        const what = `Expected an argument of ${fn}(…) but found '*' (only COUNT takes it)`;
        throw this.failAt(call.star, what, ['an expression']);
      }
      return { kind: 'aggregate', fn, distinct: false, pos: pos };
    }
    const [arg, extra] = call.args;
    if (arg === undefined) throw this.failAt(close, `Expected an argument of ${fn}(…) but found ')'`, ['an expression']);
    if (extra !== undefined) {
      const what = `Expected ')' after the one argument of ${fn}(…) but found another argument`;
      throw this.source.error(what, extra.pos, ["')'"]);
    }
    return { kind: 'aggregate', fn, arg, distinct: call.distinct !== undefined, pos: pos };
  }
}
