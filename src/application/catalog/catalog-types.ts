/**
 * The catalog's vocabulary: zones, tables and indexes as users declare them (descriptors, returned by `zones()` /
 * `tables()` as given), their stored states (with ids and schema versions), and the entries that change them. The
 * catalog is event-sourced: every change is one entry with the next version; a CatalogVersion is immutable.
 */
import type { ColumnDefinition, TableSchema } from '../../domain/table/table-schema';

/** A zone as `createZone` takes it and `zones()` returns it. */
export interface ZoneDescriptor {
  readonly name: string;
  /** 1..65,000; default 25. */
  readonly partitions?: number;
  /** Recorded and shown; this build keeps one copy of each partition (README "Zones"). Default 1. */
  readonly replicas?: number;
  /** At least one; the first is the zone's default profile. Default ['default']. */
  readonly storageProfiles?: readonly string[];
}

/** A table as `createTable` takes it and `tables()` returns it. */
export interface TableDescriptor {
  readonly name: string;
  /** Default: the zone `Default`. */
  readonly zone?: string;
  /** One of the zone's profiles; default: the zone's first profile. */
  readonly storageProfile?: string;
  readonly columns: readonly ColumnDefinition[];
  /** Names of the primary-key columns, in key order (at least one). */
  readonly primaryKey: readonly string[];
}

/** An index column: `order` is ignored for HASH indexes. */
export interface IndexColumnDescriptor {
  readonly name: string;
  readonly order?: 'ASC' | 'DESC';
}

/** An index as `createIndex` takes it. */
export interface IndexDescriptor {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly (IndexColumnDescriptor | string)[];
  /** Default SORTED. */
  readonly type?: 'SORTED' | 'HASH';
}

export interface ZoneState {
  readonly id: number;
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly storageProfiles: readonly string[];
}

export interface TableState {
  readonly id: number;
  readonly name: string;
  readonly zoneId: number;
  readonly storageProfile: string;
  /** Every schema version, oldest first; the last is current. */
  readonly schemas: readonly TableSchema[];
  /** The id the next added column gets. */
  readonly nextColumnId: number;
}

export interface IndexState {
  readonly id: number;
  readonly name: string;
  readonly tableId: number;
  readonly type: 'SORTED' | 'HASH';
  readonly columns: readonly { readonly name: string; readonly order: 'ASC' | 'DESC' }[];
  /** False while it is being built (scans throw IndexNotBuiltError); true once every partition is built. */
  readonly available: boolean;
}

/** One change of the catalog. */
export type CatalogEntry =
  | { readonly type: 'zone.created'; readonly zone: ZoneState }
  | { readonly type: 'zone.altered'; readonly zone: ZoneState }
  | { readonly type: 'zone.dropped'; readonly zoneId: number }
  | { readonly type: 'table.created'; readonly table: TableState }
  | { readonly type: 'table.dropped'; readonly tableId: number }
  | { readonly type: 'table.altered'; readonly table: TableState; readonly change: 'column.added' | 'column.dropped'; readonly column: string }
  | { readonly type: 'index.created'; readonly index: IndexState }
  | { readonly type: 'index.available'; readonly indexId: number }
  | { readonly type: 'index.dropped'; readonly indexId: number };

/** An entry as `catalog.changes$` streams it: with the version it made. */
export type CatalogChange = CatalogEntry & { readonly version: number };

/** Ids the next created objects get (never reused, so that files of a dropped table are never confused). */
export interface CatalogCounters {
  readonly nextZoneId: number;
  readonly nextTableId: number;
  readonly nextIndexId: number;
}
