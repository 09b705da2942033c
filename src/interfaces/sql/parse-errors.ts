/**
 * Syntax error messages: "Expected <what could come next> but found <the token> at line L, column C", then the line
 * and a caret. What could come next is computed from the grammar (chevrotain's content assist over the statement's
 * tokens before the offending one), grouped into words a user knows ("an expression", "an operator", "a data type",
 * "a column name") and listed by SQL spelling. Only error paths run this code.
 */
import { EOF, tokenLabel, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import type { SqlParseError } from '../../domain/shared/errors';
import type { SourcePos } from './ast';
import { expectedFromMessage } from './error-labels';
import {
  AdditiveOp, ComparisonOp, Concat, DecimalLiteral, Dot, DoubleColon, FloatLiteral, HexLiteral, Identifier,
  IntegerLiteral, K, LParen, Minus, MultiplicativeOp, Name, NamedParameter, Plus, QuotedIdentifier, Question,
  StringLiteral,
} from './lexer';
import { sqlParser } from './parser';
import type { SourceText } from './source-text';

/** Beyond this many tokens before the error the grammar walk is skipped: it costs ~40 µs a token (60 ms at 1,600). */
const MAX_ASSIST_PREFIX = 2000;

const EXPRESSION_STARTERS: ReadonlySet<TokenType> = new Set([
  Minus, Plus, K.NOT, IntegerLiteral, DecimalLiteral, FloatLiteral, StringLiteral, HexLiteral, K.TRUE, K.FALSE,
  K.NULL, K.DATE, K.TIME, K.TIMESTAMP, Question, NamedParameter, K.CURRENT_DATE, K.CURRENT_TIME,
  K.CURRENT_TIMESTAMP, K.CASE, K.CAST, K.EXISTS, LParen, Name,
]);
const OPERATORS: ReadonlySet<TokenType> = new Set([
  AdditiveOp, MultiplicativeOp, ComparisonOp, Concat, K.AND, K.OR, K.IS, K.IN, K.LIKE, K.BETWEEN, K.NOT, DoubleColon,
]);
const EXPRESSION_RULES: ReadonlySet<string> = new Set(['expression', 'primary', 'unaryExpression', 'castExpression']);
const NAME_LABELS: Readonly<Record<string, string>> = {
  tableName: 'a table name', columnName: 'a column name', zoneName: 'a zone name', indexName: 'an index name',
  aliasName: 'an alias', functionName: 'a function name',
};
const KEYWORD_TYPES: ReadonlySet<TokenType> = new Set(Object.values(K));

interface Suggestion {
  readonly type: TokenType;
  readonly ruleStack: readonly string[];
}

/** The SqlParseError for a chevrotain recognition exception met while parsing `tokens` (one statement). */
export function syntaxError(
  error: IRecognitionException,
  tokens: readonly IToken[],
  terminator: IToken | undefined,
  source: SourceText,
): SqlParseError {
  const atEnd = error.token.tokenType === EOF;
  const index = atEnd ? tokens.length : tokens.indexOf(error.token);
  const prefix = tokens.slice(0, index < 0 ? tokens.length : index);
  let expected = prefix.length <= MAX_ASSIST_PREFIX ? expectedAfter(prefix) : [];
  if (expected.length === 0) expected = expectedFromMessage(error.message);
  // A parse of the prefix alone is linear and cheap, unlike the grammar walk.
  if (canEndAfter(prefix)) expected = [...expected, 'the end of the statement'];
  const found = atEnd ? (terminator === undefined ? 'the end of input' : "';'") : describeToken(error.token);
  const pos = atEnd ? endPos(tokens, terminator, source) : posOf(error.token);
  return source.error(`Expected ${joinOr(expected)} but found ${found}`, pos, expected);
}

/** What may follow `prefix` (the tokens of a statement so far), grouped and labelled. */
export function expectedAfter(prefix: readonly IToken[]): string[] {
  if (prefix.length === 0) return ['a statement'];
  const suggestions: Suggestion[] = sqlParser()
    .computeContentAssist('statement', prefix as IToken[])
    .map((s) => ({ type: s.nextTokenType, ruleStack: s.ruleStack }));
  const types = new Set(suggestions.map((s) => s.type));
  const labels: string[] = [];
  const expressionStarts = types.has(IntegerLiteral) && types.has(Question) && types.has(K.CASE);
  const operators = [...OPERATORS].filter((t) => types.has(t)).length >= 3;
  for (const s of suggestions) {
    const inExpression = s.ruleStack.some((r) => EXPRESSION_RULES.has(r));
    if (expressionStarts && (s.type === Name || (inExpression && EXPRESSION_STARTERS.has(s.type)))) {
      labels.push('an expression');
    } else if (operators && (OPERATORS.has(s.type) || (inExpression && (s.type === Dot || s.type === LParen)))) {
      labels.push('an operator');
    } else {
      labels.push(labelOf(s));
    }
  }
  return [...new Set(labels)];
}

function labelOf(s: Suggestion): string {
  const rule = s.ruleStack[s.ruleStack.length - 1] ?? '';
  if (s.ruleStack.includes('signedLiteral')) return 'a literal';
  const typeWord = KEYWORD_TYPES.has(s.type) && s.type !== K.PRECISION && s.type !== K.VARYING;
  if (rule === 'dataType' && typeWord) return 'a data type';
  if (s.type === Name) return NAME_LABELS[rule] ?? 'a name';
  return tokenLabel(s.type);
}

/** True when `prefix` alone is a complete statement. */
function canEndAfter(prefix: readonly IToken[]): boolean {
  if (prefix.length === 0) return false;
  const parser = sqlParser();
  parser.input = prefix as IToken[];
  try {
    parser.statement();
    return parser.errors.length === 0;
  } catch {
    return false;
  }
}

function describeToken(token: IToken): string {
  const type = token.tokenType;
  if (type === Identifier || type === QuotedIdentifier || KEYWORD_TYPES.has(type)) return token.image;
  if (type === StringLiteral) {
    return `the string ${token.image.length > 40 ? `${token.image.slice(0, 37)}…'` : token.image}`;
  }
  if (type === IntegerLiteral || type === DecimalLiteral || type === FloatLiteral) return `the number ${token.image}`;
  if (type === HexLiteral || type === NamedParameter) return token.image;
  return `'${token.image}'`;
}

function posOf(token: IToken): SourcePos {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1 };
}

/** Where "the end" is: at the terminating ';', else just after the statement's last token. */
function endPos(tokens: readonly IToken[], terminator: IToken | undefined, source: SourceText): SourcePos {
  if (terminator !== undefined) return posOf(terminator);
  const last = tokens[tokens.length - 1];
  return last === undefined ? source.posAt(source.text.length) : source.posAt((last.endOffset ?? last.startOffset) + 1);
}

/** ['a', 'b', 'c'] → "a, b or c". */
export function joinOr(items: readonly string[]): string {
  if (items.length === 0) return 'something else';
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]!}`;
}
