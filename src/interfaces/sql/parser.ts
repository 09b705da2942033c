/**
 * The statement rule on top of the grammar's class chain, and the one parser instance (chevrotain parsers are built
 * once, analysed at construction, and reused by setting `input`; building one costs far more than a parse).
 */
import type { ExplainableStatement, Statement } from './ast';
import { K } from './lexer';
import { ZoneDdlParser } from './zone-rules';

export class SqlParser extends ZoneDdlParser {
  /** `validate` checks the grammar for ambiguities at construction (a test does; the shared instance skips it). */
  constructor(options: { readonly validate?: boolean } = {}) {
    super(options.validate === true);
    this.performSelfAnalysis();
  }

  readonly statement = this.RULE('statement', (): Statement => {
    return this.OR<Statement>([
      { ALT: () => this.SUBRULE(this.explainable) },
      { ALT: () => {
        const start = this.CONSUME(K.CREATE);
        return this.OR2<Statement>([
          { ALT: () => this.SUBRULE(this.createZoneBody, { ARGS: [start] }) },
          { ALT: () => this.SUBRULE(this.createTableBody, { ARGS: [start] }) },
          { ALT: () => this.SUBRULE(this.createIndexBody, { ARGS: [start] }) },
        ]);
      } },
      { ALT: () => {
        const start = this.CONSUME(K.DROP);
        return this.OR3<Statement>([
          { ALT: () => this.SUBRULE(this.dropZoneBody, { ARGS: [start] }) },
          { ALT: () => this.SUBRULE(this.dropTableBody, { ARGS: [start] }) },
          { ALT: () => this.SUBRULE(this.dropIndexBody, { ARGS: [start] }) },
        ]);
      } },
      { ALT: () => {
        const start = this.CONSUME(K.ALTER);
        return this.OR4<Statement>([
          { ALT: () => this.SUBRULE(this.alterZoneBody, { ARGS: [start] }) },
          { ALT: () => this.SUBRULE(this.alterTableBody, { ARGS: [start] }) },
        ]);
      } },
      { ALT: () => this.SUBRULE(this.transactionStatement) },
      { ALT: () => {
        const start = this.CONSUME(K.EXPLAIN);
        this.OPTION(() => {
          this.CONSUME(K.PLAN);
          this.CONSUME(K.FOR);
        });
        const statement = this.SUBRULE2(this.explainable);
        return { kind: 'explain', statement, pos: this.posOf(start) };
      } },
    ]);
  });

  /** The statements EXPLAIN accepts: queries and DML. */
  readonly explainable = this.RULE('explainable', (): ExplainableStatement => {
    return this.OR<ExplainableStatement>([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.updateStatement) },
      { ALT: () => this.SUBRULE(this.deleteStatement) },
    ]);
  });

  /** START TRANSACTION / BEGIN [TRANSACTION | WORK] [READ ONLY | READ WRITE]; COMMIT / ROLLBACK [TRANSACTION | WORK]. */
  readonly transactionStatement = this.RULE('transactionStatement', (): Statement => {
    return this.OR<Statement>([
      { ALT: () => {
        const start = this.CONSUME(K.START);
        this.CONSUME(K.TRANSACTION);
        const readOnly = this.OPTION(() => this.SUBRULE(this.accessMode)) ?? false;
        return { kind: 'startTransaction', readOnly, pos: this.posOf(start) };
      } },
      { ALT: () => {
        const start = this.CONSUME(K.BEGIN);
        this.OPTION2(() => this.SUBRULE(this.transactionWord));
        const readOnly = this.OPTION3(() => this.SUBRULE2(this.accessMode)) ?? false;
        return { kind: 'startTransaction', readOnly, pos: this.posOf(start) };
      } },
      { ALT: () => {
        const start = this.CONSUME(K.COMMIT);
        this.OPTION4(() => this.SUBRULE3(this.transactionWord));
        return { kind: 'commit', pos: this.posOf(start) };
      } },
      { ALT: () => {
        const start = this.CONSUME(K.ROLLBACK);
        this.OPTION5(() => this.SUBRULE4(this.transactionWord));
        return { kind: 'rollback', pos: this.posOf(start) };
      } },
    ]);
  });

  readonly transactionWord = this.RULE('transactionWord', (): void => {
    this.OR([{ ALT: () => this.CONSUME(K.TRANSACTION) }, { ALT: () => this.CONSUME(K.WORK) }]);
  });

  /** READ ONLY → true, READ WRITE → false. */
  readonly accessMode = this.RULE('accessMode', (): boolean => {
    this.CONSUME(K.READ);
    return this.OR([
      { ALT: () => this.keyword(K.ONLY, true) },
      { ALT: () => this.keyword(K.WRITE, false) },
    ]);
  });
}

let instance: SqlParser | undefined;

/** The shared parser, built on first use (the grammar analysis takes ~100 ms on a cold start). */
export function sqlParser(): SqlParser {
  instance ??= new SqlParser();
  return instance;
}
