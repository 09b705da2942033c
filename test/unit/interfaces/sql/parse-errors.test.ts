/**
 * Syntax and lexical errors: SqlParseError (code SQL_PARSE) whose message says what was expected (by SQL spelling,
 * grouped as "an expression", "a column name", …) and what was found, at which line and column, and ends with the
 * offending line and a caret under the token. Also the grammar's own validation (no ambiguities).
 */
import { describe, expect, it } from 'vitest';
import { SqlParseError } from '../../../../src/domain/shared/errors';
import { parseStatement, parseStatements } from '../../../../src/interfaces/sql/parse';
import { SqlParser } from '../../../../src/interfaces/sql/parser';

function errorOf(text: string, parse: (text: string) => unknown = parseStatement): SqlParseError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof SqlParseError) return e;
    throw e;
  }
  throw new Error(`parsed without error: ${text}`);
}

/** Asserts the whole message: the first line, then the source line and the caret line. */
function expectError(text: string, first: string, source: string, caret: string, parse?: (text: string) => unknown): SqlParseError {
  const error = errorOf(text, parse);
  expect(error.code).toBe('SQL_PARSE');
  expect(error.message).toBe(`${first}\n${source}\n${caret}`);
  const [, line, column] = /at line (\d+), column (\d+)$/.exec(first) ?? [];
  expect([error.line, error.column]).toEqual([Number(line), Number(column)]);
  return error;
}

describe('syntax errors', () => {
  it('a missing select item before FROM', () => {
    const error = expectError('SELECT a, FROM t', "Expected '*' or an expression but found FROM at line 1, column 11", 'SELECT a, FROM t', '          ^');
    expect(error.expected).toEqual(["'*'", 'an expression']);
  });

  it('a missing FROM item at the end of input, and before a ;', () => {
    expectError('SELECT * FROM', "Expected TABLE, '(' or a table name but found the end of input at line 1, column 14", 'SELECT * FROM', '             ^');
    expectError('SELECT * FROM ;', "Expected TABLE, '(' or a table name but found ';' at line 1, column 15", 'SELECT * FROM ;', '              ^');
  });

  it('a missing )', () => {
    expectError('SELECT (a + 1 FROM t', "Expected an operator or ')' but found FROM at line 1, column 15", 'SELECT (a + 1 FROM t', '              ^');
    expectError('INSERT INTO t VALUES (1, 2', "Expected an operator, ',' or ')' but found the end of input at line 1, column 27",
      'INSERT INTO t VALUES (1, 2', '                          ^');
  });

  it('trailing garbage after a complete statement lists what could continue it', () => {
    const error = expectError('SELECT a FROM t extra garbage',
      "Expected ',', CROSS, INNER, LEFT, JOIN, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET or the end of the statement but found garbage at line 1, column 23",
      'SELECT a FROM t extra garbage', '                      ^');
    expect(error.expected).toContain('the end of the statement');
  });

  it('two statements given to parseStatement; two ;', () => {
    expectError('SELECT 1; SELECT 2', 'Expected the end of input after the statement (one statement only) but found SELECT at line 1, column 11',
      'SELECT 1; SELECT 2', '          ^');
    expectError('SELECT 1;;', "Expected the end of input after the statement (one statement only) but found ';' at line 1, column 10",
      'SELECT 1;;', '         ^');
  });

  it('an empty or non-statement input', () => {
    expectError('', 'Expected a statement but found the end of input at line 1, column 1', '', '^');
    expectError('  ;', "Expected a statement but found ';' at line 1, column 3", '  ;', '  ^');
    expectError('frobnicate t', 'Expected a statement but found frobnicate at line 1, column 1', 'frobnicate t', '^');
  });

  it('an extra comma in a column list names what may come instead', () => {
    expectError('CREATE TABLE t (a INT, , b INT)', "Expected PRIMARY KEY or a column name but found ',' at line 1, column 24",
      'CREATE TABLE t (a INT, , b INT)', '                       ^');
  });

  it('a missing comma between column definitions', () => {
    expectError('CREATE TABLE t (a INT b INT)', "Expected PRIMARY KEY, NOT, NULL, DEFAULT, ',' or ')' but found b at line 1, column 23",
      'CREATE TABLE t (a INT b INT)', '                      ^');
  });

  it('an unknown type, and a length on a type without one', () => {
    expectError('CREATE TABLE t (a FOO)', 'Expected a data type but found FOO at line 1, column 19', 'CREATE TABLE t (a FOO)', '                  ^');
    expectError('CREATE TABLE t (a INT(5))', "Expected PRIMARY KEY, NOT, NULL, DEFAULT, ',' or ')' but found '(' at line 1, column 22",
      'CREATE TABLE t (a INT(5))', '                     ^');
  });

  it('a missing keyword: DELETE without FROM, ORDER without BY, an unknown DROP target', () => {
    expectError('DELETE t', 'Expected FROM but found t at line 1, column 8', 'DELETE t', '       ^');
    expectError('SELECT a FROM t ORDER a', 'Expected BY but found a at line 1, column 23', 'SELECT a FROM t ORDER a', '                      ^');
    expectError('DROP VIEW v', 'Expected ZONE, TABLE or INDEX but found VIEW at line 1, column 6', 'DROP VIEW v', '     ^');
  });

  it('a reserved word where a name is expected', () => {
    expectError('UPDATE t SET WHERE a = 1', 'Expected a column name but found WHERE at line 1, column 14', 'UPDATE t SET WHERE a = 1', '             ^');
    expectError('CREATE TABLE select (a INT)', 'Expected IF or a table name but found select at line 1, column 14',
      'CREATE TABLE select (a INT)', '             ^');
  });

  it('an unknown zone option', () => {
    expectError('CREATE ZONE z WITH FOO=1', 'Expected PARTITIONS, REPLICAS, STORAGE or STORAGE_PROFILES but found FOO at line 1, column 20',
      'CREATE ZONE z WITH FOO=1', '                   ^');
  });

  it('errors on a later line point at that line, tabs kept in the caret line', () => {
    expectError('SELECT a,\n\tb FROM t WHERE\n\tc = = 1', "Expected an expression but found '=' at line 3, column 6", '\tc = = 1', '\t    ^');
  });

  it('an error in the third statement of a script', () => {
    expectError('SELECT 1;\nSELECT 2;\nSELECT 3 +;', "Expected an expression but found ';' at line 3, column 11", 'SELECT 3 +;', '          ^', parseStatements);
  });

  it('an unfinished CASE', () => {
    expectError('SELECT CASE WHEN a THEN b', 'Expected an operator, WHEN, ELSE or END but found the end of input at line 1, column 26',
      'SELECT CASE WHEN a THEN b', '                         ^');
  });
});

describe('semantic checks made while parsing', () => {
  it('* and DISTINCT outside their aggregates', () => {
    expectError('SELECT SUM(*) FROM t', "Expected an argument of SUM(…) but found '*' (only COUNT takes it) at line 1, column 12",
      'SELECT SUM(*) FROM t', '           ^');
    expectError('SELECT upper(DISTINCT a)', 'Expected an argument of upper(…) but found DISTINCT (only aggregates take it) at line 1, column 14',
      'SELECT upper(DISTINCT a)', '             ^');
    expectError('SELECT MAX(a, b)', "Expected ')' after the one argument of MAX(…) but found another argument at line 1, column 15",
      'SELECT MAX(a, b)', '              ^');
  });

  it('repeated or conflicting clauses', () => {
    expectError('CREATE ZONE z WITH PARTITIONS=1, PARTITIONS=2', 'Expected each zone option once but found PARTITIONS again at line 1, column 34',
      'CREATE ZONE z WITH PARTITIONS=1, PARTITIONS=2', '                                 ^');
    expectError('CREATE TABLE t (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))', 'Expected one PRIMARY KEY in table t but found a second one at line 1, column 43',
      'CREATE TABLE t (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))', '                                          ^');
    expectError('CREATE TABLE t (a INT NOT NULL NULL)', 'Expected one NULL or NOT NULL for column a but found another at line 1, column 32',
      'CREATE TABLE t (a INT NOT NULL NULL)', '                               ^');
    expectError('CREATE TABLE t (a INT) ZONE a ZONE b', 'Expected ZONE once but found it again at line 1, column 31',
      'CREATE TABLE t (a INT) ZONE a ZONE b', '                              ^');
  });

  it("bad literals: odd hex digits, an empty quoted name, '-' before a string", () => {
    expectError("SELECT x'ABC'", "Expected an even number of hex digits (0-9, A-F) but found x'ABC' at line 1, column 8", "SELECT x'ABC'", '       ^');
    expectError('SELECT "" FROM t', 'Expected a name between the double quotes but found "" at line 1, column 8', 'SELECT "" FROM t', '       ^');
    expectError("CREATE TABLE t (a INT DEFAULT -'x')", "Expected a number after '-' but found a string at line 1, column 31",
      "CREATE TABLE t (a INT DEFAULT -'x')", '                              ^');
  });
});

describe('lexical errors', () => {
  it('an unterminated string points at its opening quote', () => {
    const error = expectError("SELECT a FROM t WHERE b = 'x", "Expected a closing ' for the string starting here but found the end of input at line 1, column 27",
      "SELECT a FROM t WHERE b = 'x", '                          ^');
    expect(error.expected).toEqual(["a closing '"]);
  });

  it('an unterminated quoted name or block comment', () => {
    expectError('SELECT "abc FROM t', 'Expected a closing " for the quoted name starting here but found the end of input at line 1, column 8',
      'SELECT "abc FROM t', '       ^');
    expectError('SELECT a /* no end\nFROM t', 'Expected a closing */ for the comment starting here but found the end of input at line 1, column 10',
      'SELECT a /* no end', '         ^');
  });

  it('a character no token starts with', () => {
    expectError('SELECT a, @ FROM t', 'Expected a keyword, name, number, string or operator but found the character "@" at line 1, column 11',
      'SELECT a, @ FROM t', '          ^');
  });

  it('a number run into a name (12abc) is not 12 AS abc', () => {
    expectError('SELECT 12abc FROM t', 'Expected a number but found 12abc at line 1, column 8', 'SELECT 12abc FROM t', '       ^');
  });

  it('a very long line is cut around the error with the caret still under it', () => {
    const text = `SELECT ${Array.from({ length: 100 }, (_, i) => `c${i}`).join(', ')} FROM t WHERE a not_here ORDER BY 1`;
    const error = errorOf(text);
    const [, source, caret] = error.message.split('\n');
    expect(source!.length).toBeLessThanOrEqual(102);
    expect(source!.slice(caret!.length - 1, caret!.length + 7)).toBe('not_here');
    expect(error.column).toBe(text.indexOf('not_here') + 1);
    expect(caret!.trimStart()).toBe('^');
  });
});

describe('the grammar', () => {
  it('passes chevrotain validation (no ambiguous alternatives, no duplicate occurrences)', () => {
    expect(() => new SqlParser({ validate: true })).not.toThrow();
  });
});
