/**
 * Declared STRING/BYTES lengths (DESIGN §9: VARCHAR length counts characters): a STRING column's `length` is a limit
 * in Unicode code points, a BYTES column's in bytes, for stored and searched keys; longer values are refused with a
 * typed error and nothing stored is lost. Scan bounds are not limited. Same rules in the page engine and the reference
 * engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  GREATER_OR_EQUAL, InvalidArgumentError, LESS_OR_EQUAL, openNode, RowId,
  type IndexStorage, type MvPartitionStorage, type SortedIndexStorage, type StorageEngine, type StorageNode,
} from '../../src/interfaces/api/index';
import { ReferenceStorageEngine } from '../support/reference-engine/reference-storage-engine';

interface Scene {
  readonly partition: MvPartitionStorage;
  readonly sorted: SortedIndexStorage;
  readonly hash: IndexStorage;
}

const ENGINES: Array<[string, () => Promise<{ engine: StorageEngine; close: () => Promise<void> }>]> = [
  ['aimem', async () => {
    const node: StorageNode = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 16 << 20, maxSizeBytes: 64 << 20 }] } } } });
    return { engine: node.engine('aimem'), close: () => node.close() };
  }],
  ['reference', async () => {
    const engine = new ReferenceStorageEngine();
    return { engine, close: () => engine.close() };
  }],
];

describe.each(ENGINES)('index keys longer than the declared column length (%s)', (_name, open) => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  async function scene(stringLength: number, bytesLength: number): Promise<Scene> {
    const opened = await open();
    close = opened.close;
    const t = opened.engine.createMvTable({ tableId: 1, partitions: 1, storageProfile: 'p' });
    const partition = await t.createMvPartition(0);
    const sorted = t.createSortedIndex(0, { id: 1, columns: [{ name: 's', type: 'STRING', nullable: false, asc: true, length: stringLength }] });
    const hash = t.createHashIndex(0, { id: 2, columns: [{ name: 'b', type: 'BYTES', nullable: false, length: bytesLength }] });
    partition.runConsistently(() => {
      for (const i of [sorted, hash]) i.setNextRowIdToBuild(null);
    });
    return { partition, sorted, hash };
  }

  const rowIdsOf = (index: IndexStorage, key: unknown): string[] => [...index.get([key])].map(String);

  it('refuses put, get and remove of a longer value with InvalidArgumentError and keeps what is stored', async () => {
    const { partition, sorted, hash } = await scene(4, 3);
    const r = RowId.random(0);
    partition.runConsistently(() => {
      sorted.put({ key: ['abcd'], rowId: r });
      hash.put({ key: [new Uint8Array([1, 2, 3])], rowId: r });
    });
    const long: Array<[IndexStorage, unknown]> = [[sorted, 'abcde'], [hash, new Uint8Array([1, 2, 3, 4])]];
    for (const [index, value] of long) {
      expect(() => partition.runConsistently(() => index.put({ key: [value], rowId: r }))).toThrow(InvalidArgumentError);
      expect(() => index.get([value])).toThrow(/declared column length/);
      expect(() => partition.runConsistently(() => index.remove({ key: [value], rowId: r }))).toThrow(InvalidArgumentError);
    }
    expect(rowIdsOf(sorted, 'abcd')).toEqual([String(r)]);
    expect(rowIdsOf(hash, new Uint8Array([1, 2, 3]))).toEqual([String(r)]);
  });

  it("counts a STRING length in characters (code points), not UTF-8 bytes or UTF-16 units: 'abcd' does not fit length 3", async () => {
    const { partition, sorted } = await scene(3, 3);
    const fitting = ['abc', 'éàü', '中文字', '😀😀😀', '\u0000\u0000\u0000', '\ud800x\udc00'];
    const rows = fitting.map(() => RowId.random(0));
    partition.runConsistently(() => fitting.forEach((key, i) => sorted.put({ key: [key], rowId: rows[i]! })));
    fitting.forEach((key, i) => expect(rowIdsOf(sorted, key), key).toEqual([String(rows[i])]));
    for (const tooLong of ['abcd', 'éàüö', '😀😀😀😀', 'ab😀c']) {
      expect(() => partition.runConsistently(() => sorted.put({ key: [tooLong], rowId: RowId.random(0) })), tooLong).toThrow(InvalidArgumentError);
    }
    expect([...sorted.scan(null, null, 0)]).toHaveLength(fitting.length);
  });

  it('does not limit scan bounds to the declared length', async () => {
    const { partition, sorted } = await scene(3, 3);
    partition.runConsistently(() => ['abc', 'abd'].forEach((key) => sorted.put({ key: [key], rowId: RowId.random(0) })));
    const keys = (lower: string, upper: string) =>
      [...sorted.scan([lower], [upper], GREATER_OR_EQUAL | LESS_OR_EQUAL)].map((row) => row.key[0]);
    expect(keys('abcdef', 'abzzzz')).toEqual(['abd']);
    expect(keys('a', 'abc\u0000\u0000')).toEqual(['abc']);
  });
});
