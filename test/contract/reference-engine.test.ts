/** Runs every contract suite against the naive reference engine (test/support/reference-engine). */
import { ReferenceStorageEngine } from '../support/reference-engine/reference-storage-engine';
import type { ContractFactory } from './contract-factory';
import { describeHashIndexContract } from './hash-index.contract';
import { describeMvPartitionGcContract } from './mv-partition-gc.contract';
import { describeMvPartitionModelContract } from './mv-partition-model.contract';
import { describeMvPartitionStorageContract } from './mv-partition-storage.contract';
import { describeMvTableStorageContract } from './mv-table-storage.contract';
import { describeSortedIndexContract } from './sorted-index.contract';

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
