/**
 * The shell's history file: one statement a line (a multi-line statement is kept on one line, its line breaks turned
 * into spaces), oldest first, appended as each statement is entered; the last HISTORY_SIZE are loaded at start.
 * `<workDir>/.aistorage_sql_history`, or `~/.aistorage_sql_history` without a work dir.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_FILE_NAME = '.aistorage_sql_history';
export const HISTORY_SIZE = 1000;

export function historyPath(workDir: string | undefined): string {
  return join(workDir ?? homedir(), HISTORY_FILE_NAME);
}

export class HistoryFile {
  constructor(readonly path: string) {}

  /** The saved entries, newest first (readline's order); none when the file is missing or unreadable. */
  load(): string[] {
    try {
      const lines = readFileSync(this.path, 'utf8').split('\n').filter((l) => l.trim() !== '');
      return lines.slice(-HISTORY_SIZE).reverse();
    } catch {
      return [];
    }
  }

  /** Appends an entry; returns it as stored (one line). A failed write costs only the history. */
  append(entry: string): string {
    const line = oneLine(entry);
    try {
      appendFileSync(this.path, line + '\n');
    } catch {
      // A read-only work dir or home: the shell works without its history.
    }
    return line;
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
