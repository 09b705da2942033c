/**
 * The transaction-state store: the durable outcome of each committed transaction that wrote to a durable table,
 * kept until the transaction's write intents are resolved. It is an internal MV table of the durable engine (one
 * partition, table id TX_STATE_TABLE_ID) whose row of a transaction sits at the RowId made of the transaction id, so a
 * lookup is one read. A commit appends its outcome with `runDurably`: the engine's write-ahead log is one sequence,
 * so the fdatasync that makes the outcome durable also covers every intent the transaction wrote before it.
 *
 * After a crash an intent whose transaction has a COMMITTED row here is committed by whoever meets it; one without
 * (the transaction never reached its outcome) is rolled back.
 */
import type { MvPartitionStorage, MvTableStorage, StorageEngine } from '../../domain/storage/storage-engine.api';
import { RowId } from '../../domain/storage/row-id';
import { MAX_VALUE } from '../../domain/storage/hybrid-timestamp';

/** The table id the store uses in the durable engine (the largest id, out of the catalog's way). */
export const TX_STATE_TABLE_ID = 0x7fffffff;

const SIGN = 0x80000000;
const STATE_COMMITTED = 1;

/** The RowId a transaction's outcome is stored at: its UUID in partition 0. */
export function txRowId(txId: string): RowId {
  const hex = txId.replace(/-/g, '');
  const w = (i: number) => parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return RowId.fromWords(0, (w(0) ^ SIGN) >>> 0, w(1), (w(2) ^ SIGN) >>> 0, w(3));
}

export class TxStateStore {
  #pendingForget: string[] = [];

  private constructor(private readonly table: MvTableStorage, private readonly mv: MvPartitionStorage) {}

  static async open(engine: StorageEngine, storageProfile: string): Promise<TxStateStore> {
    const table = engine.createMvTable({ tableId: TX_STATE_TABLE_ID, partitions: 1, storageProfile });
    const mv = table.getMvPartition(0) ?? (await table.createMvPartition(0));
    return new TxStateStore(table, mv);
  }

  /** Records that `txId` committed at `commitTs`; resolves once durable. */
  recordCommitted(txId: string, commitTs: bigint): Promise<void> {
    const bytes = new Uint8Array(9);
    bytes[0] = STATE_COMMITTED;
    new DataView(bytes.buffer).setBigInt64(1, commitTs, true);
    const rowId = txRowId(txId);
    return this.mv.runDurably(() => {
      this.mv.addWriteCommitted(rowId, { schemaVersion: 1, bytes }, commitTs);
    });
  }

  /** The commit timestamp of `txId` when it committed (and was not forgotten), else null. Synchronous. */
  committedAt(txId: string): bigint | null {
    const r = this.mv.read(txRowId(txId), MAX_VALUE);
    const row = r.binaryRow;
    if (row === null || row.bytes[0] !== STATE_COMMITTED) return null;
    return new DataView(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength).getBigInt64(1, true);
  }

  /**
   * The transaction's intents are all resolved: its outcome is no longer needed. Removed in batches (a tombstone
   * each, garbage-collected later); the removal is logged after the resolutions, so a crash never keeps one without the other.
   */
  forget(txId: string, nowTs: () => bigint): void {
    this.#pendingForget.push(txId);
    if (this.#pendingForget.length < 64) return;
    this.flushForgotten(nowTs);
  }

  flushForgotten(nowTs: () => bigint): void {
    const ids = this.#pendingForget;
    if (ids.length === 0) return;
    this.#pendingForget = [];
    this.mv.runConsistently(() => {
      for (const id of ids) this.mv.addWriteCommitted(txRowId(id), null, nowTs());
    });
  }

  /** Removes the tombstones and outcomes older than `ts` (outcomes are read at MAX only). Returns the versions removed. */
  vacuum(ts: bigint, budget: number): number {
    let removed = 0;
    this.mv.runConsistently(() => {
      for (const entry of this.mv.peek(ts, budget)) {
        this.mv.vacuum(entry);
        removed++;
      }
    });
    return removed;
  }

  async close(): Promise<void> {
    await this.table.close();
  }
}
