/**
 * A full disk during a checkpoint: flush() rejects with a typed DISK_FULL error that says what to do, nothing in
 * memory is lost, the node keeps working, and once there is room again the next checkpoint writes everything —
 * a reopen then finds every row. The disk is the real file system behind a FileIo that answers ENOSPC on demand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../src/domain/storage/row-id';
import type { FileHandle } from '../../src/domain/ports/file-io.port';
import { NodeFileIo } from '../../src/infrastructure/fs/node-file-io';
import { openNode, type StorageConfigInput, type StorageNode } from '../../src/interfaces/api/index';
import { TOKENS } from '../../src/interfaces/api/testing';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const config: StorageConfigInput = {
  ignite: { storage: { engines: { aipersist: { pageSizeBytes: 1024 } }, profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 16 * MiB }] } },
};

/** The real file system, but writes to the db directory fail with ENOSPC after `budget` more bytes while `full`. */
class FillingDisk extends NodeFileIo {
  full = false;
  budget = 0;

  #spend(length: number): void {
    if (!this.full) return;
    if (this.budget < length) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    this.budget -= length;
  }

  override write(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): void {
    this.#spend(length);
    super.write(handle, buffer, offset, length, position);
  }

  override writeAsync(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<void> {
    try {
      this.#spend(length);
    } catch (e) {
      return Promise.reject(e);
    }
    return super.writeAsync(handle, buffer, offset, length, position);
  }
}

describe('aipersist: disk full during a checkpoint', () => {
  const dirs: Array<{ cleanup(): void }> = [];
  let node: StorageNode | null = null;
  afterEach(async () => {
    await node?.close().catch(() => undefined);
    node = null;
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it.each([0, 40_000])('flush rejects with DISK_FULL, nothing is lost, and the next checkpoint writes it all (%i bytes left)', async (budget) => {
    const dir = tempDir();
    dirs.push(dir);
    const disk = new FillingDisk();
    const open = () => openNode({ workDir: dir.path, config }, { configure: (c) => c.rebind(TOKENS.FileIo).toConstantValue(disk) });
    node = await open();
    const table = node.engine('aipersist').createMvTable({ tableId: 2, partitions: 1, storageProfile: 'p' });
    const part = await table.createMvPartition(0);
    const first = Array.from({ length: 300 }, () => RowId.random(0));
    part.runConsistently(() => first.forEach((id) => part.addWriteCommitted(id, { schemaVersion: 1, bytes: new Uint8Array(200).fill(1) }, 100n)));
    await part.flush(true);
    const second = Array.from({ length: 300 }, () => RowId.random(0));
    part.runConsistently(() => second.forEach((id) => part.addWriteCommitted(id, { schemaVersion: 1, bytes: new Uint8Array(200).fill(2) }, 200n)));
    disk.full = true;
    disk.budget = budget;
    const failure = await part.flush(true).then(() => null, (e: unknown) => e);
    expect(failure).toMatchObject({ code: 'DISK_FULL' });
    // The log's group commit or the checkpoint's page writes meet the full disk first; either says what to do.
    expect((failure as Error).message).toMatch(/(delta log|table 2, partition 0).*disk is full.*Nothing is lost.*free disk space/);
    // Still working, nothing lost.
    for (const id of [...first, ...second]) expect(part.read(id, MAX_VALUE).binaryRow).not.toBeNull();
    expect(node.metrics().regions.find((r) => r.profile === 'p')!.pages.dirty).toBeGreaterThan(0);
    disk.full = false;
    await part.flush(true);
    expect(node.metrics().regions.find((r) => r.profile === 'p')!.pages.dirty).toBe(0);
    await node.close();
    node = await open();
    const again = await node.engine('aipersist').createMvTable({ tableId: 2, partitions: 1, storageProfile: 'p' }).createMvPartition(0);
    for (const id of first) expect(again.read(id, MAX_VALUE).binaryRow!.bytes[0]).toBe(1);
    for (const id of second) expect(again.read(id, MAX_VALUE).binaryRow!.bytes[0]).toBe(2);
    expect(again.estimatedSize()).toBe(600);
  });

  it('a close whose last checkpoint finds the disk full says that the changes since the last checkpoint are lost', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const disk = new FillingDisk();
    const open = () => openNode({ workDir: dir.path, config }, { configure: (c) => c.rebind(TOKENS.FileIo).toConstantValue(disk) });
    node = await open();
    const part = await node.engine('aipersist').createMvTable({ tableId: 2, partitions: 1, storageProfile: 'p' }).createMvPartition(0);
    const kept = RowId.random(0);
    part.runConsistently(() => part.addWriteCommitted(kept, { schemaVersion: 1, bytes: new Uint8Array([1]) }, 100n));
    await part.flush(true);
    part.runConsistently(() => part.addWriteCommitted(RowId.random(0), { schemaVersion: 1, bytes: new Uint8Array([2]) }, 200n));
    disk.full = true;
    const failure = await node.close().then(() => null, (e: unknown) => e);
    node = null;
    expect(failure).toMatchObject({ code: 'DISK_FULL' });
    expect((failure as Error).message).toMatch(/last checkpoint at close.*lost.*intact/);
    disk.full = false;
    node = await open(); // the files hold the last completed checkpoint, whole
    const again = await node.engine('aipersist').createMvTable({ tableId: 2, partitions: 1, storageProfile: 'p' }).createMvPartition(0);
    expect([...again.read(kept, MAX_VALUE).binaryRow!.bytes]).toEqual([1]);
    expect(again.estimatedSize()).toBe(1);
  });
});
