/** A fresh table with one MV partition (and its helpers) for each test of the MV partition suites. */
import { beforeEach } from 'vitest';
import type { MvPartitionStorage, MvTableStorage } from '../../../src/domain/storage/storage-engine.api';
import type { ContractFactory, ContractSupports } from '../contract-factory';
import { type EngineFixture, useEngineFixture } from './engine-fixture';
import { MvOps } from './mv-ops';
import { TestClock } from './test-clock';

/** Not 0, so that a partition id mixed up with 0 shows. */
export const MV_PARTITION = 5;

export interface MvFixture {
  readonly engineFixture: EngineFixture;
  readonly table: MvTableStorage;
  readonly storage: MvPartitionStorage;
  readonly ops: MvOps;
  readonly clock: TestClock;
}

export function useMvFixture(factory: ContractFactory, supports: ContractSupports = {}): MvFixture {
  const engineFixture = useEngineFixture(factory, supports);
  let state: { table: MvTableStorage; storage: MvPartitionStorage; ops: MvOps; clock: TestClock } | null = null;

  beforeEach(async () => {
    const table = engineFixture.table();
    const storage = await table.createMvPartition(MV_PARTITION);
    const clock = new TestClock();
    state = { table, storage, clock, ops: new MvOps(storage, MV_PARTITION, clock) };
  });

  const get = () => {
    if (state === null) throw new Error('The MV fixture is only available inside a test');
    return state;
  };
  return {
    engineFixture,
    get table() { return get().table; },
    get storage() { return get().storage; },
    get ops() { return get().ops; },
    get clock() { return get().clock; },
  };
}
