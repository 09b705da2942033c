/** INSERT (VALUES or SELECT), UPDATE and DELETE. */
import type { Assignment, DeleteStatement, Identifier, InsertStatement, UpdateStatement } from './ast';
import { Comma, Equals, K, LParen, RParen } from './lexer';
import { QueryParser } from './query-rules';

export abstract class DmlParser extends QueryParser {
  /** `INSERT INTO t [(a, b)] VALUES (…), (…)` or `INSERT INTO t [(a, b)] SELECT …`. */
  readonly insertStatement = this.RULE('insertStatement', (): InsertStatement => {
    const start = this.CONSUME(K.INSERT);
    this.CONSUME(K.INTO);
    const table = this.SUBRULE(this.tableName);
    const columns = this.OPTION(() => this.columnList());
    const source = this.OR<InsertStatement['source']>([
      { ALT: () => {
        const values = this.CONSUME(K.VALUES);
        const rows = this.SUBRULE(this.valuesRows);
        return { kind: 'values', rows, pos: this.posOf(values) };
      } },
      { ALT: () => this.SUBRULE(this.query) },
    ]);
    const pos = this.posOf(start);
    return columns === undefined ? { kind: 'insert', table, source, pos } : { kind: 'insert', table, columns, source, pos };
  });

  private columnList(): Identifier[] {
    this.CONSUME(LParen);
    const columns = [this.SUBRULE(this.columnName)];
    this.MANY(() => {
      this.CONSUME(Comma);
      columns.push(this.SUBRULE2(this.columnName));
    });
    this.CONSUME(RParen);
    return columns;
  }

  /** `UPDATE t [[AS] x] SET c = e, … [WHERE cond]`. */
  readonly updateStatement = this.RULE('updateStatement', (): UpdateStatement => {
    const start = this.CONSUME(K.UPDATE);
    const table = this.SUBRULE(this.tableName);
    const alias = this.OPTION(() => this.SUBRULE(this.alias));
    this.CONSUME(K.SET);
    const assignments = [this.SUBRULE(this.assignment)];
    this.MANY(() => {
      this.CONSUME(Comma);
      assignments.push(this.SUBRULE2(this.assignment));
    });
    const where = this.OPTION2(() => {
      this.CONSUME(K.WHERE);
      return this.SUBRULE(this.expression);
    });
    return {
      kind: 'update', table, ...(alias === undefined ? {} : { alias }), assignments,
      ...(where === undefined ? {} : { where }), pos: this.posOf(start),
    };
  });

  readonly assignment = this.RULE('assignment', (): Assignment => {
    const column = this.SUBRULE(this.columnName);
    this.CONSUME(Equals);
    const value = this.SUBRULE(this.expression);
    return { column, value };
  });

  /** `DELETE FROM t [[AS] x] [WHERE cond]`. */
  readonly deleteStatement = this.RULE('deleteStatement', (): DeleteStatement => {
    const start = this.CONSUME(K.DELETE);
    this.CONSUME(K.FROM);
    const table = this.SUBRULE(this.tableName);
    const alias = this.OPTION(() => this.SUBRULE(this.alias));
    const where = this.OPTION2(() => {
      this.CONSUME(K.WHERE);
      return this.SUBRULE(this.expression);
    });
    return {
      kind: 'delete', table, ...(alias === undefined ? {} : { alias }), ...(where === undefined ? {} : { where }),
      pos: this.posOf(start),
    };
  });
}
