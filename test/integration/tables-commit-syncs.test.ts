/**
 * A one-row transaction on aipersist costs one fdatasync of the delta log: its write intent's record (a
 * runConsistently closure nobody awaits) starts no sync round of its own, and goes with the commit's. A plain write is
 * one record and one sync. (That both stay durable is what the SIGKILL and power-loss tests prove.)
 */
import { describe, expect, it } from 'vitest';
import { openNode, type StorageNode } from '../../src/interfaces/api/index';
import { useNodeScope } from '../support/node-scope';

const scope = useNodeScope();
const syncs = (node: StorageNode): number => node.metrics().aipersist!.deltaLog!.syncs;

describe('aipersist: fdatasyncs per commit', () => {
  it('20 one-row transactions take 20 syncs; 20 plain inserts take 20 more', async () => {
    const dir = scope.dir();
    const node = scope.keep(await openNode({ workDir: dir }));
    await node.createZone({ name: 'one', partitions: 1, storageProfiles: ['default'] });
    await node.createTable({ name: 't', zone: 'one', columns: [{ name: 'k', type: 'INT' }, { name: 'v', type: 'VARCHAR' }], primaryKey: ['k'] });
    await node.table('t').insert({ k: -1, v: 'warm-up' });
    const before = syncs(node);
    for (let i = 0; i < 20; i++) {
      await node.transaction(async (tx) => {
        await tx.table('t').insert({ k: i, v: `tx ${i}` });
      });
    }
    expect(syncs(node) - before).toBe(20);
    for (let i = 20; i < 40; i++) await node.table('t').insert({ k: i, v: `plain ${i}` });
    expect(syncs(node) - before).toBe(40);
    expect(await node.table('t').count()).toBe(41);
  });
});
