/**
 * One immutable version of the catalog: zones, tables and indexes by id and by name. `apply(entry)` returns the next
 * version and leaves this one as it was, so a reader holding a version sees a fixed catalog. Names are unique per
 * kind, compared case-insensitively (SQL matches unquoted names that way); each keeps the case it was declared with.
 */
import type { CatalogCounters, CatalogEntry, IndexState, TableState, ZoneState } from './catalog-types';

/** The key names are compared by: SQL's case-insensitive match of unquoted identifiers. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** What a snapshot of the catalog stores. */
export interface CatalogSnapshotState {
  readonly counters: CatalogCounters;
  readonly zones: readonly ZoneState[];
  readonly tables: readonly TableState[];
  readonly indexes: readonly IndexState[];
}

export class CatalogVersion {
  readonly #zones: ReadonlyMap<number, ZoneState>;
  readonly #tables: ReadonlyMap<number, TableState>;
  readonly #indexes: ReadonlyMap<number, IndexState>;
  readonly #zoneNames: ReadonlyMap<string, number>;
  readonly #tableNames: ReadonlyMap<string, number>;
  readonly #indexNames: ReadonlyMap<string, number>;

  constructor(
    /** 0 for the empty catalog; +1 per entry. */
    readonly version: number,
    readonly counters: CatalogCounters,
    zones: ReadonlyMap<number, ZoneState>,
    tables: ReadonlyMap<number, TableState>,
    indexes: ReadonlyMap<number, IndexState>,
  ) {
    this.#zones = zones;
    this.#tables = tables;
    this.#indexes = indexes;
    this.#zoneNames = byName(zones);
    this.#tableNames = byName(tables);
    this.#indexNames = byName(indexes);
  }

  static fromSnapshot(version: number, state: CatalogSnapshotState): CatalogVersion {
    return new CatalogVersion(
      version, state.counters,
      new Map(state.zones.map((z) => [z.id, z])),
      new Map(state.tables.map((t) => [t.id, t])),
      new Map(state.indexes.map((i) => [i.id, i])),
    );
  }

  snapshot(): CatalogSnapshotState {
    return { counters: this.counters, zones: this.zones(), tables: this.tables(), indexes: this.indexes() };
  }

  zones(): ZoneState[] {
    return [...this.#zones.values()];
  }

  tables(): TableState[] {
    return [...this.#tables.values()];
  }

  indexes(): IndexState[] {
    return [...this.#indexes.values()];
  }

  zone(id: number): ZoneState | undefined {
    return this.#zones.get(id);
  }

  table(id: number): TableState | undefined {
    return this.#tables.get(id);
  }

  index(id: number): IndexState | undefined {
    return this.#indexes.get(id);
  }

  zoneByName(name: string): ZoneState | undefined {
    const id = this.#zoneNames.get(nameKey(name));
    return id === undefined ? undefined : this.#zones.get(id);
  }

  tableByName(name: string): TableState | undefined {
    const id = this.#tableNames.get(nameKey(name));
    return id === undefined ? undefined : this.#tables.get(id);
  }

  indexByName(name: string): IndexState | undefined {
    const id = this.#indexNames.get(nameKey(name));
    return id === undefined ? undefined : this.#indexes.get(id);
  }

  /** The indexes of a table, in creation order. */
  indexesOf(tableId: number): IndexState[] {
    return this.indexes().filter((i) => i.tableId === tableId);
  }

  /** The tables of a zone. */
  tablesIn(zoneId: number): TableState[] {
    return this.tables().filter((t) => t.zoneId === zoneId);
  }

  /** The next version: this one with `entry` applied (the entry was validated by the catalog before). */
  apply(entry: CatalogEntry): CatalogVersion {
    const zones = new Map(this.#zones);
    const tables = new Map(this.#tables);
    const indexes = new Map(this.#indexes);
    let counters = this.counters;
    switch (entry.type) {
      case 'zone.created':
        counters = { ...counters, nextZoneId: Math.max(counters.nextZoneId, entry.zone.id + 1) };
        zones.set(entry.zone.id, entry.zone);
        break;
      case 'zone.altered':
        zones.set(entry.zone.id, entry.zone);
        break;
      case 'zone.dropped':
        zones.delete(entry.zoneId);
        break;
      case 'table.created':
        counters = { ...counters, nextTableId: Math.max(counters.nextTableId, entry.table.id + 1) };
        tables.set(entry.table.id, entry.table);
        break;
      case 'table.altered':
        tables.set(entry.table.id, entry.table);
        break;
      case 'table.dropped':
        tables.delete(entry.tableId);
        for (const [id, index] of indexes) if (index.tableId === entry.tableId) indexes.delete(id);
        break;
      case 'index.created':
        counters = { ...counters, nextIndexId: Math.max(counters.nextIndexId, entry.index.id + 1) };
        indexes.set(entry.index.id, entry.index);
        break;
      case 'index.available': {
        const index = indexes.get(entry.indexId);
        if (index !== undefined) indexes.set(index.id, { ...index, available: true });
        break;
      }
      case 'index.dropped':
        indexes.delete(entry.indexId);
        break;
    }
    return new CatalogVersion(this.version + 1, counters, zones, tables, indexes);
  }
}

function byName(items: ReadonlyMap<number, { readonly id: number; readonly name: string }>): Map<string, number> {
  const names = new Map<string, number>();
  for (const item of items.values()) names.set(nameKey(item.name), item.id);
  return names;
}
