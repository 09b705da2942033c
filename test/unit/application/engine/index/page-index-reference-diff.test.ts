/**
 * Differential check against the reference engine (the executable semantics): the same entries in a reference
 * sorted index and in a page-based one, then every combination of bounds — null, the empty prefix, one and two
 * columns, nulls — and flags (all 3 bits, so stray bits behave alike) gives the same rows in every scan mode; and
 * the same bad arguments fail with the same error classes.
 */
import { describe, expect, it } from 'vitest';
import type { IndexRow, SortedIndexDescriptor } from '../../../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../../../src/domain/storage/row-id';
import type {
  MvPartitionStorage, MvTableStorage, SortedIndexStorage, StorageEngine,
} from '../../../../../src/domain/storage/storage-engine.api';
import { ReferenceStorageEngine } from '../../../../support/reference-engine/reference-storage-engine';
import { PageIndexHarnessEngine } from '../../../../support/page-index-harness';

const P = 4;
const DESC: SortedIndexDescriptor = {
  id: 8, columns: [{ name: 'i', type: 'INT32', nullable: true, asc: true }, { name: 's', type: 'STRING', nullable: true, asc: false }],
};
const MODES = ['scan', 'readOnlyScan', 'tolerantScan'] as const;

async function open(engine: StorageEngine): Promise<{ table: MvTableStorage; partition: MvPartitionStorage; index: SortedIndexStorage }> {
  const table = engine.createMvTable({ tableId: 1, partitions: 8, storageProfile: 'default' });
  const partition = await table.createMvPartition(P);
  const index = table.createSortedIndex(P, DESC);
  const rowIds = Array.from({ length: 3 }, (_, i) => new RowId(P, BigInt(i), -BigInt(i)));
  partition.runConsistently(() => {
    index.setNextRowIdToBuild(null);
    for (const i of [null, 0, 1, 2]) {
      for (const s of [null, '', 'a', 'b', 'b'.repeat(300)]) for (const r of rowIds.slice(0, 1 + ((i ?? 3) % 3))) index.put({ key: [i, s], rowId: r });
    }
  });
  return { table, partition, index };
}

const show = (rows: IndexRow[]): string[] => rows.map((r) => `${JSON.stringify(r.key)}/${r.rowId}`);
const errorClass = (f: () => unknown): string => {
  try {
    f();
    return 'none';
  } catch (e) {
    return (e as Error).constructor.name;
  }
};

describe.each([1024, 16384])('page sorted index vs the reference engine (%i-byte pages)', (pageSize) => {
  it('gives the same rows for every bound and flag combination, in every scan mode', async () => {
    const reference = new ReferenceStorageEngine();
    const harness = new PageIndexHarnessEngine(pageSize);
    const [ref, page] = [await open(reference), await open(harness)];
    const bounds: Array<unknown[] | null> = [null, [], [null], [0], [1], [3], [null, null], [1, null], [1, ''], [1, 'b'], [2, 'b'.repeat(300)], [2, 'c'], [0, 'a']];
    let compared = 0;
    for (const lower of bounds) {
      for (const upper of bounds) {
        for (let flags = 0; flags < 8; flags++) {
          for (const mode of MODES) {
            const what = `${mode}(${JSON.stringify(lower)}, ${JSON.stringify(upper)}, ${flags})`;
            expect(show([...page.index[mode](lower, upper, flags)]), what).toEqual(show([...ref.index[mode](lower, upper, flags)]));
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(bounds.length ** 2 * 8 * 3);
    await reference.close();
    await harness.close();
  });

  it('refuses the same bad arguments with the same error classes', async () => {
    const reference = new ReferenceStorageEngine();
    const harness = new PageIndexHarnessEngine(pageSize);
    const [ref, page] = [await open(reference), await open(harness)];
    const other = RowId.random(P + 1);
    const calls: Array<[string, (ix: SortedIndexStorage) => unknown]> = [
      ['get of a non-array', (ix) => ix.get('1' as unknown as unknown[])],
      ['get of a prefix', (ix) => ix.get([1])],
      ['get of a wrong type', (ix) => ix.get(['1', 'a'])],
      ['put of a RowId of another partition', (ix) => ix.put({ key: [1, 'a'], rowId: other })],
      ['put of something else than a RowId', (ix) => ix.put({ key: [1, 'a'], rowId: 'r' as unknown as RowId })],
      ['remove of a key too long', (ix) => ix.remove({ key: [1, 'a', 2], rowId: RowId.random(P) })],
      ['scan with a non-array bound', (ix) => ix.scan(1 as unknown as unknown[], null, 0)],
      ['scan with a bound too long', (ix) => ix.scan(null, [1, 'a', 3], 0)],
      ['readOnlyScan with a wrong type', (ix) => ix.readOnlyScan(['x'], null, 0)],
      ['setNextRowIdToBuild of another partition', (ix) => ix.setNextRowIdToBuild(other)],
    ];
    // Mutations run inside the partition's closure, as they must (outside one both refuse with OutsideClosureError).
    const inClosure = (o: { partition: MvPartitionStorage; index: SortedIndexStorage }, call: (ix: SortedIndexStorage) => unknown) =>
      () => o.partition.runConsistently(() => call(o.index));
    for (const [what, call] of calls) expect(errorClass(inClosure(page, call)), what).toBe(errorClass(inClosure(ref, call)));
    expect(calls.every(([, call]) => errorClass(inClosure(ref, call)) === 'InvalidArgumentError')).toBe(true);
    await reference.close();
    await harness.close();
  });
});
