/**
 * openNode's `logger` on a real node with an aipersist table: a checkpoint is one 'checkpoint finished' info line
 * (reason, pages as the event says), the close checkpoint is logged before the logger is let go, a throwing logger
 * breaks neither writes nor close, no logger means no output at all, and a malformed logger is refused.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Subject } from 'rxjs';
import { openNode } from '../../src/interfaces/api/open-node';
import { logNodeEvents } from '../../src/interfaces/api/node-logger';
import { InvalidArgumentError, type CheckpointFinishedEvent, type NodeEvent, type NodeLogger, type StorageConfigInput } from '../../src/interfaces/api/index';
import { RowId } from '../../src/domain/storage/row-id';
import { useNodeScope } from '../support/node-scope';

const MiB = 1024 * 1024;
const config: StorageConfigInput = {
  ignite: { storage: { engines: { aipersist: { pageSizeBytes: 1024 } }, profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 10 * MiB }] } },
};

type Call = { level: 'info' | 'warn' | 'error'; obj: Record<string, unknown>; msg: string | undefined };

function collecting(): { logger: NodeLogger; calls: Call[] } {
  const calls: Call[] = [];
  const at = (level: Call['level']) => (obj: object, msg?: string): void => void calls.push({ level, obj: obj as Record<string, unknown>, msg });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, calls };
}

describe('openNode({ logger })', () => {
  const scope = useNodeScope();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function open(logger?: NodeLogger) {
    const n = scope.keep(await openNode({ workDir: scope.dir(), config, ...(logger === undefined ? {} : { logger }) }));
    const part = await n.engine('aipersist').createMvTable({ tableId: 3, partitions: 1, storageProfile: 'p' }).createMvPartition(0);
    const write = (count: number) => part.runDurably(() => {
      for (let i = 0; i < count; i++) part.addWriteCommitted(RowId.random(0), { schemaVersion: 1, bytes: new Uint8Array(200).fill(i) }, n.clock.now());
    });
    return { node: n, write, part: () => part };
  }

  it('logs one "checkpoint finished" info per checkpoint with its reason and pages, and the close checkpoint too', async () => {
    const { logger, calls } = collecting();
    const { node: n, write } = await open(logger);
    const events: NodeEvent[] = [];
    n.events$.subscribe((e) => events.push(e));
    await write(300);
    await n.checkpoint();
    const done = events.filter((e): e is CheckpointFinishedEvent => e.type === 'checkpoint.finished');
    expect(done).toHaveLength(1);
    const lines = calls.filter((c) => c.msg === 'checkpoint finished');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('info');
    expect(lines[0]!.obj).toMatchObject({ reason: 'requested', pages: done[0]!.pagesToMain + done[0]!.pagesToDelta, bytes: done[0]!.bytesWritten });
    expect(lines[0]!.obj['pages']).toBeGreaterThan(0);
    expect(Object.keys(lines[0]!.obj['phasesMs'] as object).sort()).toEqual(['lockHold', 'lockWait', 'sort', 'total', 'write']);
    expect(calls.filter((c) => c.level !== 'info')).toEqual([]);
    await write(10);
    await n.close();
    expect(calls.filter((c) => c.msg === 'checkpoint finished').map((c) => c.obj['reason'])).toEqual(['requested', 'close']);
  });

  it('warns when a closure held a checkpoint back for more than a second (its lock wait)', async () => {
    const { logger, calls } = collecting();
    const { node: n, write, part } = await open(logger);
    await write(50);
    const asked = part().flush(true);
    // A long synchronous closure right after the request: the checkpoint's snapshot waits for it to end.
    part().runConsistently(() => {
      const until = performance.now() + 1100;
      while (performance.now() < until) {
        // busy: a closure that runs for 1.1 s
      }
    });
    await asked;
    const line = calls.find((c) => c.msg === 'checkpoint finished')!;
    expect((line.obj['phasesMs'] as { lockWait: number }).lockWait).toBeGreaterThanOrEqual(1000);
    const warn = calls.filter((c) => c.level === 'warn');
    expect(warn).toHaveLength(1);
    expect(warn[0]!.msg).toBe('checkpoint held back by a running closure');
    expect(warn[0]!.obj['lockWaitMs']).toBeGreaterThanOrEqual(1000);
    // A checkpoint nothing held back: no warning.
    await write(10);
    await n.checkpoint();
    expect(calls.filter((c) => c.level === 'warn')).toHaveLength(1);
  });

  it('a logger that throws breaks neither writes, checkpoints nor close', async () => {
    const thrown: string[] = [];
    const boom = (_obj: object, msg?: string): never => {
      thrown.push(msg ?? '');
      throw new Error('logger down');
    };
    const { node: n, write } = await open({ info: boom, warn: boom, error: boom });
    await write(300);
    await n.checkpoint();
    await write(10);
    expect(n.metrics().aipersist!.checkpoints.count).toBe(1);
    await expect(n.close()).resolves.toBeUndefined();
    // Every line threw: the requested checkpoint's, the close checkpoint's (and a compaction's, if one ran).
    expect(thrown.filter((m) => m === 'checkpoint finished')).toHaveLength(2);
  });

  it('warns when write throttling starts (why, buffer fill, dirty ratio) and logs an info line when it stops', () => {
    const { logger, calls } = collecting();
    const events = new Subject<NodeEvent>();
    const sub = logNodeEvents(events, logger);
    events.next({ type: 'throttling.started', region: 'p', policy: 'SPEED_BASED', reason: 'dirty pages', bufferFill: 0.123, dirtyRatio: 0.8567 });
    events.next({
      type: 'throttling.stopped', region: 'p', policy: 'SPEED_BASED', reason: 'dirty pages', bufferFill: 0, dirtyRatio: 0.1,
      millis: 1234.56, throttledWrites: 900, throttleMillis: 456.78,
    });
    sub.unsubscribe();
    expect(calls).toEqual([
      {
        level: 'warn', obj: { region: 'p', policy: 'SPEED_BASED', reason: 'dirty pages', bufferFill: 0.12, dirtyRatio: 0.86 },
        msg: 'write throttling started: the checkpoint cannot keep up with the writes (slow disk or too high a write rate)',
      },
      {
        level: 'info', obj: { region: 'p', policy: 'SPEED_BASED', reason: 'dirty pages', ms: 1234.6, throttledWrites: 900, throttleMs: 456.8 },
        msg: 'write throttling stopped',
      },
    ]);
  });

  it('without a logger nothing is written anywhere', async () => {
    const spies = [
      vi.spyOn(console, 'log'), vi.spyOn(console, 'info'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'error'),
      vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write'),
    ];
    const { node: n, write } = await open();
    await write(300);
    await n.checkpoint();
    await write(10);
    await n.close();
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });

  it.each([{}, { info() {}, warn() {} }, 'console', null])('refuses logger %j with INVALID_ARGUMENT, before touching the work dir', async (bad) => {
    const opening = openNode({ workDir: `${scope.dir()}/never`, logger: bad as unknown as NodeLogger });
    await expect(opening).rejects.toThrow(InvalidArgumentError);
    await expect(opening).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/logger must be an object with info, warn and error/) });
  });
});
