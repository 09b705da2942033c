/**
 * NodeFileIo's calls off the event loop beside their synchronous twins: an async directory sync and an async remove
 * on the real file system, and the read-only adapter refusing both.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeFileIo } from '../../../../src/infrastructure/fs/node-file-io';
import { ReadOnlyFileIo } from '../../../../src/infrastructure/fs/read-only-file-io';
import { tempDir } from '../../../support/temp-dir';

describe('NodeFileIo: async directory sync and remove', () => {
  const dirs: Array<{ path: string; cleanup(): void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it('removeAsync unlinks a file (and a missing one is no error); syncDirAsync resolves, also for a missing directory', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const io = new NodeFileIo();
    const path = `${dir.path}/big.bin`;
    writeFileSync(path, Buffer.alloc(1 << 20));
    await io.removeAsync(path);
    expect(existsSync(path)).toBe(false);
    await expect(io.removeAsync(path)).resolves.toBeUndefined();
    await expect(io.syncDirAsync(dir.path)).resolves.toBeUndefined();
    await expect(io.syncDirAsync(`${dir.path}/missing`)).resolves.toBeUndefined();
  });

  it('the read-only adapter refuses both, naming what it refused', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const io = new ReadOnlyFileIo(new NodeFileIo());
    await expect(io.syncDirAsync(dir.path)).rejects.toMatchObject({ code: 'WORKDIR_READ_ONLY' });
    await expect(io.removeAsync(`${dir.path}/x`)).rejects.toThrow(/remove .*\/x/);
  });
});
