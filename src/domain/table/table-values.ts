/**
 * Table values (level 2 of the API, DESIGN.md §9 "Values" and "Names"): column definitions resolved and validated,
 * JS values normalized to their column's type, and rows/keys as the table API takes them (plain objects keyed by the
 * declared column names) turned into value arrays in schema order, and back.
 *
 * Normalized values (what `rowValues` returns, `RowCodec.encode` takes and `RowCodec.decode` gives back):
 * BOOLEAN boolean; TINYINT/SMALLINT/INT integer number; BIGINT bigint; REAL number (a float32 value); DOUBLE number;
 * DECIMAL canonical string with exactly `scale` fraction digits; VARCHAR string; VARBINARY a Uint8Array the row
 * owns; DATE 'YYYY-MM-DD'; TIME 'HH:MM:SS[.f]'; TIMESTAMP 'YYYY-MM-DDTHH:MM:SS[.f]' (fractions without trailing
 * zeros); UUID lowercase 8-4-4-4-12; null for no value.
 *
 * In a row object, a property whose value is `undefined` counts as omitted (it gets the column's default); `null` is
 * an explicit null (refused in a NOT NULL column even when it has a default).
 */
import { objectMaker, type ObjectMaker } from '../shared/object-maker';
import { describeValue } from '../shared/describe-value';
import { ColumnNotFoundError, InvalidArgumentError, NotNullViolationError } from '../shared/errors';
import { TableArgumentError, typeLabel } from './table-argument-error';
import { resolveColumnShape } from './table-columns';
import type { ColumnDefinition, SchemaColumn, TableSchema } from './table-schema';
import { normalizeDate, normalizeTime, normalizeTimestamp } from './temporal-values';
import {
  normalizeBigint, normalizeBoolean, normalizeDecimal, normalizeDouble, normalizeInteger, normalizeReal, normalizeUuid,
  normalizeVarbinary, normalizeVarchar, checkVarbinary,
} from './value-normalizers';

/**
 * Validates a column definition of `table` and resolves its defaults (nullable true, DECIMAL(32767,0)); a key column
 * is always NOT NULL. Throws TableArgumentError (INVALID_ARGUMENT) naming the table, the column and the rule broken.
 */
export function resolveColumn(table: string, def: ColumnDefinition, id: number, isKey: boolean): SchemaColumn {
  const column = resolveColumnShape(table, def, id, isKey);
  const value = (def as { default?: unknown }).default;
  if (value === undefined) return column;
  if (value === null && !column.nullable) {
    throw new TableArgumentError(`Column '${column.name}' of table '${table}' is NOT NULL${isKey ? ' (a primary-key column)' : ''} `
      + 'but its default is null; give a non-null default, or none', table, column.name);
  }
  let normalized: unknown;
  try {
    normalized = normalizeValue(table, column, value);
  } catch (e) {
    if (e instanceof InvalidArgumentError) {
      throw new TableArgumentError(`${e.message} (this is the column's default: fix it, or remove the default)`, table, column.name);
    }
    throw e;
  }
  return { ...column, hasDefault: true, defaultValue: normalized };
}

/**
 * The normalized value of `value` for `column` (see the file comment), null for null/undefined. Throws
 * NotNullViolationError for null in a NOT NULL column, TableArgumentError (INVALID_ARGUMENT) for a wrong JS type or
 * a value outside the type; both name the table and the column.
 */
export function normalizeValue(table: string, column: SchemaColumn, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (column.nullable) return null;
    throw new NotNullViolationError(`Column '${column.name}' of table '${table}' is NOT NULL: got ${value}; pass a ${typeLabel(column)} value`,
      table, column.name);
  }
  switch (column.type) {
    case 'BOOLEAN': return normalizeBoolean(table, column, value);
    case 'TINYINT': return normalizeInteger(table, column, value, -0x80, 0x7f);
    case 'SMALLINT': return normalizeInteger(table, column, value, -0x8000, 0x7fff);
    case 'INT': return normalizeInteger(table, column, value, -0x8000_0000, 0x7fff_ffff);
    case 'BIGINT': return normalizeBigint(table, column, value);
    case 'REAL': return normalizeReal(table, column, value);
    case 'DOUBLE': return normalizeDouble(table, column, value);
    case 'DECIMAL': return normalizeDecimal(table, column, value);
    case 'VARCHAR': return normalizeVarchar(table, column, value);
    case 'VARBINARY': return normalizeVarbinary(table, column, value);
    case 'DATE': return normalizeDate(table, column, value);
    case 'TIME': return normalizeTime(table, column, value);
    case 'TIMESTAMP': return normalizeTimestamp(table, column, value);
    case 'UUID': return normalizeUuid(table, column, value);
    default:
      throw new TableArgumentError(`Column '${column.name}' of table '${table}' has unknown type ${describeValue(column.type)}`, table, column.name);
  }
}

/**
 * The normalized values of a row object, in schema column order: an omitted (or `undefined`) column gets its
 * default when it has one, else null. Unknown names → ColumnNotFoundError (names match exactly as declared);
 * null in a NOT NULL column → NotNullViolationError, even when the column has a default. `borrowBinary`: VARBINARY
 * values are the caller's own arrays, not copies (for values encoded at once; copy them before keeping them).
 */
export function rowValues(table: string, schema: TableSchema, row: unknown, borrowBinary = false): unknown[] {
  const obj = plainObject(table, row, 'A row');
  const columns = schema.columns;
  const n = columns.length;
  let present = 0;
  for (let i = 0; i < n; i++) if (hasField(obj, columns[i]!.name)) present++;
  if (present !== ownKeyCount(obj)) throw unknownColumn(table, schema, obj);
  const values = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const c = columns[i]!;
    const v = hasField(obj, c.name) ? obj[c.name] : undefined;
    if (v === undefined) values[i] = omittedValue(table, c);
    else values[i] = borrowBinary && c.type === 'VARBINARY' && v !== null ? checkVarbinary(table, c, v) : normalizeValue(table, c, v);
  }
  return values;
}

/**
 * The normalized primary-key values, in key order, of a key object holding exactly the key columns. A missing (or
 * null) key column or a non-key column → TableArgumentError (INVALID_ARGUMENT); an unknown name → ColumnNotFoundError.
 */
export function keyValues(table: string, schema: TableSchema, key: unknown): unknown[] {
  const obj = plainObject(table, key, 'A key');
  const pk = schema.primaryKey;
  const columns = keyColumnsOf(schema, table);
  const values = new Array<unknown>(pk.length);
  let present = 0;
  for (let i = 0; i < pk.length; i++) {
    const name = pk[i]!;
    const has = hasField(obj, name);
    if (has) present++;
    values[i] = has ? obj[name] : undefined;
  }
  if (present !== ownKeyCount(obj)) throw nonKeyColumn(table, schema, obj);
  for (let i = 0; i < pk.length; i++) {
    const v = values[i];
    if (v === undefined || v === null) {
      throw new TableArgumentError(`The key of table '${table}' ${v === null ? 'has null for' : 'misses'} key column '${pk[i]!}'; `
        + `a key holds a non-null value for each primary-key column: ${pk.join(', ')}`, table, pk[i]!);
    }
    values[i] = normalizeValue(table, columns[i]!, v);
  }
  return values;
}

/** The primary-key columns of each schema version, in key order (found once per schema). */
const KEY_COLUMNS = new WeakMap<TableSchema, readonly SchemaColumn[]>();

function keyColumnsOf(schema: TableSchema, table: string): readonly SchemaColumn[] {
  let columns = KEY_COLUMNS.get(schema);
  if (columns === undefined) {
    columns = schema.primaryKey.map((name) => schema.columns[columnIndex(schema, name, table)]!);
    KEY_COLUMNS.set(schema, columns);
  }
  return columns;
}

/** Indexes into `schema.columns` of the primary-key columns, in key order (compute once per schema version). */
export function keyColumnIndices(schema: TableSchema): number[] {
  return schema.primaryKey.map((name) => columnIndex(schema, name));
}

/** The key values out of a full values array (`RowCodec.keyOf` does the same with indices computed once). */
export function keyOfRow(schema: TableSchema, values: readonly unknown[]): unknown[] {
  const indices = keyColumnIndices(schema);
  const key = new Array<unknown>(indices.length);
  for (let i = 0; i < indices.length; i++) key[i] = values[indices[i]!];
  return key;
}

/** A plain object keyed by the declared column names, in column order (a missing value is null). */
export function rowObject(schema: TableSchema, values: readonly unknown[]): Record<string, unknown> {
  let make = ROW_MAKERS.get(schema);
  if (make === undefined) ROW_MAKERS.set(schema, (make = objectMaker(schema.columns.map((c) => c.name))));
  return make(values);
}

/** rowObject's makers, one per schema version object. */
const ROW_MAKERS = new WeakMap<TableSchema, ObjectMaker>();

/** The value of an omitted column: a copy of its default (a VARBINARY default is never shared), else null. */
export function omittedValue(table: string, column: SchemaColumn): unknown {
  if (column.hasDefault) {
    const d = column.defaultValue;
    return d instanceof Uint8Array ? d.slice() : d;
  }
  if (column.nullable) return null;
  throw new NotNullViolationError(`Column '${column.name}' of table '${table}' is NOT NULL and has no default; give it a value`,
    table, column.name);
}

/** The index of the column named exactly `name`; a schema whose primary key names no column is refused. */
function columnIndex(schema: TableSchema, name: string, table?: string): number {
  const columns = schema.columns;
  for (let i = 0; i < columns.length; i++) if (columns[i]!.name === name) return i;
  const of = table === undefined ? '' : ` of table '${table}'`;
  throw new InvalidArgumentError(`Schema version ${schema.version}${of} names primary-key column '${name}' that it does not have`);
}

function plainObject(table: string, v: unknown, what: string): Record<string, unknown> {
  const proto = typeof v === 'object' && v !== null ? Object.getPrototypeOf(v) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new TableArgumentError(`${what} of table '${table}' must be a plain object keyed by column names, got ${describeValue(v)}`, table);
  }
  return v as Record<string, unknown>;
}

/** An own enumerable property: what `for...in`, `Object.keys` and spreading see of a row object. */
function hasField(obj: object, name: string): boolean {
  return Object.prototype.propertyIsEnumerable.call(obj, name);
}

function ownKeyCount(obj: object): number {
  let n = 0;
  for (const k in obj) if (hasField(obj, k)) n++;
  return n;
}

function unknownColumn(table: string, schema: TableSchema, obj: object): ColumnNotFoundError {
  for (const k of Object.keys(obj)) {
    if (!schema.columns.some((c) => c.name === k)) {
      const lower = k.toLowerCase();
      const near = schema.columns.find((c) => c.name.toLowerCase() === lower);
      const hint = near === undefined ? '' : ` (did you mean '${near.name}'? row objects use the names exactly as declared)`;
      const names = schema.columns.map((c) => c.name).join(', ');
      return new ColumnNotFoundError(`Table '${table}' has no column '${k}'${hint}; its columns are: ${names}`, table, k);
    }
  }
  throw new InvalidArgumentError(`Row of table '${table}' has an own property that is not a column`);
}

function nonKeyColumn(table: string, schema: TableSchema, obj: object): Error {
  for (const k of Object.keys(obj)) {
    if (schema.primaryKey.includes(k)) continue;
    if (!schema.columns.some((c) => c.name === k)) return unknownColumn(table, schema, obj);
    return new TableArgumentError(`Column '${k}' of table '${table}' is not a primary-key column; a key holds only the `
      + `primary-key columns (${schema.primaryKey.join(', ')}): use a scan or an index to find rows by other columns`, table, k);
  }
  throw new InvalidArgumentError(`Key of table '${table}' has an own property that is not a key column`);
}
