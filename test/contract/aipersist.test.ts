/**
 * Runs every contract suite against the real aipersist engine, each test in a fresh temporary work dir: at 16 KiB
 * and 1 KiB pages with the default-sized cache, and once with a cache of 64 pages — far smaller than what the suites
 * write, so that pages are evicted and read back from the partition files all the time (checkpoints triggered by
 * dirty pages make them clean, hence evictable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AipersistEngine } from '../../src/application/engine/aipersist/aipersist-engine';
import type { ConfigService } from '../../src/application/config/config-service';
import type { FileIo } from '../../src/domain/ports/file-io.port';
import { FilePageStore } from '../../src/infrastructure/store/file-page-store';
import { openNode } from '../../src/interfaces/api/open-node';
import { TOKENS } from '../../src/interfaces/composition/tokens';
import type { ContractFactory } from './contract-factory';
import { describeMvPartitionGcContract } from './mv-partition-gc.contract';
import { describeMvPartitionModelContract } from './mv-partition-model.contract';
import { describeMvPartitionStorageContract } from './mv-partition-storage.contract';
import { describeMvTableStorageContract } from './mv-table-storage.contract';
import { describeSortedIndexContract } from './sorted-index.contract';
import { describeHashIndexContract } from './hash-index.contract';

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
        cachePages === undefined ? {} : {
          configure: (c) => {
            c.rebind(TOKENS.AipersistEngine).toResolvedValue(
              (config: ConfigService, io: FileIo) => new AipersistEngine({
                config, workDir, readOnly: false, cacheSizeBytes: cachePages * pageSizeBytes,
                storeFactory: (dbDir, pageSize) => new FilePageStore(io, dbDir, pageSize),
              }),
              [TOKENS.ConfigService, TOKENS.FileIo],
            ).inSingletonScope();
          },
        },
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
  describeMvPartitionStorageContract(name, factory);
  describeMvPartitionGcContract(name, factory);
  describeMvPartitionModelContract(name, factory);
  describeMvTableStorageContract(name, factory);
  describeSortedIndexContract(name, factory);
  describeHashIndexContract(name, factory);
}
