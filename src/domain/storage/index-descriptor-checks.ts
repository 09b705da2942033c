/**
 * Checks of the index descriptors given to createSortedIndex / createHashIndex (DESIGN §6.1, §8): every engine calls
 * them before it builds anything, so a malformed descriptor is an InvalidArgumentError naming the field
 * (`columns[1].length`) and the value, and nothing is created. Runs once per index creation, never on a hot path.
 *
 * Rules: `id` an integer in 0..2^31−1; `columns` a non-empty array; each column an object with a non-empty string
 * `name`, a `type` of ColumnType, a boolean `nullable`; sorted columns' `asc` and `nullsFirst` booleans or absent;
 * `primary` a boolean or absent. Sizes, when present: `length` an integer in 1..2^31−1 (STRING: characters as Unicode
 * code points; BYTES: bytes); DECIMAL `precision` in 1..32767 and `scale` in 0..precision; on other types
 * `precision`/`scale` are informative (e.g. TIMESTAMP(9)) but still integers in 0..32767.
 */
import { MAX_DECIMAL_DIGITS, MAX_DECLARED_LENGTH } from '../index/column-values';
import { describeValue } from '../shared/describe-value';
import { InvalidArgumentError } from '../shared/errors';
import { ColumnType } from './column-type';
import type { HashIndexDescriptor, SortedIndexDescriptor } from './index-descriptors';

const MAX_INDEX_ID = 0x7fff_ffff;

/** Throws InvalidArgumentError unless `desc` is a well-formed sorted index descriptor (see the file comment). */
export function checkSortedIndexDescriptor(desc: SortedIndexDescriptor): SortedIndexDescriptor {
  checkDescriptor(desc, 'sorted');
  return desc;
}

/** Throws InvalidArgumentError unless `desc` is a well-formed hash index descriptor (see the file comment). */
export function checkHashIndexDescriptor(desc: HashIndexDescriptor): HashIndexDescriptor {
  checkDescriptor(desc, 'hash');
  return desc;
}

function checkDescriptor(desc: unknown, kind: 'sorted' | 'hash'): void {
  const what = `A ${kind} index descriptor`;
  if (desc === null || typeof desc !== 'object' || Array.isArray(desc)) {
    throw new InvalidArgumentError(`${what} must be an object { id, columns, primary? }, got ${describeValue(desc)}`);
  }
  const d = desc as Record<string, unknown>;
  if (!Number.isInteger(d['id']) || (d['id'] as number) < 0 || (d['id'] as number) > MAX_INDEX_ID) {
    throw refuse(what, 'id', d['id'], `an integer in 0..${MAX_INDEX_ID}`);
  }
  const columns = d['columns'];
  if (!Array.isArray(columns) || columns.length === 0) {
    throw refuse(what, 'columns', columns, 'a non-empty array of columns');
  }
  optionalBoolean(what, 'primary', d['primary']);
  for (let i = 0; i < columns.length; i++) checkColumn(what, `columns[${i}]`, columns[i], kind === 'sorted');
}

function checkColumn(what: string, field: string, column: unknown, sorted: boolean): void {
  if (column === null || typeof column !== 'object' || Array.isArray(column)) {
    throw refuse(what, field, column, 'a column object { name, type, nullable, ... }');
  }
  const c = column as Record<string, unknown>;
  const name = c['name'];
  if (typeof name !== 'string' || name.length === 0) throw refuse(what, `${field}.name`, name, 'a non-empty string');
  const type = c['type'];
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(ColumnType, type)) {
    throw refuse(what, `${field}.type`, type, `one of ${Object.keys(ColumnType).join(', ')}`);
  }
  if (typeof c['nullable'] !== 'boolean') throw refuse(what, `${field}.nullable`, c['nullable'], 'a boolean');
  if (sorted) {
    optionalBoolean(what, `${field}.asc`, c['asc']);
    optionalBoolean(what, `${field}.nullsFirst`, c['nullsFirst']);
  }
  checkSizes(what, field, type, c);
}

function checkSizes(what: string, field: string, type: string, c: Record<string, unknown>): void {
  const { length, precision, scale } = c;
  if (length !== undefined && !isIntIn(length, 1, MAX_DECLARED_LENGTH)) {
    throw refuse(what, `${field}.length`, length, `an integer in 1..${MAX_DECLARED_LENGTH} (STRING: characters, BYTES: bytes), or omitted`);
  }
  const decimal = type === 'DECIMAL';
  if (precision !== undefined && !isIntIn(precision, decimal ? 1 : 0, MAX_DECIMAL_DIGITS)) {
    throw refuse(what, `${field}.precision`, precision, `an integer in ${decimal ? 1 : 0}..${MAX_DECIMAL_DIGITS}, or omitted`);
  }
  const maxScale = decimal && precision !== undefined ? (precision as number) : MAX_DECIMAL_DIGITS;
  if (scale !== undefined && !isIntIn(scale, 0, maxScale)) {
    throw refuse(what, `${field}.scale`, scale, `an integer in 0..${maxScale}${decimal && precision !== undefined ? ' (the precision)' : ''}, or omitted`);
  }
}

function optionalBoolean(what: string, field: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw refuse(what, field, v, 'a boolean, or omitted');
}

function isIntIn(v: unknown, min: number, max: number): boolean {
  return Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
}

function refuse(what: string, field: string, got: unknown, rule: string): InvalidArgumentError {
  return new InvalidArgumentError(`${what} has an invalid ${field}: it must be ${rule}, got ${describeValue(got)}`);
}
