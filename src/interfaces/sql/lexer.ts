/**
 * The SQL lexer: token types and one chevrotain Lexer built at module load (it is stateless between calls).
 *
 * Keywords are case-insensitive. RESERVED_WORDS cannot name a column, table, zone, index or alias unless quoted;
 * NON_RESERVED_WORDS (type names, zone options, KEY, INDEX, ZONE, ...) can, because every position where the grammar
 * expects a name also accepts them (they share the `Name` category with identifiers). Function names (COUNT, SUM,
 * COALESCE, ...) are plain identifiers, not keywords.
 *
 * Every token type's LABEL is its SQL spelling ('FROM', "','", 'a number'): error messages list expected tokens by it.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const RESERVED_WORDS = [
  'ALL', 'ALTER', 'AND', 'AS', 'ASC', 'BETWEEN', 'BY', 'CASE', 'CAST', 'COLUMN', 'CREATE', 'CROSS', 'CURRENT_DATE',
  'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'DEFAULT', 'DELETE', 'DESC', 'DISTINCT', 'DROP', 'ELSE', 'END', 'ESCAPE',
  'EXCEPT', 'EXISTS', 'FALSE', 'FROM', 'FULL', 'GROUP', 'HAVING', 'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTO', 'IS',
  'JOIN', 'LEFT', 'LIKE', 'LIMIT', 'NATURAL', 'NOT', 'NULL', 'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'PRIMARY',
  'RIGHT', 'SELECT', 'SET', 'TABLE', 'THEN', 'TRUE', 'UNION', 'UPDATE', 'USING', 'VALUES', 'WHEN', 'WHERE', 'WITH',
] as const;

export const NON_RESERVED_WORDS = [
  'ADD', 'BEGIN', 'BIGINT', 'BINARY', 'BOOLEAN', 'CHAR', 'COMMIT', 'DATE', 'DECIMAL', 'DOUBLE', 'EXPLAIN', 'FIRST',
  'FLOAT', 'FOR', 'HASH', 'IF', 'INDEX', 'INT', 'INTEGER', 'KEY', 'LAST', 'NULLS', 'NUMERIC', 'ONLY', 'PARTITIONS',
  'PLAN', 'PRECISION', 'PRIMARY_ZONE', 'PROFILE', 'PROFILES', 'READ', 'REAL', 'REPLICAS', 'ROLLBACK', 'SMALLINT',
  'SORTED', 'START', 'STORAGE', 'STORAGE_PROFILE', 'STORAGE_PROFILES', 'STRING', 'TEXT', 'TIME', 'TIMESTAMP',
  'TINYINT', 'TRANSACTION', 'UUID', 'VARBINARY', 'VARCHAR', 'VARYING', 'WORK', 'WRITE', 'ZONE',
] as const;

export type Keyword = (typeof RESERVED_WORDS)[number] | (typeof NON_RESERVED_WORDS)[number];

/** Anything that can name an object: identifiers, quoted identifiers and non-reserved keywords. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });
/** '+' and '-' as binary operators. */
export const AdditiveOp = createToken({ name: 'AdditiveOp', pattern: Lexer.NA, label: "'+' or '-'" });
/** '*', '/' and '%'. */
export const MultiplicativeOp = createToken({ name: 'MultiplicativeOp', pattern: Lexer.NA, label: "'*', '/' or '%'" });
/** '=', '<>', '!=', '<', '<=', '>', '>='. */
export const ComparisonOp = createToken({ name: 'ComparisonOp', pattern: Lexer.NA, label: 'a comparison operator' });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\r\n]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });
/** Matches only where BlockComment failed: a comment that runs to the end of the text. Never parsed; parse.ts reports it. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/ });

export const FloatLiteral = createToken({
  name: 'FloatLiteral', pattern: /(?:\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+/, label: 'a number',
});
export const DecimalLiteral = createToken({ name: 'DecimalLiteral', pattern: /\d+\.\d*|\.\d+/, label: 'a number' });
export const IntegerLiteral = createToken({ name: 'IntegerLiteral', pattern: /\d+/, label: 'a number' });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/, label: 'a string' });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /'[\s\S]*/ });
export const HexLiteral = createToken({ name: 'HexLiteral', pattern: /[xX]'[^']*'/, label: "a binary literal x'…'" });
export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier', pattern: /"(?:[^"]|"")*"/, categories: [Name], label: 'a quoted name',
});
export const UnterminatedQuotedIdentifier = createToken({ name: 'UnterminatedQuotedIdentifier', pattern: /"[\s\S]*/ });
export const NamedParameter = createToken({
  name: 'NamedParameter', pattern: /:[A-Za-z_][A-Za-z0-9_]*/, label: 'a parameter (:name)',
});
export const DoubleColon = createToken({ name: 'DoubleColon', pattern: /::/, label: "'::'" });
export const Identifier = createToken({
  name: 'Identifier', pattern: /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/, categories: [Name], label: 'a name',
});

/** Keywords always followed by the same word are listed as both in error messages. */
const TWO_WORD_LABELS: Partial<Record<Keyword, string>> = { GROUP: 'GROUP BY', ORDER: 'ORDER BY', PRIMARY: 'PRIMARY KEY' };

function keywordToken(word: Keyword, reserved: boolean): TokenType {
  return createToken({
    name: word,
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    categories: reserved ? [] : [Name],
    label: TWO_WORD_LABELS[word] ?? word,
  });
}

/** The keyword token types by upper-case spelling. */
export const K = Object.fromEntries([
  ...RESERVED_WORDS.map((w) => [w, keywordToken(w, true)] as const),
  ...NON_RESERVED_WORDS.map((w) => [w, keywordToken(w, false)] as const),
]) as Readonly<Record<Keyword, TokenType>>;

function op(name: string, pattern: RegExp, text: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern, label: `'${text}'`, categories });
}

export const NotEquals = op('NotEquals', /<>|!=/, '<>', [ComparisonOp]);
export const LessOrEqual = op('LessOrEqual', /<=/, '<=', [ComparisonOp]);
export const GreaterOrEqual = op('GreaterOrEqual', /(?:>=)/, '>=', [ComparisonOp]);
export const Less = op('Less', /</, '<', [ComparisonOp]);
export const Greater = op('Greater', />/, '>', [ComparisonOp]);
export const Equals = op('Equals', /=/, '=', [ComparisonOp]);
export const Concat = op('Concat', /\|\|/, '||');
export const Plus = op('Plus', /\+/, '+', [AdditiveOp]);
export const Minus = op('Minus', /-/, '-', [AdditiveOp]);
export const Star = op('Star', /\*/, '*', [MultiplicativeOp]);
export const Slash = op('Slash', /\//, '/', [MultiplicativeOp]);
export const Percent = op('Percent', /%/, '%', [MultiplicativeOp]);
export const LParen = op('LParen', /\(/, '(');
export const RParen = op('RParen', /\)/, ')');
export const LBracket = op('LBracket', /\[/, '[');
export const RBracket = op('RBracket', /]/, ']');
export const Comma = op('Comma', /,/, ',');
export const Semicolon = op('Semicolon', /;/, ';');
export const Dot = op('Dot', /\./, '.');
export const Question = op('Question', /\?/, '?');

/** Longer keywords first: a keyword that is a prefix of another (IN, INT, INTO, INTEGER) must not win over it. */
const keywordsLongestFirst = Object.values(K).sort((a, b) => b.name.length - a.name.length);

/** The order matters: the first pattern that matches wins (keywords defer to a longer identifier via longer_alt). */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnterminatedComment,
  FloatLiteral, DecimalLiteral, IntegerLiteral, StringLiteral, UnterminatedString, HexLiteral,
  QuotedIdentifier, UnterminatedQuotedIdentifier, NamedParameter, DoubleColon,
  ...keywordsLongestFirst, Identifier,
  NotEquals, LessOrEqual, GreaterOrEqual, Less, Greater, Equals, Concat, Plus, Minus, Star, Slash, Percent,
  LParen, RParen, LBracket, RBracket, Comma, Semicolon, Dot, Question,
  Name, AdditiveOp, MultiplicativeOp, ComparisonOp,
];

export const sqlLexer = new Lexer(ALL_TOKENS as TokenType[], { ensureOptimizations: true, positionTracking: 'full' });
