/**
 * The typed table API (level 2, DESIGN.md §9 "Table API"): `node.table<Row>('orders')` and, inside
 * `node.transaction(async (tx) => …)`, `tx.table<Row>('orders')`. A call on a handle from `node.table` is its own
 * transaction (writes retried on TX_CONFLICT like `node.transaction`); a call on a handle from `tx.table` runs in `tx`.
 */
import type { Observable } from 'rxjs';
import { InvalidArgumentError, StorageClosedError, TransactionConflictError } from '../../domain/shared/errors';
import { describeValue } from '../../domain/shared/describe-value';
import { rowObject } from '../../domain/table/table-values';
import type { OpenTable, TableChange } from '../../application/tables/open-table';
import type { TableService } from '../../application/tables/table-service';
import { SCAN_DONE, scanIterator, type ScanOptions } from '../../application/tables/table-scan';
import type { Tx } from '../../application/tables/tx';
import { settled } from './settled';

export type { ScanOptions, TableChange };

/** A forward scan's rows one `step()` at a time: a row, SCAN_DONE, or a promise to await before the next step. */
export interface ScanSteps {
  step(): unknown[] | typeof SCAN_DONE | Promise<void>;
  close(): void;
}

/** Where `columns` (declared names) sit in the table's current schema (-1: unknown); kept per columns array and schema. */
const POSITIONS = new WeakMap<readonly string[], { schema: object; positions: number[] }>();

/** @internal */
export function positionsOf(open: OpenTable, columns: readonly string[]): number[] {
  const schema = open.schema;
  const known = POSITIONS.get(columns);
  if (known !== undefined && known.schema === schema) return known.positions;
  const positions = columns.map((name) => schema.columns.findIndex((c) => c.name === name));
  POSITIONS.set(columns, { schema, positions });
  return positions;
}

/**
 * What turns a row's values (the table's current schema order) into the values of `columns`: the row itself when
 * `columns` are the schema's columns in order (no copy), else a new array per row (null for an unknown name). A
 * column added or dropped while a scan runs changes the current schema, and the mapping follows it.
 */
function valuesOf(t: OpenTable, columns: readonly string[]): (values: unknown[]) => unknown[] {
  let schema = t.schema;
  let map = valuesIn(t, columns);
  return (values) => {
    if (t.schema !== schema) {
      schema = t.schema;
      map = valuesIn(t, columns);
    }
    return map(values);
  };
}

function valuesIn(t: OpenTable, columns: readonly string[]): (values: unknown[]) => unknown[] {
  const positions = positionsOf(t, columns);
  if (positions.length === t.schema.columns.length && positions.every((p, i) => p === i)) return (values) => values;
  return (values) => positions.map((i) => (i < 0 ? null : values[i] ?? null));
}

/** The schema-order wanted mask of the columns `read` says are read (null: all are). */
function wantedOf(t: OpenTable, columns: readonly string[], read: readonly boolean[] | undefined): Uint8Array | null {
  if (read === undefined || read.every((r) => r)) return null;
  const positions = positionsOf(t, columns);
  const wanted = new Uint8Array(t.schema.columns.length);
  for (let i = 0; i < positions.length; i++) if (read[i] === true && positions[i]! >= 0) wanted[positions[i]!] = 1;
  return wanted;
}

/**
 * @internal The node a handle belongs to: closed from the moment its close() is called, while the tables and their
 * storage close later — a handle refuses every call from then on (STORAGE_CLOSED), never reaching a closing partition.
 */
export interface NodeState {
  readonly isClosed: boolean;
}

/** What a table call on a closed node throws. */
function nodeClosedError(): StorageClosedError {
  return new StorageClosedError('the node is closed; open it again with openNode()');
}

/** Times a plain write is run again after a TX_CONFLICT (as node.transaction's default `retries`). */
const IMPLICIT_RETRIES = 3;

/** A row object keyed by the table's declared column names. */
export type RowObject = Record<string, unknown>;

export class Table<Row extends object = RowObject> {
  #open: OpenTable | null = null;

  /** @internal Use `node.table(name)` or `tx.table(name)`. */
  constructor(
    private readonly service: TableService,
    /** The table's name as asked for (matched case-insensitively). */
    readonly name: string,
    private readonly tx: Tx | null,
    private readonly node: NodeState,
  ) {
    if (typeof name !== 'string') throw new InvalidArgumentError(`table(name): the name must be a string, got ${describeValue(name)}`);
    this.#table(); // TABLE_NOT_FOUND at once for an unknown name
  }

  /** The row with this primary key (`{ order_id: 42n }`), or null. */
  get(key: Partial<Row>): Promise<Row | null> {
    if (this.tx === null) {
      try {
        const t = this.#table();
        const r = this.service.ops.latest(t, key);
        if (!(r instanceof Promise)) return Promise.resolve(this.#row(t, r));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this.#read(async (t, tx) => this.#row(t, await this.service.ops.get(t, tx, key)));
  }

  /** The rows of these keys, aligned with `keys` (null for a miss). */
  getAll(keys: readonly Partial<Row>[]): Promise<(Row | null)[]> {
    return this.#read(async (t, tx) => (await this.service.ops.getAll(t, tx, keys)).map((v) => this.#row(t, v)));
  }

  /** Inserts a row; DuplicateKeyError (DUPLICATE_KEY) when its key exists. */
  insert(row: Row): Promise<void> {
    if (this.tx === null) return this.#writeNow('insert', row).then(() => undefined);
    return this.#write((t, tx) => this.service.ops.insert(t, tx, row));
  }

  /** Inserts or replaces the row of its key. */
  upsert(row: Row): Promise<void> {
    if (this.tx === null) return this.#writeNow('upsert', row).then(() => undefined);
    return this.#write((t, tx) => this.service.ops.upsert(t, tx, row));
  }

  /** Replaces the row of its key; false (and nothing written) when there is none. */
  replace(row: Row): Promise<boolean> {
    if (this.tx === null) return this.#writeNow('replace', row);
    return this.#write((t, tx) => this.service.ops.replace(t, tx, row));
  }

  /** Deletes the row of this key; false when there is none. */
  delete(key: Partial<Row>): Promise<boolean> {
    if (this.tx === null) return this.#writeNow('delete', key);
    return this.#write((t, tx) => this.service.ops.delete(t, tx, key));
  }

  /** Rows visible to the transaction (or now). */
  count(): Promise<number> {
    return this.#read((t, tx) => this.service.ops.count(t, tx));
  }

  /**
   * Rows in the order of `index` (the primary key's when absent) between the bounds, as an async iterator. A scan of
   * an index still being built throws IndexNotBuiltError (INDEX_NOT_BUILT).
   */
  scan(options?: ScanOptions): AsyncIterableIterator<Row> {
    const t = this.#table();
    return this.#scan(t, options, (v) => rowObject(t.schema, v) as Row);
  }

  /**
   * @internal A scan as a step cursor of `columns`' values (declared names; an unknown one gives null), for the
   * SQL executor's pull loop: `step()` gives a row, SCAN_DONE, or a promise to await before stepping again, so a scan
   * costs no promise per row. Opens now and throws what `scan` throws (INVALID_ARGUMENT for a bound that does not fit
   * its column); outside a transaction it reads at now in a read-only transaction of its own, released by `close()`.
   * `'storage'`: every row in storage order, not in any key's (storage-scan.ts), for a full scan that needs no order;
   * it decodes only the columns whose `read` entry is true (all when absent), the others are null.
   */
  scanSteps(options: ScanOptions | undefined | 'storage', columns: readonly string[], read?: readonly boolean[]): ScanSteps {
    const t = this.#table();
    const { engine, ops } = this.service;
    const own = this.tx;
    if (own !== null) engine.checkUsable(own);
    const scan = options === 'storage' ? ops.storageScan(t, wantedOf(t, columns, read)) : ops.scan(t, options);
    const tx = own ?? engine.begin(true);
    let cursor: ReturnType<typeof scan.open>;
    try {
      cursor = scan.open(tx);
    } catch (e) {
      if (own === null) engine.release(tx);
      throw e;
    }
    const map = valuesOf(t, columns);
    const node = this.node;
    let closed = false;
    return {
      step: () => {
        if (node.isClosed) throw nodeClosedError();
        const r = cursor.step();
        return r === SCAN_DONE || r instanceof Promise ? r : map(r);
      },
      close: () => {
        if (closed) return;
        closed = true;
        cursor.close();
        if (own === null) engine.release(tx);
      },
    };
  }

  #scan<R>(t: OpenTable, options: ScanOptions | undefined, map: (values: unknown[]) => R): AsyncIterableIterator<R> {
    const { engine, ops } = this.service;
    const own = this.tx;
    if (own !== null) engine.checkUsable(own);
    const scan = ops.scan(t, options);
    let implicit: Tx | null = null;
    const open = () => {
      if (own !== null) return scan.open(own);
      implicit = engine.begin(true);
      return scan.open(implicit);
    };
    const it = scanIterator(open, map, () => {
      if (implicit !== null) engine.release(implicit);
    });
    const node = this.node;
    // A scan the node's close overtook ends with STORAGE_CLOSED at its next step, before its cursors meet closed storage.
    const guarded: AsyncIterableIterator<R> = {
      next: () => (node.isClosed ? it.return!().then(() => Promise.reject(nodeClosedError())) : it.next()),
      return: () => it.return!(),
      [Symbol.asyncIterator]: () => guarded,
    };
    return guarded;
  }

  /** Committed changes of the table, after each commit is durable (shared by every handle of the table). */
  get changes$(): Observable<TableChange<Row>> {
    return this.#table().changes$ as Observable<TableChange<Row>>;
  }

  #row(t: OpenTable, values: unknown[] | null): Row | null {
    return values === null ? null : (rowObject(t.schema, values) as Row);
  }

  /** The open table; every call starts here, so this is where a handle of a closed node refuses (STORAGE_CLOSED). */
  #table(): OpenTable {
    if (this.node.isClosed) throw nodeClosedError();
    const open = this.#open;
    if (open !== null && !open.isDropped) return open;
    this.#open = this.service.table(this.name);
    return this.#open;
  }

  async #read<T>(op: (t: OpenTable, tx: Tx) => Promise<T>): Promise<T> {
    const t = this.#table();
    if (this.tx !== null) {
      this.service.engine.checkUsable(this.tx);
      return op(t, this.tx);
    }
    const tx = this.service.engine.begin(true);
    try {
      return await op(t, tx);
    } finally {
      this.service.engine.release(tx);
    }
  }

  /** A plain write: its own transaction in one closure, run again after a short backoff on TX_CONFLICT (3 times). */
  async #writeNow(op: 'insert' | 'upsert' | 'replace' | 'delete', input: unknown): Promise<boolean> {
    const t = this.#table();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.service.ops.writeNow(t, op, input);
      } catch (e) {
        if (!(e instanceof TransactionConflictError) || attempt >= IMPLICIT_RETRIES) throw e;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  }

  /** A write: in the handle's transaction (synchronously when it need not wait), or as a transaction of its own. */
  #write<T>(op: (t: OpenTable, tx: Tx) => T | Promise<T>): Promise<T> {
    const own = this.tx;
    return settled(() => {
      const t = this.#table();
      if (own === null) return this.service.transactions.run(async (tx) => op(t, tx));
      this.service.engine.checkUsable(own);
      return op(t, own);
    });
  }

}

/** What `node.transaction`'s function gets: the tables bound to the transaction. */
export class Transaction {
  /** @internal */
  constructor(private readonly service: TableService, private readonly tx: Tx, private readonly node: NodeState) {}

  /** The transaction's read timestamp (hybrid). */
  get timestamp(): bigint {
    return this.tx.readTs;
  }

  get readOnly(): boolean {
    return this.tx.readOnly;
  }

  /** The table API bound to this transaction. */
  table<Row extends object = RowObject>(name: string): Table<Row> {
    return new Table<Row>(this.service, name, this.tx, this.node);
  }
}
