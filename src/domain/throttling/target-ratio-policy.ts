/**
 * The TARGET_RATIO throttling policy (the spec's system's port of its predecessor's), decided on each clean→dirty
 * page transition: throttle when the page belongs to the running checkpoint and its buffer is in danger; otherwise
 * only while a checkpoint runs, when the dirty ratio of the most-dirty segment passes a threshold that rises with the
 * checkpoint's progress — from 0.05 × 7/12 at its start to 7/12 near its end — or 0.75 while it syncs.
 */
export const SYNC_PHASE_DIRTY_RATIO = 0.75;

export interface TargetRatioInputs {
  /** The page being dirtied is part of the running checkpoint, and the checkpoint buffer is past 2/3. */
  readonly pageInCheckpoint: boolean;
  readonly bufferInDanger: boolean;
  readonly checkpointRunning: boolean;
  /** Pages of the running checkpoint written so far, and in all. */
  readonly writtenPages: number;
  readonly totalPages: number;
  /** Dirty pages / pages of the most-dirty segment of the region. */
  readonly dirtyRatio: number;
}

/** The dirty ratio above which writers are slowed at this point of the checkpoint. */
export function targetRatioThreshold(writtenPages: number, totalPages: number): number {
  if (totalPages <= 0 || writtenPages >= totalPages) return SYNC_PHASE_DIRTY_RATIO;
  return ((writtenPages / totalPages) * 0.95 + 0.05) * (7 / 12);
}

export function targetRatioThrottles(i: TargetRatioInputs): boolean {
  if (i.pageInCheckpoint && i.bufferInDanger) return true;
  if (!i.checkpointRunning) return false;
  return i.dirtyRatio > targetRatioThreshold(i.writtenPages, i.totalPages);
}
