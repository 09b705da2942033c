/**
 * The engine adapters speak Region and have the start/stop lifecycle: nothing works before start() or after
 * stop() (StorageClosedError), stop() closes every table and region and completes events$.
 */
import { describe, expect, it } from 'vitest';
import { ConfigService } from '../../../../src/application/config/config-service';
import { InMemoryConfigStore } from '../../../../src/application/config/in-memory-config-store';
import { AimemEngine } from '../../../../src/application/engine/aimem/aimem-engine';
import { UnavailableEngine } from '../../../../src/application/engine/unavailable-engine';
import { FLAG_DATA } from '../../../../src/domain/page/page-id';
import type { Region } from '../../../../src/domain/region/region';
import { EngineNotAvailableError, StorageClosedError } from '../../../../src/domain/shared/errors';
import { CountingMemoryProvider } from '../../../support/counting-memory-provider';

const MiB = 1024 * 1024;

function aimem(memory = new CountingMemoryProvider()): { engine: AimemEngine; config: ConfigService; memory: CountingMemoryProvider } {
  const config = new ConfigService(new InMemoryConfigStore(), { totalMemoryBytes: () => 8 * 1024 * MiB }, {
    ignite: { storage: { engines: { aimem: { pageSizeBytes: 1024 } }, profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 10 * MiB, maxSizeBytes: 10 * MiB }] } },
  });
  return { engine: new AimemEngine(config, memory), config, memory };
}

describe('AimemEngine lifecycle', () => {
  it('refuses every call before start() with StorageClosedError', async () => {
    const { engine, config } = aimem();
    expect(() => engine.region(config.profile('p'))).toThrow(StorageClosedError);
    expect(() => engine.region(config.profile('p'))).toThrow(/aimem engine is not started/);
    expect(() => engine.createMvTable({ tableId: 1, partitions: 1, storageProfile: 'p' })).toThrow(StorageClosedError);
    await expect(engine.destroyMvTable(1)).rejects.toThrow(StorageClosedError);
    expect(() => engine.regionStats()).toThrow(StorageClosedError);
    await engine.stop();
  });

  it('serves volatile Regions once started', async () => {
    const { engine, config } = aimem();
    await engine.start();
    const region: Region = engine.region(config.profile('p'));
    expect([region.name, region.pageSize, region.isVolatile, region.closed]).toEqual(['p', 1024, true, false]);
    expect(engine.region(config.profile('p'))).toBe(region);
    expect(region.pageMemory.pageSize).toBe(1024);
    expect(engine.regionStats().get('p')).toEqual(region.stats());
    await engine.stop();
  });

  it('stop() closes tables and regions, gives the memory back, completes events$ and refuses further calls', async () => {
    const { engine, config, memory } = aimem();
    await engine.start();
    let completed = false;
    engine.events$.subscribe({ complete: () => (completed = true) });
    const region = engine.region(config.profile('p'));
    const table = engine.createMvTable({ tableId: 1, partitions: 1, storageProfile: 'p' });
    await table.createMvPartition(0);
    await engine.stop();
    expect(completed).toBe(true);
    expect(region.closed).toBe(true);
    expect(memory.released).toBe(memory.allocations.length);
    expect(() => region.pageMemory.allocatePage(0, 0, FLAG_DATA)).toThrow(StorageClosedError);
    expect(() => engine.region(config.profile('p'))).toThrow(/aimem engine is stopped/);
    expect(() => engine.createMvTable({ tableId: 2, partitions: 1, storageProfile: 'p' })).toThrow(StorageClosedError);
    await expect(engine.destroyMvTable(1)).rejects.toThrow(StorageClosedError);
    await expect(engine.stop()).resolves.toBeUndefined(); // idempotent
    await expect(engine.start()).rejects.toThrow(StorageClosedError);
  });
});

describe('UnavailableEngine lifecycle', () => {
  it('is closed before start, unavailable while started, closed after stop', async () => {
    const engine = new UnavailableEngine('aipersist');
    const { config } = aimem();
    const profile = config.profile('default');
    expect(() => engine.region(profile)).toThrow(StorageClosedError);
    await engine.start();
    expect(() => engine.region(profile)).toThrow(EngineNotAvailableError);
    expect(() => engine.createMvTable({ tableId: 1, storageProfile: 'default' })).toThrow(EngineNotAvailableError);
    await expect(engine.destroyMvTable(1)).rejects.toThrow(EngineNotAvailableError);
    expect(engine.regionStats().size).toBe(0);
    await engine.stop();
    expect(() => engine.region(profile)).toThrow(/aipersist engine is stopped/);
    await expect(engine.destroyMvTable(1)).rejects.toThrow(StorageClosedError);
    await engine.stop();
  });
});
