/** Column types of index keys and table columns. JS values: see README ("Column types"). */
export type ColumnType =
  | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'DECIMAL' | 'BOOLEAN' | 'UUID' | 'STRING'
  | 'BYTES' | 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP';

export const ColumnType = {
  INT8: 'INT8', INT16: 'INT16', INT32: 'INT32', INT64: 'INT64', FLOAT: 'FLOAT', DOUBLE: 'DOUBLE',
  DECIMAL: 'DECIMAL', BOOLEAN: 'BOOLEAN', UUID: 'UUID', STRING: 'STRING', BYTES: 'BYTES', DATE: 'DATE',
  TIME: 'TIME', DATETIME: 'DATETIME', TIMESTAMP: 'TIMESTAMP',
} as const satisfies Record<ColumnType, ColumnType>;
