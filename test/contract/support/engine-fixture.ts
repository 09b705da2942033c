/**
 * Per-test engine lifetime for the suites: a fresh environment from the factory before each test; after it, the
 * tables the test created are closed (errors ignored: a test may leave a partition mid-rebalance) and the
 * environment is closed.
 */
import { afterEach, beforeEach } from 'vitest';
import type {
  MvPartitionStorage, MvTableStorage, StorageEngine,
} from '../../../src/domain/storage/storage-engine.api';
import type { ContractEnvironment, ContractFactory, ContractSupports } from '../contract-factory';

/** Partitions of the tables the suites create. */
export const TABLE_PARTITIONS = 16;

export interface EngineFixture {
  readonly engine: StorageEngine;
  readonly profile: string;
  readonly largeValueBytes: number;
  /** Creates a table (closed after the test). */
  table(opts?: { tableId?: number; partitions?: number }): MvTableStorage;
  /** Creates partition `partitionId` of `table` (by default of a new table) and returns it. */
  partition(partitionId: number, table?: MvTableStorage): Promise<MvPartitionStorage>;
}

export function useEngineFixture(factory: ContractFactory, supports: ContractSupports = {}): EngineFixture {
  let env: ContractEnvironment | null = null;
  let tables: MvTableStorage[] = [];
  let nextTableId = 100;

  beforeEach(async () => {
    env = await factory.create();
    tables = [];
  });

  afterEach(async () => {
    for (const t of tables) {
      try {
        await t.close();
      } catch {
        // A table left mid-rebalance may refuse; the environment's close() releases it.
      }
    }
    const e = env;
    env = null;
    await e?.close();
  });

  const current = (): ContractEnvironment => {
    if (env === null) throw new Error('The engine fixture is only available inside a test');
    return env;
  };

  const fixture: EngineFixture = {
    get engine() {
      return current().engine;
    },
    get profile() {
      return current().storageProfile ?? 'default';
    },
    largeValueBytes: supports.largeValueBytes ?? 40_000,
    table(opts = {}) {
      const t = current().engine.createMvTable({
        tableId: opts.tableId ?? nextTableId++,
        partitions: opts.partitions ?? TABLE_PARTITIONS,
        storageProfile: fixture.profile,
      });
      tables.push(t);
      return t;
    },
    async partition(partitionId, table) {
      return (table ?? fixture.table()).createMvPartition(partitionId);
    },
  };
  return fixture;
}
