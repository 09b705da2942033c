/**
 * The interactive shell: readline with a prompt (`aistorage> `, `     ...> ` while a statement is unfinished), tab
 * completion and a history file. Lines are collected until a `;` outside strings and comments ends a statement; each
 * statement then runs in the runner's one session and prints its table, or its error, and the shell goes on. A line
 * starting with `.` (outside a statement) is a dot command. Ctrl-C drops the unfinished statement; Ctrl-D, `.quit`
 * and `.exit` leave.
 *
 * Statements run one at a time: lines typed meanwhile wait in readline's async iterator.
 */
import { performance } from 'node:perf_hooks';
import { createInterface, type Interface } from 'node:readline';
import type { TableInfo } from '../../api/node-tables';
import { sqlCompleter } from './completion';
import { runDotCommand } from './dot-commands';
import { HISTORY_SIZE, type HistoryFile } from './history-file';
import { formatError, formatResultTable } from './result-format';
import type { SqlRunner } from './sql-runner';
import { isBlank, splitStatements } from './statement-splitter';

export const PROMPT = 'aistorage> ';
export const CONTINUATION_PROMPT = '     ...> ';

export interface ReplOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** True for a terminal: line editing, completion and history recall. */
  readonly terminal: boolean;
  readonly runner: SqlRunner;
  readonly tables: () => readonly TableInfo[];
  readonly history: HistoryFile;
}

export async function runRepl(options: ReplOptions): Promise<void> {
  const { output, history } = options;
  const print = (lines: readonly string[]): void => void output.write(lines.map((l) => l + '\n').join(''));
  const rl = createInterface({
    input: options.input, output, terminal: options.terminal, prompt: PROMPT, completer: sqlCompleter(options.tables),
    history: history.load(), historySize: HISTORY_SIZE, removeHistoryDuplicates: true, tabSize: 4,
  });
  let pending = '';
  rl.on('SIGINT', () => {
    pending = '';
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    output.write('^C\n');
    rl.setPrompt(PROMPT);
    rl.prompt();
  });
  print(['aistorage SQL shell: statements end with ";"; .help lists the commands, .quit leaves']);
  rl.prompt();
  try {
    for await (const line of rl) {
      if (pending === '' && line.trim().startsWith('.')) {
        recordHistory(rl, history, line, [line]);
        const outcome = runDotCommand(line, options.tables);
        print(outcome.lines);
        if (outcome.quit) return;
      } else {
        pending = await takeSqlLine(pending === '' ? line : `${pending}\n${line}`, rl, options, print);
      }
      rl.setPrompt(pending === '' ? PROMPT : CONTINUATION_PROMPT);
      rl.prompt();
    }
    // Ctrl-D: end the prompt's line.
    output.write('\n');
  } finally {
    // Leaving the loop early does not close readline: closed, it leaves raw mode and stops reading the input.
    rl.close();
  }
}

/** Runs the statements `text` completes (recording them in the history); returns the text still unfinished. */
async function takeSqlLine(text: string, rl: Interface, options: ReplOptions, print: (lines: readonly string[]) => void): Promise<string> {
  const { statements, rest } = splitStatements(text);
  if (statements.length > 0) {
    recordHistory(rl, options.history, text.slice(0, text.length - rest.length), text.split('\n'));
    for (const statement of statements) print(await runTimed(options.runner, statement));
  }
  return isBlank(rest) ? '' : rest.trimStart();
}

async function runTimed(runner: SqlRunner, statement: string): Promise<string[]> {
  const started = performance.now();
  try {
    const result = await runner.run(statement);
    return formatResultTable(statement, result, performance.now() - started);
  } catch (e) {
    return [formatError(e)];
  }
}

/**
 * Appends the entered text to the history file, and in readline's recall list replaces the lines readline added one by
 * one (`lines`) with the whole statement on one line, so that Up recalls it whole. Readline adds a line before
 * emitting it, and lines typed ahead may already be on top: each line is found by its text.
 */
function recordHistory(rl: Interface, file: HistoryFile, entered: string, lines: readonly string[]): void {
  if (entered.trim() === '') return;
  const entry = file.append(entered);
  const recall = (rl as unknown as { history?: unknown }).history;
  if (!Array.isArray(recall)) return;
  for (const line of lines) {
    const at = recall.indexOf(line);
    if (at >= 0 && line.trim() !== '') recall.splice(at, 1);
  }
  const duplicate = recall.indexOf(entry);
  if (duplicate >= 0) recall.splice(duplicate, 1);
  recall.unshift(entry);
}
