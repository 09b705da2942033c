/**
 * The transaction engine's row-level helpers: committing and rolling back an intent (with its index entries), the
 * committed version under an intent, the primary-key lookup, and emitting a committed transaction's changes.
 */
import type { BinaryRow } from '../../domain/storage/binary-row';
import type { ReadResult } from '../../domain/storage/results';
import type { RowId } from '../../domain/storage/row-id';
import { StorageError } from '../../domain/shared/errors';
import { rowObject } from '../../domain/table/table-values';
import type { TablePartition } from './open-table';
import type { Tx, TxWrite } from './tx';
import { dropKeyIfNoVersions, dropStaleEntries } from './index-maintenance';

/** How long a reader waits for the outcome of a transaction that is committing before it gives up. */
export const OUTCOME_WAIT_MILLIS = 10_000;

/**
 * Rolls back `txId`'s intent on `rowId` with the index entries only it needed. `key` (the row's primary key, when the
 * caller knows it) lets a chain left empty by the rollback of a tombstone intent lose its primary-key entry too.
 */
export function abortIntent(part: TablePartition, rowId: RowId, txId: string, key: readonly unknown[] | null = null): void {
  const res = part.mv.abortWrite(rowId, txId);
  if (res.status !== 'SUCCESS') return;
  dropStaleEntries(part, rowId, res.previousWriteIntent, key);
}

/**
 * Commits (at `committedAt`) or rolls back (null) the intent of a transaction that has its outcome, inside a closure of
 * the partition; with `key`, a chain the outcome left empty (a delete over no live row) loses its primary-key entry.
 */
export function settleIntent(part: TablePartition, rowId: RowId, owner: string, committedAt: bigint | null, key: readonly unknown[] | null): void {
  if (committedAt === null) {
    abortIntent(part, rowId, owner, key);
    return;
  }
  part.mv.commitWrite(rowId, committedAt, owner);
  if (key !== null) dropKeyIfNoVersions(part, rowId, key);
}

/**
 * Commits transaction `txId`'s intent of `w` at `ts`, inside a closure of the partition. A delete of a row that had no
 * live committed version (`w.oldRow` null: the transaction deleted its own insert) adds no version, so the row may be
 * left with none: then its primary-key entry goes in this closure too. Other writes pay only the two field checks.
 */
export function commitIntent(part: TablePartition, w: TxWrite, ts: bigint, txId: string): void {
  part.mv.commitWrite(w.rowId, ts, txId);
  if (w.newValues === null && w.oldRow === null) dropKeyIfNoVersions(part, w.rowId, w.key);
}

/** The committed version under an intent that the reader must not see. */
export function committedBelow(part: TablePartition, r: ReadResult): BinaryRow | null {
  const newest = r.newestCommitTimestamp;
  return newest === null ? null : part.mv.read(r.rowId, newest).binaryRow;
}

/** The RowId the primary-key index holds for `key`, or null. */
export function lookupRowId(part: TablePartition, key: readonly unknown[]): RowId | null {
  const cursor = part.pk.get(key);
  try {
    return cursor.hasNext() ? cursor.next() : null;
  } finally {
    cursor.close();
  }
}

/** The values with each Uint8Array copied (values kept for changes$ must not change with the caller's arrays). */
export function copyBinaries(values: readonly unknown[]): readonly unknown[] {
  return values.map((v) => (v instanceof Uint8Array ? v.slice() : v));
}

export function waitFor(other: Tx): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new StorageError(
      `Transaction ${other.id} did not reach its commit outcome within ${OUTCOME_WAIT_MILLIS} ms; the read cannot tell ` +
        'whether its writes are visible: retry', 'TX_OUTCOME_TIMEOUT')), OUTCOME_WAIT_MILLIS);
  });
  return Promise.race([other.settled(), timeout]).finally(() => clearTimeout(timer));
}

export function emitChanges(tx: Tx): void {
  for (const [part, rows] of tx.writes) {
    const table = part.table;
    if (!table.hasChangeSubscribers) continue;
    for (const w of rows.values()) {
      if (w.oldRow === null && w.newValues === null) continue;
      const schema = table.schema;
      const key: Record<string, unknown> = {};
      schema.primaryKey.forEach((name, i) => {
        key[name] = w.key[i];
      });
      table.emit({
        key,
        oldRow: w.oldRow === null ? null : rowObject(schema, table.decode(w.oldRow)),
        newRow: w.newValues === null ? null : rowObject(schema, w.newValues),
        commitTimestamp: tx.commitTs!,
      });
    }
  }
}
