/**
 * The root of the grammar's class chain, one file per link: base (names, data types, literals) → primary-rules →
 * expression-rules → query-rules → dml-rules → table-rules → index-rules → zone-rules → parser (statements). The
 * chain is one chevrotain EmbeddedActionsParser that builds the AST directly; rules are class fields, created once
 * per parser instance, and the parser is a singleton (parser.ts). A rule may call rules defined further down the
 * chain (declared abstract where needed): they are only looked up when the grammar is recorded, after construction.
 *
 * Semantic actions that can throw or that read the values of other rules are wrapped in ACTION: during chevrotain's
 * recording phase (at construction) the rules run with placeholder tokens and sub-rule results.
 */
import { EmbeddedActionsParser, type IToken, type TokenType } from 'chevrotain';
import type { SqlParseError } from '../../domain/shared/errors';
import type { DataType, Identifier, Literal, SourcePos } from './ast';
import {
  ALL_TOKENS, Comma, DecimalLiteral, FloatLiteral, HexLiteral, IntegerLiteral, K, LParen, Minus, Name,
  QuotedIdentifier, RParen, StringLiteral,
} from './lexer';
import { decimalText, hexBytes, integerLiteral, negateLiteral, unquoteIdentifier, unquoteString } from './literals';
import { EXPECTED_AS_JSON } from './error-labels';
import { SourceText } from './source-text';

type TypeName = DataType['type'];
/** `(n)` of VARCHAR / VARBINARY is a length; `(p)` / `(p, s)` of DECIMAL, TIME, TIMESTAMP a precision and scale. */
const LENGTH_TYPES: ReadonlySet<TypeName> = new Set<TypeName>(['VARCHAR', 'VARBINARY']);
type TypeArgs = readonly number[];

export abstract class SqlParserBase extends EmbeddedActionsParser {
  /** The text being parsed: set by parse.ts before each parse, read by actions that report errors. */
  source = new SourceText('');
  /** `?` parameters met so far in the statement being parsed (reset with the input). */
  protected parameterCount = 0;

  /** `validate`: run chevrotain's grammar checks (ambiguities, left recursion, …); they double the build time. */
  protected constructor(validate: boolean) {
    super(ALL_TOKENS as TokenType[], {
      maxLookahead: 3, errorMessageProvider: EXPECTED_AS_JSON, skipValidations: !validate,
    });
  }

  override reset(): void {
    super.reset();
    this.parameterCount = 0;
  }

  /** Tolerates the placeholders of the recording phase (no token, no line). */
  protected posOf(token: IToken | undefined): SourcePos {
    return { line: token?.startLine ?? 1, column: token?.startColumn ?? 1 };
  }

  protected failAt(token: IToken, what: string, expected: readonly string[] = []): SqlParseError {
    return this.source.error(what, this.posOf(token), expected);
  }

  protected identifierOf(token: IToken): Identifier {
    if (token.tokenType !== QuotedIdentifier) return { name: token.image, quoted: false, pos: this.posOf(token) };
    const name = unquoteIdentifier(token.image);
    if (name === '') throw this.failAt(token, 'Expected a name between the double quotes but found ""', ['a name']);
    return { name, quoted: true, pos: this.posOf(token) };
  }

  // The name rules differ only in name: error messages say "a table name", "a column name", ... after them.
  readonly tableName = this.RULE('tableName', () => this.nameToken());
  readonly columnName = this.RULE('columnName', () => this.nameToken());
  readonly zoneName = this.RULE('zoneName', () => this.nameToken());
  readonly indexName = this.RULE('indexName', () => this.nameToken());
  readonly aliasName = this.RULE('aliasName', () => this.nameToken());
  readonly functionName = this.RULE('functionName', () => this.nameToken());

  private nameToken(): Identifier {
    const token = this.CONSUME(Name);
    return this.ACTION(() => this.identifierOf(token));
  }

  /** `'text'` → text. */
  readonly stringValue = this.RULE('stringValue', () => unquoteString(this.CONSUME(StringLiteral).image));

  /** An unsigned integer that must fit a JavaScript number (partitions, lengths, precisions). */
  readonly integerValue = this.RULE('integerValue', (): number => {
    const token = this.CONSUME(IntegerLiteral);
    return this.ACTION(() => {
      const value = Number(token.image);
      if (!Number.isSafeInteger(value)) throw this.failAt(token, `Expected a smaller number but found ${token.image}`);
      return value;
    });
  });

  /** A literal: numbers, strings, TRUE/FALSE/NULL, x'..', DATE/TIME/TIMESTAMP '..'. */
  readonly literal = this.RULE('literal', (): Literal => {
    return this.OR<Literal>([
      { ALT: () => this.numberLiteral() },
      { ALT: () => this.stringLiteral() },
      { ALT: () => this.hexLiteral() },
      { ALT: () => ({ kind: 'boolean', value: true, pos: this.posOf(this.CONSUME(K.TRUE)) }) },
      { ALT: () => ({ kind: 'boolean', value: false, pos: this.posOf(this.CONSUME(K.FALSE)) }) },
      { ALT: () => ({ kind: 'null', pos: this.posOf(this.CONSUME(K.NULL)) }) },
      { ALT: () => this.temporalLiteral(K.DATE, 'DATE', 1) },
      { ALT: () => this.temporalLiteral(K.TIME, 'TIME', 2) },
      { ALT: () => this.temporalLiteral(K.TIMESTAMP, 'TIMESTAMP', 3) },
    ]);
  });

  private numberLiteral(): Literal {
    return this.OR2<Literal>([
      { ALT: () => {
        const token = this.CONSUME(IntegerLiteral);
        return this.ACTION(() => integerLiteral(BigInt(token.image), this.posOf(token)));
      } },
      { ALT: () => {
        const token = this.CONSUME(DecimalLiteral);
        return { kind: 'decimal', text: decimalText(token.image), pos: this.posOf(token) };
      } },
      { ALT: () => {
        const token = this.CONSUME(FloatLiteral);
        return { kind: 'float', value: Number(token.image), pos: this.posOf(token) };
      } },
    ]);
  }

  private stringLiteral(): Literal {
    const token = this.CONSUME(StringLiteral);
    return { kind: 'string', value: unquoteString(token.image), pos: this.posOf(token) };
  }

  private hexLiteral(): Literal {
    const token = this.CONSUME(HexLiteral);
    return this.ACTION(() => {
      const value = hexBytes(token.image);
      if (value !== undefined) return { kind: 'bytes', value, pos: this.posOf(token) };
      throw this.failAt(token, `Expected an even number of hex digits (0-9, A-F) but found ${token.image}`, [
        'hex digits',
      ]);
    });
  }

  /** `occurrence` tells the three calls apart (chevrotain numbers each CONSUME of a token type within a rule). */
  private temporalLiteral(keyword: TokenType, type: 'DATE' | 'TIME' | 'TIMESTAMP', occurrence: number): Literal {
    const token = this.CONSUME(keyword);
    const value = this.consume(occurrence, StringLiteral);
    return { kind: 'temporal', type, value: unquoteString(value.image), pos: this.posOf(token) };
  }

  /** A literal with an optional leading `-` folded into it (`DEFAULT -1`). */
  readonly signedLiteral = this.RULE('signedLiteral', (): Literal => {
    const minus = this.OPTION(() => this.CONSUME(Minus));
    const literal = this.SUBRULE(this.literal);
    return this.ACTION(() => {
      if (minus === undefined) return literal;
      const negated = negateLiteral(literal, this.posOf(minus));
      if (negated !== undefined) return negated;
      throw this.failAt(minus, `Expected a number after '-' but found ${this.describeLiteral(literal)}`, ['a number']);
    });
  });

  private describeLiteral(literal: Literal): string {
    if (literal.kind === 'string') return 'a string';
    return literal.kind === 'temporal' ? `a ${literal.type} literal` : literal.kind.toUpperCase();
  }

  /** A type by its SQL name or alias, normalized (INTEGER → INT, TEXT → VARCHAR, DOUBLE PRECISION → DOUBLE, …). */
  readonly dataType = this.RULE('dataType', (): DataType => {
    const start = this.LA(1);
    const choice = this.OR<[TypeName, TypeArgs?]>([
      { ALT: () => [this.keyword(K.BOOLEAN, 'BOOLEAN')] },
      { ALT: () => [this.keyword(K.TINYINT, 'TINYINT')] },
      { ALT: () => [this.keyword(K.SMALLINT, 'SMALLINT')] },
      { ALT: () => [this.keyword(K.INT, 'INT')] },
      { ALT: () => [this.keyword(K.INTEGER, 'INT')] },
      { ALT: () => [this.keyword(K.BIGINT, 'BIGINT')] },
      { ALT: () => [this.keyword(K.REAL, 'REAL')] },
      { ALT: () => {
        this.CONSUME(K.DOUBLE);
        this.option(20, () => this.CONSUME(K.PRECISION));
        return ['DOUBLE'];
      } },
      { ALT: () => [this.keyword(K.FLOAT, 'DOUBLE')] },
      { ALT: () => [this.keyword(K.DECIMAL, 'DECIMAL'), this.typeArgs(1, true)] },
      { ALT: () => [this.keyword(K.NUMERIC, 'DECIMAL'), this.typeArgs(2, true)] },
      { ALT: () => [this.keyword(K.VARCHAR, 'VARCHAR'), this.typeArgs(3, false)] },
      { ALT: () => [this.twoWords(K.CHAR, 'VARCHAR', 1), this.typeArgs(4, false)] },
      { ALT: () => [this.keyword(K.TEXT, 'VARCHAR')] },
      { ALT: () => [this.keyword(K.STRING, 'VARCHAR')] },
      { ALT: () => [this.keyword(K.VARBINARY, 'VARBINARY'), this.typeArgs(5, false)] },
      { ALT: () => [this.twoWords(K.BINARY, 'VARBINARY', 2), this.typeArgs(6, false)] },
      { ALT: () => [this.keyword(K.DATE, 'DATE')] },
      { ALT: () => [this.keyword(K.TIME, 'TIME'), this.typeArgs(7, false)] },
      { ALT: () => [this.keyword(K.TIMESTAMP, 'TIMESTAMP'), this.typeArgs(8, false)] },
      { ALT: () => [this.keyword(K.UUID, 'UUID')] },
    ]);
    return this.ACTION(() => this.typeWithArgs(choice[0], choice[1], start));
  });

  /** Consumes `keyword` (its first occurrence in the rule) and returns `value`. */
  protected keyword<T>(keyword: TokenType, value: T): T {
    this.CONSUME(keyword);
    return value;
  }

  /** CHAR VARYING, BINARY VARYING; `occurrence` tells the two VARYINGs apart. */
  private twoWords(keyword: TokenType, type: TypeName, occurrence: number): TypeName {
    this.CONSUME(keyword);
    this.consume(occurrence, K.VARYING);
    return type;
  }

  /** `[(n)]` or, when `two`, `[(p [, s])]`; `occurrence` (1..8) keeps each type's occurrence numbers apart. */
  private typeArgs(occurrence: number, two: boolean): TypeArgs | undefined {
    return this.option(occurrence, () => {
      this.consume(occurrence, LParen);
      const values = [this.subrule(2 * occurrence, this.integerValue)];
      if (two) {
        this.option(10 + occurrence, () => {
          this.consume(occurrence, Comma);
          values.push(this.subrule(2 * occurrence + 1, this.integerValue));
        });
      }
      this.consume(occurrence, RParen);
      return values;
    });
  }

  private typeWithArgs(type: TypeName, args: TypeArgs | undefined, start: IToken): DataType {
    const pos = this.posOf(start);
    const [first, second] = args ?? [];
    if (first === undefined) return { type, pos };
    if (LENGTH_TYPES.has(type)) return { type, length: first, pos };
    return second === undefined ? { type, precision: first, pos } : { type, precision: first, scale: second, pos };
  }
}
