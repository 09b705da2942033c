/**
 * A scan in storage order: every row visible to a transaction, partition by partition, each partition's rows in
 * RowId order (MvPartitionStorage.scan) — which, with the time-ordered RowIds the tables give new rows
 * (RowId.timeOrdered), is insertion order and the order of the rows in the data pages. No index is read and nothing
 * is merged: what a full scan that needs no order uses (the SQL executor's FullScan), several times faster than
 * the primary-key scan on a large table, whose rows it would visit in random page order.
 *
 * Steps as ScanCursor does (table-scan.ts): a row's values, SCAN_DONE, or a promise to await before stepping again
 * (the row waits for another transaction's commit outcome; the same row is looked at again after it).
 */
import type { BinaryRow } from '../../domain/storage/binary-row';
import type { ReadResult } from '../../domain/storage/results';
import type { PartitionTimestampCursor } from '../../domain/storage/storage-engine.api';
import type { OpenTable } from './open-table';
import type { Tx } from './tx';
import { RETRY, type TxEngine } from './tx-engine';
import { SCAN_DONE } from './table-scan';

export class StorageScanCursor {
  #partition = 0;
  #cursor: PartitionTimestampCursor | null = null;
  /** A row whose visibility waits for a commit outcome: read again (by its RowId) at the next step. */
  #pending: ReadResult | null = null;
  #closed = false;

  /** The schema version `wanted` was made for: a column added or dropped during the scan turns it off. */
  readonly #wantedVersion: number;

  /** `wanted`: see OpenTable.decodeCopy (null: every column), for the table's current schema version. */
  constructor(
    private readonly engine: TxEngine, private readonly table: OpenTable, private readonly tx: Tx, private readonly wanted: Uint8Array | null,
  ) {
    this.#wantedVersion = table.schema.version;
  }

  step(): unknown[] | typeof SCAN_DONE | Promise<void> {
    const v = this.stepRow();
    return v === SCAN_DONE || v instanceof Promise ? v : this.table.decodeCopy(v, this.wanted, this.#wantedVersion);
  }

  /** As step(), but the visible row's bytes, valid until the next step (the cursor reuses their buffer). */
  stepRow(): BinaryRow | typeof SCAN_DONE | Promise<void> {
    const { engine, tx, table } = this;
    const own = tx.readOnly ? null : tx;
    for (;;) {
      if (this.#closed) return SCAN_DONE;
      const part = table.partitions[this.#partition];
      if (part === undefined) {
        this.close();
        return SCAN_DONE;
      }
      let r = this.#pending;
      let v;
      if (r !== null) {
        this.#pending = null;
        v = engine.visible(part, r.rowId, tx.readTs, own);
      } else {
        let cursor = this.#cursor;
        if (cursor === null) {
          cursor = this.#cursor = part.mv.scan(tx.readTs);
          cursor.reuseRows?.(); // each row is decoded (copied out) before the next step
        }
        if (!cursor.hasNext()) {
          cursor.close();
          this.#cursor = null;
          this.#partition++;
          continue;
        }
        r = cursor.next();
        v = engine.visibleOf(part, r, tx.readTs, own);
        if (v === RETRY) v = engine.visible(part, r.rowId, tx.readTs, own);
      }
      if (v instanceof Promise) {
        this.#pending = r;
        return v;
      }
      if (v !== null) return v;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cursor?.close();
    this.#cursor = null;
  }
}
