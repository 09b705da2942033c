/**
 * Runs every contract suite against the real aipersist engine, each test in a fresh temporary work dir: at 16 KiB
 * and 1 KiB pages with the default-sized cache, and once with a cache of 64 pages — far smaller than what the suites
 * write, so that pages are evicted and read back from the partition files all the time (checkpoints triggered by
 * dirty pages make them clean, hence evictable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openNode } from '../../src/interfaces/api/open-node';
import { tuneAipersist } from '../support/aipersist-tuning';
import type { ContractFactory } from './contract-factory';
import { describeEngineContracts } from './engine-contracts';

const MiB = 1024 * 1024;

function aipersist(pageSizeBytes: number, cachePages?: number): ContractFactory {
  return {
    async create() {
      const workDir = mkdtempSync(join(tmpdir(), 'aistorage-contract-'));
      const node = await openNode(
        {
          workDir,
          config: {
            ignite: {
              storage: {
                engines: { aipersist: { pageSizeBytes } },
                profiles: [{ engine: 'aipersist', name: 'contract', sizeBytes: 16 * MiB }],
              },
            },
          },
        },
        { configure: tuneAipersist(workDir, cachePages === undefined ? {} : { cacheSizeBytes: cachePages * pageSizeBytes }) },
      );
      return {
        engine: node.engine('aipersist'),
        storageProfile: 'contract',
        close: async () => {
          await node.close();
          rmSync(workDir, { recursive: true, force: true });
        },
      };
    },
  };
}

for (const [name, pageSize, cachePages] of [
  ['aipersist 16 KiB pages', 16384, undefined],
  ['aipersist 1 KiB pages', 1024, undefined],
  ['aipersist 1 KiB pages, 64-page cache', 1024, 64],
] as const) {
  const factory = aipersist(pageSize, cachePages);
  describeEngineContracts(name, factory);
}
