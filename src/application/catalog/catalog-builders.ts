/**
 * Builds the states the catalog's entries carry from what users pass (createTable, alterZone, createIndex, column
 * changes), validating every part against the current version. Pure: nothing is stored here.
 */
import { TableArgumentError } from '../../domain/table/table-argument-error';
import { AlreadyExistsError, ColumnNotFoundError, InvalidArgumentError, StorageError } from '../../domain/shared/errors';
import type { ColumnDefinition, SchemaColumn, TableSchema } from '../../domain/table/table-schema';
import { resolveColumn } from '../../domain/table/table-values';
import { describeValue } from '../../domain/shared/describe-value';
import type { IndexDescriptor, IndexState, TableDescriptor, TableState, ZoneDescriptor, ZoneState } from './catalog-types';
import { nameKey, type CatalogVersion } from './catalog-version';
import { checkInteger, checkKeys, checkName, checkNameList, checkObject } from './catalog-checks';

export function alteredZone(zone: ZoneState, changes: Omit<ZoneDescriptor, 'name'>, tables: readonly TableState[]): ZoneState {
  const obj = checkObject(changes, `alterZone('${zone.name}', changes)`, '{ replicas: 3 }');
  checkKeys(obj, ['partitions', 'replicas', 'storageProfiles'], 'The zone changes');
  let { partitions, replicas, storageProfiles } = zone;
  if (obj['partitions'] !== undefined) {
    partitions = checkInteger(obj['partitions'], `Zone '${zone.name}': partitions`, 1, 65_000);
    if (partitions !== zone.partitions && tables.length > 0) {
      throw new StorageError(
        `Zone '${zone.name}' holds table(s) ${tables.map((t) => t.name).join(', ')}: its partition count cannot change; ` +
          'create a new zone and move the tables', 'ZONE_IN_USE');
    }
  }
  if (obj['replicas'] !== undefined) replicas = checkInteger(obj['replicas'], `Zone '${zone.name}': replicas`, 1, 1000);
  if (obj['storageProfiles'] !== undefined) {
    storageProfiles = checkNameList(obj['storageProfiles'], `Zone '${zone.name}': storageProfiles`);
    for (const t of tables) {
      if (!storageProfiles.includes(t.storageProfile)) {
        throw new StorageError(
          `Table '${t.name}' of zone '${zone.name}' uses profile '${t.storageProfile}': keep it among the zone's profiles`, 'PROFILE_IN_USE');
      }
    }
  }
  return { ...zone, partitions, replicas, storageProfiles };
}

export function newTable(
  desc: TableDescriptor, cur: CatalogVersion, zoneOf: (name: string) => ZoneState, checkProfile: (name: string) => void,
): TableState {
  const obj = checkObject(desc, 'createTable(table)',
    "{ name: 'orders', columns: [{ name: 'id', type: 'BIGINT' }], primaryKey: ['id'] }");
  checkKeys(obj, ['name', 'zone', 'storageProfile', 'columns', 'primaryKey'], 'The table descriptor');
  const name = checkName(obj['name'], 'table');
  if (cur.tableByName(name) !== undefined) throw new AlreadyExistsError(`Table '${name}' already exists; choose another name or drop it first`, name);
  const zone = zoneOf(obj['zone'] === undefined ? 'Default' : checkName(obj['zone'], 'zone'));
  const profile = obj['storageProfile'] === undefined ? zone.storageProfiles[0]! : checkName(obj['storageProfile'], 'storage profile');
  checkProfile(profile);
  if (!zone.storageProfiles.includes(profile)) {
    throw new InvalidArgumentError(
      `Table '${name}': storage profile '${profile}' is not one of zone '${zone.name}''s profiles (${zone.storageProfiles.join(', ')}); ` +
        `use one of them or alter the zone`);
  }
  const defs = obj['columns'];
  if (!Array.isArray(defs) || defs.length === 0) {
    throw new TableArgumentError(`Table '${name}': columns must be a non-empty array of column definitions, got ${describeValue(defs)}`, name);
  }
  const primaryKey = resolvePrimaryKey(name, obj['primaryKey'], defs as ColumnDefinition[]);
  const seen = new Set<string>();
  const columns: SchemaColumn[] = (defs as ColumnDefinition[]).map((def, i) => {
    const col = resolveColumn(name, def, i, primaryKey.includes(def?.name));
    if (seen.has(nameKey(col.name))) throw new AlreadyExistsError(`Table '${name}' declares column '${col.name}' twice`, name, col.name);
    seen.add(nameKey(col.name));
    return col;
  });
  return {
    id: cur.counters.nextTableId, name, zoneId: zone.id, storageProfile: profile,
    schemas: [{ version: 1, columns, primaryKey }], nextColumnId: columns.length,
  };
}

function resolvePrimaryKey(table: string, value: unknown, defs: readonly ColumnDefinition[]): string[] {
  const names = checkNameList(value, `Table '${table}': primaryKey`);
  return names.map((n) => {
    const def = defs.find((d) => typeof d?.name === 'string' && nameKey(d.name) === nameKey(n));
    if (def === undefined) throw new ColumnNotFoundError(`Table '${table}': primary-key column '${n}' is not among its columns`, table, n);
    return def.name;
  });
}

/** The table with `def` added as the last column of a new schema version. */
export function schemaWithColumn(table: TableState, def: ColumnDefinition): TableState {
  const current = table.schemas.at(-1)!;
  const col = resolveColumn(table.name, def, table.nextColumnId, false);
  if (current.columns.some((c) => nameKey(c.name) === nameKey(col.name))) {
    throw new AlreadyExistsError(`Table '${table.name}' already has a column '${col.name}'`, table.name, col.name);
  }
  if (!col.nullable && !col.hasDefault) {
    throw new TableArgumentError(
      `Column '${col.name}' added to table '${table.name}' is NOT NULL without a default: the rows already stored would have no value; give it a default`,
      table.name, col.name);
  }
  const schema: TableSchema = { version: current.version + 1, columns: [...current.columns, col], primaryKey: current.primaryKey };
  return { ...table, schemas: [...table.schemas, schema], nextColumnId: table.nextColumnId + 1 };
}

/** The table without column `name` in a new schema version (a primary-key column cannot be dropped). */
export function schemaWithoutColumn(table: TableState, name: string): { table: TableState; dropped: string } {
  const current = table.schemas.at(-1)!;
  const col = current.columns.find((c) => nameKey(c.name) === nameKey(String(name)));
  if (col === undefined) throw new ColumnNotFoundError(`Table '${table.name}' has no column ${JSON.stringify(name)}`, table.name, String(name));
  if (current.primaryKey.includes(col.name)) {
    throw new TableArgumentError(`Column '${col.name}' is part of table '${table.name}''s primary key and cannot be dropped`, table.name, col.name);
  }
  if (current.columns.length === 1) throw new TableArgumentError(`Table '${table.name}' must keep at least one column`, table.name, col.name);
  const schema: TableSchema = { version: current.version + 1, columns: current.columns.filter((c) => c !== col), primaryKey: current.primaryKey };
  return { table: { ...table, schemas: [...table.schemas, schema] }, dropped: col.name };
}

export function newIndex(desc: IndexDescriptor, cur: CatalogVersion, tableOf: (name: string) => TableState): IndexState {
  const obj = checkObject(desc, 'createIndex(index)', "{ name: 'orders_by_customer', table: 'orders', columns: ['customer'] }");
  checkKeys(obj, ['name', 'table', 'columns', 'type'], 'The index descriptor');
  const name = checkName(obj['name'], 'index');
  if (cur.indexByName(name) !== undefined) throw new AlreadyExistsError(`Index '${name}' already exists; index names are unique per node`);
  const table = tableOf(checkName(obj['table'], 'table'));
  const type = obj['type'] ?? 'SORTED';
  if (type !== 'SORTED' && type !== 'HASH') {
    throw new TableArgumentError(`Index '${name}': type must be 'SORTED' or 'HASH', got ${describeValue(type)}`, table.name);
  }
  const cols = obj['columns'];
  if (!Array.isArray(cols) || cols.length === 0) {
    throw new TableArgumentError(`Index '${name}': columns must be a non-empty array of column names or { name, order }`, table.name);
  }
  const columns = cols.map((c: unknown) => indexColumn(name, table, c));
  const names = new Set(columns.map((c) => c.name));
  if (names.size !== columns.length) throw new TableArgumentError(`Index '${name}' names a column twice`, table.name);
  return { id: cur.counters.nextIndexId, name, tableId: table.id, type, columns, available: false };
}

function indexColumn(index: string, table: TableState, c: unknown): { name: string; order: 'ASC' | 'DESC' } {
  const spec = typeof c === 'string' ? { name: c } : checkObject(c, `Index '${index}': a column`, "{ name: 'customer', order: 'DESC' }");
  if (typeof c !== 'string') checkKeys(spec as Record<string, unknown>, ['name', 'order'], `Index '${index}': a column`);
  const order = (spec as { order?: unknown }).order ?? 'ASC';
  if (order !== 'ASC' && order !== 'DESC') {
    throw new TableArgumentError(`Index '${index}': order must be 'ASC' or 'DESC', got ${describeValue(order)}`, table.name);
  }
  const declared = tableColumn(table, (spec as { name?: unknown }).name);
  return { name: declared, order };
}

function tableColumn(table: TableState, name: unknown): string {
  const col = typeof name === 'string' ? table.schemas.at(-1)!.columns.find((c) => nameKey(c.name) === nameKey(name)) : undefined;
  if (col === undefined) throw new ColumnNotFoundError(`Table '${table.name}' has no column ${describeValue(name)}`, table.name, String(name));
  return col.name;
}
