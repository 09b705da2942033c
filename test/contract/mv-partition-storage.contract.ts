/**
 * The MvPartitionStorage contract (DESIGN.md §6, §6.1; after Apache Ignite 3's AbstractMvPartitionStorageTest):
 * version chains with at most one write intent at the head, reads at a timestamp, the four result types, scans,
 * estimated size and partition meta. Lifecycle refusals are in mv-table-storage.contract.ts, GC in
 * mv-partition-gc.contract.ts.
 */
import { describe } from 'vitest';
import type { ContractFactory, ContractSupports } from './contract-factory';
import { describeCommitAbortCases } from './mv-partition/commit-abort-cases';
import { describeCommitOrderCases } from './mv-partition/commit-order-cases';
import { describeClosureCases } from './mv-partition/closure-cases';
import { describeMetaCases } from './mv-partition/meta-cases';
import { describeReadCases } from './mv-partition/read-cases';
import { describeScanCases } from './mv-partition/scan-cases';
import { describeWriteCases } from './mv-partition/write-cases';
import { useMvFixture } from './support/mv-fixture';

export function describeMvPartitionStorageContract(name: string, factory: ContractFactory, supports: ContractSupports = {}): void {
  describe(`${name}: MvPartitionStorage contract`, () => {
    const fx = useMvFixture(factory, supports);
    describeWriteCases(fx);
    describeCommitAbortCases(fx);
    describeCommitOrderCases(fx);
    describeReadCases(fx);
    describeScanCases(fx);
    describeMetaCases(fx);
    describeClosureCases(fx);
  });
}
