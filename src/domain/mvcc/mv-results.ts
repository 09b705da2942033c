/**
 * Builders of the MV partition SPI's result objects (DESIGN.md §6.1: every field present, absent ones null,
 * commitPartitionId −1 for committed versions). Rows passed in are fresh copies owned by the result. The results
 * without variable fields are shared frozen constants, so the common outcomes allocate nothing.
 */
import type { BinaryRow } from '../storage/binary-row';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, ReadResult,
} from '../storage/results';
import type { RowId } from '../storage/row-id';

export function emptyRead(rowId: RowId): ReadResult {
  return {
    rowId, binaryRow: null, transactionId: null, commitZoneId: null, commitPartitionId: -1,
    commitTimestamp: null, newestCommitTimestamp: null, isWriteIntent: false, isEmpty: true,
  };
}

export function committedRead(rowId: RowId, row: BinaryRow | null, commitTimestamp: bigint): ReadResult {
  return {
    rowId, binaryRow: row, transactionId: null, commitZoneId: null, commitPartitionId: -1,
    commitTimestamp, newestCommitTimestamp: null, isWriteIntent: false, isEmpty: row === null,
  };
}

export function writeIntentRead(
  rowId: RowId, row: BinaryRow | null, txId: string, commitZoneId: number, commitPartitionId: number, newestCommitTimestamp: bigint | null,
): ReadResult {
  return {
    rowId, binaryRow: row, transactionId: txId, commitZoneId, commitPartitionId, commitTimestamp: null, newestCommitTimestamp,
    isWriteIntent: true, isEmpty: row === null,
  };
}

const ADD_WRITE_FIRST: AddWriteResult = Object.freeze({
  status: 'SUCCESS', previousWriteIntent: null, currentWriteIntentTxId: null, latestCommitTimestamp: null,
});

export function addWriteSuccess(previousWriteIntent: BinaryRow | null): AddWriteResult {
  if (previousWriteIntent === null) return ADD_WRITE_FIRST;
  return { status: 'SUCCESS', previousWriteIntent, currentWriteIntentTxId: null, latestCommitTimestamp: null };
}

export function addWriteTxMismatch(currentWriteIntentTxId: string, latestCommitTimestamp: bigint | null): AddWriteResult {
  return { status: 'TX_MISMATCH', previousWriteIntent: null, currentWriteIntentTxId, latestCommitTimestamp };
}

export const COMMIT_SUCCESS: CommitResult = Object.freeze({ status: 'SUCCESS', expectedTxId: null });
export const COMMIT_NO_WRITE_INTENT: CommitResult = Object.freeze({ status: 'NO_WRITE_INTENT', expectedTxId: null });

export function commitTxMismatch(expectedTxId: string): CommitResult {
  return { status: 'TX_MISMATCH', expectedTxId };
}

export const ABORT_NO_WRITE_INTENT: AbortResult = Object.freeze({ status: 'NO_WRITE_INTENT', previousWriteIntent: null, expectedTxId: null });

export function abortSuccess(previousWriteIntent: BinaryRow | null): AbortResult {
  return { status: 'SUCCESS', previousWriteIntent, expectedTxId: null };
}

export function abortTxMismatch(expectedTxId: string): AbortResult {
  return { status: 'TX_MISMATCH', previousWriteIntent: null, expectedTxId };
}

export const ADD_WRITE_COMMITTED_SUCCESS: AddWriteCommittedResult = Object.freeze({
  status: 'SUCCESS', currentWriteIntentTxId: null, latestCommitTimestamp: null,
});

export function writeIntentExists(currentWriteIntentTxId: string, latestCommitTimestamp: bigint | null): AddWriteCommittedResult {
  return { status: 'WRITE_INTENT_EXISTS', currentWriteIntentTxId, latestCommitTimestamp };
}
