/**
 * The per-column facts of one schema version that the row codec needs, compiled once into parallel typed arrays so
 * that encode and decode read no column objects. Immutable after construction.
 */
import { describeValue } from '../shared/describe-value';
import { InvalidArgumentError } from '../shared/errors';
import type { SqlType, TableSchema } from './table-schema';

/** Type codes (dense, stable only inside this process: the row format does not store them). */
export const T_BOOLEAN = 0;
export const T_TINYINT = 1;
export const T_SMALLINT = 2;
export const T_INT = 3;
export const T_BIGINT = 4;
export const T_REAL = 5;
export const T_DOUBLE = 6;
export const T_DECIMAL = 7;
export const T_VARCHAR = 8;
export const T_VARBINARY = 9;
export const T_DATE = 10;
export const T_TIME = 11;
export const T_TIMESTAMP = 12;
export const T_UUID = 13;

const TYPE_CODES: Readonly<Record<SqlType, number>> = {
  BOOLEAN: T_BOOLEAN, TINYINT: T_TINYINT, SMALLINT: T_SMALLINT, INT: T_INT, BIGINT: T_BIGINT, REAL: T_REAL,
  DOUBLE: T_DOUBLE, DECIMAL: T_DECIMAL, VARCHAR: T_VARCHAR, VARBINARY: T_VARBINARY, DATE: T_DATE, TIME: T_TIME,
  TIMESTAMP: T_TIMESTAMP, UUID: T_UUID,
};

/** Encoded width by type code; 0 = length-prefixed (DECIMAL, VARCHAR, VARBINARY). */
export const WIDTHS: readonly number[] = [1, 1, 2, 4, 8, 4, 8, 0, 0, 0, 4, 6, 12, 16];

/** `typeof` of a normalized value by type code (a cheap guard against values that skipped rowValues). */
export const JS_TYPES: readonly string[] = [
  'boolean', 'number', 'number', 'number', 'bigint', 'number', 'number', 'string', 'string', 'object', 'string', 'string',
  'string', 'string',
];

export class RowPlan {
  readonly count: number;
  readonly types: Uint8Array;
  readonly nullable: Uint8Array;
  /** DECIMAL scale and precision; 0 for the other types. */
  readonly scales: Int32Array;
  readonly precisions: Int32Array;
  /** Declared VARCHAR (code points) / VARBINARY (bytes) length; -1 when none. */
  readonly lengths: Float64Array;
  /** Indexes of the primary-key columns, in key order. */
  readonly keyIndices: Int32Array;
  readonly bitmapBytes: number;

  constructor(readonly schema: TableSchema) {
    const columns = schema.columns;
    const n = columns.length;
    this.count = n;
    this.types = new Uint8Array(n);
    this.nullable = new Uint8Array(n);
    this.scales = new Int32Array(n);
    this.precisions = new Int32Array(n);
    this.lengths = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = columns[i]!;
      const code = Object.hasOwn(TYPE_CODES, c.type) ? TYPE_CODES[c.type] : undefined;
      if (code === undefined) throw new InvalidArgumentError(`Column '${c.name}' has unknown type ${describeValue(c.type)}`);
      this.types[i] = code;
      this.nullable[i] = c.nullable ? 1 : 0;
      this.scales[i] = code === T_DECIMAL ? c.scale ?? 0 : 0;
      this.precisions[i] = code === T_DECIMAL ? c.precision ?? 0 : 0;
      this.lengths[i] = c.length ?? -1;
    }
    this.keyIndices = Int32Array.from(schema.primaryKey, (name) => keyIndex(schema, name));
    this.bitmapBytes = (n + 7) >> 3;
  }

  name(i: number): string {
    return this.schema.columns[i]!.name;
  }

  /** The refusal of a value that rowValues would not have produced for column `i`. */
  notNormalized(i: number, v: unknown): InvalidArgumentError {
    const c = this.schema.columns[i]!;
    return new InvalidArgumentError(`RowCodec.encode takes normalized values (see rowValues): column '${c.name}' is `
      + `${c.type}${c.nullable ? '' : ' NOT NULL'}, got ${describeValue(v)}`);
  }
}

function keyIndex(schema: TableSchema, name: string): number {
  const i = schema.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new InvalidArgumentError(`Schema version ${schema.version} names primary-key column '${name}' that it does not have`);
  return i;
}
