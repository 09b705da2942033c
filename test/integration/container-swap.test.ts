/**
 * Adapter-swap integration tests: the real container with adapters rebound through openNode's `configure` hook.
 */
import { describe, expect, it } from 'vitest';
import { hybridTimestamp, openNode, OutOfMemoryError, type NodeEvent, type StorageConfigInput } from '../../src/interfaces/api/index';
import { FLAG_DATA, TOKENS } from '../../src/interfaces/api/testing';
import { CountingMemoryProvider } from '../support/counting-memory-provider';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const config = (init: number, max: number): StorageConfigInput => ({
  ignite: { storage: { engines: { aimem: { pageSizeBytes: 1024 } }, profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: init, maxSizeBytes: max }] } },
});

describe('container adapter swap', () => {
  it('regions take their segments from the rebound memory provider', async () => {
    const memory = new CountingMemoryProvider();
    const node = await openNode({ config: config(10 * MiB, 20 * MiB) }, {
      configure: (c) => c.rebind(TOKENS.MemoryProvider).toConstantValue(memory),
    });
    const region = node.region('p');
    expect(memory.allocations).toHaveLength(1);
    expect(memory.allocations[0]).toBeLessThanOrEqual(10 * MiB);
    expect(memory.allocations[0]).toBeGreaterThan(10 * MiB - 1056);
    const perSegment = region.stats().totalPages;
    for (let i = 0; i <= perSegment; i++) region.pageMemory.allocatePage(0, 0, FLAG_DATA);
    expect(memory.allocations).toHaveLength(2);
    await node.close();
    expect(memory.released).toBe(2);
  });

  it('a provider that refuses memory surfaces as OutOfMemoryError and an event, and the region stays usable', async () => {
    const memory = new CountingMemoryProvider(11 * MiB);
    const node = await openNode({ config: config(10 * MiB, 4 * GiB) }, {
      configure: (c) => c.rebind(TOKENS.MemoryProvider).toConstantValue(memory),
    });
    const events: NodeEvent[] = [];
    node.events$.subscribe((e) => events.push(e));
    const region = node.region('p');
    const ids: number[] = [];
    for (let i = 0; i < region.stats().totalPages; i++) ids.push(region.pageMemory.allocatePage(0, 0, FLAG_DATA));
    expect(() => region.pageMemory.allocatePage(0, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    expect(events.map((e) => e.type)).toEqual(['region.outOfMemory']);
    region.pageMemory.freePage(0, ids.pop()!);
    expect(() => region.pageMemory.allocatePage(0, 0, FLAG_DATA)).not.toThrow();
    await node.close();
  });

  it('the rebound system info drives the dynamic size defaults', async () => {
    const node = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p' }] } } } }, {
      configure: (c) => c.rebind(TOKENS.SystemInfo).toConstantValue({ totalMemoryBytes: () => 10 * GiB }),
    });
    const p = node.profiles().find((x) => x.name === 'p')!.config;
    expect(p).toMatchObject({ engine: 'aimem', maxSizeBytes: 2 * GiB, initSizeBytes: 2 * GiB });
    const d = node.profiles().find((x) => x.name === 'default')!.config;
    expect(d).toMatchObject({ engine: 'aipersist', sizeBytes: 2 * GiB });
    await node.close();
  });

  it('the rebound clock drives the node\'s hybrid clock', async () => {
    let now = 1_000_000;
    const node = await openNode({}, { configure: (c) => c.rebind(TOKENS.Clock).toConstantValue({ nowMillis: () => now }) });
    expect(node.clock.now()).toBe(hybridTimestamp(1_000_000, 0));
    expect(node.clock.now()).toBe(hybridTimestamp(1_000_000, 1));
    now = 2_000_000;
    expect(node.clock.now()).toBe(hybridTimestamp(2_000_000, 0));
    await node.close();
  });

  it('each node gets its own container: two nodes do not share engines or regions', async () => {
    const a = new CountingMemoryProvider();
    const b = new CountingMemoryProvider();
    const na = await openNode({ config: config(10 * MiB, 10 * MiB) }, { configure: (c) => c.rebind(TOKENS.MemoryProvider).toConstantValue(a) });
    const nb = await openNode({ config: config(10 * MiB, 10 * MiB) }, { configure: (c) => c.rebind(TOKENS.MemoryProvider).toConstantValue(b) });
    expect(na.region('p')).not.toBe(nb.region('p'));
    expect([a.allocations.length, b.allocations.length]).toEqual([1, 1]);
    await na.close();
    expect(() => nb.region('p').pageMemory.allocatePage(0, 0, FLAG_DATA)).not.toThrow();
    await nb.close();
  });
});
