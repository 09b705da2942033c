/**
 * Helpers of the checkpointer (checkpointer.ts): the order in which a checkpoint's partitions are written while the
 * checkpoint buffer is in danger, and a failed write as a typed error.
 */
import type { CheckpointPartition } from '../../../domain/ports/page-store.port';
import type { PersistentRegion } from '../../../domain/region/persistent-region';
import { AistorageError, StorageIoError } from '../../../domain/shared/errors';
import { BUFFER_DANGER_FILL } from '../../../domain/throttling/checkpoint-buffer';

/** One changed partition of a checkpoint, with the region whose page memory holds it. */
export interface Planned {
  readonly region: PersistentRegion;
  readonly cp: CheckpointPartition;
}

/**
 * Checkpoint-buffer protection on the checkpoint's side: while a region's buffer is past 2/3, the next partition
 * written is the one (of those not started) holding the most copies in it — its commit gives them back. Swaps it
 * into place `next`, so the entries from `next` on stay the ones not started.
 */
export function preferCopies(planned: Planned[], next: number): void {
  let danger: Set<PersistentRegion> | null = null;
  let seen: PersistentRegion | null = null;
  for (let j = next; j < planned.length; j++) {
    const region = planned[j]!.region;
    if (region === seen || region.closed) continue;
    seen = region; // plans are grouped by region: each is looked at once
    const b = region.pageMemory.checkpointImages();
    if (b.bufferUsedPages > b.bufferCapacityPages * BUFFER_DANGER_FILL) (danger ??= new Set()).add(region);
  }
  if (danger === null) return;
  let best = -1;
  let most = 0;
  for (let j = next; j < planned.length; j++) {
    const { region, cp } = planned[j]!;
    if (!danger.has(region) || region.closed) continue;
    const copies = region.pageMemory.checkpointCopies(cp);
    if (copies > most) {
      most = copies;
      best = j;
    }
  }
  if (best > next) [planned[next], planned[best]] = [planned[best]!, planned[next]!];
}

/**
 * A failed checkpoint write as a typed error: DISK_FULL for ENOSPC / EDQUOT, STORAGE_IO for other I/O errors (the
 * errno code in the message); typed errors (corruption, closed storage) pass through. Nothing is lost: every page of
 * the failed checkpoint is dirty again and the next checkpoint writes it.
 */
export function checkpointError(e: unknown, cp: CheckpointPartition): unknown {
  if (e instanceof AistorageError) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return e;
  const where = `table ${cp.groupId}, partition ${cp.partitionId}`;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new StorageIoError(
      `The checkpoint of ${where} could not be written: the disk is full (${code}). Nothing is lost — the changes stay in ` +
        'memory and the next checkpoint writes them; free disk space, then call flush() or node.checkpoint()', 'DISK_FULL');
  }
  return new StorageIoError(`The checkpoint of ${where} could not be written (${code}: ${(e as Error).message}); the changes stay in memory for the next checkpoint`);
}
