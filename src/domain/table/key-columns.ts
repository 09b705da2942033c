/**
 * A table's columns as index key columns: the SQL types mapped to the key codec's column types (TINYINT → INT8,
 * SMALLINT → INT16, INT → INT32, BIGINT → INT64, REAL → FLOAT, VARCHAR → STRING, VARBINARY → BYTES, TIMESTAMP →
 * DATETIME; the others keep their names). Normalized table values (table-values.ts) are valid key values as they are.
 */
import type { ColumnType } from '../storage/column-type';
import type { HashIndexColumn, SortedIndexColumn } from '../storage/index-descriptors';
import type { SchemaColumn, SqlType } from './table-schema';

const KEY_TYPES: Readonly<Record<SqlType, ColumnType>> = {
  BOOLEAN: 'BOOLEAN', TINYINT: 'INT8', SMALLINT: 'INT16', INT: 'INT32', BIGINT: 'INT64', REAL: 'FLOAT', DOUBLE: 'DOUBLE',
  DECIMAL: 'DECIMAL', VARCHAR: 'STRING', VARBINARY: 'BYTES', DATE: 'DATE', TIME: 'TIME', TIMESTAMP: 'DATETIME', UUID: 'UUID',
};

/** The key codec's type of a SQL type. */
export function keyTypeOf(type: SqlType): ColumnType {
  return KEY_TYPES[type];
}

/** A hash index column for a table column. */
export function hashKeyColumn(column: SchemaColumn): HashIndexColumn {
  return {
    name: column.name, type: KEY_TYPES[column.type], nullable: column.nullable,
    ...(column.precision === undefined ? {} : { precision: column.precision }),
    ...(column.scale === undefined ? {} : { scale: column.scale }),
    ...(column.length === undefined ? {} : { length: column.length }),
  };
}

/** A sorted index column for a table column, ascending or descending (nulls last for ASC, first for DESC, as SQL sorts). */
export function sortedKeyColumn(column: SchemaColumn, asc: boolean): SortedIndexColumn {
  return { ...hashKeyColumn(column), asc, nullsFirst: !asc };
}
