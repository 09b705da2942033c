/** Builders of the SPI's result objects (every field present; absent ones null, commitPartitionId -1). */
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, ReadResult,
} from '../../../src/domain/storage/results';
import type { RowId } from '../../../src/domain/storage/row-id';

/** Rows are copied in and out so that callers never share bytes with the store. */
export function copyRow(row: BinaryRow | null): BinaryRow | null {
  return row === null ? null : { schemaVersion: row.schemaVersion, bytes: row.bytes.slice() };
}

export function emptyRead(rowId: RowId): ReadResult {
  return {
    rowId, binaryRow: null, transactionId: null, commitZoneId: null, commitPartitionId: -1,
    commitTimestamp: null, newestCommitTimestamp: null, isWriteIntent: false, isEmpty: true,
  };
}

export function committedRead(rowId: RowId, row: BinaryRow | null, commitTimestamp: bigint): ReadResult {
  return {
    rowId, binaryRow: copyRow(row), transactionId: null, commitZoneId: null, commitPartitionId: -1,
    commitTimestamp, newestCommitTimestamp: null, isWriteIntent: false, isEmpty: row === null,
  };
}

export interface WriteIntentFields {
  readonly row: BinaryRow | null;
  readonly txId: string;
  readonly commitZoneId: number;
  readonly commitPartitionId: number;
}

export function writeIntentRead(rowId: RowId, wi: WriteIntentFields, newestCommitTimestamp: bigint | null): ReadResult {
  return {
    rowId, binaryRow: copyRow(wi.row), transactionId: wi.txId, commitZoneId: wi.commitZoneId,
    commitPartitionId: wi.commitPartitionId, commitTimestamp: null, newestCommitTimestamp,
    isWriteIntent: true, isEmpty: wi.row === null,
  };
}

export const addWriteSuccess = (previousWriteIntent: BinaryRow | null): AddWriteResult => ({
  status: 'SUCCESS', previousWriteIntent: copyRow(previousWriteIntent), currentWriteIntentTxId: null, latestCommitTimestamp: null,
});

export const addWriteTxMismatch = (currentWriteIntentTxId: string, latestCommitTimestamp: bigint | null): AddWriteResult => ({
  status: 'TX_MISMATCH', previousWriteIntent: null, currentWriteIntentTxId, latestCommitTimestamp,
});

export const commitResult = (status: CommitResult['status'], expectedTxId: string | null = null): CommitResult => ({
  status, expectedTxId,
});

export const abortResult = (
  status: AbortResult['status'],
  previousWriteIntent: BinaryRow | null = null,
  expectedTxId: string | null = null,
): AbortResult => ({ status, previousWriteIntent: copyRow(previousWriteIntent), expectedTxId });

export const addWriteCommittedResult = (
  status: AddWriteCommittedResult['status'],
  currentWriteIntentTxId: string | null = null,
  latestCommitTimestamp: bigint | null = null,
): AddWriteCommittedResult => ({ status, currentWriteIntentTxId, latestCommitTimestamp });
