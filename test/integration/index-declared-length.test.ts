/** Declared STRING/BYTES lengths size an index's items; longer values are refused with a typed error, never lost. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, openNode, RowId, type IndexStorage, type StorageNode } from '../../src/interfaces/api/index';

describe('index keys longer than the declared column length', () => {
  let node: StorageNode;
  beforeEach(async () => {
    node = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 16 << 20, maxSizeBytes: 64 << 20 }] } } } });
  });
  afterEach(() => node.close());

  async function indexes(): Promise<IndexStorage[]> {
    const t = node.engine('aimem').createMvTable({ tableId: 1, partitions: 1, storageProfile: 'p' });
    await t.createMvPartition(0);
    const sorted = t.createSortedIndex(0, { id: 1, columns: [{ name: 's', type: 'STRING', nullable: false, asc: true, length: 4 }] });
    const hash = t.createHashIndex(0, { id: 2, columns: [{ name: 'b', type: 'BYTES', nullable: false, length: 3 }] });
    for (const i of [sorted, hash]) i.setNextRowIdToBuild(null);
    return [sorted, hash];
  }

  it('refuses put, get and remove of a longer value with InvalidArgumentError and keeps what is stored', async () => {
    const [sorted, hash] = await indexes();
    const r = RowId.random(0);
    sorted!.put({ key: ['abcd'], rowId: r });
    hash!.put({ key: [new Uint8Array([1, 2, 3])], rowId: r });
    const long: Array<[IndexStorage, unknown]> = [[sorted!, 'abcde and more'], [hash!, new Uint8Array(40)]];
    for (const [index, value] of long) {
      expect(() => index.put({ key: [value], rowId: r })).toThrow(InvalidArgumentError);
      expect(() => index.get([value])).toThrow(/declared column lengths/);
      expect(() => index.remove({ key: [value], rowId: r })).toThrow(InvalidArgumentError);
    }
    expect([...sorted!.get(['abcd'])].map((x) => x.equals(r))).toEqual([true]);
    expect([...hash!.get([new Uint8Array([1, 2, 3])])].map((x) => x.equals(r))).toEqual([true]);
  });
});
