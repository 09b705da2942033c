/**
 * The StorageEngine / MvTableStorage contract (DESIGN.md §6, §6.1; after Apache Ignite 3's AbstractMvTableStorageTest
 * and AbstractStorageEngineTest): tables, partitions and indexes — creation, lookup, destroy / clear / re-create,
 * rebalance start / abort / finish, the lifecycle states RUNNABLE, REBALANCE, CLEANUP, CLOSED, DESTROYED and the
 * typed error each state gives to what it refuses (cursors opened before included), and the "next RowId to build"
 * reset rules.
 *
 * Decisions where DESIGN.md is silent (engines must follow them too):
 * - Promise-returning methods report every failure as a rejection, never by throwing synchronously.
 * - Table checks come first (closed → StorageClosedError, destroyed → StorageDestroyedError), then the partition id
 *   (outside 0..partitions-1 → InvalidArgumentError), then existence: an absent partition is StorageError
 *   'PARTITION_NOT_FOUND' (destroyPartition, clearPartition, createSortedIndex/createHashIndex) or
 *   StorageRebalanceError (start/abort/finish rebalance). A duplicate partition is StorageError 'PARTITION_EXISTS'.
 * - A cursor belongs to one generation of its storage: once a close, destroy, rebalance start or clear ends that
 *   generation, hasNext/next/peek throw StorageClosedError / StorageDestroyedError / StorageRebalanceError /
 *   StorageError 'STORAGE_CLEANUP' respectively — for good, also after a rebalance ends (the first transition
 *   decides the error). close() never throws.
 * - Closing a partition directly keeps it registered (getMvPartition returns it) until it is destroyed; a closed
 *   partition can be destroyed; closing a rebalancing partition throws StorageRebalanceError.
 * - table.close() and table.destroy() are idempotent; a closed table can be destroyed; destroyIndex resolves for an
 *   unknown id and on a destroyed table, and rejects with StorageClosedError on a closed one.
 * - runConsistently and flush are allowed during a rebalance (they carry the allowed writes).
 */
import { describe } from 'vitest';
import type { ContractFactory, ContractSupports } from './contract-factory';
import { describeEngineCases } from './mv-table/engine-cases';
import { describeIndexLifecycleCases } from './mv-table/index-lifecycle-cases';
import { describePartitionLifecycleCases } from './mv-table/partition-lifecycle-cases';
import { describeRebalanceCases } from './mv-table/rebalance-cases';
import { describeTableLifecycleCases } from './mv-table/table-lifecycle-cases';
import { useEngineFixture } from './support/engine-fixture';

export function describeMvTableStorageContract(name: string, factory: ContractFactory, supports: ContractSupports = {}): void {
  describe(`${name}: StorageEngine and MvTableStorage contract`, () => {
    const fx = useEngineFixture(factory, supports);
    describeEngineCases(fx);
    describePartitionLifecycleCases(fx);
    describeTableLifecycleCases(fx);
    describeIndexLifecycleCases(fx);
    describeRebalanceCases(fx);
  });
}
