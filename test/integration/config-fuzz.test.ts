/**
 * Fuzz test of the configuration surface (issue 9): random update strings, random `config remove` calls and random
 * openNode documents. The rule: a call either works, or throws an AistorageError with a code — and then neither
 * the shown configuration nor the file changed. And whatever was accepted, the next open of the work dir works and
 * shows exactly the same configuration. FUZZ_SEED and FUZZ_RUNS pick the seed and the number of runs.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AistorageError, openNode, type StorageNode } from '../../src/interfaces/api/index';
import { tempDir } from '../support/temp-dir';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);

const profileName = fc.oneof(
  fc.constantFrom('a', 'b', 'cache_profile', 'default', '', 'constructor', '__proto__', 'toString', '"q p"', '"é"', '"\\n"'),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/),
);
const profileKey = fc.constantFrom(
  'engine', 'name', 'initSizeBytes', 'maxSizeBytes', 'sizeBytes', 'replacementMode', 'constructor', 'hasOwnProperty', 'x',
);
const engineKey = fc.constantFrom(
  'aimem.pageSizeBytes', 'aipersist.pageSizeBytes', 'aipersist.checkpoint.intervalMillis',
  'aipersist.checkpoint.intervalDeviationPercent', 'aipersist.checkpoint.checkpointThreads', 'aipersist.deltaLog.syncMode',
  'aipersist.deltaLog.segmentSizeBytes', 'aipersist.deltaLog.backgroundSyncIntervalMillis', 'aimem.__proto__', 'toString.x', 'aimem',
);
const value = fc.oneof(
  fc.constantFrom('aimem', 'aipersist', 'CLOCK', 'RANDOM_LRU', 'fsync', 'none', '8192', '1024', '3000', '10MB', '64MB', '1GB',
    '2TB', '3TB', '1000000TB', '-5', '0', '1.5', 'true', '""', '"x y"', '{}', 'NaN', '1e3', '9007199254740993'),
  fc.integer({ min: -10, max: 2 ** 34 }).map(String),
);
const profileBlock = fc
  .tuple(profileName, fc.array(fc.tuple(profileKey, value), { maxLength: 4 }))
  .map(([name, kv]) => `${name}{${kv.map(([k, v]) => `${k}:${v}`).join(',')}}`);
const entry = fc.oneof(
  engineKey.chain((k) => value.map((v) => `ignite.storage.engines.${k}=${v}`)),
  fc.array(profileBlock, { minLength: 1, maxLength: 3 }).map((blocks) => `ignite.storage.profiles:{${blocks.join(',')}}`),
  fc.tuple(profileName, profileKey, value).map(([n, k, v]) => `ignite.storage.profiles.${n}.${k}=${v}`),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('{', '}', '[a]', 'ignite.storage', 'ignite.storage.profiles=1', 'a..b=1', '{'.repeat(40)),
);
const update = fc.array(entry, { minLength: 1, maxLength: 3 }).map((entries) => entries.join(' '));
const command = fc.oneof(
  { weight: 4, arbitrary: update.map((text) => ({ kind: 'update' as const, text })) },
  { weight: 1, arbitrary: profileName.map((name) => ({ kind: 'remove' as const, text: name.replace(/^"|"$/g, '') })) },
);

function codeOf(e: unknown): string {
  if (!(e instanceof AistorageError)) throw new Error(`untyped error: ${(e as Error)?.stack ?? String(e)}`);
  expect(typeof e.code).toBe('string');
  expect(e.code.length).toBeGreaterThan(0);
  return e.code;
}

describe('configuration fuzz', () => {
  it('random updates and removes: typed errors only, nothing changed on error, and every accepted state reopens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (commands) => {
        const dir = tempDir();
        let node: StorageNode | null = await openNode({ workDir: dir.path });
        try {
          const file = () => readFileSync(join(dir.path, 'aistorage.json'), 'utf8');
          for (const c of commands) {
            const before = file();
            const shown = JSON.stringify(node.config.show());
            try {
              if (c.kind === 'update') node.config.update(c.text);
              else node.config.remove(c.text);
            } catch (e) {
              codeOf(e);
              expect(file()).toBe(before);
              expect(JSON.stringify(node.config.show())).toBe(shown);
            }
          }
          const last = JSON.stringify(node.config.show());
          await node.close();
          node = null;
          node = await openNode({ workDir: dir.path });
          expect(JSON.stringify(node.config.show())).toBe(last);
        } finally {
          await node?.close();
          dir.cleanup();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  const jsonValue = fc.oneof(
    fc.constantFrom(null, true, 0, -1, 1.5, 1024, 8192, 16384, 10 * 2 ** 20, 2 ** 30, 2 ** 45, 'aimem', 'aipersist', 'CLOCK', '', 'x'),
    fc.constant([] as unknown[]),
    fc.constant({}),
  );
  const profileDoc = fc.dictionary(
    fc.constantFrom('engine', 'name', 'maxSizeBytes', 'initSizeBytes', 'sizeBytes', 'replacementMode', '__proto__', 'constructor'),
    fc.oneof(jsonValue, fc.constantFrom('p', 'q', 'default')),
  );
  const document = fc.oneof(
    fc.record({
      ignite: fc.oneof(
        fc.record({
          storage: fc.record(
            {
              engines: fc.oneof(jsonValue, fc.dictionary(fc.constantFrom('aimem', 'aipersist', 'x'), fc.dictionary(fc.constantFrom('pageSizeBytes', 'checkpoint', 'toString'), jsonValue))),
              profiles: fc.oneof(jsonValue, fc.array(profileDoc, { maxLength: 3 })),
            },
            { requiredKeys: [] },
          ),
        }),
        jsonValue,
      ),
    }),
    fc.dictionary(fc.string({ maxLength: 5 }), jsonValue),
  );

  it('random openNode config documents: a node or a typed error, and an error leaves the stored file as it was', async () => {
    const dir = tempDir();
    try {
      const seedNode = await openNode({ workDir: dir.path, config: { ignite: { storage: { profiles: [{ engine: 'aimem', name: 'keep' }] } } } });
      await seedNode.close();
      const stored = () => readFileSync(join(dir.path, 'aistorage.json'), 'utf8');
      await fc.assert(
        fc.asyncProperty(document, async (doc) => {
          const before = stored();
          let node: StorageNode | null = null;
          try {
            node = await openNode({ workDir: dir.path, config: JSON.parse(JSON.stringify(doc)) });
          } catch (e) {
            codeOf(e);
            expect(stored()).toBe(before);
            return;
          }
          const shown = JSON.stringify(node.config.show());
          await node.close();
          const again = await openNode({ workDir: dir.path });
          expect(JSON.stringify(again.config.show())).toBe(shown);
          await again.close();
        }),
        { numRuns: RUNS * 2, seed: SEED },
      );
    } finally {
      dir.cleanup();
    }
  }, 120_000);
});
