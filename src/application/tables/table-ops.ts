/**
 * The row operations of the table API inside one transaction: get, getAll, insert, upsert, replace, delete, scan,
 * count (DESIGN.md §9 "Table API"). Values are validated first (a bad value or a duplicate key fails only that call);
 * writes go through the transaction engine, which detects conflicts.
 */
import { TableArgumentError } from '../../domain/table/table-argument-error';
import { DuplicateKeyError } from '../../domain/shared/errors';
import { describeValue } from '../../domain/shared/describe-value';
import { keyValues, rowValues } from '../../domain/table/table-values';
import type { OpenTable, TablePartition } from './open-table';
import type { Tx } from './tx';
import { MAX_VALUE } from '../../domain/storage/hybrid-timestamp';
import { lookupRowId, type TxEngine, type WriteOutcome } from './tx-engine';
import { writeImplicitly } from './implicit-write';
import { StorageScanCursor } from './storage-scan';
import { checkScanOptions, SCAN_DONE, ScanCursor, scanPlan, type ScanOptions } from './table-scan';

export class TableOps {
  constructor(
    private readonly engine: TxEngine,
    /** The catalog id of an index of the table, by name (IndexNotFoundError otherwise). */
    private readonly indexId: (table: OpenTable, name: string) => number,
  ) {}

  async get(table: OpenTable, tx: Tx, key: unknown): Promise<unknown[] | null> {
    const k = keyValues(table.name, table.schema, key);
    return this.#read(table.partitionOf(k), k, tx);
  }

  /**
   * The latest committed row of `key` (a plain get outside a transaction), synchronously when no commit outcome must
   * be waited for; else a promise to await before asking again. A single-row read at "latest committed" is a read at
   * now: no transaction, timestamp or registration needed.
   */
  latest(table: OpenTable, key: unknown): unknown[] | null | Promise<void> {
    const k = keyValues(table.name, table.schema, key);
    const part = table.partitionOf(k);
    const rowId = lookupRowId(part, k);
    if (rowId === null) return null;
    const v = this.engine.visible(part, rowId, MAX_VALUE, null, k);
    if (v instanceof Promise) return v;
    return v === null ? null : table.decode(v);
  }

  async getAll(table: OpenTable, tx: Tx, keys: unknown): Promise<(unknown[] | null)[]> {
    if (!Array.isArray(keys)) {
      throw new TableArgumentError(`getAll(keys) of table '${table.name}' takes an array of key objects, got ${describeValue(keys)}`, table.name);
    }
    const normalized = keys.map((key) => keyValues(table.name, table.schema, key));
    const rows: (unknown[] | null)[] = [];
    for (const k of normalized) rows.push(await this.#read(table.partitionOf(k), k, tx));
    return rows;
  }

  /**
   * A plain write (its own transaction): checked and written in one closure (implicit-write.ts). `when`: 'absent'
   * (insert: DUPLICATE_KEY when the key has a row), 'present' (replace, delete: false when it has none), 'always'.
   */
  async writeNow(table: OpenTable, op: 'insert' | 'upsert' | 'replace' | 'delete', input: unknown): Promise<boolean> {
    const values = op === 'delete' ? null : rowValues(table.name, table.schema, input, true);
    const key = values === null ? keyValues(table.name, table.schema, input) : table.keyOf(values);
    const when = op === 'insert' ? 'absent' : op === 'upsert' ? 'always' : 'present';
    const outcome = await writeImplicitly(this.engine, table.partitionOf(key), key, values, when);
    if (op === 'insert') checkInserted(table, key, outcome);
    return outcome === 'WRITTEN';
  }

  /** Inserts `row` in `tx`: synchronous unless it must wait for another commit's outcome (then a promise). */
  insert(table: OpenTable, tx: Tx, row: unknown): void | Promise<void> {
    const values = rowValues(table.name, table.schema, row, true);
    const key = table.keyOf(values);
    const outcome = this.#write(table.partitionOf(key), tx, key, values, 'absent');
    if (outcome instanceof Promise) return outcome.then((o) => checkInserted(table, key, o));
    checkInserted(table, key, outcome);
  }

  upsert(table: OpenTable, tx: Tx, row: unknown): void | Promise<void> {
    const values = rowValues(table.name, table.schema, row, true);
    const key = table.keyOf(values);
    const outcome = this.#write(table.partitionOf(key), tx, key, values, 'always');
    if (outcome instanceof Promise) return outcome.then(() => undefined);
  }

  /** True when the row was there (and is replaced). */
  replace(table: OpenTable, tx: Tx, row: unknown): boolean | Promise<boolean> {
    const values = rowValues(table.name, table.schema, row, true);
    const key = table.keyOf(values);
    const outcome = this.#write(table.partitionOf(key), tx, key, values, 'present');
    return outcome instanceof Promise ? outcome.then((o) => o === 'WRITTEN') : outcome === 'WRITTEN';
  }

  /** True when the row was there (and is deleted). */
  delete(table: OpenTable, tx: Tx, key: unknown): boolean | Promise<boolean> {
    const k = keyValues(table.name, table.schema, key);
    const outcome = this.#write(table.partitionOf(k), tx, k, null, 'present');
    return outcome instanceof Promise ? outcome.then((o) => o === 'WRITTEN') : outcome === 'WRITTEN';
  }

  /**
   * Checks the scan (options, index, availability) now and returns what opens its cursor in `tx` (the transaction may
   * begin later: a scan of an implicit transaction begins it at the first row).
   */
  scan(table: OpenTable, options: unknown): { options: ScanOptions; open: (tx: Tx) => ScanCursor } {
    const o = checkScanOptions(table, options);
    const plan = scanPlan(table, o.index, (name) => this.indexId(table, name));
    return { options: o, open: (tx) => new ScanCursor(this.engine, table, tx, plan, o) };
  }

  /** What opens a scan of every row in storage order (storage-scan.ts) in `tx`; `wanted`: see OpenTable.decodeCopy. */
  storageScan(table: OpenTable, wanted: Uint8Array | null): { open: (tx: Tx) => StorageScanCursor } {
    return { open: (tx) => new StorageScanCursor(this.engine, table, tx, wanted) };
  }

  /** Rows visible to the transaction. */
  async count(table: OpenTable, tx: Tx): Promise<number> {
    const scan = new StorageScanCursor(this.engine, table, tx, null);
    let n = 0;
    try {
      for (;;) {
        const v = scan.stepRow(); // a row is only counted, never decoded
        if (v === SCAN_DONE) return n;
        if (v instanceof Promise) await v;
        else n++;
      }
    } finally {
      scan.close();
    }
  }

  async #read(part: TablePartition, key: readonly unknown[], tx: Tx): Promise<unknown[] | null> {
    const own = tx.readOnly ? null : tx;
    for (;;) {
      const rowId = lookupRowId(part, key);
      if (rowId === null) return null;
      const v = this.engine.visible(part, rowId, tx.readTs, own, key);
      if (v instanceof Promise) {
        await v;
        continue;
      }
      return v === null ? null : part.table.decode(v);
    }
  }

  /** The write's outcome, synchronously unless it must wait for another transaction's commit outcome first. */
  #write(
    part: TablePartition, tx: Tx, key: readonly unknown[], values: readonly unknown[] | null, when: 'always' | 'absent' | 'present',
  ): Written | Promise<Written> {
    if (tx.readOnly) {
      throw new TableArgumentError(`Table '${part.table.name}': a read-only transaction cannot write; start a read-write one`, part.table.name);
    }
    const outcome = this.engine.write(part, tx, key, values, when);
    if (!(outcome instanceof Promise)) return outcome;
    return (async () => {
      let next: WriteOutcome = outcome;
      while (next instanceof Promise) {
        await next;
        next = this.engine.write(part, tx, key, values, when);
      }
      return next;
    })();
  }
}

type Written = 'WRITTEN' | 'DUPLICATE' | 'ABSENT';

function checkInserted(table: OpenTable, key: readonly unknown[], outcome: Written): void {
  if (outcome === 'DUPLICATE') {
    throw new DuplicateKeyError(`Table '${table.name}' already has a row with key ${describeKey(table, key)}; use upsert or replace to change it`, table.name);
  }
}

function describeKey(table: OpenTable, key: readonly unknown[]): string {
  const parts = table.schema.primaryKey.map((name, i) => `${name}=${typeof key[i] === 'bigint' ? `${key[i]}n` : JSON.stringify(key[i])}`);
  return `(${parts.join(', ')})`;
}
