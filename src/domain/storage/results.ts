/** Result shapes of the MV partition storage SPI. Absent optional fields are null. */
import type { BinaryRow } from './binary-row';
import type { RowId } from './row-id';

/**
 * A version of a row, as MvPartitionStorage.read, scan and scanVersions return it: a committed version
 * (`commitTimestamp` set), a write intent (`isWriteIntent`, with its transaction), or empty (`isEmpty`: no version
 * visible, or a tombstone).
 */
export interface ReadResult {
  /** The row this result is about. */
  readonly rowId: RowId;
  /** The row's content; null when empty or for a tombstone (a delete). */
  readonly binaryRow: BinaryRow | null;
  /** Write intents only; null for committed versions. */
  readonly transactionId: string | null;
  /** Write intents only: the zone of the transaction's commit partition; null for committed versions. */
  readonly commitZoneId: number | null;
  /** -1 for committed versions. */
  readonly commitPartitionId: number;
  /** Committed versions only. */
  readonly commitTimestamp: bigint | null;
  /** For a write intent: the newest commit timestamp under it, if any. */
  readonly newestCommitTimestamp: bigint | null;
  /** True for an uncommitted version (a transaction's write intent). */
  readonly isWriteIntent: boolean;
  /** True when nothing is visible: no version at that timestamp, or a tombstone. */
  readonly isEmpty: boolean;
}

/** The result of MvPartitionStorage.addWrite. */
export interface AddWriteResult {
  /** SUCCESS: the intent was written; TX_MISMATCH: another transaction's intent is there, nothing changed. */
  readonly status: 'SUCCESS' | 'TX_MISMATCH';
  /** SUCCESS: the row of this transaction's intent that was replaced (null: none, or a delete intent). */
  readonly previousWriteIntent: BinaryRow | null;
  /** TX_MISMATCH: the transaction that holds the intent. */
  readonly currentWriteIntentTxId: string | null;
  /** TX_MISMATCH: the row's newest commit timestamp (null: none). */
  readonly latestCommitTimestamp: bigint | null;
}

/** The result of MvPartitionStorage.commitWrite; anything but SUCCESS changed nothing. */
export interface CommitResult {
  /** SUCCESS; NO_WRITE_INTENT: the row has no intent; TX_MISMATCH: the intent is another transaction's. */
  readonly status: 'SUCCESS' | 'NO_WRITE_INTENT' | 'TX_MISMATCH';
  /** TX_MISMATCH: the transaction that holds the intent. */
  readonly expectedTxId: string | null;
}

/** The result of MvPartitionStorage.abortWrite; anything but SUCCESS changed nothing. */
export interface AbortResult {
  /** SUCCESS; NO_WRITE_INTENT: the row has no intent; TX_MISMATCH: the intent is another transaction's. */
  readonly status: 'SUCCESS' | 'NO_WRITE_INTENT' | 'TX_MISMATCH';
  /** SUCCESS: the removed intent's row (null for a delete intent). */
  readonly previousWriteIntent: BinaryRow | null;
  /** TX_MISMATCH: the transaction that holds the intent. */
  readonly expectedTxId: string | null;
}

/** The result of MvPartitionStorage.addWriteCommitted. */
export interface AddWriteCommittedResult {
  /** SUCCESS: the version was added (or a delete of nothing was left out); WRITE_INTENT_EXISTS: nothing changed. */
  readonly status: 'SUCCESS' | 'WRITE_INTENT_EXISTS';
  /** WRITE_INTENT_EXISTS: the transaction that holds the intent. */
  readonly currentWriteIntentTxId: string | null;
  /** WRITE_INTENT_EXISTS: the row's newest commit timestamp (null: none). */
  readonly latestCommitTimestamp: bigint | null;
}

/**
 * An entry of a partition's GC queue (MvPartitionStorage.peek / vacuum): the committed version of `rowId` at
 * `timestamp` has older versions under it, garbage once no reader needs a snapshot before `timestamp`.
 */
export interface GcEntry {
  /** The row whose chain has garbage. */
  readonly rowId: RowId;
  /** The commit timestamp of the version that superseded the older ones. */
  readonly timestamp: bigint;
}
