/**
 * A repeated put of an index entry changes nothing, so a later remove removes it cleanly — on both engines, for a
 * short (inline) key and for a key longer than a page's inline room. A crash test found that the second put released
 * the entry's row hint twice, and the remove then failed with DATA_CORRUPTION.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openNode, RowId, type StorageNode } from '../../src/interfaces/api/index';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;

describe('index: put twice, then remove', () => {
  const dirs: Array<{ path: string; cleanup(): void }> = [];
  let node: StorageNode | null = null;
  afterEach(async () => {
    await node?.close();
    node = null;
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it.each(['aimem', 'aipersist'] as const)('%s: the entry is gone, the row and its other entries intact', async (engine) => {
    const dir = tempDir();
    dirs.push(dir);
    node = await openNode({
      workDir: dir.path,
      config: { ignite: { storage: { profiles: [engine === 'aimem' ? { engine, name: 'x', maxSizeBytes: 16 * MiB } : { engine, name: 'x', sizeBytes: 16 * MiB }] } } },
    });
    const table = node.engine(engine).createMvTable({ tableId: 1, partitions: 1, storageProfile: 'x' });
    const part = await table.createMvPartition(0);
    const pk = table.createSortedIndex(0, { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] });
    const byName = table.createSortedIndex(0, { id: 2, columns: [{ name: 'n', type: 'STRING', nullable: false, asc: true }] });
    part.runConsistently(() => byName.setNextRowIdToBuild(null)); // a secondary index starts unbuilt
    const rowId = RowId.random(0);
    const long = 'x'.repeat(20_000);
    part.runConsistently(() => part.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new Uint8Array(8) }, node!.clock.now()));
    for (let i = 0; i < 2; i++) {
      part.runConsistently(() => {
        pk.put({ key: [7n], rowId });
        byName.put({ key: [long], rowId });
        byName.put({ key: ['short'], rowId });
      });
    }
    part.runConsistently(() => {
      pk.remove({ key: [7n], rowId });
      byName.remove({ key: [long], rowId });
    });
    expect([...pk.get([7n])]).toEqual([]);
    expect([...byName.get([long])]).toEqual([]);
    expect([...byName.get(['short'])].map((r) => r.toString())).toEqual([rowId.toString()]);
    part.runConsistently(() => byName.remove({ key: ['short'], rowId }));
    expect([...byName.get(['short'])]).toEqual([]);
  });
});
