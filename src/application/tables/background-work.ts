/**
 * The tables' background work: building new secondary indexes and garbage-collecting old row versions.
 *
 * - Index build: per partition, rows from the index's `nextRowIdToBuild` on, in batches of BUILD_BATCH rows, each batch
 *   one closure that puts the entries of every version of its rows and records the progress (so a restart resumes
 *   there). Writes made meanwhile put their entries themselves. Once every partition is built the catalog marks the
 *   index available.
 * - GC: every `gcIntervalMillis`, versions older than the low watermark are vacuumed, at most GC_BATCH per partition
 *   per closure, yielding to the event loop between closures so foreground writes stay fast; index entries no version
 *   needs any more go with them.
 */
import { RowId } from '../../domain/storage/row-id';
import type { IndexState } from '../catalog/catalog-types';
import type { OpenTable, TablePartition } from './open-table';
import { dropStaleEntries } from './index-maintenance';

export const BUILD_BATCH = 256;
export const GC_BATCH = 64;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Builds `index` in every partition of `table`; resolves true when built, false when stopped first. */
export async function buildIndex(table: OpenTable, index: IndexState, stopped: () => boolean): Promise<boolean> {
  for (const part of table.partitions) {
    for (;;) {
      if (stopped() || table.isDropped || !part.indexes.has(index.id)) return false;
      if (buildBatch(part, index.id)) break;
      await yieldToLoop();
    }
  }
  return true;
}

/** One batch of the build of one partition; true when the partition is built. */
function buildBatch(part: TablePartition, indexId: number): boolean {
  const open = part.indexes.get(indexId)!;
  return part.mv.runConsistently(() => {
    let from = open.storage.getNextRowIdToBuild();
    if (from === null) return true;
    for (let n = 0; n < BUILD_BATCH; n++) {
      const rowId = part.mv.closestRowId(from);
      if (rowId === null) {
        open.storage.setNextRowIdToBuild(null);
        return true;
      }
      const cursor = part.mv.scanVersions(rowId);
      try {
        for (const v of cursor) {
          if (v.binaryRow !== null) {
            const values = part.table.decode(v.binaryRow);
            open.storage.put({ key: part.table.indexKeyOf(open, values), rowId });
          }
        }
      } finally {
        cursor.close();
      }
      const next = successor(rowId);
      if (next === null) {
        open.storage.setNextRowIdToBuild(null);
        return true;
      }
      from = next;
    }
    open.storage.setNextRowIdToBuild(from);
    return false;
  });
}

/** The next RowId after `rowId` in its partition, or null after the highest. */
function successor(rowId: RowId): RowId | null {
  const highest = RowId.highest(rowId.partitionId);
  if (rowId.compareTo(highest) === 0) return null;
  const msb = rowId.mostSignificantBits;
  const lsb = rowId.leastSignificantBits;
  if (lsb === (1n << 63n) - 1n) return new RowId(rowId.partitionId, msb + 1n, -(1n << 63n));
  return new RowId(rowId.partitionId, msb, lsb + 1n);
}

/** Vacuums one table's versions below `lowWatermark`; returns the versions removed. */
export async function collectGarbage(table: OpenTable, lowWatermark: bigint, stopped: () => boolean): Promise<number> {
  let removed = 0;
  for (const part of table.partitions) {
    for (;;) {
      if (stopped() || table.isDropped) return removed;
      const n = vacuumBatch(part, lowWatermark);
      removed += n;
      if (n < GC_BATCH) break;
      await yieldToLoop();
    }
  }
  return removed;
}

function vacuumBatch(part: TablePartition, lowWatermark: bigint): number {
  return part.mv.runConsistently(() => {
    const entries = part.mv.peek(lowWatermark, GC_BATCH);
    for (const entry of entries) {
      const removed = part.mv.vacuum(entry);
      dropStaleEntries(part, entry.rowId, removed);
    }
    return entries.length;
  });
}
