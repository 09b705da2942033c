/**
 * Argument checks of the page-based MV partition storage (bad input is an InvalidArgumentError, DESIGN.md §8;
 * the same rules as the reference engine's). Allocation-free on success; messages are built only when throwing.
 */
import { parseTxId } from '../../../domain/mvcc/tx-id-bytes';
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { BinaryRow } from '../../../domain/storage/binary-row';
import { MAX_VALUE, MIN_VALUE } from '../../../domain/storage/hybrid-timestamp';
import { RowId } from '../../../domain/storage/row-id';

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

export function checkTimestamp(ts: bigint): bigint {
  if (typeof ts !== 'bigint' || ts < MIN_VALUE || ts > MAX_VALUE) {
    throw new InvalidArgumentError(`A hybrid timestamp must be a bigint in [${MIN_VALUE}, ${MAX_VALUE}], got ${String(ts)}`);
  }
  return ts;
}

/** True for a value checkTimestamp accepts (vacuum treats anything else as "not queued"). */
export function isTimestamp(ts: unknown): ts is bigint {
  return typeof ts === 'bigint' && ts >= MIN_VALUE && ts <= MAX_VALUE;
}

/** Rows: null (a tombstone) or { schemaVersion: 32-bit integer (stored as i32 on pages), bytes: Uint8Array }. */
export function checkRow(row: BinaryRow | null): BinaryRow | null {
  if (row === null) return null;
  if (typeof row !== 'object' || !(row.bytes instanceof Uint8Array) || !Number.isInteger(row.schemaVersion)
    || row.schemaVersion < INT32_MIN || row.schemaVersion > INT32_MAX) {
    throw new InvalidArgumentError('A row must be { schemaVersion: 32-bit integer, bytes: Uint8Array } or null (a tombstone)');
  }
  return row;
}

/** Parses the UUID string into `dst` (16 bytes). */
export function parseTxIdArgument(txId: string, dst: Uint8Array): void {
  if (!parseTxId(txId, dst, 0)) throw new InvalidArgumentError(`A transaction id must be a UUID string, got ${String(txId)}`);
}

/** commitZoneId: any 32-bit integer; commitPartitionId: 0..2^31-1 (both stored as i32 in the write intent's version header). */
export function checkCommitTarget(commitZoneId: number, commitPartitionId: number): void {
  if (!Number.isInteger(commitZoneId) || commitZoneId < INT32_MIN || commitZoneId > INT32_MAX
    || !Number.isInteger(commitPartitionId) || commitPartitionId < 0 || commitPartitionId > INT32_MAX) {
    throw new InvalidArgumentError(
      `commitZoneId must be a 32-bit integer and commitPartitionId an integer in 0..${INT32_MAX}, got ${commitZoneId}, ${commitPartitionId}`);
  }
}

/** The RowId, checked to belong to partition `partitionId`. */
export function checkOwnRowId(rowId: RowId, partitionId: number, what: string): RowId {
  if (!(rowId instanceof RowId)) throw new InvalidArgumentError(`Expected a RowId, got ${String(rowId)}`);
  if (rowId.partitionId !== partitionId) {
    throw new InvalidArgumentError(`${rowId} belongs to partition ${rowId.partitionId}, not to ${what} (partition ${partitionId})`);
  }
  return rowId;
}
