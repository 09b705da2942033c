/**
 * The writer of test/integration/aipersist-sigkill.test.ts, and the workload it shares with that test.
 *
 * As a child process (run through test/support/ts-child-require.cjs: ts-node's transpile, cached):
 * `aipersist-crash-child.ts <workDir>` opens a node on <workDir> with CRASH_CONFIG (aipersist profile of 16 MiB,
 * 1 KiB pages, interval checkpoints every ~4 ms), warms the workload's code up on a volatile aimem table, creates
 * table 1 (2 partitions, a sorted primary index on INT64 `k` per partition) and loops rounds 1, 2, ... for ever.
 * Round r:
 *   1. per partition a closure that vacuums old versions (invisible at MAX_VALUE: the partition stays at round
 *      r − 1), then flush(true) of both — a checkpoint and its compaction;
 *   2. per partition ONE runConsistently closure with the round's operations (roundOps: 200 inserts, updates through
 *      write intents, deletes, re-inserts of deleted keys) and lastApplied(r, 1) — so every checkpoint sees each
 *      partition exactly after some round — each followed by its own flush(true): a checkpoint and a compaction;
 *   3. flush(true) of both partitions, then the line `CHECKPOINTED <r>` on stdout (synchronous on a pipe on Linux:
 *      once it is written round r is durable, and round r + 2 cannot start before the line of r + 1 is out).
 * Every checkpoint that writes adds a delta file, so each is followed by a compaction: checkpoints and compactions
 * run all the time, and right after a line the child is in step 1's checkpoint and compaction, then in closures.
 * Phase markers on stderr (`@closure 0 5`, `@checkpoint flush`, ...) tell the test where the SIGKILL hit.
 *
 * Imported by the test (the child's main part runs only when this file is the process's script), the same
 * deterministic functions let the parent recompute the state after any round.
 */
import {
  MAX_VALUE, RowId, openNode, type BinaryRow, type MvPartitionStorage, type SortedIndexStorage, type StorageConfigInput, type StorageNode,
} from '../../src/interfaces/api/index';
import { SeededRandom } from '../contract/support/seeded-random';

const MiB = 1024 * 1024;
export const TABLE_ID = 1;
export const PARTITIONS = 2;
export const PROFILE = 'crash_profile';
const WARMUP_PROFILE = 'warmup_profile';

/** The profile configuration of the child and of the test's reopen. */
export const CRASH_CONFIG: StorageConfigInput = {
  ignite: {
    storage: {
      engines: { aipersist: { pageSizeBytes: 1024, checkpoint: { intervalMillis: 4 } } },
      profiles: [
        { engine: 'aipersist', name: PROFILE, sizeBytes: 16 * MiB },
        { engine: 'aimem', name: WARMUP_PROFILE, initSizeBytes: 16 * MiB, maxSizeBytes: 64 * MiB },
      ],
    },
  },
};

export const PK = { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] } as const;

export const INSERTS_PER_ROUND = 200;
export const UPDATES_PER_ROUND = 60;
export const DELETES_PER_ROUND = 40;

/** The RowId of key `key` in partition `p` (a function of both, so the test knows where every row must be). */
export function rowIdOf(p: number, key: number): RowId {
  return new RowId(p, BigInt(key + 1) * 0x9e3779b1n, BigInt(p * 1_000_003 + key));
}

/** A row version as the model keeps it: its schemaVersion is the round that wrote it. */
export interface ModelRow {
  readonly round: number;
  readonly bytes: Uint8Array;
}

export type Op =
  | { readonly kind: 'insert' | 'resurrect' | 'update'; readonly key: number; readonly row: ModelRow }
  | { readonly kind: 'delete'; readonly key: number };

function mix(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x3c6ef372, 0x85ebca6b) ^ Math.imul(b + 0x1b873593, 0xcc9e2d51) ^ Math.imul(c + 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * The value of `key` written by round `round` (salt tells apart the writes of one round): mostly 8..135 bytes,
 * one in 40 between 1.5 and 3 KiB (longer than a 1 KiB page: a row in fragments).
 */
export function valueOf(p: number, key: number, round: number, salt: number): ModelRow {
  const h = mix(p * 65_537 + key, round, salt);
  const length = h % 40 === 0 ? 1536 + (h % 1536) : 8 + (h % 128);
  const bytes = new Uint8Array(length);
  const random = new SeededRandom(h);
  for (let i = 0; i < length; i++) bytes[i] = random.int(256);
  // A readable prefix helps when a mismatch is printed.
  const tag = new TextEncoder().encode(`${key}@${round}.${salt}`);
  bytes.set(tag.subarray(0, Math.min(tag.length, length)));
  return { round, bytes };
}

/**
 * Round `round`'s operations on partition `p`, applied to `model` (key → live row) as they are generated: the
 * round's 200 new keys, then updates of random earlier keys (a deleted one is written again: a resurrection), then
 * deletes of random earlier keys (skipped when already deleted).
 */
export function roundOps(model: Map<number, ModelRow>, p: number, round: number): Op[] {
  const ops: Op[] = [];
  const base = (round - 1) * INSERTS_PER_ROUND;
  for (let i = 0; i < INSERTS_PER_ROUND; i++) {
    const key = base + i;
    const row = valueOf(p, key, round, 0);
    model.set(key, row);
    ops.push({ kind: 'insert', key, row });
  }
  if (base === 0) return ops;
  const random = new SeededRandom(mix(p, round, 0x5eed));
  for (let j = 0; j < UPDATES_PER_ROUND; j++) {
    const key = random.int(base);
    const row = valueOf(p, key, round, j + 1);
    ops.push({ kind: model.has(key) ? 'update' : 'resurrect', key, row });
    model.set(key, row);
  }
  for (let j = 0; j < DELETES_PER_ROUND; j++) {
    const key = random.int(base);
    if (!model.has(key)) continue;
    model.delete(key);
    ops.push({ kind: 'delete', key });
  }
  return ops;
}

/** The live rows of partition `p` after each round 0..rounds (index c: after round c; round 0 is empty). */
export function modelStates(p: number, rounds: number): Array<ReadonlyMap<number, ModelRow>> {
  const model = new Map<number, ModelRow>();
  const out: Array<ReadonlyMap<number, ModelRow>> = [new Map()];
  for (let r = 1; r <= rounds; r++) {
    roundOps(model, p, r);
    out.push(new Map(model));
  }
  return out;
}

const binary = (row: ModelRow): BinaryRow => ({ schemaVersion: row.round, bytes: row.bytes });

function txIdOf(p: number, round: number, k: number): string {
  const hex = [mix(p, round, k), mix(k, p, round), mix(round, k, p), mix(k + 1, round, p)].map((n) => n.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Vacuums up to 64 GC entries older than now: versions superseded by earlier rounds (pages freed, reused by the
 * next writes). Invisible to reads at MAX_VALUE, so the partition stays at the same round: a closure of its own.
 */
export function vacuumOld(clock: { now(): bigint }, part: MvPartitionStorage): void {
  part.runConsistently(() => {
    for (const entry of part.peek(clock.now(), 64)) part.vacuum(entry);
  });
}

/** One partition's round, in one closure: its operations, then lastApplied(round, 1). */
export function applyRound(clock: { now(): bigint }, part: MvPartitionStorage, pk: SortedIndexStorage, p: number, round: number, ops: readonly Op[]): void {
  const expect = (what: string, status: string) => {
    if (status !== 'SUCCESS') throw new Error(`partition ${p} round ${round}: ${what} answered ${status}`);
  };
  part.runConsistently(() => {
    let k = 0;
    for (const op of ops) {
      const rowId = rowIdOf(p, op.key);
      const key = [BigInt(op.key)];
      switch (op.kind) {
        case 'insert':
        case 'resurrect':
          expect(op.kind, part.addWriteCommitted(rowId, binary(op.row), clock.now()).status);
          pk.put({ key, rowId });
          break;
        case 'update': {
          // Through a write intent, committed at once.
          const txId = txIdOf(p, round, k++);
          expect('addWrite', part.addWrite(rowId, binary(op.row), txId, 0, p).status);
          expect('commitWrite', part.commitWrite(rowId, clock.now(), txId).status);
          break;
        }
        case 'delete':
          expect('delete', part.addWriteCommitted(rowId, null, clock.now()).status);
          pk.remove({ key, rowId });
          break;
      }
    }
    part.lastApplied(round, 1);
  });
}

/** The warm-up's aimem table (never on disk). */
const WARMUP_TABLE_ID = 99;
const WARMUP_ROUNDS = 6;

/**
 * Runs the workload's first rounds on a volatile aimem table, then destroys it: the code of a round is compiled
 * (JIT) before the measured rounds, whose closures would otherwise take most of the first rounds' time — and the
 * kill, 0–30 ms after an early round's line, would nearly always land in a closure, seldom in a checkpoint.
 */
async function warmUp(node: StorageNode): Promise<void> {
  const engine = node.engine('aimem');
  const table = engine.createMvTable({ tableId: WARMUP_TABLE_ID, partitions: PARTITIONS, storageProfile: WARMUP_PROFILE });
  const parts = [];
  for (let p = 0; p < PARTITIONS; p++) parts.push({ part: await table.createMvPartition(p), pk: table.createSortedIndex(p, PK), model: new Map<number, ModelRow>() });
  for (let round = 1; round <= WARMUP_ROUNDS; round++) {
    parts.forEach(({ part, pk, model }, p) => {
      vacuumOld(node.clock, part);
      applyRound(node.clock, part, pk, p, round, roundOps(model, p, round));
    });
  }
  await engine.destroyMvTable(WARMUP_TABLE_ID);
}

/**
 * Phase markers on stderr (`@<phase>`; writes to a pipe are synchronous on Linux, so the last one before the
 * SIGKILL says where the child died): `vacuum`, `closure <p> <round>`, `idle` (between closures, awaiting a flush),
 * `checkpoint <reason>`, `compaction` (after a checkpoint finished: its compaction, if a partition has 2 delta files).
 */
function phase(what: string): void {
  process.stderr.write(`@${what}\n`);
}

async function main(workDir: string): Promise<void> {
  const node = await openNode({ workDir, config: CRASH_CONFIG });
  await warmUp(node);
  node.events$.subscribe((e) => {
    if (e.type === 'checkpoint.started') phase(`checkpoint ${e.reason}`);
    else if (e.type === 'checkpoint.finished') phase('compaction');
    else if (e.type === 'compaction.finished') phase('idle');
  });
  const engine = node.engine('aipersist');
  const table = engine.createMvTable({ tableId: TABLE_ID, partitions: PARTITIONS, storageProfile: PROFILE });
  const parts: Array<{ part: MvPartitionStorage; pk: SortedIndexStorage; model: Map<number, ModelRow> }> = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const part = await table.createMvPartition(p);
    parts.push({ part, pk: table.createSortedIndex(p, PK), model: new Map() });
  }
  // A fresh work dir only: the test recomputes every state from round 1.
  if (parts.some(({ part }, p) => part.lastAppliedIndex() !== 0 || part.read(rowIdOf(p, 0), MAX_VALUE).binaryRow !== null)) {
    throw new Error(`${workDir} is not empty`);
  }
  for (let round = 1; ; round++) {
    // First a vacuum of each partition and its checkpoint: right after the previous round's line the child is in
    // checkpoints and compactions, then in the round's closures (which the kill's 0–30 ms would hit nearly always
    // if they came first).
    for (const { part } of parts) {
      phase('vacuum');
      vacuumOld(node.clock, part);
      phase('idle');
    }
    await Promise.all(parts.map(({ part }) => part.flush(true)));
    for (let p = 0; p < PARTITIONS; p++) {
      const { part, pk, model } = parts[p]!;
      phase(`closure ${p} ${round}`);
      applyRound(node.clock, part, pk, p, round, roundOps(model, p, round));
      phase('idle');
      await part.flush(true); // a checkpoint and a compaction per closure
    }
    await Promise.all(parts.map(({ part }) => part.flush(true)));
    process.stdout.write(`CHECKPOINTED ${round}\n`);
  }
}

if (/aipersist-crash-child\.[jt]s$/.test(process.argv[1] ?? '')) {
  main(process.argv[2]!).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
