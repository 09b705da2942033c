/**
 * CREATE / DROP / ALTER TABLE, each after its leading CREATE / DROP / ALTER (the statement rule consumes that and
 * passes its token for the position), and the IF [NOT] EXISTS helpers every DDL statement uses.
 */
import type { IToken, ParserMethod } from 'chevrotain';
import type {
  AlterTableAction, AlterTableStatement, ColumnDef, CreateTableStatement, DropTableStatement, Identifier, Literal,
} from './ast';
import { Comma, Equals, K, LParen, RParen, StringLiteral } from './lexer';
import { unquoteString } from './literals';
import { DmlParser } from './dml-rules';

type Constraint =
  | { readonly kind: 'primaryKey' | 'notNull' | 'null'; readonly token: IToken }
  | { readonly kind: 'default'; readonly token: IToken; readonly value: Literal };
type TableElement =
  | { readonly kind: 'column'; readonly column: ColumnDef; readonly token: IToken }
  | { readonly kind: 'primaryKey'; readonly columns: Identifier[]; readonly token: IToken };
type TableOption = { readonly key: 'zone'; readonly value: Identifier; readonly token: IToken }
  | { readonly key: 'storageProfile'; readonly value: string; readonly token: IToken };

export abstract class TableDdlParser extends DmlParser {
  readonly createTableBody = this.RULE('createTableBody', (start?: IToken): CreateTableStatement => {
    this.CONSUME(K.TABLE);
    const ifNotExists = this.ifNotExists();
    const name = this.SUBRULE(this.tableName);
    this.CONSUME(LParen);
    const elements = [this.SUBRULE(this.tableElement)];
    this.MANY(() => {
      this.CONSUME(Comma);
      elements.push(this.SUBRULE2(this.tableElement));
    });
    this.CONSUME(RParen);
    const options: TableOption[] = [];
    this.MANY2(() => {
      const given = this.SUBRULE(this.tableOption);
      this.ACTION(() => options.push(...given));
    });
    return this.ACTION(() => this.createTable(name, ifNotExists, elements, options, start!));
  });

  private createTable(
    name: Identifier, ifNotExists: boolean, elements: TableElement[], options: TableOption[], start: IToken,
  ): CreateTableStatement {
    const columns: ColumnDef[] = [];
    let primaryKey: Identifier[] | undefined;
    for (const element of elements) {
      if (element.kind === 'column') columns.push(element.column);
      const key = element.kind === 'primaryKey' ? element.columns : element.column.primaryKey ? [element.column.name] : undefined;
      if (key === undefined) continue;
      if (primaryKey !== undefined) {
        throw this.failAt(element.token, `Expected one PRIMARY KEY in table ${name.name} but found a second one`);
      }
      primaryKey = key;
    }
    const zone = this.single<Identifier>(options, 'zone');
    const storageProfile = this.single<string>(options, 'storageProfile');
    return {
      kind: 'createTable', name, ifNotExists, columns, primaryKey: primaryKey ?? [], ...(zone === undefined ? {} : { zone }),
      ...(storageProfile === undefined ? {} : { storageProfile }), pos: this.posOf(start),
    };
  }

  private single<T extends TableOption['value']>(options: TableOption[], key: TableOption['key']): T | undefined {
    const given = options.filter((o) => o.key === key);
    const clause = key === 'zone' ? 'ZONE' : 'STORAGE PROFILE';
    if (given.length > 1) throw this.failAt(given[1]!.token, `Expected ${clause} once but found it again`);
    return given[0]?.value as T | undefined;
  }

  /**
   * `IF NOT EXISTS`, inlined into the calling rule (not a rule of its own) so that its lookahead sees the name that
   * follows: `CREATE TABLE if (…)` names a table `if`. OPTION9 / OPTION8 are reserved for these two in every rule.
   */
  protected ifNotExists(): boolean {
    const given = this.OPTION9(() => {
      this.CONSUME9(K.IF);
      this.CONSUME9(K.NOT);
      this.CONSUME9(K.EXISTS);
      return true;
    });
    return given === true;
  }

  /** `IF EXISTS`, inlined like ifNotExists. */
  protected ifExists(): boolean {
    const given = this.OPTION8(() => {
      this.CONSUME8(K.IF);
      this.CONSUME8(K.EXISTS);
      return true;
    });
    return given === true;
  }

  readonly tableElement = this.RULE('tableElement', (): TableElement => {
    return this.OR<TableElement>([
      { ALT: () => {
        const token = this.CONSUME(K.PRIMARY);
        this.CONSUME(K.KEY);
        this.CONSUME(LParen);
        const columns = [this.SUBRULE(this.columnName)];
        this.MANY(() => {
          this.CONSUME(Comma);
          columns.push(this.SUBRULE2(this.columnName));
        });
        this.CONSUME(RParen);
        return { kind: 'primaryKey', columns, token };
      } },
      { ALT: () => {
        const token = this.LA(1);
        return { kind: 'column', column: this.SUBRULE(this.columnDef), token };
      } },
    ]);
  });

  /** `name type [PRIMARY KEY | NOT NULL | NULL | DEFAULT literal]…`. */
  readonly columnDef = this.RULE('columnDef', (): ColumnDef => {
    const name = this.SUBRULE(this.columnName);
    const type = this.SUBRULE(this.dataType);
    const constraints: Constraint[] = [];
    this.MANY(() => constraints.push(this.SUBRULE(this.columnConstraint)));
    return this.ACTION(() => {
      let column: ColumnDef = { name, type, primaryKey: false, pos: name.pos };
      const seen = new Set<string>();
      for (const c of constraints) {
        const nullability = c.kind === 'null' || c.kind === 'notNull';
        const group = nullability ? 'nullability' : c.kind;
        if (seen.has(group)) {
          throw this.failAt(c.token, `Expected one ${describe(c.kind)} for column ${name.name} but found another`);
        }
        seen.add(group);
        if (c.kind === 'primaryKey') column = { ...column, primaryKey: true };
        else if (nullability) column = { ...column, nullable: c.kind === 'null' };
        else if (c.kind === 'default') column = { ...column, default: c.value };
      }
      return column;
    });
  });

  readonly columnConstraint = this.RULE('columnConstraint', (): Constraint => {
    return this.OR<Constraint>([
      { ALT: () => {
        const token = this.CONSUME(K.PRIMARY);
        this.CONSUME(K.KEY);
        return { kind: 'primaryKey', token };
      } },
      { ALT: () => {
        const token = this.CONSUME(K.NOT);
        this.CONSUME(K.NULL);
        return { kind: 'notNull', token };
      } },
      { ALT: () => ({ kind: 'null', token: this.CONSUME2(K.NULL) }) },
      { ALT: () => {
        const token = this.CONSUME(K.DEFAULT);
        return { kind: 'default', token, value: this.SUBRULE(this.signedLiteral) };
      } },
    ]);
  });

  /** `ZONE z`, `STORAGE PROFILE 'p'`, or Ignite 3's `WITH PRIMARY_ZONE = 'z', STORAGE_PROFILE = 'p'`. */
  readonly tableOption = this.RULE('tableOption', (): TableOption[] => {
    return this.OR<TableOption[]>([
      { ALT: () => {
        const token = this.CONSUME(K.ZONE);
        this.OPTION(() => this.CONSUME(Equals));
        return [{ key: 'zone', value: this.SUBRULE(this.zoneName), token }];
      } },
      { ALT: () => {
        const token = this.CONSUME(K.STORAGE);
        this.CONSUME(K.PROFILE);
        this.OPTION2(() => this.CONSUME2(Equals));
        return [{ key: 'storageProfile', value: this.SUBRULE(this.stringValue), token }];
      } },
      { ALT: () => {
        this.CONSUME(K.WITH);
        const options = [this.SUBRULE(this.withTableOption)];
        this.MANY(() => {
          this.CONSUME(Comma);
          options.push(this.SUBRULE2(this.withTableOption));
        });
        return options;
      } },
    ]);
  });

  readonly withTableOption = this.RULE('withTableOption', (): TableOption => {
    return this.OR<TableOption>([
      { ALT: () => {
        const token = this.CONSUME(K.PRIMARY_ZONE);
        this.CONSUME(Equals);
        // A string names the zone like an unquoted identifier (matched case-insensitively).
        const value = this.OR2([
          { ALT: () => this.SUBRULE(this.zoneName) },
          { ALT: () => {
            const text = this.CONSUME(StringLiteral);
            return this.ACTION((): Identifier => ({
              name: unquoteString(text.image), quoted: false, pos: this.posOf(text),
            }));
          } },
        ]);
        return { key: 'zone', value, token };
      } },
      { ALT: () => {
        const token = this.CONSUME(K.STORAGE_PROFILE);
        this.CONSUME2(Equals);
        return { key: 'storageProfile', value: this.SUBRULE(this.stringValue), token };
      } },
    ]);
  });

  /** After ALTER: `TABLE [IF EXISTS] t` + `ADD [COLUMN] def`, `ADD [COLUMN] (def, …)`, `DROP [COLUMN] c` or `(c, …)`. */
  readonly alterTableBody = this.RULE('alterTableBody', (start?: IToken): AlterTableStatement => {
    this.CONSUME(K.TABLE);
    const ifExists = this.ifExists();
    const name = this.SUBRULE(this.tableName);
    const action = this.OR<AlterTableAction>([
      { ALT: () => {
        this.CONSUME(K.ADD);
        this.OPTION(() => this.CONSUME(K.COLUMN));
        return { kind: 'addColumns', columns: this.parenthesizedOrOne(this.columnDef, 1) };
      } },
      { ALT: () => {
        this.CONSUME(K.DROP);
        this.OPTION2(() => this.CONSUME2(K.COLUMN));
        return { kind: 'dropColumns', columns: this.parenthesizedOrOne(this.columnName, 2) };
      } },
    ]);
    return { kind: 'alterTable', name, ifExists, action, pos: this.posOf(start) };
  });

  /** `x` or `(x, x, …)`; `occurrence` (1, 2) keeps chevrotain's occurrence numbers unique per call site. */
  private parenthesizedOrOne<T>(rule: ParserMethod<[], T>, occurrence: number): T[] {
    return this.or(occurrence + 1, [
      { ALT: () => [this.SUBRULE(rule)] },
      { ALT: () => {
        this.consume(occurrence, LParen);
        const list = [this.SUBRULE2(rule)];
        this.many(occurrence, () => {
          this.consume(occurrence, Comma);
          list.push(this.SUBRULE3(rule));
        });
        this.consume(occurrence, RParen);
        return list;
      } },
    ]) as T[];
  }

  /** After DROP: `TABLE [IF EXISTS] t`. */
  readonly dropTableBody = this.RULE('dropTableBody', (start?: IToken): DropTableStatement => {
    this.CONSUME(K.TABLE);
    const ifExists = this.ifExists();
    const name = this.SUBRULE(this.tableName);
    return { kind: 'dropTable', name, ifExists, pos: this.posOf(start) };
  });
}

function describe(kind: Constraint['kind']): string {
  return kind === 'primaryKey' ? 'PRIMARY KEY' : kind === 'default' ? 'DEFAULT' : 'NULL or NOT NULL';
}
