/**
 * Level 2 of the API: zones, tables and indexes of the catalog, opened on their profiles' engines, and transactions
 * over them. Definitions are serialized (one at a time); a table's storage is opened after its catalog entry is
 * durable (a table whose storage cannot be made is dropped again, so the catalog never names a table without one).
 * At open, every catalog table is opened (aimem tables come back empty), unfinished index builds resume, and the
 * garbage collector starts.
 */
import { TableArgumentError } from '../../domain/table/table-argument-error';
import type { StorageEngine } from '../../domain/storage/storage-engine.api';
import type { HybridClock } from '../../domain/storage/hybrid-timestamp';
import { hybridTimestamp, physicalOf } from '../../domain/storage/hybrid-timestamp';
import { StorageClosedError, TableNotFoundError } from '../../domain/shared/errors';
import type { ColumnDefinition } from '../../domain/table/table-schema';
import type { Catalog } from '../catalog/catalog';
import type { IndexDescriptor, IndexState, TableDescriptor, TableState, ZoneDescriptor } from '../catalog/catalog-types';
import { checkKeys, checkObject } from '../catalog/catalog-checks';
import { OpenTable } from './open-table';
import { TxEngine } from './tx-engine';
import { TxStateStore } from './tx-state-store';
import { TableOps } from './table-ops';
import { buildIndex, collectGarbage } from './background-work';
import { indexInfo, tableInfo, zoneInfo, type IndexInfo, type TableInfo, type ZoneInfo } from './descriptors';
import { TransactionRunner, type TransactionOptions } from './transaction-runner';

export interface TableEngines {
  /** The engine of a storage profile (throws UnknownProfileError for an unknown one). */
  engineOf(profile: string): StorageEngine;
  /** Non-null when a durable engine can keep the transaction-state store (the profile named is a fallback). */
  readonly txStateProfile: string | null;
}

export interface TableServiceOptions {
  /** How long (ms) old versions stay readable: reads may go back this far, GC keeps them (default 600000). */
  readonly dataAvailabilityTimeMillis: number;
  /** How often (ms) the garbage collector runs (default 1000). */
  readonly gcIntervalMillis: number;
}

/** Marks an index built in every partition (its table is known to be empty). */
function markBuilt(table: OpenTable, indexId: number): void {
  for (const part of table.partitions) {
    const open = part.indexes.get(indexId)!;
    part.mv.runConsistently(() => open.storage.setNextRowIdToBuild(null));
  }
}

export const DEFAULT_TABLE_OPTIONS: TableServiceOptions = { dataAvailabilityTimeMillis: 600_000, gcIntervalMillis: 1_000 };

export class TableService {
  readonly engine: TxEngine;
  readonly ops: TableOps;
  readonly transactions: TransactionRunner;
  readonly #open = new Map<number, OpenTable>();
  #ddl: Promise<unknown> = Promise.resolve();
  #gcTimer: ReturnType<typeof setTimeout> | null = null;
  #gcRun: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #builds = new Set<Promise<void>>();

  private constructor(
    readonly catalog: Catalog,
    private readonly engines: TableEngines,
    readonly clock: HybridClock,
    private readonly options: TableServiceOptions,
  ) {
    this.engine = new TxEngine(clock);
    this.ops = new TableOps(this.engine, (table, name) => this.#indexOf(table, name));
    this.transactions = new TransactionRunner(this.engine, () => this.lowWatermark());
  }

  static async open(catalog: Catalog, engines: TableEngines, clock: HybridClock, options = DEFAULT_TABLE_OPTIONS): Promise<TableService> {
    const service = new TableService(catalog, engines, clock, options);
    for (const state of catalog.current.tables()) await service.#openTable(state);
    service.#scheduleGc();
    return service;
  }

  zones(): ZoneInfo[] {
    return this.catalog.current.zones().map(zoneInfo);
  }

  tables(): TableInfo[] {
    const cur = this.catalog.current;
    return cur.tables().map((t) => tableInfo(t, cur));
  }

  indexes(): IndexInfo[] {
    const cur = this.catalog.current;
    return cur.indexes().map((i) => indexInfo(i, cur));
  }

  createZone(desc: ZoneDescriptor): Promise<void> {
    return this.#serial(async () => void this.catalog.createZone(desc));
  }

  alterZone(name: string, changes: Omit<ZoneDescriptor, 'name'>): Promise<void> {
    return this.#serial(async () => void this.catalog.alterZone(name, changes));
  }

  dropZone(name: string): Promise<void> {
    return this.#serial(async () => this.catalog.dropZone(name));
  }

  createTable(desc: TableDescriptor): Promise<void> {
    return this.#serial(async () => {
      const state = this.catalog.createTable(desc);
      try {
        await this.#openTable(state);
      } catch (e) {
        this.catalog.dropTable(state.name);
        await this.engines.engineOf(state.storageProfile).destroyMvTable(state.id).catch(() => undefined);
        throw e;
      }
    });
  }

  dropTable(name: string): Promise<void> {
    return this.#serial(async () => {
      const state = this.catalog.dropTable(name);
      const open = this.#open.get(state.id);
      this.#open.delete(state.id);
      open?.markDropped();
      await this.engines.engineOf(state.storageProfile).destroyMvTable(state.id);
    });
  }

  /** Adds and drops columns (each a new schema version); old rows are read through the new version. */
  alterTable(name: string, changes: { readonly addColumns?: readonly ColumnDefinition[]; readonly dropColumns?: readonly string[] }): Promise<void> {
    return this.#serial(async () => {
      const obj = checkObject(changes, `alterTable('${name}', changes)`, "{ addColumns: [{ name: 'note', type: 'VARCHAR' }] }");
      checkKeys(obj, ['addColumns', 'dropColumns'], 'The table changes');
      const adds = obj['addColumns'] ?? [];
      const drops = obj['dropColumns'] ?? [];
      if (!Array.isArray(adds) || !Array.isArray(drops)) {
        throw new TableArgumentError(`alterTable('${name}'): addColumns and dropColumns must be arrays`, name);
      }
      let state = this.catalog.table(name);
      for (const def of adds) state = this.catalog.addColumn(state.name, def as ColumnDefinition);
      for (const col of drops) state = this.catalog.dropColumn(state.name, col as string);
      this.#open.get(state.id)?.update(state);
    });
  }

  /** Creates the index and starts building it; `indexes()` shows it available once built (see awaitIndex). */
  createIndex(desc: IndexDescriptor): Promise<void> {
    return this.#serial(async () => {
      const index = this.catalog.createIndex(desc);
      const table = this.#open.get(index.tableId)!;
      table.openIndex(index);
      this.#startBuild(table, index);
    });
  }

  dropIndex(name: string): Promise<void> {
    return this.#serial(async () => {
      const index = this.catalog.dropIndex(name);
      const table = this.#open.get(index.tableId);
      if (table === undefined) return;
      table.closeIndex(index.id);
      await table.storage.destroyIndex(index.id);
    });
  }

  /** Resolves once the index is available (built), rejects with INDEX_NOT_FOUND if it is dropped first. */
  async awaitIndex(name: string): Promise<void> {
    for (;;) {
      this.#checkOpen();
      const index = this.catalog.index(name);
      if (index.available) return;
      await Promise.race([...this.#builds, new Promise((r) => setTimeout(r, 20))]);
    }
  }

  /** The open table of a name (case-insensitive), TableNotFoundError otherwise. */
  table(name: string): OpenTable {
    this.#checkOpen();
    const state = this.catalog.table(name);
    const open = this.#open.get(state.id);
    if (open === undefined) throw new TableNotFoundError(`Table '${state.name}' is not open`, state.name);
    return open;
  }

  /** Reads before it may find versions garbage-collected (TIMESTAMP_TOO_OLD). */
  lowWatermark(): bigint {
    const now = this.clock.now();
    const bound = Math.max(0, physicalOf(now) - this.options.dataAvailabilityTimeMillis);
    let lwm = hybridTimestamp(bound, 0);
    for (const tx of this.engine.active()) if (tx.readTs < lwm) lwm = tx.readTs;
    return lwm;
  }

  transaction<T>(fn: Parameters<TransactionRunner['run']>[0], options?: TransactionOptions): Promise<T> {
    this.#checkOpen();
    return this.transactions.run(fn, options) as Promise<T>;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#gcTimer !== null) clearTimeout(this.#gcTimer);
    await this.engine.close(); // refuses transactions from now on; commits under way finish first
    await this.#gcRun;
    await Promise.allSettled([...this.#builds, this.#ddl]);
    this.engine.txState?.flushForgotten(() => this.clock.now());
    for (const t of this.#open.values()) t.markDropped();
    this.catalog.close();
  }

  async #openTable(state: TableState): Promise<void> {
    const engine = this.engines.engineOf(state.storageProfile);
    if (!engine.isVolatile) await this.#ensureTxState(state.storageProfile);
    const zone = this.catalog.current.zone(state.zoneId)!;
    const storage = engine.createMvTable({ tableId: state.id, partitions: zone.partitions, storageProfile: state.storageProfile });
    const table = new OpenTable(state, storage, !engine.isVolatile);
    await table.openPartitions(zone.partitions);
    for (const index of this.catalog.current.indexesOf(state.id)) {
      table.openIndex(index);
      if (engine.isVolatile) markBuilt(table, index.id); // a volatile table is empty at open: nothing to build
      else if (!index.available) this.#startBuild(table, index);
    }
    this.#open.set(state.id, table);
  }

  /**
   * Opens the transaction-state store with the first durable table, in that table's profile's cache (any profile of
   * the durable engine reaches the same files; using the table's own makes no region of another profile).
   */
  async #ensureTxState(profile: string): Promise<void> {
    if (this.engine.txState !== null || this.engines.txStateProfile === null) return;
    this.engine.txState = await TxStateStore.open(this.engines.engineOf(profile), profile);
  }

  #startBuild(table: OpenTable, index: IndexState): void {
    const build = buildIndex(table, index, () => this.#closed || table.isDropped).then((built) => {
      if (built && !this.#closed && this.catalog.current.index(index.id) !== undefined) {
        this.catalog.markIndexAvailable(index.id);
        table.indexStateChanged(this.catalog.current.index(index.id)!);
      }
    }, () => undefined); // a build stopped by a drop or close resumes at the next open
    this.#builds.add(build);
    void build.finally(() => this.#builds.delete(build));
  }

  #indexOf(table: OpenTable, name: string): number {
    const index = this.catalog.index(name);
    if (index.tableId !== table.state.id) {
      throw new TableArgumentError(`Index '${index.name}' is not an index of table '${table.name}'`, table.name);
    }
    return index.id;
  }

  #scheduleGc(): void {
    if (this.#closed) return;
    this.#gcTimer = setTimeout(() => {
      this.#gcRun = this.#collect().catch(() => undefined).finally(() => this.#scheduleGc());
    }, this.options.gcIntervalMillis);
    this.#gcTimer.unref?.();
  }

  async #collect(): Promise<void> {
    const lwm = this.lowWatermark();
    for (const table of [...this.#open.values()]) await collectGarbage(table, lwm, () => this.#closed);
    const txState = this.engine.txState;
    if (txState !== null && !this.#closed) {
      txState.flushForgotten(() => this.clock.now());
      txState.vacuum(this.clock.now(), 256);
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    const run = this.#ddl.then(fn, fn);
    this.#ddl = run.catch(() => undefined);
    return run;
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageClosedError('the node is closed; open it again with openNode()');
  }
}
