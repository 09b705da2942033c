/**
 * The shell's output formats of a statement result: an aligned table (interactive and `--format table`), one JSON
 * document per result (`--format json`), or CSV (`--format csv`, RFC 4180).
 */
import { AistorageError } from '../../../domain/shared/errors';
import { leadingKeyword } from './statement-splitter';
import type { SqlResult } from './sql-runner';

export type OutputFormat = 'table' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

const NUMERIC_TYPES = new Set(['TINYINT', 'SMALLINT', 'INT', 'INTEGER', 'BIGINT', 'REAL', 'DOUBLE', 'FLOAT', 'DECIMAL', 'NUMERIC']);
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** A value as a table cell: NULL for null, bigints without `n`, binary as x'hex', line breaks escaped. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Uint8Array) return `x'${hex(value)}'`;
  if (typeof value === 'string') return value.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return plainText(value);
}

/**
 * The table of a result: header, a rule, the rows (numeric columns right-aligned), then the count line — with the
 * time taken when `millis` is given: `(2 rows, 1.4 ms)`, `(1 row affected)`, `OK` for statements without rows.
 */
export function formatResultTable(statement: string, result: SqlResult, millis?: number): string[] {
  const time = millis === undefined ? '' : `, ${millis.toFixed(1)} ms`;
  if (result.columns.length === 0) {
    if (DML.has(leadingKeyword(statement))) return [`(${plural(result.rowsAffected, 'row')} affected${time})`];
    return [millis === undefined ? 'OK' : `OK (${millis.toFixed(1)} ms)`];
  }
  const header = result.columns.map((c) => c.name);
  const cells = result.rows.map((row) => result.columns.map((_, i) => cellText(row[i])));
  const right = result.columns.map((c) => NUMERIC_TYPES.has(c.type.toUpperCase()));
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c]!.length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (right[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line), `(${plural(result.rows.length, 'row')}${time})`];
}

/**
 * One line of JSON: `{"columns":[{"name","type"}],"rows":[{name: value}]}` for a statement that returns rows,
 * `{"rowsAffected":n}` for one that does not. Bigints are strings, binary is hex. A repeated column name gets a
 * suffix in the row objects (`id`, `id:2`) so no value is lost.
 */
export function formatResultJson(result: SqlResult): string {
  if (result.columns.length === 0) return JSON.stringify({ rowsAffected: result.rowsAffected });
  const keys = uniqueKeys(result.columns.map((c) => c.name));
  const rows = result.rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, jsonValue(row[i])])));
  return JSON.stringify({ columns: result.columns.map((c) => ({ name: c.name, type: c.type })), rows }, jsonReplacer);
}

/** The header and rows as CSV lines (RFC 4180 quoting; NULL is an empty field); none for a result without columns. */
export function formatResultCsv(result: SqlResult): string[] {
  if (result.columns.length === 0) return [];
  const line = (fields: readonly string[]): string => fields.map(csvField).join(',');
  return [line(result.columns.map((c) => c.name)), ...result.rows.map((row) => line(result.columns.map((_, i) => csvText(row[i]))))];
}

/** `error [CODE]: message` for the engine's typed errors (a parse error's message ends with the line and a caret). */
export function formatError(error: unknown): string {
  if (error instanceof AistorageError) return `error [${error.code}]: ${error.message}`;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `error [${code}]: ${message}` : `error: ${message}`;
}

function plainText(value: unknown): string {
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return JSON.stringify(value, jsonReplacer);
  return String(value);
}

function csvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return value instanceof Uint8Array ? hex(value) : typeof value === 'string' ? value : plainText(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return hex(value);
  return value;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return jsonValue(value);
}

function uniqueKeys(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}:${n}`;
  });
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
