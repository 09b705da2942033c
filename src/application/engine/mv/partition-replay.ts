/**
 * Replay of a partition's mutation records (domain/partition/partition.events.ts) into a PagePartitionSlot: the
 * recovery step "state = checkpoint + replay of the log after it", and the proof that the records hold every state
 * change (test/contract: replay a recorded random workload into a fresh partition and compare every SPI read).
 *
 * Each record is applied as it was when recorded — row and meta changes by the MV storage, index entries by their
 * index, table-level changes (clear, rebalance, index create/destroy, destroy) by the slot — with recording off, so
 * a replay appends nothing to the log it reads. A record that cannot be applied as recorded is a
 * DataCorruptionError: the pages and the log disagree.
 */
import type { PartitionMutation } from '../../../domain/partition/partition.events';
import { AistorageError, DataCorruptionError, OutOfMemoryError } from '../../../domain/shared/errors';
import type { PagePartitionSlot } from './page-partition-slot';

/**
 * Applies one batch (one closure's records) in order. A record the partition refuses — e.g. a commit older than the
 * row's newest one — means the log does not belong to these pages: DataCorruptionError naming the record. Running
 * out of memory is not corruption and stays an OutOfMemoryError.
 */
export function replayBatch(slot: PagePartitionSlot, batch: readonly PartitionMutation[], openIndex?: (id: number) => void): void {
  slot.ctx.partition.replay(() => {
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!;
      try {
        applyRecord(slot, m, openIndex);
      } catch (e) {
        if (e instanceof DataCorruptionError || e instanceof OutOfMemoryError || !(e instanceof AistorageError)) throw e;
        throw new DataCorruptionError(
          `record ${i} (${m.type}) of a logged batch cannot be applied to partition ${slot.ctx.partitionId} of table ` +
            `${slot.ctx.tableId}: ${e.message} — the log and the partition's pages disagree`,
        );
      }
    }
    slot.mv.syncMeta();
  });
}

function applyRecord(slot: PagePartitionSlot, m: PartitionMutation, openIndex?: (id: number) => void): void {
  switch (m.type) {
    case 'index.created':
      if (m.sorted !== null) slot.createSortedIndex(m.sorted);
      else if (m.hash !== null) slot.createHashIndex(m.hash);
      return;
    case 'index.destroyed': return slot.destroyIndex(m.indexId);
    case 'index.entryPut':
    case 'index.entryRemoved':
    case 'index.buildStateSet': {
      let index = slot.indexes.get(m.indexId);
      if (index === undefined && openIndex !== undefined) {
        openIndex(m.indexId);
        index = slot.indexes.get(m.indexId);
      }
      if (index === undefined) throw new DataCorruptionError(`a ${m.type} record names index ${m.indexId}, which partition ${slot.ctx.partitionId} does not have`);
      return index.applyRecorded(m);
    }
    case 'partition.cleared': return slot.clear();
    case 'partition.rebalanceStarted': return slot.startRebalance();
    case 'partition.rebalanceAborted': return slot.abortRebalance();
    case 'partition.rebalanceFinished':
      return slot.finishRebalance({ lastAppliedIndex: m.lastAppliedIndex, lastAppliedTerm: m.lastAppliedTerm, groupConfig: m.groupConfig });
    case 'partition.destroyed': return slot.destroy();
    default: return slot.mv.applyRecorded(m);
  }
}
