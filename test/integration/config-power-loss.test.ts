/**
 * Power loss during a configuration save, through the FileIo port swapped in the container: at every step of the
 * write order the "process" dies and the disk loses (or tears) everything not yet synced. The reopened node then has
 * the old or the new configuration, whole — and an update that returned is never lost.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNode, type StorageNode } from '../../src/interfaces/api/index';
import { TOKENS } from '../../src/interfaces/api/testing';
import { readWholeFile } from '../../src/domain/ports/file-io.port';
import { PowerLossFileIo, SimulatedCrash } from '../support/power-loss-file-io';
import { tempDir } from '../support/temp-dir';

const SEEDS = Number(process.env['POWER_LOSS_SEEDS'] ?? 8);
const OLD = 'ignite.storage.profiles:{old_profile{engine:aimem,maxSizeBytes:64MB}}';
const NEW = 'ignite.storage.profiles:{new_profile{engine:aimem,maxSizeBytes:128MB}} ignite.storage.engines.aimem.pageSizeBytes=4096';

function openOn(dir: string, io: PowerLossFileIo): Promise<StorageNode> {
  return openNode({ workDir: dir }, { configure: (c) => c.rebind(TOKENS.FileIo).toConstantValue(io) });
}

describe('PowerLossFileIo', () => {
  it('keeps synced data and synced names, drops the rest, and tears unsynced writes by seed', () => {
    const io = new PowerLossFileIo();
    io.mkdirs('/d');
    const h = io.open('/d/f', 'createNew');
    io.write(h, new Uint8Array([1, 2, 3]), 0, 3, 0);
    io.sync(h);
    io.syncDir('/d');
    io.write(h, new Uint8Array(2048).fill(9), 0, 2048, 3);
    io.close(h);
    io.rename('/d/f', '/d/g');
    const dropped = io.crash('drop');
    expect(dropped.exists('/d/g')).toBe(false);
    expect([...readWholeFile(dropped, '/d/f')!]).toEqual([1, 2, 3]);
    const sizes = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      const torn = io.crash('tear', seed);
      const name = torn.exists('/d/g') ? '/d/g' : '/d/f';
      const bytes = readWholeFile(torn, name)!;
      expect([...bytes.subarray(0, 3)]).toEqual([1, 2, 3]);
      sizes.add(bytes.length);
    }
    expect(sizes.size).toBeGreaterThan(1); // some seeds land the write (or part of it), some do not
  });

  it('dies at step k: that call and every later one throw, changing nothing', () => {
    const io = new PowerLossFileIo();
    io.mkdirs('/d');
    io.failAfter(2);
    const h = io.open('/d/f', 'createNew');
    expect(() => io.write(h, new Uint8Array(1), 0, 1, 0)).toThrow(SimulatedCrash);
    expect(() => io.exists('/d/f')).toThrow(SimulatedCrash);
    expect(readWholeFile(io.crash('drop'), '/d/f')).toBeNull(); // the create was never made durable
  });
});

describe('configuration save under power loss', () => {
  let dir: { path: string; cleanup(): void };
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('at every step of the write order, the reopened node has the old or the new configuration, whole', async () => {
    let steps = 0;
    let sawOld = false;
    let sawNew = false;
    for (let k = 1; ; k++) {
      const io = new PowerLossFileIo();
      io.mkdirs(dir.path);
      const node = await openOn(dir.path, io);
      node.config.update(OLD);
      const before = io.steps;
      io.failAfter(k);
      let acknowledged = false;
      try {
        node.config.update(NEW);
        acknowledged = true;
      } catch (e) {
        expect((e as Error).message).toMatch(/simulated crash/);
      }
      await node.close();
      steps = Math.max(steps, io.steps - before);
      for (let seed = 0; seed <= SEEDS; seed++) {
        const disk = seed === 0 ? io.crash('drop') : io.crash('tear', seed);
        const reopened = await openOn(dir.path, disk);
        const names = reopened.profiles().map((p) => p.name);
        const pageSize = reopened.config.show('ignite.storage.engines.aimem.pageSizeBytes');
        await reopened.close();
        if (names.includes('new_profile')) {
          sawNew = true;
          expect(pageSize).toBe(4096);
        } else {
          expect(acknowledged, `k=${k} seed=${seed}: an acknowledged update was lost`).toBe(false);
          sawOld = true;
          expect(names).toEqual(['default', 'old_profile']);
          expect(pageSize).toBe(16384);
        }
      }
      if (acknowledged) break;
    }
    expect(steps).toBeGreaterThanOrEqual(5); // temp create, write, sync, rename, directory sync
    expect(sawOld && sawNew).toBe(true);
  });
});
