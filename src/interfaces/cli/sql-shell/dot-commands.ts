/**
 * The shell's own commands, one line each, starting with a dot: `.tables`, `.schema [t]`, `.help`, `.quit` / `.exit`.
 * They read the catalog through `tables()`; none touches a transaction the session holds open.
 */
import type { TableInfo } from '../../api/node-tables';
import { createTableText } from './schema-text';

export const DOT_COMMANDS: readonly { readonly name: string; readonly args: string; readonly help: string }[] = [
  { name: '.tables', args: '', help: 'list the tables' },
  { name: '.schema', args: '[table]', help: 'show the CREATE TABLE statement of a table (of every table without one)' },
  { name: '.help', args: '', help: 'show this help' },
  { name: '.quit', args: '', help: 'leave the shell (also .exit and Ctrl-D)' },
  { name: '.exit', args: '', help: 'leave the shell' },
];

/** What a dot command asks of the shell: lines to print, and whether to leave. */
export interface DotOutcome {
  readonly lines: readonly string[];
  readonly quit: boolean;
}

export function runDotCommand(line: string, tables: () => readonly TableInfo[]): DotOutcome {
  const [command = '', ...args] = line.trim().split(/\s+/);
  switch (command.toLowerCase()) {
    case '.quit':
    case '.exit':
      return { lines: [], quit: true };
    case '.help':
      return { lines: helpLines(), quit: false };
    case '.tables':
      return { lines: tables().map((t) => t.name).sort(), quit: false };
    case '.schema':
      return { lines: schemaLines(tables(), args[0]), quit: false };
    default:
      return { lines: [`error: unknown command ${command}; .help lists the commands`], quit: false };
  }
}

function schemaLines(tables: readonly TableInfo[], name: string | undefined): string[] {
  if (name === undefined) return tables.map(createTableText);
  const unquoted = name.replace(/;$/, '');
  const exact = /^".*"$/.test(unquoted);
  const wanted = exact ? unquoted.slice(1, -1).replace(/""/g, '"') : unquoted.toLowerCase();
  const table = tables.find((t) => (exact ? t.name === wanted : t.name.toLowerCase() === wanted));
  return table === undefined ? [`error [TABLE_NOT_FOUND]: no table ${name}; .tables lists them`] : [createTableText(table)];
}

function helpLines(): string[] {
  const width = Math.max(...DOT_COMMANDS.map((c) => `${c.name} ${c.args}`.length));
  return [
    'Statements end with ";" and may span lines; Tab completes keywords, table and column names.',
    ...DOT_COMMANDS.map((c) => `${`${c.name} ${c.args}`.padEnd(width)}  ${c.help}`),
  ];
}
