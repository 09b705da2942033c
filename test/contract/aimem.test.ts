/** Runs every contract suite against the real aimem engine, at 16 KiB (default) and 1 KiB pages. */
import { openNode } from '../../src/interfaces/api/open-node';
import type { ContractFactory } from './contract-factory';
import { describeEngineContracts } from './engine-contracts';

const MiB = 1024 * 1024;

function aimem(pageSizeBytes: number): ContractFactory {
  return {
    async create() {
      const node = await openNode({
        config: {
          ignite: {
            storage: {
              engines: { aimem: { pageSizeBytes } },
              profiles: [{ engine: 'aimem', name: 'contract', initSizeBytes: 16 * MiB, maxSizeBytes: 512 * MiB }],
            },
          },
        },
      });
      return { engine: node.engine('aimem'), storageProfile: 'contract', close: () => node.close() };
    },
  };
}

for (const [name, pageSize] of [['aimem 16 KiB pages', 16384], ['aimem 1 KiB pages', 1024]] as const) {
  const factory = aimem(pageSize);
  describeEngineContracts(name, factory);
}
