/**
 * `.schema t`: a CREATE TABLE statement for a table as `node.tables()` describes it, in the SQL this engine parses
 * (running it on an empty node creates the same table).
 */
import type { TableInfo } from '../../api/node-tables';
import type { ColumnDefinition } from '../../../domain/table/table-schema';
import { RESERVED_WORDS } from '../../sql/lexer';

const RESERVED: ReadonlySet<string> = new Set(RESERVED_WORDS);

export function createTableText(table: TableInfo): string {
  const singleKey = table.primaryKey.length === 1 ? table.primaryKey[0] : undefined;
  const lines = table.columns.map((c) => `  ${columnText(c, c.name === singleKey)}`);
  if (singleKey === undefined) lines.push(`  PRIMARY KEY (${table.primaryKey.map(quoteName).join(', ')})`);
  const options = [`ZONE ${quoteName(table.zone)}`, `STORAGE PROFILE ${quoteString(table.storageProfile)}`];
  return `CREATE TABLE ${quoteName(table.name)} (\n${lines.join(',\n')}\n) ${options.join(' ')};`;
}

/** A name as SQL spells it: bare when it is a plain identifier and not a reserved word, else in double quotes. */
export function quoteName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name.toUpperCase())) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

function columnText(column: ColumnDefinition, primaryKey: boolean): string {
  let text = `${quoteName(column.name)} ${typeText(column)}`;
  if (primaryKey) text += ' PRIMARY KEY';
  else if (column.nullable === false) text += ' NOT NULL';
  if (column.default !== undefined && column.default !== null) text += ` DEFAULT ${literalText(column.type, column.default)}`;
  return text;
}

function typeText(column: ColumnDefinition): string {
  if ((column.type === 'VARCHAR' || column.type === 'VARBINARY') && column.length !== undefined) return `${column.type}(${column.length})`;
  if (column.type === 'DECIMAL' && column.precision !== undefined) {
    return `DECIMAL(${column.precision}${column.scale === undefined ? '' : `, ${column.scale}`})`;
  }
  return column.type;
}

function literalText(type: ColumnDefinition['type'], value: unknown): string {
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString('hex')}'`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const text = String(value);
  if (type === 'DECIMAL') return text;
  if (type === 'DATE' || type === 'TIME' || type === 'TIMESTAMP') return `${type} ${quoteString(text.replace('T', ' '))}`;
  return quoteString(text);
}

function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
