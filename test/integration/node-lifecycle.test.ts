/**
 * The node drives its engines' lifecycle: openNode awaits every engine's start() (in ENGINE_NAMES order, one after
 * the other), close() awaits every stop() in reverse order. Fake engines are bound through openNode's configure
 * hook (the real container otherwise), and their start/stop promises are held open to prove the awaiting.
 */
import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { openNode, StorageClosedError, type RegionStats, type StorageNode } from '../../src/interfaces/api/index';
import { TOKENS, type ProfileEngine } from '../../src/interfaces/api/testing';
import { deferred } from '../support/deferred';

/** A ProfileEngine whose start and stop log themselves and wait for their gates. */
class FakeEngine implements ProfileEngine {
  readonly isVolatile = false;
  readonly events$ = EMPTY;
  readonly startGate = deferred();
  readonly stopGate = deferred();
  constructor(readonly name: 'aimem' | 'aipersist', private readonly log: string[]) {}
  start(): Promise<void> {
    this.log.push(`${this.name}.start`);
    return this.startGate.promise.then(() => void this.log.push(`${this.name}.started`));
  }
  stop(): Promise<void> {
    this.log.push(`${this.name}.stop`);
    return this.stopGate.promise.then(() => void this.log.push(`${this.name}.stopped`));
  }
  region(): never {
    throw new Error('not used');
  }
  regionStats(): ReadonlyMap<string, RegionStats> {
    return new Map<string, RegionStats>();
  }
  createMvTable(): never {
    throw new Error('not used');
  }
  async destroyMvTable(): Promise<void> {}
  tablesUsing(): readonly number[] {
    return [];
  }
  dropRegion(): void {}
  writeClosures(): number {
    return 0;
  }

  tableMetrics(): [] {
    return [];
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

function fakes(): { log: string[]; aimem: FakeEngine; aipersist: FakeEngine; open: () => Promise<StorageNode> } {
  const log: string[] = [];
  const aimem = new FakeEngine('aimem', log);
  const aipersist = new FakeEngine('aipersist', log);
  const open = () => openNode({}, {
    configure: (c) => {
      c.rebind(TOKENS.AimemEngine).toConstantValue(aimem);
      c.rebind(TOKENS.AipersistEngine).toConstantValue(aipersist);
    },
  });
  return { log, aimem, aipersist, open };
}

function settled<T>(p: Promise<T>): { done: boolean } {
  const s = { done: false };
  p.then(() => (s.done = true), () => (s.done = true));
  return s;
}

describe('node lifecycle of engines', () => {
  it('openNode awaits every engine start, one after the other, before it returns the node', async () => {
    const { log, aimem, aipersist, open } = fakes();
    const opening = open();
    const s = settled(opening);
    await flush();
    expect(log).toEqual(['aimem.start']);
    expect(s.done).toBe(false);
    aimem.startGate.resolve();
    await flush();
    expect(log).toEqual(['aimem.start', 'aimem.started', 'aipersist.start']);
    expect(s.done).toBe(false);
    aipersist.startGate.resolve();
    const node = await opening;
    expect(log).toEqual(['aimem.start', 'aimem.started', 'aipersist.start', 'aipersist.started']);
    aimem.stopGate.resolve();
    aipersist.stopGate.resolve();
    await node.close();
  });

  it('close() stops the engines in reverse start order, each awaited; a second close() waits for the same stop', async () => {
    const { log, aimem, aipersist, open } = fakes();
    aimem.startGate.resolve();
    aipersist.startGate.resolve();
    const node = await open();
    log.length = 0;
    const closing = node.close();
    const again = node.close();
    const s = settled(again);
    expect(() => node.engine('aimem')).toThrow(StorageClosedError);
    await flush();
    expect(log).toEqual(['aipersist.stop']);
    aipersist.stopGate.resolve();
    await flush();
    expect(log).toEqual(['aipersist.stop', 'aipersist.stopped', 'aimem.stop']);
    expect(s.done).toBe(false);
    aimem.stopGate.resolve();
    await Promise.all([closing, again]);
    expect(log).toEqual(['aipersist.stop', 'aipersist.stopped', 'aimem.stop', 'aimem.stopped']);
    await node.close();
    expect(log).toHaveLength(4); // each engine stopped once
  });

  it('a failing start stops the engines started so far (and the failed one) in reverse order; openNode rejects with its error', async () => {
    const { log, aimem, aipersist, open } = fakes();
    const boom = new Error('recovery failed');
    aimem.startGate.resolve();
    aipersist.startGate.reject(boom);
    aimem.stopGate.resolve();
    aipersist.stopGate.resolve();
    await expect(open()).rejects.toBe(boom);
    expect(log).toEqual(['aimem.start', 'aimem.started', 'aipersist.start', 'aipersist.stop', 'aipersist.stopped', 'aimem.stop', 'aimem.stopped']);
  });

  it('a failing stop does not keep the other engines from stopping; close() rejects with it', async () => {
    const { log, aimem, aipersist, open } = fakes();
    aimem.startGate.resolve();
    aipersist.startGate.resolve();
    const node = await open();
    const boom = new Error('last checkpoint failed');
    aipersist.stopGate.reject(boom);
    aimem.stopGate.resolve();
    await expect(node.close()).rejects.toBe(boom);
    expect(log.slice(-3)).toEqual(['aipersist.stop', 'aimem.stop', 'aimem.stopped']);
  });

  it('the real engines: started by openNode, stopped by close (their calls then throw StorageClosedError)', async () => {
    const node = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 10 << 20, maxSizeBytes: 10 << 20 }] } } } });
    const aimem = node.engine('aimem');
    const aipersist = node.engine('aipersist');
    const table = aimem.createMvTable({ tableId: 1, partitions: 1, storageProfile: 'p' });
    await table.createMvPartition(0);
    await node.close();
    expect(() => aimem.createMvTable({ tableId: 2, partitions: 1, storageProfile: 'p' })).toThrow(StorageClosedError);
    expect(() => aimem.createMvTable({ tableId: 2, partitions: 1, storageProfile: 'p' })).toThrow(/aimem engine is stopped/);
    expect(() => aipersist.createMvTable({ tableId: 2, partitions: 1, storageProfile: 'default' })).toThrow(StorageClosedError);
    await expect(aimem.destroyMvTable(1)).rejects.toThrow(StorageClosedError);
  });
});
