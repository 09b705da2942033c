/**
 * logNodeEvents on a hand-fed event stream: the line of each event kind, the lock-wait warning threshold, a
 * throwing logger (lines lost, stream unharmed), unsubscribe; checkLogger's refusals.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CheckpointEvent, CheckpointFinishedEvent } from '../../../../src/domain/checkpoint/checkpoint.events';
import type { RegionEvent } from '../../../../src/domain/region/data-region.events';
import { InvalidArgumentError } from '../../../../src/domain/shared/errors';
import { CHECKPOINT_LOCK_WAIT_WARN_MILLIS, checkLogger, logNodeEvents, type NodeLogger } from '../../../../src/interfaces/api/node-logger';

type Call = { level: 'info' | 'warn' | 'error'; obj: object; msg: string | undefined };

function collecting(): { logger: NodeLogger; calls: Call[] } {
  const calls: Call[] = [];
  const at = (level: Call['level']) => (obj: object, msg?: string): void => void calls.push({ level, obj, msg });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, calls };
}

const finished = (lockWait: number): CheckpointFinishedEvent => ({
  type: 'checkpoint.finished', checkpoint: 7, reason: 'interval', partitions: 2, pagesToMain: 90, pagesToDelta: 10, bytesWritten: 1_638_400,
  durations: { lockWait, lockHold: 0.44, sort: 1.26, write: 20, total: 22.04 },
});

describe('logNodeEvents', () => {
  it('writes one info per finished checkpoint with reason, pages, bytes, phase durations and write rate', () => {
    const events = new Subject<RegionEvent | CheckpointEvent>();
    const { logger, calls } = collecting();
    logNodeEvents(events, logger);
    events.next({ type: 'checkpoint.started', checkpoint: 7, reason: 'interval' });
    events.next(finished(0));
    expect(calls).toEqual([{
      level: 'info', msg: 'checkpoint finished',
      obj: {
        checkpoint: 7, reason: 'interval', partitions: 2, pages: 100, bytes: 1_638_400,
        phasesMs: { lockWait: 0, lockHold: 0.4, sort: 1.3, write: 20, total: 22 }, mbPerSec: 81.9,
      },
    }]);
  });

  it('warns when the snapshot waited for closures longer than the threshold, not at it', () => {
    const events = new Subject<RegionEvent | CheckpointEvent>();
    const { logger, calls } = collecting();
    logNodeEvents(events, logger);
    events.next(finished(CHECKPOINT_LOCK_WAIT_WARN_MILLIS));
    expect(calls.map((c) => c.level)).toEqual(['info']);
    events.next(finished(CHECKPOINT_LOCK_WAIT_WARN_MILLIS + 250));
    expect(calls.map((c) => c.level)).toEqual(['info', 'info', 'warn']);
    expect(calls[2]).toEqual({ level: 'warn', msg: 'checkpoint held back by a running closure', obj: { checkpoint: 7, reason: 'interval', lockWaitMs: 1250 } });
  });

  it('logs log.recovered and compaction.finished as info, an out-of-memory region as error, nothing for the rest', () => {
    const events = new Subject<RegionEvent | CheckpointEvent>();
    const { logger, calls } = collecting();
    logNodeEvents(events, logger);
    events.next({ type: 'log.recovered', tableId: 3, partitionId: 1, batches: 40, fromPosition: 10, toPosition: 49, millis: 5.04 });
    events.next({ type: 'compaction.finished', deltaFilesMerged: 2, pagesMerged: 30, millis: 12.36 });
    events.next({ type: 'region.outOfMemory', region: 'cache', initSizeBytes: 10, maxSizeBytes: 20 });
    events.next({ type: 'region.segmentAllocated', region: 'cache', segmentIndex: 1, bytes: 10, totalBytes: 20 });
    events.next({ type: 'log.replayProgress', tableId: 3, partitionId: 1, replayed: 20, recovered: 40, millis: 250 });
    expect(calls).toEqual([
      { level: 'info', msg: 'partition recovered from the delta log', obj: { tableId: 3, partitionId: 1, batches: 40, ms: 5 } },
      { level: 'info', msg: 'compaction finished', obj: { deltaFilesMerged: 2, pagesMerged: 30, ms: 12.4 } },
      { level: 'error', msg: 'region out of memory', obj: { region: 'cache', maxSizeBytes: 20, requestedBytes: undefined } },
    ]);
  });

  it('a throwing logger loses its lines and nothing else: the stream goes on, other subscribers see every event', () => {
    const events = new Subject<RegionEvent | CheckpointEvent>();
    let calls = 0;
    const boom = (): never => {
      calls++;
      throw new Error('logger down');
    };
    const seen: string[] = [];
    logNodeEvents(events, { info: boom, warn: boom, error: boom });
    events.subscribe((e) => seen.push(e.type));
    events.next(finished(5000));
    events.next(finished(0));
    expect(calls).toBe(2); // the info of each; the first one's warn never came (its info threw first)
    expect(seen).toEqual(['checkpoint.finished', 'checkpoint.finished']);
  });

  it('logs nothing after unsubscribe', () => {
    const events = new Subject<RegionEvent | CheckpointEvent>();
    const { logger, calls } = collecting();
    logNodeEvents(events, logger).unsubscribe();
    events.next(finished(0));
    expect(calls).toEqual([]);
  });
});

describe('checkLogger', () => {
  it('accepts an object with callable info, warn and error (console has them)', () => {
    expect(() => checkLogger(collecting().logger)).not.toThrow();
    expect(() => checkLogger(console)).not.toThrow();
  });

  it.each([null, 'pino', 42, [], {}, { info() {}, warn() {} }, { info: 1, warn() {}, error() {} }])('refuses %j with INVALID_ARGUMENT', (bad) => {
    expect(() => checkLogger(bad)).toThrow(InvalidArgumentError);
    expect(() => checkLogger(bad)).toThrow(/logger must be an object with info, warn and error methods/);
  });
});
