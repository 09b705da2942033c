/**
 * The SortedIndexStorage contract (DESIGN.md §6, §6.1; after Apache Ignite 3's AbstractSortedIndexStorageTest and
 * AbstractIndexStorageTest).
 *
 * When IndexNotBuiltError applies: a secondary index is created "being built" (nextRowIdToBuild =
 * RowId.lowest(partition)) and stays so until setNextRowIdToBuild(null); meanwhile get(), scan() and readOnlyScan()
 * throw IndexNotBuiltError when called, while put(), remove(), tolerantScan() and the nextRowIdToBuild accessors
 * work. A primary index (descriptor.primary) is built from the start (nextRowIdToBuild null). Setting a RowId again
 * makes the index "being built" again for later calls; cursors opened before keep working. StorageRebalanceError
 * wins over IndexNotBuiltError (see mv-table-storage.contract.ts).
 *
 * Order: by key — per column ASC or DESC, nulls first or last (nullsFirst defaults to true for ASC, false for DESC,
 * i.e. null is the smallest value) — then by RowId ascending. Types order as documented in support/index-values.ts
 * (FLOAT/DOUBLE numerically, -0 = 0, one NaN after +Infinity; STRING by UTF-8 bytes; UUID by signed halves; BYTES
 * unsigned, shorter prefix first; DECIMAL/TIME/DATETIME by value, so '1.5' and '1.50' are one key).
 */
import { describe } from 'vitest';
import type { ContractFactory, ContractSupports } from './contract-factory';
import { describeCommonIndexCases } from './index-common/common-cases';
import { describeLongKeyCases } from './index-common/long-key-cases';
import { describeBackwardsCases } from './sorted-index/backwards-cases';
import { describeBoundsCases } from './sorted-index/bounds-cases';
import { describeLiveCursorCases } from './sorted-index/live-cursor-cases';
import { describeSortedModelCases } from './sorted-index/model-cases';
import { describeOrderingCases } from './sorted-index/ordering-cases';
import { describeReadOnlyCases } from './sorted-index/read-only-cases';
import { useIndexFixture } from './support/index-fixture';

export function describeSortedIndexContract(name: string, factory: ContractFactory, supports: ContractSupports = {}): void {
  describe(`${name}: SortedIndexStorage contract`, () => {
    const fx = useIndexFixture(factory, supports);
    describeCommonIndexCases(fx, 'sorted');
    describeOrderingCases(fx);
    describeBoundsCases(fx);
    describeBackwardsCases(fx);
    describeLiveCursorCases(fx);
    describeReadOnlyCases(fx);
    describeLongKeyCases(fx, 'sorted');
    describeSortedModelCases(fx);
  });
}
