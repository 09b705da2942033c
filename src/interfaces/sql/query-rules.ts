/**
 * SELECT: items, FROM items (tables, derived tables, VALUES, table functions) and left-deep joins, WHERE, GROUP BY,
 * HAVING, ORDER BY, LIMIT / OFFSET.
 */
import type { IToken } from 'chevrotain';
import type {
  Expression, FromItem, Identifier, OrderByItem, SelectItem, SelectQuery, SourcePos,
} from './ast';
import { Comma, Dot, K, LParen, RParen, Star } from './lexer';
import { ExpressionParser } from './expression-rules';

/** `[AS] alias [(a, b)]` after a FROM item. */
interface Correlation {
  readonly alias?: Identifier;
  readonly columnAliases?: readonly Identifier[];
}

export abstract class QueryParser extends ExpressionParser {
  readonly query = this.RULE('query', (): SelectQuery => {
    const start = this.CONSUME(K.SELECT);
    const distinct = this.OPTION(() => this.OR([
      { ALT: () => this.keyword(K.DISTINCT, true) },
      { ALT: () => this.keyword(K.ALL, false) },
    ]));
    const items = [this.SUBRULE(this.selectItem)];
    this.MANY(() => {
      this.CONSUME(Comma);
      items.push(this.SUBRULE2(this.selectItem));
    });
    const from = this.OPTION2(() => {
      this.CONSUME(K.FROM);
      return this.SUBRULE(this.fromClause);
    });
    const where = this.OPTION3(() => {
      this.CONSUME(K.WHERE);
      return this.SUBRULE(this.expression);
    });
    const groupBy = this.OPTION4(() => this.groupBy()) ?? [];
    const having = this.OPTION5(() => {
      this.CONSUME(K.HAVING);
      return this.SUBRULE2(this.expression);
    });
    const orderBy = this.OPTION6(() => this.orderBy()) ?? [];
    const limit = this.OPTION7(() => {
      this.CONSUME(K.LIMIT);
      return this.SUBRULE3(this.expression);
    });
    const offset = this.OPTION8(() => {
      this.CONSUME(K.OFFSET);
      return this.SUBRULE4(this.expression);
    });
    return {
      kind: 'select', distinct: distinct === true, items, ...optional({ from, where }), groupBy,
      ...optional({ having }), orderBy, ...optional({ limit, offset }), pos: this.posOf(start),
    };
  });

  private groupBy(): Expression[] {
    this.CONSUME(K.GROUP);
    this.CONSUME(K.BY);
    const list = [this.SUBRULE5(this.expression)];
    this.MANY2(() => {
      this.CONSUME2(Comma);
      list.push(this.SUBRULE6(this.expression));
    });
    return list;
  }

  private orderBy(): OrderByItem[] {
    this.CONSUME(K.ORDER);
    this.CONSUME2(K.BY);
    const list = [this.SUBRULE(this.orderByItem)];
    this.MANY3(() => {
      this.CONSUME3(Comma);
      list.push(this.SUBRULE2(this.orderByItem));
    });
    return list;
  }

  readonly orderByItem = this.RULE('orderByItem', (): OrderByItem => {
    const expr = this.SUBRULE(this.expression);
    const direction = this.OPTION(() => this.OR([
      { ALT: () => this.keyword(K.ASC, 'ASC' as const) },
      { ALT: () => this.keyword(K.DESC, 'DESC' as const) },
    ])) ?? 'ASC';
    const nulls = this.OPTION2(() => {
      this.CONSUME(K.NULLS);
      return this.OR2([
        { ALT: () => this.keyword(K.FIRST, 'FIRST' as const) },
        { ALT: () => this.keyword(K.LAST, 'LAST' as const) },
      ]);
    });
    return { expr, direction, nulls: nulls ?? (direction === 'ASC' ? 'LAST' : 'FIRST') };
  });

  readonly selectItem = this.RULE('selectItem', (): SelectItem => {
    return this.OR<SelectItem>([
      { ALT: () => ({ kind: 'star', pos: this.posOf(this.CONSUME(Star)) }) },
      { ALT: () => {
        const table = this.SUBRULE(this.tableName);
        this.CONSUME(Dot);
        this.CONSUME2(Star);
        return { kind: 'star', table, pos: table.pos };
      } },
      { ALT: () => {
        const expr = this.SUBRULE(this.expression);
        const alias = this.OPTION(() => this.SUBRULE(this.alias));
        return alias === undefined ? { kind: 'expr', expr } : { kind: 'expr', expr, alias };
      } },
    ]);
  });

  /** `[AS] name`. */
  readonly alias = this.RULE('alias', (): Identifier => {
    this.OPTION(() => this.CONSUME(K.AS));
    return this.SUBRULE(this.aliasName);
  });

  /** FROM items joined left-deep; a comma is a CROSS join. */
  readonly fromClause = this.RULE('fromClause', (): FromItem => {
    let left = this.SUBRULE(this.fromItem);
    this.MANY(() => {
      left = this.OR<FromItem>([
        { ALT: () => {
          const comma = this.CONSUME(Comma);
          const right = this.SUBRULE2(this.fromItem);
          return this.ACTION(() => join('CROSS', left, right, undefined, this.posOf(comma)));
        } },
        { ALT: () => {
          const start = this.CONSUME(K.CROSS);
          this.CONSUME(K.JOIN);
          const right = this.SUBRULE3(this.fromItem);
          return this.ACTION(() => join('CROSS', left, right, undefined, this.posOf(start)));
        } },
        { ALT: () => this.qualifiedJoin(left) },
      ]);
    });
    return left;
  });

  /** `[INNER] JOIN item ON cond` or `LEFT [OUTER] JOIN item ON cond`. */
  private qualifiedJoin(left: FromItem): FromItem {
    let start: IToken | undefined;
    const joinType = this.OPTION(() => this.OR2([
      { ALT: () => {
        start = this.CONSUME(K.INNER);
        return 'INNER' as const;
      } },
      { ALT: () => {
        start = this.CONSUME(K.LEFT);
        this.OPTION2(() => this.CONSUME(K.OUTER));
        return 'LEFT' as const;
      } },
    ])) ?? 'INNER';
    const joinToken = this.CONSUME2(K.JOIN);
    const right = this.SUBRULE4(this.fromItem);
    this.CONSUME(K.ON);
    const on = this.SUBRULE(this.expression);
    return this.ACTION(() => join(joinType, left, right, on, this.posOf(start ?? joinToken)));
  }

  readonly fromItem = this.RULE('fromItem', (): FromItem => {
    return this.OR<FromItem>([
      { ALT: () => {
        const start = this.CONSUME(K.TABLE);
        this.CONSUME(LParen);
        const call = this.tableFunction();
        this.CONSUME(RParen);
        const correlation = this.OPTION(() => this.SUBRULE(this.correlation)) ?? {};
        return this.ACTION((): FromItem => ({ kind: 'tableFunction', ...call, ...correlation, pos: this.posOf(start) }));
      } },
      { ALT: () => {
        const start = this.CONSUME2(LParen);
        const query = this.SUBRULE(this.query);
        this.CONSUME2(RParen);
        const correlation = this.OPTION2(() => this.SUBRULE2(this.correlation)) ?? {};
        return { kind: 'derived', query, ...correlation, pos: this.posOf(start) };
      } },
      { ALT: () => {
        const start = this.CONSUME3(LParen);
        this.CONSUME(K.VALUES);
        const rows = this.SUBRULE(this.valuesRows);
        this.CONSUME3(RParen);
        const correlation = this.OPTION3(() => this.SUBRULE3(this.correlation)) ?? {};
        return { kind: 'values', rows, ...correlation, pos: this.posOf(start) };
      } },
      { ALT: () => {
        const first = this.SUBRULE(this.tableName);
        const second = this.OPTION6(() => {
          this.CONSUME7(Dot);
          return this.SUBRULE7(this.tableName);
        });
        const name = second ?? first;
        const schema = second === undefined ? {} : { schema: first }; // `SYSTEM.ZONES`
        const alias = this.OPTION5(() => this.SUBRULE(this.alias));
        return alias === undefined ? { kind: 'table', name, ...schema, pos: first.pos } : { kind: 'table', name, ...schema, alias, pos: first.pos };
      } },
    ]);
  });

  /** `name(args)` inside TABLE(…). */
  private tableFunction(): { name: Identifier; args: Expression[] } {
    const name = this.SUBRULE(this.functionName);
    this.CONSUME4(LParen);
    const args: Expression[] = [];
    this.OPTION4(() => {
      args.push(this.SUBRULE(this.expression));
      this.MANY(() => {
        this.CONSUME(Comma);
        args.push(this.SUBRULE2(this.expression));
      });
    });
    this.CONSUME4(RParen);
    return { name, args };
  }

  readonly correlation = this.RULE('correlation', (): Correlation => {
    const alias = this.SUBRULE(this.alias);
    const columnAliases = this.OPTION(() => this.nameList());
    return columnAliases === undefined ? { alias } : { alias, columnAliases };
  });

  /** `(a, b, …)`. */
  private nameList(): Identifier[] {
    this.CONSUME(LParen);
    const names = [this.SUBRULE(this.columnName)];
    this.MANY(() => {
      this.CONSUME(Comma);
      names.push(this.SUBRULE2(this.columnName));
    });
    this.CONSUME(RParen);
    return names;
  }

  /** `(e, …), (e, …)` after VALUES. */
  readonly valuesRows = this.RULE('valuesRows', (): Expression[][] => {
    const rows = [this.SUBRULE(this.valuesRow)];
    this.MANY(() => {
      this.CONSUME(Comma);
      rows.push(this.SUBRULE2(this.valuesRow));
    });
    return rows;
  });

  readonly valuesRow = this.RULE('valuesRow', (): Expression[] => {
    this.CONSUME(LParen);
    const values = [this.SUBRULE(this.expression)];
    this.MANY(() => {
      this.CONSUME(Comma);
      values.push(this.SUBRULE2(this.expression));
    });
    this.CONSUME(RParen);
    return values;
  });
}

function join(
  joinType: 'INNER' | 'LEFT' | 'CROSS', left: FromItem, right: FromItem, on: Expression | undefined, pos: SourcePos,
): FromItem {
  return on === undefined ? { kind: 'join', joinType, left, right, pos } : { kind: 'join', joinType, left, right, on, pos };
}

/** Copies only the defined properties (the AST leaves absent clauses out instead of holding undefined). */
function optional<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
