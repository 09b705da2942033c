/** Every SPI contract suite, for one engine configuration (the engine test files run it per configuration). */
import type { ContractFactory } from './contract-factory';
import { describeHashIndexContract } from './hash-index.contract';
import { describeMvPartitionGcContract } from './mv-partition-gc.contract';
import { describeMvPartitionModelContract } from './mv-partition-model.contract';
import { describeMvPartitionStorageContract } from './mv-partition-storage.contract';
import { describeMvTableStorageContract } from './mv-table-storage.contract';
import { describeSortedIndexContract } from './sorted-index.contract';

export function describeEngineContracts(name: string, factory: ContractFactory): void {
  describeMvPartitionStorageContract(name, factory);
  describeMvPartitionGcContract(name, factory);
  describeMvPartitionModelContract(name, factory);
  describeMvTableStorageContract(name, factory);
  describeSortedIndexContract(name, factory);
  describeHashIndexContract(name, factory);
}
