/**
 * Events of the Partition aggregate.
 *
 * - PartitionEvent: coarse lifecycle facts on `events$` (never one per row).
 * - PartitionMutation: one domain event per mutation, recorded in the aggregate's pending buffer only when the
 *   delta-log sink wants records (aipersist), drained at the end of each runConsistently closure. Row ids are
 *   carried as their partition id + 16 order-preserving UUID bytes; rows as schema version + bytes.
 * - CommittedChange: what `changes$` publishes after the closure that committed it ends.
 */
import type { BinaryRow } from '../storage/binary-row';
import type { RowId } from '../storage/row-id';

export type PartitionEvent =
  | { readonly type: 'partition.created'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.cleared'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.rebalanceStarted'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.rebalanceAborted'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.rebalanceFinished'; readonly tableId: number; readonly partitionId: number; readonly lastAppliedIndex: number }
  | { readonly type: 'partition.closed'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.destroyed'; readonly tableId: number; readonly partitionId: number };

export type PartitionMutation =
  | { readonly type: 'row.writeAdded'; readonly rowId: RowId; readonly row: BinaryRow | null; readonly txId: string; readonly commitZoneId: number; readonly commitPartitionId: number }
  | { readonly type: 'row.writeCommitted'; readonly rowId: RowId; readonly timestamp: bigint }
  | { readonly type: 'row.writeAborted'; readonly rowId: RowId }
  | { readonly type: 'row.committedWriteAdded'; readonly rowId: RowId; readonly row: BinaryRow | null; readonly timestamp: bigint }
  | { readonly type: 'row.vacuumed'; readonly rowId: RowId; readonly timestamp: bigint }
  | { readonly type: 'index.entryPut'; readonly indexId: number; readonly key: readonly unknown[]; readonly rowId: RowId }
  | { readonly type: 'index.entryRemoved'; readonly indexId: number; readonly key: readonly unknown[]; readonly rowId: RowId }
  | { readonly type: 'partition.lastAppliedSet'; readonly index: number; readonly term: number }
  | { readonly type: 'partition.groupConfigSet'; readonly bytes: Uint8Array }
  | { readonly type: 'partition.leaseUpdated'; readonly leaseStartTime: bigint; readonly primaryReplicaNodeId: string; readonly primaryReplicaNodeName: string };

export interface CommittedChange {
  readonly tableId: number;
  readonly partitionId: number;
  readonly rowId: RowId;
  /** The committed row; null for a delete. */
  readonly row: BinaryRow | null;
  readonly commitTimestamp: bigint;
}
