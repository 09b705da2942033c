/**
 * Events of the Partition aggregate.
 *
 * - PartitionEvent: coarse lifecycle facts on `events$` (never one per row).
 * - PartitionMutation: one domain event per state change, built only when the delta log wants records (aipersist)
 *   and appended in batches (partition.ts). Values are as stored, not as the API takes them: RowIds as their 16
 *   order-preserving UUID bytes (RowId.writeUuidBytes), transaction and node ids as 16 bytes, index keys as their
 *   encoded bytes (key-codec.ts), rows as schema version + bytes, timestamps as hybrid bigints. State after a crash
 *   = the last checkpoint + replay of these in order (application/engine/mv/partition-replay.ts).
 * - CommittedChange: what `changes$` publishes after the closure that committed it ends.
 */
import type { BinaryRow } from '../storage/binary-row';
import type { HashIndexDescriptor, SortedIndexDescriptor } from '../storage/index-descriptors';
import { RowId } from '../storage/row-id';

export type PartitionEvent =
  | { readonly type: 'partition.created'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.cleared'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.rebalanceStarted'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.rebalanceAborted'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.rebalanceFinished'; readonly tableId: number; readonly partitionId: number; readonly lastAppliedIndex: number }
  | { readonly type: 'partition.closed'; readonly tableId: number; readonly partitionId: number }
  | { readonly type: 'partition.destroyed'; readonly tableId: number; readonly partitionId: number };

/** 16 bytes: a RowId's order bytes, or a UUID's bytes. */
export type IdBytes = Uint8Array;

export type PartitionMutation =
  | { readonly type: 'row.writeAdded'; readonly rowId: IdBytes; readonly row: BinaryRow | null; readonly txId: IdBytes; readonly commitZoneId: number; readonly commitPartitionId: number }
  | { readonly type: 'row.writeCommitted'; readonly rowId: IdBytes; readonly timestamp: bigint; readonly txId: IdBytes }
  | { readonly type: 'row.writeAborted'; readonly rowId: IdBytes; readonly txId: IdBytes }
  | { readonly type: 'row.committedWriteAdded'; readonly rowId: IdBytes; readonly row: BinaryRow | null; readonly timestamp: bigint }
  | { readonly type: 'row.vacuumed'; readonly rowId: IdBytes; readonly timestamp: bigint }
  | { readonly type: 'index.created'; readonly indexId: number; readonly sorted: SortedIndexDescriptor | null; readonly hash: HashIndexDescriptor | null }
  | { readonly type: 'index.destroyed'; readonly indexId: number }
  | { readonly type: 'index.entryPut'; readonly indexId: number; readonly key: Uint8Array; readonly rowId: IdBytes }
  | { readonly type: 'index.entryRemoved'; readonly indexId: number; readonly key: Uint8Array; readonly rowId: IdBytes }
  | { readonly type: 'index.buildStateSet'; readonly indexId: number; readonly nextRowIdToBuild: IdBytes | null }
  | { readonly type: 'partition.lastAppliedSet'; readonly index: number; readonly term: number }
  | { readonly type: 'partition.groupConfigSet'; readonly bytes: Uint8Array }
  | { readonly type: 'partition.leaseUpdated'; readonly leaseStartTime: bigint; readonly nodeId: IdBytes; readonly nodeName: string }
  | { readonly type: 'partition.cleared' }
  | { readonly type: 'partition.rebalanceStarted' }
  | { readonly type: 'partition.rebalanceAborted' }
  | { readonly type: 'partition.rebalanceFinished'; readonly lastAppliedIndex: number; readonly lastAppliedTerm: number; readonly groupConfig: Uint8Array }
  | { readonly type: 'partition.destroyed' };

/**
 * One commit (commitWrite or addWriteCommitted) that a runConsistently closure made, published on `changes$` when
 * the outermost closure ends, in the order of the commits. A closure is not rolled back when it throws: what it
 * committed before the throw stays stored (and logged), and is published all the same with `closureFailed: true`
 * — the closure's later calls (an index put, another row) did not happen, so a subscriber that mirrors the partition
 * must treat such a change as stored but possibly incomplete. Mutations refused outside a closure are never
 * published (they changed nothing).
 */
export interface CommittedChange {
  readonly tableId: number;
  readonly partitionId: number;
  readonly rowId: RowId;
  /** The committed row; null for a delete. */
  readonly row: BinaryRow | null;
  readonly commitTimestamp: bigint;
  /** True when the closure that made this commit threw after it (the commit is stored all the same). */
  readonly closureFailed: boolean;
}

/** A RowId's 16 order bytes (a fresh array: it goes into a record). */
export function rowIdBytes(rowId: RowId): IdBytes {
  const b = new Uint8Array(16);
  putWord(b, 0, rowId.w0);
  putWord(b, 4, rowId.w1);
  putWord(b, 8, rowId.w2);
  putWord(b, 12, rowId.w3);
  return b;
}

/** Big-endian, as RowId.writeUuidBytes (no DataView per call: this runs for every logged row and index entry). */
function putWord(b: Uint8Array, at: number, w: number): void {
  b[at] = w >>> 24;
  b[at + 1] = (w >>> 16) & 0xff;
  b[at + 2] = (w >>> 8) & 0xff;
  b[at + 3] = w & 0xff;
}

/**
 * The RowId of partition `partitionId` whose order bytes rowIdBytes gave. The same bytes twice in a row (a replayed
 * row write, then its index entries) give the same RowId object: it carries the row's hint, so the index entry
 * finds the chain without a tree search.
 */
export function rowIdFromBytes(partitionId: number, b: IdBytes): RowId {
  const w0 = getWord(b, 0);
  const w1 = getWord(b, 4);
  const w2 = getWord(b, 8);
  const w3 = getWord(b, 12);
  const last = lastRowId;
  if (last !== null && last.partitionId === partitionId && last.w0 === w0 && last.w1 === w1 && last.w2 === w2 && last.w3 === w3) return last;
  return (lastRowId = RowId.fromWords(partitionId, w0, w1, w2, w3));
}

let lastRowId: RowId | null = null;

function getWord(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
