/**
 * Keeping secondary indexes and the primary-key index in step with a row's version chain. An index holds an entry
 * for every version's key (a reader at an older timestamp may need an older one), so an entry is removed only when
 * no version left in the chain has its key: after an abort, a vacuum, or an intent replaced by the same transaction.
 * A chain left empty also loses its primary-key entry — nothing would remove it later (the GC visits only rows with
 * queued versions) — in the same closure that emptied it. Runs inside the partition's runConsistently closure.
 */
import type { BinaryRow } from '../../domain/storage/binary-row';
import type { RowId } from '../../domain/storage/row-id';
import type { OpenIndex, TablePartition } from './open-table';

/** Equality of normalized values (bigint, number, string, boolean, Uint8Array, null). */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
}

export function keysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
  return true;
}

/** Puts the index entries of `values` (a written version) into every index of the partition. */
export function putIndexEntries(part: TablePartition, rowId: RowId, values: readonly unknown[]): void {
  for (const index of part.indexes.values()) {
    index.storage.put({ key: part.table.indexKeyOf(index, values), rowId });
  }
}

/** Primary-key entries dropped so far: a write closure that resolved an intent compares it to see if its key went. */
let droppedKeys = 0;

/** Primary-key entries dropped so far (a write closure compares it before and after resolving an intent it met). */
export function droppedKeyCount(): number {
  return droppedKeys;
}

/**
 * `removed` (a version that left the chain) may have left index entries that no remaining version has: removes those.
 * An empty chain also loses its primary-key entry: its key is `removed`'s, or `key` when `removed` was a tombstone
 * (an intent deleting the transaction's own insert; without `key` that entry stays — the caller knew no key).
 */
export function dropStaleEntries(
  part: TablePartition, rowId: RowId, removed: BinaryRow | null, key: readonly unknown[] | null = null,
): void {
  const table = part.table;
  const remaining: unknown[][] = [];
  let versions = 0;
  const cursor = part.mv.scanVersions(rowId);
  try {
    for (const v of cursor) {
      versions++;
      if (v.binaryRow !== null) remaining.push(table.decode(v.binaryRow));
    }
  } finally {
    cursor.close();
  }
  const values = removed !== null && (part.indexes.size > 0 || versions === 0) ? table.decode(removed) : null;
  if (values !== null) {
    for (const index of part.indexes.values()) removeIfUnused(part, index, rowId, values, remaining);
  }
  if (versions > 0) return;
  const pkKey = values === null ? key : table.keyOf(values);
  if (pkKey === null) return;
  part.pk.remove({ key: pkKey, rowId });
  droppedKeys++;
}

/**
 * Drops the primary-key entry `key` → `rowId` when the row has no version at all: after a commit that may have added
 * none (a delete of a row the transaction inserted itself, over no live row). Its secondary entries went already,
 * when the delete's intent replaced the insert's. A reader that looked the RowId up before finds no version either.
 */
export function dropKeyIfNoVersions(part: TablePartition, rowId: RowId, key: readonly unknown[]): void {
  const cursor = part.mv.scanVersions(rowId);
  try {
    if (cursor.hasNext()) return;
  } finally {
    cursor.close();
  }
  part.pk.remove({ key, rowId });
  droppedKeys++;
}

function removeIfUnused(part: TablePartition, index: OpenIndex, rowId: RowId, values: readonly unknown[], remaining: unknown[][]): void {
  const key = part.table.indexKeyOf(index, values);
  for (const other of remaining) if (keysEqual(key, part.table.indexKeyOf(index, other))) return;
  index.storage.remove({ key, rowId });
}
