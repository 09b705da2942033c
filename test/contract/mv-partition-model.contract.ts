/**
 * Model-based MvPartitionStorage contract: seeded random operation sequences checked against the naive
 * list-of-versions model in test/support/mv-model.ts. Size: MV_MODEL_OPS operations per seed (default 1500);
 * seeds 1..3, or only MV_MODEL_SEED when set (to replay a failure).
 */
import { describe, it } from 'vitest';
import type { ContractFactory, ContractSupports } from './contract-factory';
import { ModelRun } from './mv-partition/model-run';
import { useMvFixture } from './support/mv-fixture';
import { envInt, SeededRandom } from './support/seeded-random';

export function describeMvPartitionModelContract(name: string, factory: ContractFactory, supports: ContractSupports = {}): void {
  const operations = envInt('MV_MODEL_OPS', 1500);
  const seeds = process.env['MV_MODEL_SEED'] !== undefined ? [envInt('MV_MODEL_SEED', 1)] : [1, 2, 3];

  describe(`${name}: MvPartitionStorage against the list-of-versions model`, () => {
    const fx = useMvFixture(factory, supports);

    it.each(seeds)(`random writes, commits, aborts and vacuums match the model (seed %i, ${operations} operations)`, (seed) => {
      new ModelRun(fx, new SeededRandom(seed), fx.engineFixture.largeValueBytes).run(operations);
    });
  });
}
