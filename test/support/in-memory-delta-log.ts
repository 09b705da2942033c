/**
 * A delta log that keeps every batch in memory, in append order, with its position (tests read them; the replay
 * contract test replays them). Everything is "durable" at once.
 */
import type { AppendedBatch, DeltaLog } from '../../src/domain/ports/delta-log.port';
import type { PartitionMutation } from '../../src/domain/partition/partition.events';

export interface LoggedBatch {
  readonly position: number;
  readonly tableId: number;
  readonly partitionId: number;
  readonly batch: readonly PartitionMutation[];
}

export class InMemoryDeltaLog implements DeltaLog {
  readonly wantsRecords = true;
  readonly entries: LoggedBatch[] = [];
  #next = 1;

  /** The batches alone, in order. */
  get batches(): Array<readonly PartitionMutation[]> {
    return this.entries.map((e) => e.batch);
  }

  append(tableId: number, partitionId: number, batch: readonly PartitionMutation[]): AppendedBatch {
    const position = this.#next++;
    this.entries.push({ position, tableId, partitionId, batch });
    return { position, durable: Promise.resolve() };
  }

  /** The batches of one partition, in order. */
  batchesOf(tableId: number, partitionId: number): Array<readonly PartitionMutation[]> {
    return this.entries.filter((e) => e.tableId === tableId && e.partitionId === partitionId).map((e) => e.batch);
  }
}
