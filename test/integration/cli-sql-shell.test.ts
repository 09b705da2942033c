/**
 * `aistorage sql`: the interactive shell in a real pseudo-terminal (tmux: keys typed with send-keys, the screen read
 * with capture-pane) — a two-line CREATE TABLE, INSERT, a SELECT begun with Tab completion, a bad statement, dot
 * commands, the history file and its recall in the next session; and the scripts (-e, -f) in every --format with
 * their exact output and the exit code of a failing statement.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useNodeScope } from '../support/node-scope';
import { runCli } from '../support/run-cli';
import { ROOT, tsChildArgs } from '../support/ts-child';
import { TmuxSession } from '../support/tmux';

const MAIN = join(ROOT, 'src', 'interfaces', 'cli', 'main.ts');
/** `node -e` gets the arguments after the code as argv[1..]: the CLI sees them as `aistorage <args>`. */
const RUN_MAIN = `require(${JSON.stringify(MAIN)}).main(['node', 'aistorage', ...process.argv.slice(1)]).then((c) => { process.exitCode = c; })`;

function shellArgv(workDir: string): string[] {
  const [require, loader] = tsChildArgs(MAIN);
  return [process.execPath, require!, loader!, '-e', RUN_MAIN, 'sql', '-w', workDir];
}

describe('aistorage sql in a terminal', () => {
  const scope = useNodeScope();
  const sessions: TmuxSession[] = [];
  afterEach(() => sessions.splice(0).forEach((s) => s.kill()));

  function startShell(workDir: string): TmuxSession {
    const session = TmuxSession.start(shellArgv(workDir), { dir: scope.dir(), cwd: ROOT, width: 100, height: 45 });
    sessions.push(session);
    return session;
  }

  it('runs multi-line statements, completes keywords, prints aligned tables and errors, and keeps a history', async () => {
    const workDir = scope.dir();
    const shell = startShell(workDir);
    await shell.waitForText('aistorage>', 60_000);

    shell.type('CREATE TABLE fruit (id INT PRIMARY KEY,');
    shell.press('Enter');
    await shell.waitForText('     ...>');
    shell.type('name VARCHAR, price DOUBLE);');
    shell.press('Enter');
    await shell.waitForText('OK (');
    shell.type("INSERT INTO fruit VALUES (1, 'apple', 1.5), (2, 'banana', 0.25), (3, NULL, 10);");
    shell.press('Enter');
    await shell.waitForText('(3 rows affected, ');
    shell.type('SEL');
    shell.press('Tab');
    await shell.waitForScreen('SEL completed to SELECT', (s) => s.some((row) => row === 'aistorage> SELECT'));
    shell.type(' id, name, price FROM fruit ORDER BY id;');
    shell.press('Enter');
    await shell.waitForText('(3 rows, ');
    shell.type('SELEC oops;');
    shell.press('Enter');
    await shell.waitForText('error [SQL_PARSE]');
    shell.type('.tables');
    shell.press('Enter');
    await shell.waitForScreen('.tables output', (s) => s.at(-1) === 'aistorage>' && s.includes('fruit'));
    shell.type('.schema fruit');
    shell.press('Enter');
    const screen = await shell.waitForScreen('.schema output', (s) => s.at(-1) === 'aistorage>' && s.at(-2)?.startsWith(')') === true);

    const text = screen.join('\n');
    expect(text).toContain(['aistorage> CREATE TABLE fruit (id INT PRIMARY KEY,', '     ...> name VARCHAR, price DOUBLE);'].join('\n'));
    expect(text).toContain(
      [
        'aistorage> SELECT id, name, price FROM fruit ORDER BY id;',
        'id | name   | price',
        '---+--------+------',
        ' 1 | apple  |   1.5',
        ' 2 | banana |  0.25',
        ' 3 | NULL   |    10',
      ].join('\n'),
    );
    expect(screen.find((row) => row.startsWith('(3 rows, '))).toMatch(/^\(3 rows, \d+\.\d ms\)$/);
    const error = screen.findIndex((row) => row.startsWith('error [SQL_PARSE]: '));
    expect(screen[error]).toContain('line 1, column 1');
    expect(screen.slice(error + 1, error + 3)).toEqual(['SELEC oops', '^']);
    expect(text).toContain(['aistorage> .tables', 'fruit', 'aistorage> .schema fruit'].join('\n'));
    expect(text).toContain(
      ['CREATE TABLE fruit (', '  id INT PRIMARY KEY,', '  name VARCHAR,', '  price DOUBLE', ') ZONE "Default" STORAGE PROFILE \'default\';', 'aistorage>'].join('\n'),
    );

    shell.type('.quit');
    shell.press('Enter');
    await shell.waitForExit();
    expect(readFileSync(join(workDir, '.aistorage_sql_history'), 'utf8').split('\n')).toEqual([
      'CREATE TABLE fruit (id INT PRIMARY KEY, name VARCHAR, price DOUBLE);',
      "INSERT INTO fruit VALUES (1, 'apple', 1.5), (2, 'banana', 0.25), (3, NULL, 10);",
      'SELECT id, name, price FROM fruit ORDER BY id;',
      'SELEC oops;',
      '.tables',
      '.schema fruit',
      '.quit',
      '',
    ]);

    // The next session loads the history: Up recalls the statements, a multi-line one on one line.
    const again = startShell(workDir);
    await again.waitForText('aistorage>', 60_000);
    again.press('Up', 'Up', 'Up', 'Up', 'Up', 'Up', 'Up');
    await again.waitForScreen('the recalled CREATE TABLE', (s) =>
      s.includes('aistorage> CREATE TABLE fruit (id INT PRIMARY KEY, name VARCHAR, price DOUBLE);'),
    );
    again.press('C-e', 'C-u', 'C-d');
    await again.waitForExit();
  });
});

describe('aistorage sql scripts', () => {
  const scope = useNodeScope();
  const SETUP =
    'CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR, big BIGINT, bin VARBINARY);' +
    " INSERT INTO t VALUES (1, 'a,b \"c\"', 9007199254740993, x'0a1b'), (2, NULL, NULL, NULL);";
  const QUERY = 'SELECT id, name, big, bin FROM t ORDER BY id';

  it('-e prints each result as an aligned table', async () => {
    const dir = scope.dir();
    const run = await runCli('sql', '-w', dir, '-e', `${SETUP} ${QUERY};`);
    expect(run).toEqual({
      code: 0,
      err: '',
      out: [
        'OK',
        '',
        '(2 rows affected)',
        '',
        'id | name    |              big | bin',
        '---+---------+------------------+--------',
        ' 1 | a,b "c" | 9007199254740993 | x\'0a1b\'',
        ' 2 | NULL    |             NULL | NULL',
        '(2 rows)',
      ].join('\n'),
    });
  });

  it('-e --format json prints one document per statement, bigints as strings and binary as hex', async () => {
    const dir = scope.dir();
    const run = await runCli('sql', '-w', dir, '--format', 'json', '-e', `${SETUP} ${QUERY}`);
    expect(run.code).toBe(0);
    expect(run.out.split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { rowsAffected: 0 },
      { rowsAffected: 2 },
      {
        columns: [{ name: 'id', type: 'INT' }, { name: 'name', type: 'VARCHAR' }, { name: 'big', type: 'BIGINT' }, { name: 'bin', type: 'VARBINARY' }],
        rows: [{ id: 1, name: 'a,b "c"', big: '9007199254740993', bin: '0a1b' }, { id: 2, name: null, big: null, bin: null }],
      },
    ]);
  });

  it('-f --format csv runs a script file (comments, multi-line statements, ; in strings) and quotes as RFC 4180', async () => {
    const dir = scope.dir();
    const script = join(scope.dir(), 'script.sql');
    writeFileSync(script, [
      '-- a script; with a comment',
      SETUP,
      "INSERT INTO t (id, name) /* ; */ VALUES (3, 'x;y');",
      'SELECT id, name, big, bin',
      '  FROM t',
      '  ORDER BY id;',
      "SELECT id FROM t WHERE name = 'x;y'",
    ].join('\n'));
    const run = await runCli('sql', '-w', dir, '-f', script, '--format', 'csv');
    expect(run).toEqual({
      code: 0,
      err: '',
      out: ['id,name,big,bin', '1,"a,b ""c""",9007199254740993,0a1b', '2,,,', '3,x;y,,', '', 'id', '3'].join('\n'),
    });
  });

  it('stops at the first failing statement with its error and exit code 1', async () => {
    const dir = scope.dir();
    expect((await runCli('sql', '-w', dir, '-e', SETUP)).code).toBe(0);
    const duplicate = await runCli('sql', '-w', dir, '-e', 'INSERT INTO t (id) VALUES (3); INSERT INTO t (id) VALUES (1); INSERT INTO t (id) VALUES (4);');
    expect(duplicate.code).toBe(1);
    expect(duplicate.out).toBe('(1 row affected)');
    expect(duplicate.err).toMatch(/^error \[DUPLICATE_KEY\]: /);
    const parse = await runCli('sql', '-w', dir, '--format', 'csv', '-e', 'SELECT id FROM t ORDER BY id; SELEC 5; SELECT 1');
    expect(parse.code).toBe(1);
    expect(parse.out).toBe(['id', '1', '2', '3'].join('\n'));
    expect(parse.err.split('\n')).toEqual([
      expect.stringMatching(/^error \[SQL_PARSE\]: .* at line 1, column 1$/),
      'SELEC 5',
      '^',
    ]);
  });

  it('refuses an unknown --format and -e with -f together (exit 2)', async () => {
    const dir = scope.dir();
    expect(await runCli('sql', '-w', dir, '--format', 'xml', '-e', 'SELECT 1')).toMatchObject({ code: 2, err: expect.stringContaining('--format xml') });
    expect(await runCli('sql', '-w', dir, '-e', 'SELECT 1', '-f', 'x.sql')).toMatchObject({ code: 2, err: expect.stringContaining('not both') });
  });
});
