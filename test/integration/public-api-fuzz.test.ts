/**
 * Fuzz test of the public API (issue 9, "must show"): random sequences of calls on a node's aimem engine — tables,
 * partitions, runConsistently with every write, reads, scans and cursors, indexes, meta, lease, GC, rebalance, clear,
 * close, destroy, and the value helpers — with arguments drawn from valid values and garbage
 * (test/support/api-fuzz). The rule for every call: either it works, or it throws (or rejects with) an
 * AistorageError with a non-empty string `code` — and then the observable state of the table (rows with every
 * version, meta, GC queue, index entries and build state) is exactly what it was before the call.
 *
 * Reproduce or widen: FUZZ_SEED (default 9090) and FUZZ_RUNS (default 200, a few seconds) from the environment, e.g.
 * `FUZZ_SEED=123 FUZZ_RUNS=2000 npx vitest run test/integration/public-api-fuzz.test.ts`. fast-check prints the
 * seed and the shrunk path of a failure.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AistorageError, openNode, type StorageEngine, type StorageNode } from '../../src/interfaces/api/index';
import { CALLS, type FuzzWorld } from '../support/api-fuzz/fuzz-calls';
import { snapshot } from '../support/api-fuzz/fuzz-snapshot';
import { ReferenceStorageEngine } from '../support/reference-engine/reference-storage-engine';
import { PARTITIONS, Picks, SORTED_INDEX, HASH_INDEX } from '../support/api-fuzz/fuzz-values';

const SEED = Number(process.env['FUZZ_SEED'] ?? 9090);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);
const MAX_STEPS = 60;

interface Step {
  readonly call: number;
  readonly picks: readonly number[];
}

const steps = fc.array(
  fc.record({ call: fc.nat(CALLS.length - 1), picks: fc.array(fc.nat(10_000), { minLength: 16, maxLength: 16 }) }),
  { minLength: 1, maxLength: MAX_STEPS, size: 'max' },
);

describe('public API fuzz: every call works or throws a typed error and changes nothing', () => {
  let node: StorageNode;
  let nextTableId = 1;
  beforeAll(async () => {
    node = await openNode({ config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'p', initSizeBytes: 16 << 20, maxSizeBytes: 64 << 20 }] } } } });
  });
  afterAll(() => node?.close());

  /** A fresh table with partition 0 and its two indexes (built), so that sequences start with something to change. */
  async function world(engine: StorageEngine): Promise<FuzzWorld> {
    const tableId = nextTableId++;
    const table = engine.createMvTable({ tableId, partitions: PARTITIONS, storageProfile: 'p' });
    const partition = await table.createMvPartition(0);
    const indexes = [table.createSortedIndex(0, SORTED_INDEX), table.createHashIndex(0, HASH_INDEX)];
    partition.runConsistently(() => indexes.forEach((i) => i.setNextRowIdToBuild(null)));
    return {
      node, engine, table, tableId, otherTables: [], partitions: [partition], indexes, gc: [],
      freshTableId: () => 1_000_000 + nextTableId++,
    };
  }

  /** Handles the table gives now join those seen before (the old ones stay: stale handles are fuzzed too). */
  function track(w: FuzzWorld): void {
    const add = <T>(list: T[], get: () => T | null): void => {
      let handle: T | null = null;
      try {
        handle = get();
      } catch {
        return; // Refused (closed, destroyed): nothing new to track.
      }
      if (handle !== null && !list.includes(handle)) list.push(handle);
    };
    for (let pid = 0; pid < PARTITIONS; pid++) {
      add(w.partitions, () => w.table.getMvPartition(pid));
      for (const id of [1, 2]) add(w.indexes, () => w.table.getIndex(pid, id));
    }
  }

  /** Outcomes per call name ('ok' or the error code), so the test can show it does more than collect refusals. */
  const outcomes = new Map<string, Map<string, number>>();
  const count = (name: string, outcome: string): void => {
    const byOutcome = outcomes.get(name) ?? new Map<string, number>();
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
    outcomes.set(name, byOutcome);
  };

  async function runStep(w: FuzzWorld, step: Step, log: string[]): Promise<void> {
    const [name, call] = CALLS[step.call]!;
    log.push(name);
    const before = snapshot(w.table);
    let thrown: unknown = undefined;
    let threw = false;
    try {
      await call(w, new Picks(step.picks));
    } catch (e) {
      threw = true;
      thrown = e;
    }
    if (threw) {
      const context = `${name} (steps: ${log.join(', ')})`;
      expect(thrown, `${context} threw an untyped error: ${thrown instanceof Error ? thrown.stack : String(thrown)}`).toBeInstanceOf(AistorageError);
      const code = (thrown as AistorageError).code;
      expect(typeof code === 'string' && code.length > 0, `${context}: code ${String(code)}`).toBe(true);
      expect(snapshot(w.table), `${context} threw ${code} but changed the state`).toBe(before);
    }
    count(name, threw ? (thrown as AistorageError).code : 'ok');
    if (!threw) track(w);
  }

  // The reference engine (test/support) follows the same rules; fuzzing it too keeps the two in step.
  it.each(['aimem', 'reference'])(`holds for ${RUNS} random call sequences on %s (seed ${SEED})`, async (engineName) => {
    const reference = engineName === 'reference' ? new ReferenceStorageEngine() : null;
    const engine = reference ?? node.engine('aimem');
    outcomes.clear();
    onTestFinished(() => reference?.close());
    await fc.assert(
      fc.asyncProperty(steps, async (sequence) => {
        const w = await world(engine);
        const log: string[] = [];
        try {
          for (const step of sequence) await runStep(w, step, log);
        } finally {
          await w.table.destroy();
          for (const t of w.otherTables) await t.destroy();
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    if (process.env['FUZZ_STATS']) console.log([...outcomes].map(([n, o]) => `${n}: ${[...o].map(([k, v]) => `${k}=${v}`).join(' ')}`).join('\n'));
    // The sequences reach the states that matter: rows written and committed, index entries put.
    for (const name of ['addWrite', 'commitWrite', 'addWriteCommitted', 'put', 'read', 'scan']) {
      expect(outcomes.get(name)?.get('ok') ?? 0, `successful ${name} calls`).toBeGreaterThan(0);
    }
  });
});
