/**
 * A fresh table with one partition (id 12) for each index test, plus helpers that create indexes (built by
 * default: nextRowIdToBuild set to null), put/remove inside runConsistently, and drain the index's cursors.
 */
import { beforeEach } from 'vitest';
import type { ColumnType } from '../../../src/domain/storage/column-type';
import type { Cursor } from '../../../src/domain/storage/cursor';
import type { IndexRow } from '../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../src/domain/storage/row-id';
import type {
  HashIndexStorage, IndexStorage, MvPartitionStorage, MvTableStorage, SortedIndexStorage,
} from '../../../src/domain/storage/storage-engine.api';
import type { ContractFactory, ContractSupports } from '../contract-factory';
import { type EngineFixture, useEngineFixture } from './engine-fixture';
import { type ColumnSpec, hashIndex, sortedIndex } from './index-descriptors';
import { drain } from './rows';

export const IX_PARTITION = 12;

export type ScanMode = 'scan' | 'readOnlyScan' | 'tolerantScan';
export const SCAN_MODES: readonly ScanMode[] = ['scan', 'readOnlyScan', 'tolerantScan'];

export interface IndexFixture {
  readonly engineFixture: EngineFixture;
  readonly table: MvTableStorage;
  readonly partition: MvPartitionStorage;
  sorted(columns: ReadonlyArray<ColumnSpec | ColumnType>, opts?: { built?: boolean; primary?: boolean }): SortedIndexStorage;
  hash(columns: ReadonlyArray<ColumnSpec | ColumnType>, opts?: { built?: boolean; primary?: boolean }): HashIndexStorage;
  put(index: IndexStorage, key: readonly unknown[], rowId?: RowId): IndexRow;
  remove(index: IndexStorage, key: readonly unknown[], rowId: RowId): void;
  setNextRowIdToBuild(index: IndexStorage, rowId: RowId | null): void;
  /** RowIds found by get(key), as strings, in the order returned. */
  get(index: IndexStorage, key: readonly unknown[]): string[];
  scan(index: SortedIndexStorage, mode: ScanMode, lower?: readonly unknown[] | null, upper?: readonly unknown[] | null, flags?: number): IndexRow[];
}

export function useIndexFixture(factory: ContractFactory, supports: ContractSupports = {}): IndexFixture {
  const engineFixture = useEngineFixture(factory, supports);
  let state: { table: MvTableStorage; partition: MvPartitionStorage } | null = null;

  beforeEach(async () => {
    const table = engineFixture.table();
    state = { table, partition: await table.createMvPartition(IX_PARTITION) };
  });

  const get = () => {
    if (state === null) throw new Error('The index fixture is only available inside a test');
    return state;
  };
  const build = <T extends IndexStorage>(index: T, built: boolean): T => {
    if (built) get().partition.runConsistently(() => index.setNextRowIdToBuild(null));
    return index;
  };

  return {
    engineFixture,
    get table() { return get().table; },
    get partition() { return get().partition; },
    sorted(columns, opts = {}) {
      return build(get().table.createSortedIndex(IX_PARTITION, sortedIndex(columns, { primary: opts.primary })), opts.built ?? true);
    },
    hash(columns, opts = {}) {
      return build(get().table.createHashIndex(IX_PARTITION, hashIndex(columns, { primary: opts.primary })), opts.built ?? true);
    },
    put(index, key, rowId = RowId.random(IX_PARTITION)) {
      get().partition.runConsistently((locker) => {
        locker.lock(rowId);
        index.put({ key, rowId });
      });
      return { key, rowId };
    },
    remove(index, key, rowId) {
      get().partition.runConsistently((locker) => {
        locker.lock(rowId);
        index.remove({ key, rowId });
      });
    },
    setNextRowIdToBuild(index, rowId) {
      get().partition.runConsistently(() => index.setNextRowIdToBuild(rowId));
    },
    get(index, key) {
      return drain(index.get(key)).map(String);
    },
    scan(index, mode, lower = null, upper = null, flags = 0) {
      const cursor: Cursor<IndexRow> = index[mode](lower, upper, flags);
      return drain(cursor);
    },
  };
}
