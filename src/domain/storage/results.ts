/** Result shapes of the MV partition storage SPI. Absent optional fields are null. */
import type { BinaryRow } from './binary-row';
import type { RowId } from './row-id';

export interface ReadResult {
  readonly rowId: RowId;
  readonly binaryRow: BinaryRow | null;
  /** Write intents only; null for committed versions. */
  readonly transactionId: string | null;
  readonly commitZoneId: number | null;
  /** -1 for committed versions. */
  readonly commitPartitionId: number;
  /** Committed versions only. */
  readonly commitTimestamp: bigint | null;
  /** For a write intent: the newest commit timestamp under it, if any. */
  readonly newestCommitTimestamp: bigint | null;
  readonly isWriteIntent: boolean;
  readonly isEmpty: boolean;
}

export interface AddWriteResult {
  readonly status: 'SUCCESS' | 'TX_MISMATCH';
  readonly previousWriteIntent: BinaryRow | null;
  readonly currentWriteIntentTxId: string | null;
  readonly latestCommitTimestamp: bigint | null;
}

export interface CommitResult {
  readonly status: 'SUCCESS' | 'NO_WRITE_INTENT' | 'TX_MISMATCH';
  readonly expectedTxId: string | null;
}

export interface AbortResult {
  readonly status: 'SUCCESS' | 'NO_WRITE_INTENT' | 'TX_MISMATCH';
  readonly previousWriteIntent: BinaryRow | null;
  readonly expectedTxId: string | null;
}

export interface AddWriteCommittedResult {
  readonly status: 'SUCCESS' | 'WRITE_INTENT_EXISTS';
  readonly currentWriteIntentTxId: string | null;
  readonly latestCommitTimestamp: bigint | null;
}

export interface GcEntry {
  readonly rowId: RowId;
  readonly timestamp: bigint;
}
