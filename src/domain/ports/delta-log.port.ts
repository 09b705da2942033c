/**
 * Where a partition's mutation batches go at the end of each runConsistently closure. aipersist: msgpack records
 * in the write-ahead delta log (group-committed); aimem: a sink that wants nothing, so nothing is recorded.
 */
import type { PartitionMutation } from '../partition/partition.events';

export interface DeltaLog {
  /** False for sinks that discard everything: the partition then builds no mutation records at all. */
  readonly wantsRecords: boolean;
  /** Runs between closures: appends one batch (a closure's mutations) of one partition. */
  append(tableId: number, partitionId: number, batch: readonly PartitionMutation[]): void;
}

/** The aimem sink: volatile storage keeps no log. */
export const DISCARDING_DELTA_LOG: DeltaLog = {
  wantsRecords: false,
  append() {},
};
