/**
 * Table schemas (level 2 of the API, DESIGN.md §9): the SQL column types, a column as the user declares it, and the
 * immutable schema versions the catalog keeps. A table's rows are stored with the version they were written under
 * (the SPI's `schemaVersion`); old rows are read through the current version by column id, never rewritten.
 */

/** The SQL column types of a table (DESIGN.md §9 "Values" gives each one's JS value). */
export type SqlType =
  | 'BOOLEAN' | 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT' | 'REAL' | 'DOUBLE' | 'DECIMAL' | 'VARCHAR' | 'VARBINARY'
  | 'DATE' | 'TIME' | 'TIMESTAMP' | 'UUID';

export const SQL_TYPES: readonly SqlType[] = [
  'BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'REAL', 'DOUBLE', 'DECIMAL', 'VARCHAR', 'VARBINARY', 'DATE', 'TIME',
  'TIMESTAMP', 'UUID',
];

/** A column as `createTable` / `alterTable` take it. */
export interface ColumnDefinition {
  /** Kept as declared; SQL matches it case-insensitively unless quoted. */
  readonly name: string;
  readonly type: SqlType;
  /** Default true, except for primary-key columns (always NOT NULL). */
  readonly nullable?: boolean;
  /** The value of an omitted column (validated against the type); absent: null. */
  readonly default?: unknown;
  /** VARCHAR: maximum characters; VARBINARY: maximum bytes. Absent: unbounded. */
  readonly length?: number;
  /** DECIMAL: total digits (1..32767), default 32767. */
  readonly precision?: number;
  /** DECIMAL: digits after the point (0..precision), default 0. */
  readonly scale?: number;
}

/** A column of a schema version: its definition resolved, with the id that survives renames of versions. */
export interface SchemaColumn {
  /** Unique within the table for its whole life; never reused after a drop. */
  readonly id: number;
  readonly name: string;
  readonly type: SqlType;
  readonly nullable: boolean;
  /** True when the definition gave a default (then `defaultValue` is the validated, normalized value). */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/** One immutable version of a table's schema. */
export interface TableSchema {
  /** 1 for the table as created; +1 for each added or dropped column. */
  readonly version: number;
  /** In declaration order (dropped columns removed, added ones last). */
  readonly columns: readonly SchemaColumn[];
  /** Names of the primary-key columns, in key order (a key column cannot be dropped). */
  readonly primaryKey: readonly string[];
}
