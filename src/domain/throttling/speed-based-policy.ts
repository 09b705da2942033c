/**
 * The SPEED_BASED throttling policy (default), clean-pages protection: while a checkpoint runs, writers are paced so
 * that dirty pages reach maxDirtyRatio (the 9/10 limit at which writers must wait) no sooner than the checkpoint
 * ends. Its inputs are measured by the engine: the checkpoint's progress and speed, the speed at which pages are
 * marked dirty, the dirty ratio. The formulae follow the spec's system (../shared/research/ignite-storage.md §5.4);
 * the unit test holds its golden case.
 */
export const DEFAULT_MIN_DIRTY_RATIO = 0.5;
export const DEFAULT_MAX_DIRTY_RATIO = 0.9;
/** The share of a checkpoint's time its page writes take, before any was measured (the rest: fsyncs). */
export const INITIAL_WRITE_VS_FSYNC = 5 / 6;

export interface SpeedBasedInputs {
  /** Pages of the region. */
  readonly regionPages: number;
  /** Dirty pages / pages of the most-dirty segment. */
  readonly dirtyRatio: number;
  /** Progress of the running checkpoint in pages (`checkpointDone`), and its pages in all (0: none, or it just ended). */
  readonly donePages: number;
  readonly checkpointPages: number;
  /** Pages per second the checkpoints write (the current one and the last few), and pages marked dirty per second. */
  readonly checkpointSpeed: number;
  readonly markSpeed: number;
  /** Writers that dirtied pages during this checkpoint (the delay is per writer). */
  readonly writers: number;
  /** The dirty ratio when the checkpoint wrote its first page. */
  readonly initialDirtyRatio: number;
  readonly minDirtyRatio: number;
  readonly maxDirtyRatio: number;
}

export interface SpeedBasedDecision {
  /** The delay before the writer's next page, in ns (0: none). */
  readonly parkNanos: number;
  /** The ratio the policy aims at now, and the mark speed at which dirty pages would reach the limit just in time. */
  readonly targetRatio: number;
  readonly speedForMarkAll: number;
}

/** The checkpoint's progress: page writes weigh `c`, fsyncs 1 − c. */
export function checkpointDone(written: number, synced: number, writeVsFsync: number): number {
  return written * writeVsFsync + synced * (1 - writeVsFsync);
}

/** The next checkpoint's `c` from the last one's write and fsync times: 0.85 c + 0.15 × write share, in [0.1, 0.9]. */
export function nextWriteVsFsync(c: number, writeMs: number, fsyncMs: number): number {
  const total = writeMs + fsyncMs;
  if (total <= 0) return c;
  return Math.min(0.9, Math.max(0.1, 0.85 * c + (0.15 * writeMs) / total));
}

/** The ratio the policy allows at this point of the checkpoint: from max(minDirty, initial) up to maxDirty at its end. */
export function speedBasedTargetRatio(done: number, total: number, initialDirtyRatio: number, minDirty: number, maxDirty: number): number {
  const init = Math.max(minDirty, initialDirtyRatio);
  const progress = total > 0 ? done / total : 1;
  return Math.min(1, progress * (1 - init) + init) * maxDirty;
}

export function speedBasedDecision(i: SpeedBasedInputs): SpeedBasedDecision {
  const none = (targetRatio: number, speedForMarkAll: number): SpeedBasedDecision => ({ parkNanos: 0, targetRatio, speedForMarkAll });
  // Past the limit pacing is too late: writers wait for the checkpoint instead (the must-trigger path).
  if (i.dirtyRatio >= i.maxDirtyRatio) return none(i.maxDirtyRatio, 0);
  if (i.checkpointSpeed <= 0) return none(i.maxDirtyRatio, Infinity);
  if (i.checkpointPages <= 0) {
    // The checkpoint just ended (its pages not counted yet): hold writers to its speed.
    const park = i.markSpeed > i.checkpointSpeed ? Math.floor((1e9 * i.writers) / i.checkpointSpeed) : 0;
    return { parkNanos: park, targetRatio: i.maxDirtyRatio, speedForMarkAll: i.checkpointSpeed };
  }
  const secondsLeft = (i.checkpointPages - i.donePages) / i.checkpointSpeed;
  const targetRatio = speedBasedTargetRatio(i.donePages, i.checkpointPages, i.initialDirtyRatio, i.minDirtyRatio, i.maxDirtyRatio);
  if (secondsLeft <= 0) return none(targetRatio, Infinity);
  const speedForMarkAll = Math.floor(((i.maxDirtyRatio - i.dirtyRatio) * i.regionPages) / secondsLeft);
  const lowSpace = i.dirtyRatio > targetRatio && i.dirtyRatio + 0.05 > 0.9;
  const slowdown = lowSpace ? 3 : 1;
  const bar = lowSpace ? 0.8 * speedForMarkAll : speedForMarkAll;
  if (i.dirtyRatio <= targetRatio || i.markSpeed <= bar) return none(targetRatio, speedForMarkAll);
  // Less than a page per second left to mark: the longest pause, a second per writer (times the slowdown).
  return { parkNanos: Math.floor((slowdown * 1e9 * i.writers) / Math.max(1, speedForMarkAll)), targetRatio, speedForMarkAll };
}
