import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigValidationError, EngineNotAvailableError, openNode, StorageClosedError, UnknownProfileError, type NodeEvent,
  type StorageNode, type StorageConfigInput,
} from '../../src/interfaces/api/index';
import { FLAG_DATA, PageView } from '../../src/interfaces/api/testing';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const SMALL_AIMEM: StorageConfigInput = {
  ignite: {
    storage: {
      engines: { aimem: { pageSizeBytes: 1024 } },
      profiles: [{ engine: 'aimem', name: 'small', initSizeBytes: 10 * MiB, maxSizeBytes: 12 * MiB }],
    },
  },
};

describe('openNode', () => {
  const dirs: Array<{ cleanup(): void }> = [];
  const nodes: StorageNode[] = [];
  const open = async (opts: Parameters<typeof openNode>[0]) => {
    const node = await openNode(opts);
    nodes.push(node);
    return node;
  };
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  };
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it('always has the default aipersist profile and lists configured ones', async () => {
    const node = await open({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'cache_profile' }] } } } });
    expect(node.profiles().map((p) => [p.name, p.engine])).toEqual([['default', 'aipersist'], ['cache_profile', 'aimem']]);
    expect(node.workDir).toBeNull();
  });

  it('creates a region for an aimem profile with the engine page size, and emits segment events in order', async () => {
    const config: StorageConfigInput = { ignite: { storage: { engines: { aimem: { pageSizeBytes: 1024 } }, profiles: [{ engine: 'aimem', name: 'small', initSizeBytes: 10 * MiB, maxSizeBytes: 12 * MiB }] } } };
    const node = await open({ config });
    const events: NodeEvent[] = [];
    node.events$.subscribe((e) => events.push(e));
    const region = node.region('small');
    expect(region.pageMemory.pageSize).toBe(1024);
    expect(node.region('small')).toBe(region);
    const view = new PageView();
    const perSegment = Math.floor((10 * MiB) / (1024 + 32));
    for (let i = 0; i <= perSegment; i++) {
      const id = region.pageMemory.allocatePage(1, 0, FLAG_DATA);
      region.pageMemory.acquireWrite(1, id, view);
      view.dv.setUint32(view.contentOff, i, true);
      region.pageMemory.release(view);
    }
    expect(events.map((e) => e.type)).toEqual(['region.segmentAllocated']);
    expect(node.stats().profiles.find((p) => p.name === 'small')!.region!.segments).toBe(2);
  });

  it('refuses the storage of aipersist profiles on a node without a work dir, saying what to do', async () => {
    const node = await open({});
    expect(() => node.region('default')).toThrow(EngineNotAvailableError);
    try {
      node.region('default');
    } catch (e) {
      expect((e as EngineNotAvailableError).code).toBe('ENGINE_NOT_AVAILABLE');
      expect((e as Error).message).toContain("'default'");
      expect((e as Error).message).toContain('workDir');
    }
  });

  it('names the defined profiles when asked for an unknown one', async () => {
    const node = await open({});
    expect(() => node.region('nope')).toThrow(UnknownProfileError);
    expect(() => node.region('nope')).toThrow(/default/);
  });

  it('rejects an invalid initial config with a validation error naming the key', async () => {
    await expect(open({ config: { ignite: { storage: { engines: { aimem: { pageSizeBytes: 3000 } } } } } })).rejects.toThrow(ConfigValidationError);
  });

  it('persists config updates in the work dir across reopen; engine keys apply on the next open', async () => {
    const workDir = dir();
    const first = await open({ workDir });
    const result = first.config.update('ignite.storage.engines.aimem.pageSizeBytes=8192');
    expect(result.restartRequired).toEqual(['ignite.storage.engines.aimem.pageSizeBytes']);
    expect(result.message).toMatch(/next open/);
    expect(first.stats().pageSizeBytes.aimem).toBe(16384);
    first.config.update('ignite.storage.profiles:{cache_profile{engine:aimem,maxSizeBytes:1073741824}}');
    await first.close();
    expect(JSON.parse(readFileSync(join(workDir, 'aistorage.json'), 'utf8')).ignite.storage.engines.aimem.pageSizeBytes).toBe(8192);
    const second = await open({ workDir });
    expect(second.stats().pageSizeBytes.aimem).toBe(8192);
    expect(second.profiles().map((p) => p.name)).toContain('cache_profile');
  });

  it('an invalid update changes nothing', async () => {
    const workDir = dir();
    const node = await open({ workDir });
    const before = readFileSync(join(workDir, 'aistorage.json'), 'utf8');
    expect(() => node.config.update('ignite.storage.engines.aimem.pageSizeBytes=3000')).toThrow(ConfigValidationError);
    expect(readFileSync(join(workDir, 'aistorage.json'), 'utf8')).toBe(before);
    expect(node.config.show('ignite.storage.engines.aimem.pageSizeBytes')).toBe(16384);
  });

  it('close() completes the event stream, frees regions and refuses further use', async () => {
    const node = await openNode({ config: SMALL_AIMEM });
    const region = node.region('small');
    let completed = false;
    node.events$.subscribe({ complete: () => (completed = true) });
    await node.close();
    expect(completed).toBe(true);
    expect(() => node.region('small')).toThrow(StorageClosedError);
    expect(() => region.pageMemory.allocatePage(0, 0, FLAG_DATA)).toThrow(StorageClosedError);
    await node.close(); // idempotent
  });
});
