/**
 * Tab completion for readline: the word before the cursor is completed from the SQL keywords and the names of the
 * node's tables and columns (read from `tables()` at each Tab, so tables created in the session are offered), or from
 * the dot commands at the start of a line, or from table names after `.schema`.
 */
import { NON_RESERVED_WORDS, RESERVED_WORDS } from '../../sql/lexer';
import type { TableInfo } from '../../api/node-tables';
import { DOT_COMMANDS } from './dot-commands';

/** Function names are identifiers to the parser, but worth completing. */
const FUNCTIONS = ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'COALESCE', 'NULLIF', 'LOWER', 'UPPER', 'LENGTH', 'SUBSTRING', 'ABS'];
const KEYWORDS: readonly string[] = [...new Set([...RESERVED_WORDS, ...NON_RESERVED_WORDS, ...FUNCTIONS])].sort();

export type Completer = (line: string) => [string[], string];

/** A readline completer over `tables()` (called at each Tab). */
export function sqlCompleter(tables: () => readonly TableInfo[]): Completer {
  return (line) => {
    const dot = /^\s*(\.[A-Za-z]*)$/.exec(line);
    if (dot) return [matching(DOT_COMMANDS.map((c) => c.name), dot[1]!, true), dot[1]!];
    const word = /[A-Za-z_][A-Za-z0-9_$]*$/.exec(line)?.[0] ?? '';
    const names = safeTables(tables);
    if (/^\s*\.schema\s+/i.test(line)) return [matching(names.map((t) => t.name), word, true), word];
    if (word === '') return [[], word];
    const candidates = [...names.map((t) => t.name), ...names.flatMap((t) => t.columns.map((c) => c.name))];
    const keywords = KEYWORDS.map((k) => (isLowerCase(word) ? k.toLowerCase() : k));
    return [matching([...keywords, ...candidates], word, false), word];
  };
}

/** Candidates starting with `prefix` (case-insensitively), unique and sorted; an exact match alone is not offered. */
function matching(candidates: readonly string[], prefix: string, keepExact: boolean): string[] {
  const lower = prefix.toLowerCase();
  const hits = [...new Set(candidates.filter((c) => c.toLowerCase().startsWith(lower)))].sort();
  return keepExact || hits.length !== 1 || hits[0] !== prefix ? hits : [];
}

function isLowerCase(word: string): boolean {
  return word === word.toLowerCase() && word !== word.toUpperCase();
}

/** A completion never fails the line being typed (e.g. a node that cannot list tables). */
function safeTables(tables: () => readonly TableInfo[]): readonly TableInfo[] {
  try {
    return tables();
  } catch {
    return [];
  }
}
