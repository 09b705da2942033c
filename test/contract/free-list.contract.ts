/**
 * The free-list contract: the DataPageFreeList port (src/domain/freelist/free-list.port.ts) as BucketedFreeList
 * implements it on pages, exercised through a RowStore as the engine uses it, on any PageMemory. Placement is
 * smallest fit at bucket granularity; emptied pages wait in the reuse bucket (at most maxReusePages) for rows and
 * tree pages; recycled tree pages come back; freeAllPages and destroy give pages back; and the list reopened from
 * its meta page at any point between calls has the same buckets and carries on. Every case checks that every
 * allocated page is accounted for (meta, listed, or held by the test as a tree page) and that nothing stays pinned.
 *
 * Size of the model run: FREE_LIST_CONTRACT_OPS steps (default 2000); FREE_LIST_CONTRACT_SEED replays one seed.
 */
import { describe, it } from 'vitest';
import { CONTRACT_PAGE_SIZES } from './page-memory.contract';
import type { PageMemoryContractOptions, PageMemoryFactory } from './page-memory-factory';
import { useFreeListFixture } from './free-list/fixture';
import { describeLifecycleCases } from './free-list/lifecycle-cases';
import { FreeListModelRun } from './free-list/model-run';
import { describePlacementCases } from './free-list/placement-cases';
import { describeReuseCases } from './free-list/reuse-cases';
import { envInt, SeededRandom } from './support/seeded-random';

export function describeFreeListContract(name: string, factory: PageMemoryFactory, options: PageMemoryContractOptions = {}): void {
  const steps = envInt('FREE_LIST_CONTRACT_OPS', 2000);
  describe(`${name}: free-list contract`, () => {
    const fx = useFreeListFixture(factory);
    for (const pageSize of CONTRACT_PAGE_SIZES) {
      describe(`${pageSize}-byte pages`, () => {
        describePlacementCases(fx, pageSize);
        describeReuseCases(fx, pageSize);
        describeLifecycleCases(fx, pageSize, options);
        it(`matches a model of rows and tree pages over ${steps} random steps, reopened now and then`, () => {
          const seed = envInt('FREE_LIST_CONTRACT_SEED', pageSize + 7);
          new FreeListModelRun(fx.open(pageSize, { maxReusePages: 3 }), new SeededRandom(seed)).run(steps);
        });
      });
    }
  });
}
