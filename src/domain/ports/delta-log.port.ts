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

const DURABLE_NOW: AppendedBatch = Object.freeze({ position: 0, durable: Promise.resolve() });

/** The aimem sink: volatile storage keeps no log. */
export const DISCARDING_DELTA_LOG: DeltaLog = {
  wantsRecords: false,
  append: () => DURABLE_NOW,
};
