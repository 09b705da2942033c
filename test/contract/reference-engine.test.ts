/** Runs every contract suite against the naive reference engine (test/support/reference-engine). */
import { describe, it } from 'vitest';
import type { ReferencePartitionStorage } from '../support/reference-engine/partition-storage';
import { ReferenceStorageEngine } from '../support/reference-engine/reference-storage-engine';
import type { ContractFactory } from './contract-factory';
import { describeHashIndexContract } from './hash-index.contract';
import { describeMvPartitionGcContract } from './mv-partition-gc.contract';
import { describeMvPartitionModelContract } from './mv-partition-model.contract';
import { describeMvPartitionStorageContract } from './mv-partition-storage.contract';
import { describeMvTableStorageContract } from './mv-table-storage.contract';
import { ModelRun } from './mv-partition/model-run';
import { describeSortedIndexContract } from './sorted-index.contract';
import { useMvFixture } from './support/mv-fixture';
import { SeededRandom } from './support/seeded-random';

const reference: ContractFactory = {
  async create() {
    const engine = new ReferenceStorageEngine();
    return { engine, storageProfile: 'default', close: () => engine.close() };
  },
};

describeMvPartitionStorageContract('reference', reference);
describeMvPartitionGcContract('reference', reference);
describeMvPartitionModelContract('reference', reference);
describeMvTableStorageContract('reference', reference);
describeSortedIndexContract('reference', reference);
describeHashIndexContract('reference', reference);

describe('reference engine: version-chain invariants', () => {
  const fx = useMvFixture(reference);

  it('hold after a model run (sorted chains, one head intent, GC queue = non-oldest commits, live count)', () => {
    new ModelRun(fx, new SeededRandom(99), 2_000).run(800);
    (fx.storage as ReferencePartitionStorage).checkInvariants();
  });
});
