/**
 * Non-interactive runs (`-e`, `-f`, or statements piped into stdin): every statement of the script in turn, each
 * result printed in the chosen format, stopping at the first error (printed to stderr; exit code 1).
 *   table: the aligned table and its count line, results separated by an empty line (no timings: scripts compare
 *          their output);
 *   json:  one JSON document per statement, one line each;
 *   csv:   header and rows of each statement that returns rows, blocks separated by an empty line.
 */
import type { CliIo } from '../cli-io';
import { formatError, formatResultCsv, formatResultJson, formatResultTable, type OutputFormat } from './result-format';
import type { SqlResult, SqlRunner } from './sql-runner';
import { isBlank, splitStatements } from './statement-splitter';

export async function runScript(text: string, runner: SqlRunner, format: OutputFormat, io: Pick<CliIo, 'out' | 'err'>): Promise<number> {
  const { statements, rest } = splitStatements(text);
  if (!isBlank(rest)) statements.push(rest.trim());
  let printed = false;
  for (const statement of statements) {
    let result: SqlResult;
    try {
      result = await runner.run(statement);
    } catch (e) {
      io.err(formatError(e));
      return 1;
    }
    const lines = render(format, statement, result);
    if (lines.length === 0) continue;
    if (printed && format !== 'json') io.out('');
    for (const line of lines) io.out(line);
    printed = true;
  }
  return 0;
}

function render(format: OutputFormat, statement: string, result: SqlResult): string[] {
  switch (format) {
    case 'table':
      return formatResultTable(statement, result);
    case 'json':
      return [formatResultJson(result)];
    case 'csv':
      return formatResultCsv(result);
  }
}
