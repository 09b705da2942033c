/**
 * Write and read helpers over one MvPartitionStorage. Every write runs inside runConsistently with the row
 * locked, as the SPI requires of its callers.
 */
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import type {
  AbortResult, AddWriteCommittedResult, AddWriteResult, CommitResult, ReadResult,
} from '../../../src/domain/storage/results';
import { RowId } from '../../../src/domain/storage/row-id';
import type { MvPartitionStorage, PartitionTimestampCursor } from '../../../src/domain/storage/storage-engine.api';
import { drain, newTxId } from './rows';
import type { TestClock } from './test-clock';

/** The commit zone id the suites pass to addWrite. */
export const COMMIT_ZONE_ID = 999;

export class MvOps {
  constructor(
    readonly storage: MvPartitionStorage,
    readonly partitionId: number,
    readonly clock: TestClock,
  ) {}

  addWrite(rowId: RowId, row: BinaryRow | null, txId: string): AddWriteResult {
    return this.storage.runConsistently((locker) => {
      locker.lock(rowId);
      return this.storage.addWrite(rowId, row, txId, COMMIT_ZONE_ID, this.partitionId);
    });
  }

  commit(rowId: RowId, ts: bigint, txId: string): CommitResult {
    return this.storage.runConsistently((locker) => {
      locker.lock(rowId);
      return this.storage.commitWrite(rowId, ts, txId);
    });
  }

  abort(rowId: RowId, txId: string): AbortResult {
    return this.storage.runConsistently((locker) => {
      locker.lock(rowId);
      return this.storage.abortWrite(rowId, txId);
    });
  }

  addWriteCommitted(rowId: RowId, row: BinaryRow | null, ts: bigint): AddWriteCommittedResult {
    return this.storage.runConsistently((locker) => {
      locker.lock(rowId);
      return this.storage.addWriteCommitted(rowId, row, ts);
    });
  }

  /** A write intent on a new random RowId. */
  insert(row: BinaryRow | null, txId: string): RowId {
    const rowId = RowId.random(this.partitionId);
    this.addWrite(rowId, row, txId);
    return rowId;
  }

  /** addWrite + commitWrite by a new transaction at clock.now(); returns the commit timestamp. */
  addAndCommit(rowId: RowId, row: BinaryRow | null): bigint {
    const ts = this.clock.now();
    const tx = newTxId();
    this.addWrite(rowId, row, tx);
    this.commit(rowId, ts, tx);
    return ts;
  }

  read(rowId: RowId, ts: bigint): BinaryRow | null {
    return this.storage.read(rowId, ts).binaryRow;
  }

  scan(ts: bigint): ReadResult[] {
    return drain(this.storage.scan(ts));
  }

  openScan(ts: bigint): PartitionTimestampCursor {
    return this.storage.scan(ts);
  }

  versions(rowId: RowId): ReadResult[] {
    return this.storage.runConsistently((locker) => {
      locker.lock(rowId);
      return drain(this.storage.scanVersions(rowId));
    });
  }

  /** One GC step at `lowWatermark`: peek one entry, lock its row, vacuum it. Null when nothing is due. */
  vacuumOne(lowWatermark: bigint): { rowId: RowId; row: BinaryRow | null } | null {
    return this.storage.runConsistently((locker) => {
      const [entry] = this.storage.peek(lowWatermark, 1);
      if (entry === undefined) return null;
      locker.lock(entry.rowId);
      return { rowId: entry.rowId, row: this.storage.vacuum(entry) };
    });
  }

  /** Vacuums until a row comes back (skipping steps that removed only tombstones); null when nothing is due. */
  pollForVacuum(lowWatermark: bigint): { rowId: RowId; row: BinaryRow } | null {
    for (;;) {
      const step = this.vacuumOne(lowWatermark);
      if (step === null) return null;
      if (step.row !== null) return { rowId: step.rowId, row: step.row };
    }
  }
}
