/**
 * The MV partition contract suites (storage, GC, model) against PageMvPartitionStorage on real volatile page
 * memory, at the smallest and the largest page size (test/support/page-mv-harness.ts). The 16 KiB run also records
 * mutations and publishes committed changes. Closing each environment checks invariants and page leaks.
 */
import { describeMvPartitionGcContract } from '../../../../contract/mv-partition-gc.contract';
import { describeMvPartitionModelContract } from '../../../../contract/mv-partition-model.contract';
import { describeMvPartitionStorageContract } from '../../../../contract/mv-partition-storage.contract';
import { pageMvFactory } from '../../../../support/page-mv-harness';

for (const [pageSize, recording] of [[1024, false], [16384, true]] as const) {
  const name = `page MV partition (${pageSize}-byte pages${recording ? ', recording' : ''})`;
  const factory = pageMvFactory({ pageSize, recording });
  describeMvPartitionStorageContract(name, factory);
  describeMvPartitionGcContract(name, factory);
  describeMvPartitionModelContract(name, factory);
}
