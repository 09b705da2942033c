/**
 * Expressions, by precedence from loosest to tightest (as PostgreSQL and Ignite 3):
 *   OR < AND < NOT < comparison, IS [NOT] NULL, [NOT] BETWEEN / IN / LIKE < || < + - < * / % < unary - < :: < primary.
 * Binary operators associate to the left. BETWEEN's bounds are `||`-level expressions, so `a BETWEEN 1 AND 2 AND b`
 * is `(a BETWEEN 1 AND 2) AND b`. The `pos` of an operator node is its operator's.
 */
import type { IToken } from 'chevrotain';
import type { BinaryOperator, Expression, SelectQuery } from './ast';
import {
  AdditiveOp, Comma, ComparisonOp, Concat, DoubleColon, K, LParen, Minus, MultiplicativeOp, Plus, RParen,
} from './lexer';
import { negateLiteral } from './literals';
import { PrimaryParser } from './primary-rules';

export abstract class ExpressionParser extends PrimaryParser {
  readonly expression = this.RULE('expression', (): Expression => {
    let left = this.SUBRULE(this.andExpression);
    this.MANY(() => {
      const op = this.CONSUME(K.OR);
      const right = this.SUBRULE2(this.andExpression);
      left = this.ACTION(() => this.binary('OR', left, right, op));
    });
    return left;
  });

  readonly andExpression = this.RULE('andExpression', (): Expression => {
    let left = this.SUBRULE(this.notExpression);
    this.MANY(() => {
      const op = this.CONSUME(K.AND);
      const right = this.SUBRULE2(this.notExpression);
      left = this.ACTION(() => this.binary('AND', left, right, op));
    });
    return left;
  });

  readonly notExpression = this.RULE('notExpression', (): Expression => {
    return this.OR([
      { ALT: () => {
        const op = this.CONSUME(K.NOT);
        const operand = this.SUBRULE(this.notExpression);
        return this.ACTION((): Expression => ({ kind: 'unary', op: 'NOT', operand, pos: this.posOf(op) }));
      } },
      { ALT: () => this.SUBRULE(this.predicate) },
    ]);
  });

  readonly predicate = this.RULE('predicate', (): Expression => {
    let left = this.SUBRULE(this.concatExpression);
    this.MANY(() => {
      left = this.OR<Expression>([
        { ALT: () => {
          const op = this.CONSUME(ComparisonOp);
          const right = this.SUBRULE2(this.concatExpression);
          return this.ACTION(() => this.binary(op.image === '!=' ? '<>' : (op.image as BinaryOperator), left, right, op));
        } },
        { ALT: () => {
          const is = this.CONSUME(K.IS);
          const not = this.OPTION(() => this.CONSUME(K.NOT));
          this.CONSUME(K.NULL);
          const negated = not !== undefined;
          return this.ACTION((): Expression => ({ kind: 'isNull', operand: left, negated, pos: this.posOf(is) }));
        } },
        { ALT: () => this.SUBRULE(this.negatablePredicate, { ARGS: [left] }) },
      ]);
    });
    return left;
  });

  /** `[NOT] BETWEEN …`, `[NOT] IN (…)`, `[NOT] LIKE …` applied to `operand`. */
  readonly negatablePredicate = this.RULE('negatablePredicate', (operand?: Expression): Expression => {
    const not = this.OPTION(() => this.CONSUME(K.NOT));
    const negated = not !== undefined;
    return this.OR<Expression>([
      { ALT: () => {
        const op = this.CONSUME(K.BETWEEN);
        const low = this.SUBRULE(this.concatExpression);
        this.CONSUME(K.AND);
        const high = this.SUBRULE2(this.concatExpression);
        return this.ACTION((): Expression => ({
          kind: 'between', operand: operand!, low, high, negated, pos: this.posOf(op),
        }));
      } },
      { ALT: () => this.inPredicate(operand!, negated) },
      { ALT: () => {
        const op = this.CONSUME(K.LIKE);
        const pattern = this.SUBRULE3(this.concatExpression);
        const escape = this.OPTION2(() => {
          this.CONSUME(K.ESCAPE);
          return this.SUBRULE4(this.concatExpression);
        });
        return this.ACTION((): Expression => ({
          kind: 'like', operand: operand!, pattern, ...(escape === undefined ? {} : { escape }), negated,
          pos: this.posOf(op),
        }));
      } },
    ]);
  });

  private inPredicate(operand: Expression, negated: boolean): Expression {
    const op = this.CONSUME(K.IN);
    this.CONSUME(LParen);
    const result = this.OR2<Expression>([
      { ALT: () => {
        const query: SelectQuery = this.SUBRULE(this.query);
        return this.ACTION((): Expression => ({ kind: 'inSubquery', operand, query, negated, pos: this.posOf(op) }));
      } },
      { ALT: () => {
        const list = [this.SUBRULE(this.expression)];
        this.MANY(() => {
          this.CONSUME(Comma);
          list.push(this.SUBRULE2(this.expression));
        });
        return this.ACTION((): Expression => ({ kind: 'in', operand, list, negated, pos: this.posOf(op) }));
      } },
    ]);
    this.CONSUME(RParen);
    return result;
  }

  readonly concatExpression = this.RULE('concatExpression', (): Expression => {
    let left = this.SUBRULE(this.additiveExpression);
    this.MANY(() => {
      const op = this.CONSUME(Concat);
      const right = this.SUBRULE2(this.additiveExpression);
      left = this.ACTION(() => this.binary('||', left, right, op));
    });
    return left;
  });

  readonly additiveExpression = this.RULE('additiveExpression', (): Expression => {
    let left = this.SUBRULE(this.multiplicativeExpression);
    this.MANY(() => {
      const op = this.CONSUME(AdditiveOp);
      const right = this.SUBRULE2(this.multiplicativeExpression);
      left = this.ACTION(() => this.binary(op.image as BinaryOperator, left, right, op));
    });
    return left;
  });

  readonly multiplicativeExpression = this.RULE('multiplicativeExpression', (): Expression => {
    let left = this.SUBRULE(this.unaryExpression);
    this.MANY(() => {
      const op = this.CONSUME(MultiplicativeOp);
      const right = this.SUBRULE2(this.unaryExpression);
      left = this.ACTION(() => this.binary(op.image as BinaryOperator, left, right, op));
    });
    return left;
  });

  /** `-e` (folded into a numeric literal: `-5` is the literal -5), `+e` (no node), or a `::` cast chain. */
  readonly unaryExpression = this.RULE('unaryExpression', (): Expression => {
    return this.OR([
      { ALT: () => {
        const op = this.CONSUME(Minus);
        const operand = this.SUBRULE(this.unaryExpression);
        return this.ACTION((): Expression => {
          const pos = this.posOf(op);
          return negateLiteral(operand, pos) ?? { kind: 'unary', op: '-', operand, pos };
        });
      } },
      { ALT: () => {
        this.CONSUME(Plus);
        return this.SUBRULE2(this.unaryExpression);
      } },
      { ALT: () => this.SUBRULE(this.castExpression) },
    ]);
  });

  readonly castExpression = this.RULE('castExpression', (): Expression => {
    let operand = this.SUBRULE(this.primary);
    this.MANY(() => {
      const op = this.CONSUME(DoubleColon);
      const type = this.SUBRULE(this.dataType);
      operand = this.ACTION((): Expression => ({ kind: 'cast', operand, type, pos: this.posOf(op) }));
    });
    return operand;
  });

  private binary(op: BinaryOperator, left: Expression, right: Expression, token: IToken): Expression {
    return { kind: 'binary', op, left, right, pos: this.posOf(token) };
  }
}
