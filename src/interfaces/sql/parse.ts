/**
 * The SQL front end's entry points: text → AST. `parseStatement` for one statement (`node.sql`), `parseStatements`
 * for a script (`exec`). Errors are SqlParseError (code SQL_PARSE) with line, column, the expected tokens by SQL
 * spelling, and a message that ends with the offending line and a caret.
 *
 * A script is split into statements at `;` tokens (a `;` inside a string, quoted name or comment is not a token), so
 * each statement parses on its own and an error names the statement it is in.
 */
import type { IToken } from 'chevrotain';
import type { Statement } from './ast';
import {
  DecimalLiteral, FloatLiteral, IntegerLiteral, Semicolon, sqlLexer, UnterminatedComment, UnterminatedQuotedIdentifier,
  UnterminatedString,
} from './lexer';
import { syntaxError } from './parse-errors';
import { sqlParser } from './parser';
import { SourceText } from './source-text';

interface StatementTokens {
  readonly tokens: IToken[];
  /** The `;` that ends the statement; undefined for a last statement without one. */
  readonly terminator: IToken | undefined;
}

/** A script: statements separated by `;` (a trailing `;` is optional; empty statements are skipped). */
export function parseStatements(text: string): Statement[] {
  const source = new SourceText(text);
  return split(lex(source))
    .filter((s) => s.tokens.length > 0)
    .map((s) => parseOne(s, source));
}

/** Exactly one statement, optionally followed by one `;`. */
export function parseStatement(text: string): Statement {
  const source = new SourceText(text);
  const [first, second] = split(lex(source));
  if (first === undefined || first.tokens.length === 0) {
    const found = first?.terminator;
    const pos = found === undefined ? source.posAt(text.length) : posOf(found);
    const what = found === undefined ? 'the end of input' : "';'";
    throw source.error(`Expected a statement but found ${what}`, pos, ['a statement']);
  }
  const statement = parseOne(first, source);
  const extra = second?.tokens[0] ?? second?.terminator;
  if (extra !== undefined) {
    const what = extra.tokenType === Semicolon ? "';'" : extra.image;
    const message = `Expected the end of input after the statement (one statement only) but found ${what}`;
    throw source.error(message, posOf(extra), ['the end of input']);
  }
  return statement;
}

function parseOne(statement: StatementTokens, source: SourceText): Statement {
  const parser = sqlParser();
  parser.source = source;
  parser.input = statement.tokens;
  const result = parser.statement();
  const error = parser.errors[0];
  if (error !== undefined) throw syntaxError(error, statement.tokens, statement.terminator, source);
  return result;
}

function split(tokens: readonly IToken[]): StatementTokens[] {
  const statements: StatementTokens[] = [];
  let current: IToken[] = [];
  for (const token of tokens) {
    if (token.tokenType === Semicolon) {
      statements.push({ tokens: current, terminator: token });
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) statements.push({ tokens: current, terminator: undefined });
  return statements;
}

/** Tokens without whitespace and comments; lexical errors (bad characters, unterminated strings) throw. */
function lex(source: SourceText): IToken[] {
  const { tokens, errors } = sqlLexer.tokenize(source.text);
  const bad = errors[0];
  if (bad !== undefined) {
    const char = source.text.slice(bad.offset, bad.offset + 1);
    const what = `Expected a keyword, name, number, string or operator but found the character ${JSON.stringify(char)}`;
    throw source.error(what, source.posAt(bad.offset), ['a token']);
  }
  for (let i = 0; i < tokens.length; i++) checkToken(tokens[i]!, tokens[i + 1], source);
  return tokens;
}

const UNTERMINATED: ReadonlyMap<unknown, string> = new Map([
  [UnterminatedString, "a closing ' for the string starting here"],
  [UnterminatedQuotedIdentifier, 'a closing " for the quoted name starting here'],
  [UnterminatedComment, 'a closing */ for the comment starting here'],
]);
const NUMBERS: ReadonlySet<unknown> = new Set([IntegerLiteral, DecimalLiteral, FloatLiteral]);

function checkToken(token: IToken, next: IToken | undefined, source: SourceText): void {
  const unterminated = UNTERMINATED.get(token.tokenType);
  if (unterminated !== undefined) {
    const closing = unterminated.split(' for ')[0]!;
    throw source.error(`Expected ${unterminated} but found the end of input`, posOf(token), [closing]);
  }
  // `12abc` would otherwise read as the number 12 with the alias abc.
  const adjacent = next !== undefined && next.startOffset === (token.endOffset ?? token.startOffset) + 1;
  if (NUMBERS.has(token.tokenType) && adjacent && /^[A-Za-z_\u0080-\uffff"]/.test(next.image)) {
    throw source.error(`Expected a number but found ${token.image}${next.image}`, posOf(token), ['a number']);
  }
}

function posOf(token: IToken): { line: number; column: number } {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1 };
}
