/**
 * The descriptors `zones()`, `tables()` and `indexes()` return: the catalog's states in the shape `createZone`,
 * `createTable` and `createIndex` take (defaults resolved; a table's columns are those of its current schema).
 */
import type { ColumnDefinition, SchemaColumn } from '../../domain/table/table-schema';
import type { IndexState, TableState, ZoneState } from '../catalog/catalog-types';
import type { CatalogVersion } from '../catalog/catalog-version';

export interface ZoneInfo {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly storageProfiles: readonly string[];
}

export interface TableInfo {
  readonly name: string;
  readonly zone: string;
  readonly storageProfile: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  /** The current schema version (1 as created, +1 per added or dropped column). */
  readonly schemaVersion: number;
}

export interface IndexInfo {
  readonly name: string;
  readonly table: string;
  readonly type: 'SORTED' | 'HASH';
  readonly columns: readonly { readonly name: string; readonly order: 'ASC' | 'DESC' }[];
  /** False while the index is being built. */
  readonly available: boolean;
}

export function zoneInfo(zone: ZoneState): ZoneInfo {
  return { name: zone.name, partitions: zone.partitions, replicas: zone.replicas, storageProfiles: [...zone.storageProfiles] };
}

export function tableInfo(table: TableState, catalog: CatalogVersion): TableInfo {
  const schema = table.schemas.at(-1)!;
  return {
    name: table.name,
    zone: catalog.zone(table.zoneId)?.name ?? '?',
    storageProfile: table.storageProfile,
    columns: schema.columns.map(columnDefinition),
    primaryKey: [...schema.primaryKey],
    schemaVersion: schema.version,
  };
}

export function indexInfo(index: IndexState, catalog: CatalogVersion): IndexInfo {
  return {
    name: index.name, table: catalog.table(index.tableId)?.name ?? '?', type: index.type,
    columns: index.columns.map((c) => ({ ...c })), available: index.available,
  };
}

function columnDefinition(c: SchemaColumn): ColumnDefinition {
  return {
    name: c.name, type: c.type, nullable: c.nullable,
    ...(c.hasDefault ? { default: c.defaultValue } : {}),
    ...(c.length === undefined ? {} : { length: c.length }),
    ...(c.precision === undefined ? {} : { precision: c.precision }),
    ...(c.scale === undefined ? {} : { scale: c.scale }),
  };
}
