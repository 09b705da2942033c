/**
 * The PageMemory contract (src/domain/page-memory/page-memory.port.ts), black-box: allocation hands out zeroed
 * pages carrying their id; a filled view addresses exactly the page; writes persist and stay on their page; pins
 * are counted per page; ids that name no live page of the group — foreign, never allocated, freed (also after the
 * memory was reused) — are refused with IllegalPageAccessError; a refusal or OutOfMemoryError changes nothing;
 * dropPages retires one owner's pages at once.
 * Run unchanged for every page memory (volatile, persistent cache, test fakes) at 1 KiB and 16 KiB pages.
 *
 * Size of the model run: PAGE_MEMORY_CONTRACT_OPS steps (default 3000); PAGE_MEMORY_CONTRACT_SEED replays one seed.
 */
import { describe, it } from 'vitest';
import type { PageMemoryContractOptions, PageMemoryFactory } from './page-memory-factory';
import { describeAccessCases } from './page-memory/access-cases';
import { describeAllocationCases } from './page-memory/allocation-cases';
import { describeDropCases } from './page-memory/drop-cases';
import { usePageMemoryFixture } from './page-memory/fixture';
import { PageMemoryModelRun } from './page-memory/model-run';
import { describeRefusalCases } from './page-memory/refusal-cases';
import { envInt, SeededRandom } from './support/seeded-random';

export const CONTRACT_PAGE_SIZES = [1024, 16384] as const;

export function describePageMemoryContract(name: string, factory: PageMemoryFactory, options: PageMemoryContractOptions = {}): void {
  const steps = envInt('PAGE_MEMORY_CONTRACT_OPS', 3000);
  describe(`${name}: PageMemory contract`, () => {
    const fx = usePageMemoryFixture(factory);
    for (const pageSize of CONTRACT_PAGE_SIZES) {
      describe(`${pageSize}-byte pages`, () => {
        describeAllocationCases(fx, pageSize, options);
        describeAccessCases(fx, pageSize);
        describeRefusalCases(fx, pageSize, options);
        describeDropCases(fx, pageSize, options);
        it(`matches a model of page images over ${steps} random steps`, () => {
          const seed = envInt('PAGE_MEMORY_CONTRACT_SEED', pageSize + 1);
          new PageMemoryModelRun(fx.open(pageSize), new SeededRandom(seed), options.maxPages, options.positionalIds).run(steps);
        });
      });
    }
  });
}
