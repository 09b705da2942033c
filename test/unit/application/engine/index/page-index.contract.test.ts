/**
 * Runs the sorted and hash index contract suites against the page-based index storages on real volatile page
 * memory (test/support/page-index-harness.ts), at 1 KiB and 16 KiB pages. Closing each test's engine also checks
 * that every page went back and none stayed pinned.
 */
import type { ContractFactory } from '../../../../contract/contract-factory';
import { describeHashIndexContract } from '../../../../contract/hash-index.contract';
import { describeSortedIndexContract } from '../../../../contract/sorted-index.contract';
import { PageIndexHarnessEngine } from '../../../../support/page-index-harness';

function harness(pageSize: number): ContractFactory {
  return {
    async create() {
      const engine = new PageIndexHarnessEngine(pageSize);
      return { engine, close: () => engine.close() };
    },
  };
}

for (const pageSize of [1024, 16384]) {
  const name = `page index storages, ${pageSize / 1024} KiB pages`;
  describeSortedIndexContract(name, harness(pageSize));
  describeHashIndexContract(name, harness(pageSize));
}
