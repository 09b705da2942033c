/** The README's usage examples, kept runnable (only the import paths and the console differ). */
import { afterEach, describe, expect, it } from 'vitest';
import { GREATER_OR_EQUAL, hybridTimestamp, LESS_OR_EQUAL, MAX_VALUE, openNode, RowId } from '../../src/interfaces/api/index';
import { TOKENS, type Clock } from '../../src/interfaces/api/testing';
import { tempDir } from '../support/temp-dir';

describe('README example', () => {
  const dir = tempDir();
  afterEach(() => dir.cleanup());

  it('runs as written', async () => {
    const log: unknown[] = [];
    const console = { log: (...a: unknown[]) => log.push(a) };
    const node = await openNode({
      workDir: dir.path,
      config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'cache_profile', maxSizeBytes: 1073741824 }] } } },
    });
    const table = node.engine('aimem').createMvTable({ tableId: 1, partitions: 4, storageProfile: 'cache_profile' });
    const part = await table.createMvPartition(0);
    const pk = table.createSortedIndex(0, { id: 1, primary: true, columns: [{ name: 'id', type: 'INT64', nullable: false, asc: true }] });

    const rowId = RowId.random(0);
    const ts = hybridTimestamp(Date.now(), 0);
    part.runConsistently(() => {
      part.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new TextEncoder().encode('hello') }, ts);
      pk.put({ key: [42n], rowId });
    });
    const [found] = [...pk.get([42n])];
    console.log(part.read(found!, MAX_VALUE).binaryRow);
    for (const e of pk.scan([0n], [100n], GREATER_OR_EQUAL | LESS_OR_EQUAL)) console.log(e.key, e.rowId.toString());
    node.events$.subscribe((e) => console.log(e.type));
    await node.close();

    const row = (log[0] as [{ schemaVersion: number; bytes: Uint8Array }])[0];
    expect(row.schemaVersion).toBe(1);
    expect(new TextDecoder().decode(row.bytes)).toBe('hello');
    expect(log[1]).toEqual([[42n], rowId.toString()]);
    expect(log).toHaveLength(2);
  });

  it('the adapter-swap example runs as written', async () => {
    const log: unknown[] = [];
    const console = { log: (...a: unknown[]) => log.push(a) };
    const clock: Clock = { nowMillis: () => 1_767_225_600_000 };
    const node = await openNode({}, { configure: (c) => c.rebind(TOKENS.Clock).toConstantValue(clock) });
    console.log(node.clock.now() >> 16n);
    await node.close();

    expect(log).toEqual([[1767225600000n]]);
  });
});
