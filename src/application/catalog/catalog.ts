/**
 * The node's catalog (zones, tables, indexes), event-sourced: each command validates its arguments against the
 * current version, appends one entry to the store (durable when the call returns), moves to the next immutable
 * version and streams the entry on `changes$`. The zone `Default` (profile `default`) is part of the empty catalog.
 * Every `compactEvery` entries the store writes a snapshot, so an open reads one snapshot and a short log.
 */
import { Subject, type Observable } from 'rxjs';
import {
  AlreadyExistsError, ColumnNotFoundError, IndexNotFoundError, InvalidArgumentError, StorageError, StorageIoError, TableNotFoundError,
  ZoneNotFoundError,
} from '../../domain/shared/errors';
import type { CatalogStore } from './catalog-store.port';
import type {
  CatalogChange, CatalogEntry, IndexDescriptor, IndexState, TableDescriptor, TableState, ZoneDescriptor, ZoneState,
} from './catalog-types';
import { CatalogVersion, nameKey, type CatalogSnapshotState } from './catalog-version';
import { checkInteger, checkKeys, checkName, checkNameList, checkObject } from './catalog-checks';
import { alteredZone, newIndex, newTable, schemaWithColumn, schemaWithoutColumn } from './catalog-builders';
import type { ColumnDefinition } from '../../domain/table/table-schema';

/**
 * The id of the first table the catalog creates. Level-2 tables share the engines with tables made through the SPI
 * (level 3), whose ids their creators choose — usually small: the catalog starts far above them.
 */
export const FIRST_TABLE_ID = 1 << 20;

/** The zone every node has from the start. */
export const DEFAULT_ZONE: ZoneState = { id: 0, name: 'Default', partitions: 25, replicas: 1, storageProfiles: ['default'] };

/** What the catalog asks of the configuration: throws UnknownProfileError for a profile that does not exist. */
export type ProfileCheck = (name: string) => void;

export class Catalog {
  readonly #changes = new Subject<CatalogChange>();
  /** Every entry after it was stored, with its version. Hot: nothing is replayed. Completes on close(). */
  readonly changes$: Observable<CatalogChange> = this.#changes.asObservable();
  #current: CatalogVersion;

  private constructor(
    private readonly store: CatalogStore,
    private readonly checkProfile: ProfileCheck,
    initial: CatalogVersion,
    private readonly compactEvery: number,
  ) {
    this.#current = initial;
  }

  /** Loads the stored catalog (throws DataCorruptionError for a damaged one; nothing is changed then). */
  static open(store: CatalogStore, checkProfile: ProfileCheck, compactEvery = 1000): Catalog {
    const stored = store.load();
    let version = stored.snapshot === null
      ? CatalogVersion.fromSnapshot(0, { counters: { nextZoneId: 1, nextTableId: FIRST_TABLE_ID, nextIndexId: 1 }, zones: [DEFAULT_ZONE], tables: [], indexes: [] })
      : CatalogVersion.fromSnapshot(stored.snapshot.version, stored.snapshot.state as CatalogSnapshotState);
    for (const { entry } of stored.entries) version = version.apply(entry as CatalogEntry);
    return new Catalog(store, checkProfile, version, compactEvery);
  }

  /** The current version (immutable: hold it to read a fixed catalog). */
  get current(): CatalogVersion {
    return this.#current;
  }

  createZone(desc: ZoneDescriptor): ZoneState {
    const obj = checkObject(desc, 'createZone(zone)', "{ name: 'cache_zone', partitions: 10, storageProfiles: ['default'] }");
    checkKeys(obj, ['name', 'partitions', 'replicas', 'storageProfiles'], 'The zone descriptor');
    const name = checkName(obj['name'], 'zone');
    const cur = this.#current;
    if (cur.zoneByName(name) !== undefined) throw new AlreadyExistsError(`Zone '${name}' already exists; choose another name or drop it first`);
    const zone: ZoneState = {
      id: cur.counters.nextZoneId,
      name,
      partitions: obj['partitions'] === undefined ? 25 : checkInteger(obj['partitions'], `Zone '${name}': partitions`, 1, 65_000),
      replicas: obj['replicas'] === undefined ? 1 : checkInteger(obj['replicas'], `Zone '${name}': replicas`, 1, 1000),
      storageProfiles: obj['storageProfiles'] === undefined ? ['default'] : checkNameList(obj['storageProfiles'], `Zone '${name}': storageProfiles`),
    };
    for (const p of zone.storageProfiles) this.checkProfile(p);
    this.#commit({ type: 'zone.created', zone });
    return zone;
  }

  alterZone(name: string, changes: Omit<ZoneDescriptor, 'name'>): ZoneState {
    const zone = this.#zone(name);
    const next = alteredZone(zone, changes, this.#current.tablesIn(zone.id));
    for (const p of next.storageProfiles) this.checkProfile(p);
    this.#commit({ type: 'zone.altered', zone: next });
    return next;
  }

  dropZone(name: string): void {
    const zone = this.#zone(name);
    if (zone.id === DEFAULT_ZONE.id) throw new InvalidArgumentError(`The zone 'Default' cannot be dropped; it holds tables created without a zone`);
    const tables = this.#current.tablesIn(zone.id);
    if (tables.length > 0) {
      throw new StorageError(`Zone '${zone.name}' holds table(s) ${tables.map((t) => t.name).join(', ')}; drop them first`, 'ZONE_IN_USE');
    }
    this.#commit({ type: 'zone.dropped', zoneId: zone.id });
  }

  createTable(desc: TableDescriptor): TableState {
    const cur = this.#current;
    const table = newTable(desc, cur, (zoneName) => this.#zone(zoneName), this.checkProfile);
    this.#commit({ type: 'table.created', table });
    return table;
  }

  dropTable(name: string): TableState {
    const table = this.table(name);
    this.#commit({ type: 'table.dropped', tableId: table.id });
    return table;
  }

  addColumn(tableName: string, column: ColumnDefinition): TableState {
    const table = this.table(tableName);
    const next = schemaWithColumn(table, column);
    this.#commit({ type: 'table.altered', table: next, change: 'column.added', column: next.schemas.at(-1)!.columns.at(-1)!.name });
    return next;
  }

  dropColumn(tableName: string, columnName: string): TableState {
    const table = this.table(tableName);
    const indexes = this.#current.indexesOf(table.id).filter((i) => i.columns.some((c) => nameKey(c.name) === nameKey(columnName)));
    if (indexes.length > 0) {
      throw new StorageError(
        `Column '${columnName}' of table '${table.name}' is used by index(es) ${indexes.map((i) => i.name).join(', ')}; drop them first`,
        'COLUMN_IN_USE');
    }
    const { table: next, dropped } = schemaWithoutColumn(table, columnName);
    this.#commit({ type: 'table.altered', table: next, change: 'column.dropped', column: dropped });
    return next;
  }

  createIndex(desc: IndexDescriptor): IndexState {
    const index = newIndex(desc, this.#current, (t) => this.table(t));
    this.#commit({ type: 'index.created', index });
    return index;
  }

  markIndexAvailable(indexId: number): void {
    const index = this.#current.index(indexId);
    if (index === undefined || index.available) return;
    this.#commit({ type: 'index.available', indexId });
  }

  dropIndex(name: string): IndexState {
    const index = this.index(name);
    this.#commit({ type: 'index.dropped', indexId: index.id });
    return index;
  }

  table(name: string): TableState {
    const table = typeof name === 'string' ? this.#current.tableByName(name) : undefined;
    if (table === undefined) {
      throw new TableNotFoundError(`Table ${JSON.stringify(name)} does not exist; create it with createTable (tables: ${listNames(this.#current.tables())})`, String(name));
    }
    return table;
  }

  index(name: string): IndexState {
    const index = typeof name === 'string' ? this.#current.indexByName(name) : undefined;
    if (index === undefined) throw new IndexNotFoundError(`Index ${JSON.stringify(name)} does not exist (indexes: ${listNames(this.#current.indexes())})`);
    return index;
  }

  /** The column of a table's current schema by name (case-insensitive); ColumnNotFoundError otherwise. */
  static column(table: TableState, name: string): string {
    const col = table.schemas.at(-1)!.columns.find((c) => nameKey(c.name) === nameKey(name));
    if (col === undefined) {
      throw new ColumnNotFoundError(`Table '${table.name}' has no column ${JSON.stringify(name)}`, table.name, name);
    }
    return col.name;
  }

  close(): void {
    this.#changes.complete();
    this.store.close();
  }

  #zone(name: string): ZoneState {
    const zone = typeof name === 'string' ? this.#current.zoneByName(name) : undefined;
    if (zone === undefined) {
      throw new ZoneNotFoundError(`Zone ${JSON.stringify(name)} does not exist; create it with createZone (zones: ${listNames(this.#current.zones())})`);
    }
    return zone;
  }

  /** The entry is durable already: a snapshot that cannot be written now (disk full) is tried again at the next entry. */
  #compact(version: CatalogVersion): void {
    try {
      this.store.writeSnapshot(version.version, version.snapshot());
    } catch (e) {
      if (!(e instanceof StorageIoError)) throw e;
    }
  }

  #commit(entry: CatalogEntry): void {
    const next = this.#current.apply(entry);
    this.store.append(next.version, entry);
    this.#current = next;
    if (this.store.entriesSinceSnapshot >= this.compactEvery) this.#compact(next);
    if (this.#changes.observed) this.#changes.next({ ...entry, version: next.version });
  }
}

function listNames(items: readonly { name: string }[]): string {
  return items.length === 0 ? 'none' : items.map((i) => i.name).join(', ');
}
