/** CREATE INDEX and DROP INDEX, each after its leading CREATE / DROP (whose token gives the position). */
import type { IToken } from 'chevrotain';
import type { CreateIndexStatement, DropIndexStatement, IndexColumn } from './ast';
import { Comma, K, LParen, RParen } from './lexer';
import { TableDdlParser } from './table-rules';

export abstract class IndexDdlParser extends TableDdlParser {
  /** `INDEX [IF NOT EXISTS] i ON t [USING SORTED | HASH] (c [ASC | DESC], …)`. */
  readonly createIndexBody = this.RULE('createIndexBody', (start?: IToken): CreateIndexStatement => {
    this.CONSUME(K.INDEX);
    const ifNotExists = this.ifNotExists();
    const name = this.SUBRULE(this.indexName);
    this.CONSUME(K.ON);
    const table = this.SUBRULE(this.tableName);
    const type = this.OPTION(() => {
      this.CONSUME(K.USING);
      return this.OR([
        { ALT: () => this.keyword(K.SORTED, 'SORTED' as const) },
        { ALT: () => this.keyword(K.HASH, 'HASH' as const) },
      ]);
    }) ?? 'SORTED';
    this.CONSUME(LParen);
    const columns = [this.SUBRULE(this.indexColumn)];
    this.MANY(() => {
      this.CONSUME(Comma);
      columns.push(this.SUBRULE2(this.indexColumn));
    });
    this.CONSUME(RParen);
    return { kind: 'createIndex', name, ifNotExists, table, type, columns, pos: this.posOf(start) };
  });

  readonly indexColumn = this.RULE('indexColumn', (): IndexColumn => {
    const name = this.SUBRULE(this.columnName);
    const order = this.OPTION(() => this.OR([
      { ALT: () => this.keyword(K.ASC, 'ASC' as const) },
      { ALT: () => this.keyword(K.DESC, 'DESC' as const) },
    ]));
    return order === undefined ? { name } : { name, order };
  });

  /** After DROP: `INDEX [IF EXISTS] i`. */
  readonly dropIndexBody = this.RULE('dropIndexBody', (start?: IToken): DropIndexStatement => {
    this.CONSUME(K.INDEX);
    const ifExists = this.ifExists();
    const name = this.SUBRULE(this.indexName);
    return { kind: 'dropIndex', name, ifExists, pos: this.posOf(start) };
  });
}
