/**
 * Events of aipersist's checkpoints (the Checkpoint aggregate's facts): one `checkpoint.started` and one
 * `checkpoint.finished` per checkpoint, one `compaction.finished` per compaction round that merged something. Coarse
 * facts, never one per page; built only when someone subscribes.
 */
export type CheckpointReason = 'interval' | 'dirty pages' | 'flush' | 'requested' | 'close' | 'recovery';

export interface CheckpointStartedEvent {
  readonly type: 'checkpoint.started';
  readonly checkpoint: number;
  readonly reason: CheckpointReason;
}

export interface CheckpointFinishedEvent {
  readonly type: 'checkpoint.finished';
  readonly checkpoint: number;
  readonly reason: CheckpointReason;
  readonly partitions: number;
  readonly pagesToMain: number;
  readonly pagesToDelta: number;
  readonly bytesWritten: number;
  /**
   * Phase durations in ms: lock wait (from when it was asked for, or due, to its snapshot: running code — a long
   * closure — held it back), snapshot (lock hold), sort, write (including fsyncs), total (snapshot to end).
   */
  readonly durations: { readonly lockWait: number; readonly lockHold: number; readonly sort: number; readonly write: number; readonly total: number };
}

export interface CompactionFinishedEvent {
  readonly type: 'compaction.finished';
  readonly deltaFilesMerged: number;
  readonly pagesMerged: number;
  readonly millis: number;
}

/** A partition's batches of the write-ahead delta log replayed on top of its checkpoint (when it was opened). */
export interface LogRecoveredEvent {
  readonly type: 'log.recovered';
  readonly tableId: number;
  readonly partitionId: number;
  readonly batches: number;
  /** Positions of the first and last batch replayed. */
  readonly fromPosition: number;
  readonly toPosition: number;
  readonly millis: number;
}

/**
 * Progress of a long replay, about every 250 ms while a partition replays: batches replayed so far of all those the
 * log held at open (every partition; the rest replay when their partitions open).
 */
export interface LogReplayProgressEvent {
  readonly type: 'log.replayProgress';
  readonly tableId: number;
  readonly partitionId: number;
  readonly replayed: number;
  readonly recovered: number;
  readonly millis: number;
}

export type CheckpointEvent = CheckpointStartedEvent | CheckpointFinishedEvent | CompactionFinishedEvent | LogRecoveredEvent | LogReplayProgressEvent;

