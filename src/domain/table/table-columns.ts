/**
 * Column definitions validated and resolved (everything but the default, which table-values.ts normalizes with the
 * column's own rules). Each refusal is a TableArgumentError (INVALID_ARGUMENT) naming the table, the column, the rule
 * broken and what to do.
 */
import { MAX_DECIMAL_DIGITS, MAX_DECLARED_LENGTH } from '../index/column-values';
import { describeValue } from '../shared/describe-value';
import { TableArgumentError } from './table-argument-error';
import type { ColumnDefinition, SchemaColumn, SqlType } from './table-schema';
import { SQL_TYPES } from './table-schema';
import { codePointCount } from './value-normalizers';

/** Longest column name, in characters (code points). */
export const MAX_COLUMN_NAME_LENGTH = 128;

/** The column of `def` with `hasDefault` false; validates everything but `default`. */
export function resolveColumnShape(table: string, def: ColumnDefinition, id: number, isKey: boolean): SchemaColumn {
  if (typeof def !== 'object' || def === null) {
    throw new TableArgumentError(`A column definition of table '${table}' must be an object { name, type, ... }, got ${describeValue(def)}`, table);
  }
  const name = checkName(table, def.name);
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new TableArgumentError(`Column '${name}' of table '${table}' has id ${describeValue(id)}; column ids are non-negative integers`, table, name);
  }
  const type = checkType(table, name, def.type);
  const nullable = checkNullable(table, name, def.nullable, isKey);
  const base = { id, name, type, nullable, hasDefault: false, defaultValue: null };
  if (type === 'DECIMAL') {
    checkNotGiven(table, name, type, def, 'length');
    const precision = checkInteger(table, name, 'precision', def.precision, 1, MAX_DECIMAL_DIGITS, MAX_DECIMAL_DIGITS);
    const scale = checkInteger(table, name, 'scale', def.scale, 0, precision, 0);
    return { ...base, precision, scale };
  }
  checkNotGiven(table, name, type, def, 'precision');
  checkNotGiven(table, name, type, def, 'scale');
  if (type !== 'VARCHAR' && type !== 'VARBINARY') {
    checkNotGiven(table, name, type, def, 'length');
    return base;
  }
  if (def.length === undefined) return base;
  return { ...base, length: checkInteger(table, name, 'length', def.length, 1, MAX_DECLARED_LENGTH, 0) };
}

function checkName(table: string, name: unknown): string {
  const bad = (rule: string): TableArgumentError => new TableArgumentError(
    `Column name ${describeValue(name)} of table '${table}' ${rule}`, table, typeof name === 'string' ? name : null);
  if (typeof name !== 'string') throw bad('is not a string; give each column a name');
  if (name.length === 0) throw bad('is empty; give each column a non-empty name');
  const chars = codePointCount(name);
  if (chars < 0) throw bad('has a lone UTF-16 surrogate; use valid Unicode text');
  if (chars > MAX_COLUMN_NAME_LENGTH) throw bad(`has ${chars} characters; use at most ${MAX_COLUMN_NAME_LENGTH}`);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) throw bad(`has a control character (code ${c}) at index ${i}; remove it`);
  }
  // Rows are plain objects keyed by column names: assigning '__proto__' would set the prototype, not a property.
  if (name === '__proto__') throw bad('is reserved (rows are JS objects keyed by column names); choose another name');
  return name;
}

function checkType(table: string, name: string, type: unknown): SqlType {
  if (typeof type === 'string' && (SQL_TYPES as readonly string[]).includes(type)) return type as SqlType;
  throw new TableArgumentError(`Column '${name}' of table '${table}' has type ${describeValue(type)}; use one of ${SQL_TYPES.join(', ')}`,
    table, name);
}

function checkNullable(table: string, name: string, nullable: unknown, isKey: boolean): boolean {
  if (nullable === undefined) return !isKey;
  if (typeof nullable !== 'boolean') {
    throw new TableArgumentError(`Column '${name}' of table '${table}' has nullable ${describeValue(nullable)}; use true, false, or omit it`,
      table, name);
  }
  if (nullable && isKey) {
    throw new TableArgumentError(`Column '${name}' of table '${table}' is a primary-key column, and those are always NOT NULL; `
      + 'remove nullable: true (or set it to false)', table, name);
  }
  return nullable;
}

function checkNotGiven(table: string, name: string, type: SqlType, def: ColumnDefinition, option: 'length' | 'precision' | 'scale'): void {
  if (def[option] === undefined) return;
  const applies = option === 'length' ? 'VARCHAR and VARBINARY' : 'DECIMAL';
  throw new TableArgumentError(`Column '${name}' of table '${table}' is ${type} but has ${option} ${describeValue(def[option])}; `
    + `${option} applies only to ${applies} columns: remove it`, table, name);
}

/** `v` when an integer in min..max; `fallback` when absent. */
function checkInteger(table: string, name: string, option: string, v: unknown, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new TableArgumentError(`Column '${name}' of table '${table}' has ${option} ${describeValue(v)}; `
      + `it must be an integer in ${min}..${max}, or omitted`, table, name);
  }
  return v;
}
