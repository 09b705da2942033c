/**
 * A transaction whose net effect on a row leaves no version (it inserted the row and deleted it again, then
 * committed or rolled back; or it only inserted and rolled back) must leave no index entry for it either: nothing
 * removes an entry whose RowId has no version later (the GC only visits rows with queued versions), so such an entry
 * would stay for good and every scan would step over it. Counted here straight off the partitions' index storages.
 */
import { describe, expect, it } from 'vitest';
import { openNode, type StorageNode } from '../../src/interfaces/api/index';
import type { OpenTable } from '../../src/application/tables/open-table';
import type { IndexStorage, SortedIndexStorage } from '../../src/domain/storage/storage-engine.api';
import { GREATER_OR_EQUAL, LESS_OR_EQUAL } from '../../src/domain/storage/index-descriptors';
import { useNodeScope } from '../support/node-scope';

const MEM_CONFIG = { ignite: { storage: { profiles: [{ name: 'mem', engine: 'aimem', maxSizeBytes: 64 * 1024 * 1024 }] } } };

interface Item {
  id: bigint;
  tag: string | null;
}

function entriesOf(storage: IndexStorage): number {
  let n = 0;
  const cursor = (storage as SortedIndexStorage).readOnlyScan(null, null, GREATER_OR_EQUAL | LESS_OR_EQUAL);
  try {
    while (cursor.hasNext()) {
      cursor.next();
      n++;
    }
  } finally {
    cursor.close();
  }
  return n;
}

/** Entries of the primary-key index and of each secondary index, summed over the partitions. */
function entries(open: OpenTable): { pk: number; secondary: number } {
  let pk = 0;
  let secondary = 0;
  for (const part of open.partitions) {
    pk += entriesOf(part.pk);
    for (const index of part.indexes.values()) secondary += entriesOf(index.storage);
  }
  return { pk, secondary };
}

/** Waits until the GC has run over every table at least once more (it runs every 5 ms in these tests). */
async function afterGc(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 10));
}

describe.each(['mem', 'default'])('index entries of rows a transaction leaves without a version (%s)', (profile) => {
  const scope = useNodeScope();

  async function open(): Promise<{ node: StorageNode; table: OpenTable }> {
    const node = scope.keep(await openNode({
      workDir: scope.dir(), config: MEM_CONFIG as never, gc: { dataAvailabilityTimeMillis: 0, intervalMillis: 5 },
    }));
    await node.createZone({ name: 'z', partitions: 3, storageProfiles: ['mem', 'default'] });
    await node.createTable({
      name: 'items', zone: 'z', storageProfile: profile,
      columns: [{ name: 'id', type: 'BIGINT' }, { name: 'tag', type: 'VARCHAR' }],
      primaryKey: ['id'],
    });
    await node.createIndex({ name: 'items_tag', table: 'items', columns: ['tag'] });
    await node.awaitIndex('items_tag');
    return { node, table: node.openTable('items') };
  }

  it('removes them when an insert deleted in the same transaction commits (one partition and several)', async () => {
    const { node, table } = await open();
    const t = node.table<Item>('items');
    await t.insert({ id: 100n, tag: 'kept' });
    await node.transaction(async (tx) => {
      await tx.table<Item>('items').insert({ id: 1n, tag: 'a' });
      expect(await tx.table<Item>('items').delete({ id: 1n })).toBe(true);
    });
    await node.transaction(async (tx) => { // several rows, so several partitions: the two-phase commit
      const items = tx.table<Item>('items');
      for (let i = 2n; i < 12n; i++) await items.upsert({ id: i, tag: `t${i}` });
      for (let i = 2n; i < 12n; i++) await items.delete({ id: i });
      await items.upsert({ id: 5n, tag: 'back' }); // deleted and written again: this one stays
    });
    expect(entries(table)).toEqual({ pk: 2, secondary: 2 });
    await afterGc();
    expect(entries(table)).toEqual({ pk: 2, secondary: 2 });
    expect(await t.get({ id: 1n })).toBeNull();
    expect(await t.get({ id: 5n })).toEqual({ id: 5n, tag: 'back' });
    expect((await collect(t.scan())).map((r) => r.id)).toEqual([5n, 100n]);
    await t.insert({ id: 1n, tag: 'again' }); // the key is free again
    expect(await t.get({ id: 1n })).toEqual({ id: 1n, tag: 'again' });
    expect(entries(table)).toEqual({ pk: 3, secondary: 3 });
  });

  it('removes them when such a transaction, or one that only inserted, rolls back', async () => {
    const { node, table } = await open();
    await expect(node.transaction(async (tx) => {
      const items = tx.table<Item>('items');
      await items.insert({ id: 1n, tag: 'a' });
      await items.delete({ id: 1n });
      await items.insert({ id: 2n, tag: 'b' });
      await items.insert({ id: 3n, tag: 'c' });
      await items.delete({ id: 3n });
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(entries(table)).toEqual({ pk: 0, secondary: 0 });
    await afterGc();
    expect(entries(table)).toEqual({ pk: 0, secondary: 0 });
    expect(await node.table<Item>('items').count()).toBe(0);
  });

  it('plain writes leave nothing behind either once the GC removed a deleted row', async () => {
    const { node, table } = await open();
    const t = node.table<Item>('items');
    for (let i = 0n; i < 5n; i++) await t.insert({ id: i, tag: `p${i}` });
    await t.upsert({ id: 0n, tag: 'changed' });
    for (let i = 0n; i < 5n; i++) expect(await t.delete({ id: i })).toBe(true);
    expect(await t.delete({ id: 9n })).toBe(false); // nothing to delete: nothing written
    for (let i = 0; i < 50 && entries(table).pk > 0; i++) await afterGc();
    expect(entries(table)).toEqual({ pk: 0, secondary: 0 });
  });

  it('keeps the entries a remaining version still needs', async () => {
    const { node, table } = await open();
    const t = node.table<Item>('items');
    await t.insert({ id: 1n, tag: 'old' });
    let read!: () => void;
    const reading = new Promise<void>((r) => (read = r));
    const reader = node.transaction(async (tx) => { // its read timestamp holds the low watermark: 'old' stays
      await reading;
      return tx.table<Item>('items').get({ id: 1n });
    }, { readOnly: true });
    await t.delete({ id: 1n }); // a committed tombstone over 'old'
    await node.transaction(async (tx) => {
      await tx.table<Item>('items').insert({ id: 1n, tag: 'new' });
      await tx.table<Item>('items').delete({ id: 1n });
    });
    await afterGc();
    expect(entries(table)).toEqual({ pk: 1, secondary: 1 }); // 'old' and the tombstone are still there
    read();
    expect(await reader).toEqual({ id: 1n, tag: 'old' });
    await afterGc();
    expect(entries(table)).toEqual({ pk: 0, secondary: 0 });
    expect(await t.get({ id: 1n })).toBeNull();
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
