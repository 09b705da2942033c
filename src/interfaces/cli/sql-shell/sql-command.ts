/**
 * `aistorage sql [-w dir] [-e statements | -f script.sql] [--format table|json|csv]`: the SQL shell of a node.
 * With -e or -f (or with statements piped into stdin) it runs them as a script; on a terminal it starts the
 * interactive shell (repl.ts). All statements run in one session of the node's SQL engine.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { StorageNode } from '../../api/storage-node';
import type { CliIo } from '../cli-io';
import { HistoryFile, historyPath } from './history-file';
import { runRepl } from './repl';
import { OUTPUT_FORMATS, type OutputFormat } from './result-format';
import { runScript } from './script';
import { engineRunner } from './sql-engine-runner';

export interface SqlCommandOptions {
  /** The work dir given with -w (the history file lives there); absent: the home directory keeps the history. */
  readonly workDir?: string;
  readonly execute?: string;
  readonly file?: string;
  readonly format?: string;
}

/** The terminal the interactive shell talks to (process.stdin / stdout unless a test gives others). */
export interface ShellTerminal {
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

const PROCESS_TERMINAL: ShellTerminal = { input: process.stdin, output: process.stdout };

/** Runs the command; returns the exit code (1 when a script statement failed). */
export async function sqlCommand(
  node: StorageNode, io: CliIo, options: SqlCommandOptions, terminal: ShellTerminal = PROCESS_TERMINAL,
): Promise<number> {
  const format = outputFormat(options.format);
  if (options.execute !== undefined && options.file !== undefined) {
    throw new InvalidArgumentError('aistorage sql: give either -e <statements> or -f <file>, not both');
  }
  const script = options.execute ?? (options.file === undefined ? undefined : readScript(options.file));
  const runner = engineRunner(node);
  try {
    if (script !== undefined) return await runScript(script, runner, format, io);
    if (terminal.input.isTTY !== true) return await runScript(await readAll(terminal.input), runner, format, io);
    const history = new HistoryFile(historyPath(options.workDir));
    await runRepl({ input: terminal.input, output: terminal.output, terminal: true, runner, tables: () => node.tables(), history });
    return 0;
  } finally {
    await runner.close();
  }
}

function outputFormat(format: string | undefined): OutputFormat {
  const wanted = (format ?? 'table').toLowerCase();
  const known = OUTPUT_FORMATS.find((f) => f === wanted);
  if (known === undefined) throw new InvalidArgumentError(`--format ${format}: expected one of ${OUTPUT_FORMATS.join(', ')}`);
  return known;
}

function readScript(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidArgumentError(`-f ${file}: cannot read the script (${(e as Error).message})`);
  }
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
