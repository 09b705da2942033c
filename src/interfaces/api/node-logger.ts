/**
 * The optional `logger` of `openNode`: coarse facts of the node's events as structured log lines, in the shape of a
 * pino logger (`info(obj, msg)`). No logger, no subscription: nothing is built or logged. A logger that throws is
 * ignored (the event stream and the engine never see its error).
 */
import type { Observable, Subscription } from 'rxjs';
import type { CheckpointEvent, CheckpointFinishedEvent } from '../../domain/checkpoint/checkpoint.events';
import type { RegionEvent } from '../../domain/region/data-region.events';
import type { ThrottlingEvent } from '../../domain/throttling/throttling.events';
import { describeValue } from '../../domain/shared/describe-value';
import { InvalidArgumentError } from '../../domain/shared/errors';

/** A structured logger (pino's shape: a pino logger, or a child of one, fits as it is). */
export interface NodeLogger {
  /** A fact worth a line: a checkpoint, a compaction or a partition's log replay finished. */
  info(obj: object, msg?: string): void;
  /** Something to look at: a checkpoint held back longer than CHECKPOINT_LOCK_WAIT_WARN_MILLIS, write throttling started. */
  warn(obj: object, msg?: string): void;
  /** A failure the caller was told about too: a region out of memory. */
  error(obj: object, msg?: string): void;
}

/** A checkpoint whose snapshot waited longer than this for running closures gets a `warn` line. */
export const CHECKPOINT_LOCK_WAIT_WARN_MILLIS = 1000;

/** InvalidArgumentError unless `logger` has callable info, warn and error. */
export function checkLogger(logger: unknown): asserts logger is NodeLogger {
  const l = logger as Partial<Record<keyof NodeLogger, unknown>> | null;
  if (typeof l !== 'object' || l === null || typeof l.info !== 'function' || typeof l.warn !== 'function' || typeof l.error !== 'function') {
    throw new InvalidArgumentError(
      `openNode's logger must be an object with info, warn and error methods (a pino logger fits), got ${describeValue(logger)}`,
    );
  }
}

/** Subscribes `logger` to the node's events until the returned subscription is ended (or the stream completes). */
export function logNodeEvents(events$: Observable<RegionEvent | CheckpointEvent | ThrottlingEvent>, logger: NodeLogger): Subscription {
  return events$.subscribe((e) => {
    try {
      logEvent(logger, e);
    } catch {
      // A failing logger must not break the node: the line is lost, nothing else.
    }
  });
}

function logEvent(logger: NodeLogger, e: RegionEvent | CheckpointEvent | ThrottlingEvent): void {
  switch (e.type) {
    case 'checkpoint.finished':
      logCheckpoint(logger, e);
      return;
    case 'compaction.finished':
      logger.info({ deltaFilesMerged: e.deltaFilesMerged, pagesMerged: e.pagesMerged, ms: round(e.millis) }, 'compaction finished');
      return;
    case 'log.recovered':
      logger.info({ tableId: e.tableId, partitionId: e.partitionId, batches: e.batches, ms: round(e.millis) }, 'partition recovered from the delta log');
      return;
    case 'throttling.started':
      // The spec: throttling means a slow disk or too high a write rate.
      logger.warn(
        { region: e.region, policy: e.policy, reason: e.reason, bufferFill: round2(e.bufferFill), dirtyRatio: round2(e.dirtyRatio) },
        'write throttling started: the checkpoint cannot keep up with the writes (slow disk or too high a write rate)',
      );
      return;
    case 'throttling.stopped':
      logger.info(
        { region: e.region, policy: e.policy, reason: e.reason, ms: round(e.millis), throttledWrites: e.throttledWrites, throttleMs: round(e.throttleMillis) },
        'write throttling stopped',
      );
      return;
    case 'region.outOfMemory':
      logger.error({ region: e.region, maxSizeBytes: e.maxSizeBytes, requestedBytes: e.requestedBytes }, 'region out of memory');
      return;
    default:
      return;
  }
}

function logCheckpoint(logger: NodeLogger, e: CheckpointFinishedEvent): void {
  const d = e.durations;
  const phasesMs = { lockWait: round(d.lockWait), lockHold: round(d.lockHold), sort: round(d.sort), write: round(d.write), total: round(d.total) };
  // Megabytes (10^6 bytes) per second of the write phase (fsyncs included).
  const mbPerSec = d.write > 0 ? round(e.bytesWritten / 1000 / d.write) : 0;
  logger.info(
    { checkpoint: e.checkpoint, reason: e.reason, partitions: e.partitions, pages: e.pagesToMain + e.pagesToDelta, bytes: e.bytesWritten, phasesMs, mbPerSec },
    'checkpoint finished',
  );
  if (d.lockWait > CHECKPOINT_LOCK_WAIT_WARN_MILLIS) {
    logger.warn({ checkpoint: e.checkpoint, reason: e.reason, lockWaitMs: round(d.lockWait) }, 'checkpoint held back by a running closure');
  }
}

/** Ratios to 0.01. */
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Milliseconds to 0.1. */
const round = (n: number): number => Math.round(n * 10) / 10;
