/**
 * Where a partition's mutation records go (DESIGN.md §2, §5): at the end of each runConsistently closure one batch
 * of that closure's mutations, and one batch per table-level change (clear, rebalance, index create/destroy,
 * destroy) as it happens. aipersist: msgpack records in the write-ahead delta log, group-committed; aimem: a sink
 * that wants nothing, so nothing is ever built.
 */
import type { PartitionMutation } from '../partition/partition.events';

/** A batch's place in the log and when it is durable. */
export interface AppendedBatch {
  /** Position (log sequence number) of the batch: increasing in append order across the whole log. */
  readonly position: number;
  /** Resolves once the batch is durable under the log's sync mode (rejects when it can never be). */
  readonly durable: Promise<void>;
}

export interface DeltaLog {
  /** False for sinks that discard everything: partitions then build no mutation records at all. */
  readonly wantsRecords: boolean;
  /**
   * Runs between closures (or for a table-level change, as it happens): appends one batch of one partition. The
   * batch and its values belong to the log from now on (the caller keeps no reference).
   */
  append(tableId: number, partitionId: number, batch: readonly PartitionMutation[]): AppendedBatch;
}

/** A batch read back from the log at recovery, with its position. */
export interface RecoveredBatch {
  readonly position: number;
  readonly batch: readonly PartitionMutation[];
}

export interface DeltaLogMetrics {
  readonly recordsAppended: number;
  readonly bytesAppended: number;
  readonly syncs: number;
  /** Records made durable per sync, on average (the group-commit size). */
  readonly recordsPerSync: number;
  /** Latency of a sync round (write + fdatasync) over the last rounds, ms. */
  readonly syncP50Ms: number;
  readonly syncP99Ms: number;
  /** Bytes of the segment files. */
  readonly sizeBytes: number;
  readonly segments: number;
  /** Records found at open, and those replayed into partitions so far with the time it took. */
  readonly recoveredRecords: number;
  readonly replayedRecords: number;
  readonly replayMillis: number;
}

/**
 * aipersist's write-ahead delta log (DESIGN.md §5): appends are synchronous (an in-memory buffer); group commit
 * writes and syncs them; a checkpoint releases what it covers; recovery hands each partition its batches newer than
 * its checkpoint, once, when it is opened.
 */
export interface DurableDeltaLog extends DeltaLog {
  /** Recovery: reads the log a previous run left (DataCorruptionError when it is corrupt; nothing is changed then). */
  open(): void;
  /** Position of the last batch appended (0 before the first). */
  readonly lastPosition: number;
  /** Resolves once every batch appended before the call is durable. */
  sync(): Promise<void>;
  /** The same, synchronously; false (nothing done) while a sync round is in flight. */
  syncNow(): boolean;
  /**
   * The batches recovered at open for this partition with positions above `after` and after its last destruction
   * (earlier batches belong to a partition that is gone), in order, read in runs and decoded one at a time.
   */
  recovered(tableId: number, partitionId: number, after: number): Iterable<RecoveredBatch>;
  /** Adds the time a partition's replay took (reading, decoding and applying its batches) to the replay metrics. */
  replayTook(millis: number): void;
  /** The partition's recovered batches are applied (on its pages, dirty): they no longer hold the log back. */
  forgetRecovered(tableId: number, partitionId: number): void;
  /** Tables with recovered batches not yet replayed, ascending. */
  recoveredTables(): number[];
  /** Partitions of the table with recovered batches not yet replayed. */
  recoveredPartitions(tableId: number): number[];
  /** A destroyed table: its recovered batches are dropped. */
  dropRecovered(tableId: number): void;
  /**
   * `position` lowered below every recovered batch not yet replayed: what a checkpoint whose snapshot is taken now
   * may release once it committed (a partition replayed after the snapshot is not in it, so its batches must stay).
   */
  holdLimit(position: number): number;
  /** Every partition's checkpoint covers every batch at or below `position` (a holdLimit): segments wholly below may be recycled. */
  release(position: number): void;
  metrics(): DeltaLogMetrics;
  /** Syncs what was appended and closes the files. */
  close(): Promise<void>;
}

export interface DeltaLogSettings {
  readonly syncMode: 'fsync' | 'background' | 'none';
  readonly backgroundSyncIntervalMillis: number;
  readonly segmentSizeBytes: number;
}

/** Builds the log of a work dir's `log` directory (the composition root binds the file-based one). */
export type DurableDeltaLogFactory = (logDir: string, settings: DeltaLogSettings, readOnly: boolean) => DurableDeltaLog;

const DURABLE_NOW: AppendedBatch = Object.freeze({ position: 0, durable: Promise.resolve() });

/** The aimem sink: volatile storage keeps no log. */
export const DISCARDING_DELTA_LOG: DeltaLog = {
  wantsRecords: false,
  append: () => DURABLE_NOW,
};
