/**
 * The node's level-2 API (README "Tables and transactions"): zones, tables and indexes, typed table handles and
 * transactions. StorageNode extends it; the definitions are persisted in the work dir's catalog (zones, tables and
 * indexes exist again after a restart; an aimem table comes back empty).
 */
import type { Observable } from 'rxjs';
import type { TableService } from '../../application/tables/table-service';
import type { OpenTable } from '../../application/tables/open-table';
import type { ScanOptions } from '../../application/tables/table-scan';
import type { TransactionOptions } from '../../application/tables/transaction-runner';
import type { IndexInfo, TableInfo, ZoneInfo } from '../../application/tables/descriptors';
import type { CatalogChange, IndexDescriptor, TableDescriptor, ZoneDescriptor } from '../../application/catalog/catalog-types';
import type { ColumnDefinition } from '../../domain/table/table-schema';
import { InvalidArgumentError, StorageClosedError, StorageError } from '../../domain/shared/errors';
import { describeValue } from '../../domain/shared/describe-value';
import { positionsOf, Table, Transaction, type RowObject, type ScanSteps } from './table-handle';
import { settled } from './settled';

export type { TransactionOptions, IndexInfo, TableInfo, ZoneInfo, CatalogChange, IndexDescriptor, TableDescriptor, ZoneDescriptor };

/** Column changes of `alterTable`. */
export interface TableChanges {
  readonly addColumns?: readonly ColumnDefinition[];
  readonly dropColumns?: readonly string[];
}

export abstract class NodeTables {
  /** Internal: the tables of the node; null on a read-only node. */
  protected abstract tableService(): TableService;

  /** True once close() was called (table handles and transactions refuse from then on: STORAGE_CLOSED). */
  abstract get isClosed(): boolean;

  /** Catalog changes (zone/table/index created, altered, dropped; index available), each with its version. */
  get catalogChanges$(): Observable<CatalogChange> {
    return this.tableService().catalog.changes$;
  }

  /** Creates a zone: `{ name, partitions = 25, replicas = 1, storageProfiles = ['default'] }`. */
  createZone(zone: ZoneDescriptor): Promise<void> {
    return settled(() => this.tableService().createZone(zone));
  }

  /** Changes a zone's replicas or profiles (its partitions only while it holds no table). */
  alterZone(name: string, changes: Omit<ZoneDescriptor, 'name'>): Promise<void> {
    return settled(() => this.tableService().alterZone(name, changes));
  }

  /** Drops an empty zone (ZONE_IN_USE while it holds tables; `Default` stays). */
  dropZone(name: string): Promise<void> {
    return settled(() => this.tableService().dropZone(name));
  }

  zones(): ZoneInfo[] {
    return this.tableService().zones();
  }

  /** Creates a table: `{ name, zone = 'Default', storageProfile = the zone's first, columns, primaryKey }`. */
  createTable(table: TableDescriptor): Promise<void> {
    return settled(() => this.tableService().createTable(table));
  }

  /** Drops a table with its rows and indexes. */
  dropTable(name: string): Promise<void> {
    return settled(() => this.tableService().dropTable(name));
  }

  /** Adds or drops columns (a new schema version each; rows already stored are read through it). */
  alterTable(name: string, changes: TableChanges): Promise<void> {
    return settled(() => this.tableService().alterTable(name, changes));
  }

  tables(): TableInfo[] {
    return this.tableService().tables();
  }

  /** Creates an index and builds it in the background (see awaitIndex and indexes()). */
  createIndex(index: IndexDescriptor): Promise<void> {
    return settled(() => this.tableService().createIndex(index));
  }

  dropIndex(name: string): Promise<void> {
    return settled(() => this.tableService().dropIndex(name));
  }

  indexes(): IndexInfo[] {
    return this.tableService().indexes();
  }

  /** Resolves once the index is built and available to scans. */
  awaitIndex(name: string): Promise<void> {
    return settled(() => this.tableService().awaitIndex(name));
  }

  /** The table API of a table; each call is its own transaction. TABLE_NOT_FOUND for an unknown name. */
  table<Row extends object = RowObject>(name: string): Table<Row> {
    return new Table<Row>(this.tableService(), name, null, this);
  }

  /** @internal The open table behind a name (catalog id, partitions), for `aistorage tables`; TABLE_NOT_FOUND for an unknown name. */
  openTable(name: string): OpenTable {
    return this.tableService().table(name);
  }

  /**
   * @internal The latest committed row of a key as the values of `columns` (null: no row), synchronously; a promise when
   * the read must wait for a commit's outcome (the caller then takes its general path). For SQL's point queries.
   */
  latestRow(table: string, keyColumns: readonly string[], key: readonly unknown[], columns: readonly string[]): unknown[] | null | Promise<void> {
    const open = this.tableService().table(table);
    const keyObject: Record<string, unknown> = {};
    for (let i = 0; i < keyColumns.length; i++) keyObject[keyColumns[i]!] = key[i];
    const values = this.tableService().ops.latest(open, keyObject);
    if (values === null || values instanceof Promise) return values;
    const positions = positionsOf(open, columns);
    return positions.map((i) => (i < 0 ? null : values[i] ?? null));
  }

  /**
   * @internal A synchronous scan of a table at now in a read-only transaction of its own, rows as the values of
   * `columns`: `step()` gives a row, SCAN_DONE, or a promise (a row must wait for a commit's outcome). `close()` ends
   * it. For SQL's range queries; throws what `table.scan(options)` throws.
   */
  scanNow(table: string, options: ScanOptions, columns: readonly string[]): ScanSteps {
    return this.table(table).scanSteps(options, columns);
  }

  /**
   * Runs `fn` in a transaction: commits when it resolves (once durable), rolls back when it throws, and runs it again
   * on TX_CONFLICT up to `retries` times (default 3). `readOnly` reads at `timestamp` (default now). When the node is
   * closed before the transaction ends, it is rolled back and rejects with StorageClosedError (STORAGE_CLOSED; an
   * error `fn` threw is its `cause`).
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return settled(() => {
      if (typeof fn !== 'function') {
        throw new InvalidArgumentError(`transaction(fn): fn must be an async function (tx) => ..., got ${describeValue(fn)}`);
      }
      return this.#transaction(this.tableService(), fn, options);
    });
  }

  #transaction<T>(service: TableService, fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return service.transaction<T>(async (tx) => {
      let result: T;
      try {
        result = await fn(new Transaction(service, tx, this));
      } catch (e) {
        throw this.isClosed ? closedDuring(e) : e;
      }
      // Checked here, as the node closes the tables only later: a commit must not begin on a node being closed.
      if (this.isClosed) throw closedDuring(undefined);
      return result;
    }, options);
  }
}

/** The error of a transaction the node's close overtook (`fn`'s own error, if any, as its cause). */
function closedDuring(thrown: unknown): StorageClosedError {
  return new StorageClosedError(
    'the node is closed, so the transaction was rolled back, not committed; open the node again with openNode() and run it again',
    thrown instanceof Error ? { cause: thrown } : undefined);
}

export function readOnlyTables(): never {
  throw new StorageError('This node is read-only: tables cannot be used; open it without readOnly', 'READ_ONLY');
}
