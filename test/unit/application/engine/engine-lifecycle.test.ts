/** EngineLifecycle: the start/stop states every engine adapter delegates to. */
import { describe, expect, it } from 'vitest';
import { EngineLifecycle } from '../../../../src/application/engine/engine-lifecycle';
import { StorageClosedError } from '../../../../src/domain/shared/errors';
import { deferred } from '../../../support/deferred';

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('EngineLifecycle', () => {
  it('refuses calls before start with StorageClosedError naming the engine, allows them once started', async () => {
    const l = new EngineLifecycle('aimem');
    expect(l.state).toBe('created');
    expect(() => l.check()).toThrow(StorageClosedError);
    expect(() => l.check()).toThrow(/aimem engine is not started yet; open the node with openNode\(\)/);
    const gate = deferred();
    const started = l.start(() => gate.promise);
    expect(l.state).toBe('starting');
    expect(() => l.check()).toThrow(/not started yet/);
    gate.resolve();
    await started;
    expect(l.state).toBe('started');
    expect(() => l.check()).not.toThrow();
  });

  it('runs the start work once: a second start returns the same promise', async () => {
    const l = new EngineLifecycle('aimem');
    let runs = 0;
    const a = l.start(() => void runs++);
    const b = l.start(() => void runs++);
    expect(b).toBe(a);
    await a;
    expect(runs).toBe(1);
  });

  it('refuses calls from the moment stop is called; stop is idempotent and runs its work once', async () => {
    const l = new EngineLifecycle('aipersist');
    await l.start(() => undefined);
    const gate = deferred();
    let runs = 0;
    const a = l.stop(() => {
      runs++;
      return gate.promise;
    });
    expect(l.state).toBe('stopping');
    expect(() => l.check()).toThrow(/aipersist engine is stopped/);
    const b = l.stop(() => void runs++);
    expect(b).toBe(a);
    gate.resolve();
    await a;
    await l.stop(() => void runs++);
    expect(runs).toBe(1);
    expect(l.state).toBe('stopped');
    expect(() => l.check()).toThrow(StorageClosedError);
  });

  it('does not start again after a stop', async () => {
    const l = new EngineLifecycle('aimem');
    await l.start(() => undefined);
    await l.stop(() => undefined);
    await expect(l.start(() => undefined)).rejects.toThrow(StorageClosedError);
    await expect(l.start(() => undefined)).rejects.toThrow(/stopped and cannot start again/);
    expect(l.state).toBe('stopped');
  });

  it('a stop during a start waits for the start to settle before its work runs', async () => {
    const l = new EngineLifecycle('aipersist');
    const log: string[] = [];
    const gate = deferred();
    const started = l.start(async () => {
      log.push('start.begin');
      await gate.promise;
      log.push('start.end');
    });
    const stopped = l.stop(() => void log.push('stop'));
    await flush();
    expect(log).toEqual(['start.begin']);
    gate.resolve();
    await Promise.all([started, stopped]);
    expect(log).toEqual(['start.begin', 'start.end', 'stop']);
    expect(l.state).toBe('stopped');
  });

  it('a failed start leaves the engine unusable; a stop afterwards still runs its work', async () => {
    const l = new EngineLifecycle('aipersist');
    const boom = new Error('recovery failed');
    await expect(l.start(() => Promise.reject(boom))).rejects.toBe(boom);
    expect(l.state).toBe('failed');
    expect(() => l.check()).toThrow(/aipersist engine failed to start/);
    await expect(l.start(() => undefined)).rejects.toBe(boom);
    let stopped = false;
    await l.stop(() => void (stopped = true));
    expect(stopped).toBe(true);
    expect(l.state).toBe('stopped');
  });

  it('a failing stop work still ends in the stopped state and rejects every stop call alike', async () => {
    const l = new EngineLifecycle('aimem');
    await l.start(() => undefined);
    const boom = new Error('close failed');
    await expect(l.stop(() => Promise.reject(boom))).rejects.toBe(boom);
    expect(l.state).toBe('stopped');
    await expect(l.stop(() => undefined)).rejects.toBe(boom);
  });
});
