/**
 * The writer of test/integration/aipersist-sigkill.test.ts, and the workload it shares with that test.
 *
 * As a child process (run with ts-node, transpile only): `aipersist-crash-child.ts <workDir>` opens a node on
 * <workDir> with CRASH_CONFIG, creates table 1 (2 partitions, a sorted primary index on INT64 `k` per partition)
 * and loops rounds 1, 2, ... for ever. Round r, per partition, is ONE runConsistently closure (so that every
 * checkpoint sees each partition exactly after some round): the operations of roundOps (inserts, updates through
 * write intents, deletes, resurrections of deleted keys), a vacuum of what the GC queue holds from before the round
 * (pages freed and reused), and lastApplied(r, 1). Between the two partitions' closures it yields a macrotask, so
 * that interval checkpoints (every few ms) land between them too. Then `await flush(true)` of both partitions, then
 * it prints `CHECKPOINTED <r>` (stdout on a pipe is synchronous on Linux: once the line is written, round r is
 * durable, and round r + 2 cannot start before the line of r + 1 is in the pipe). Every flush writes a delta file
 * per partition, so each checkpoint is followed by a compaction: checkpoints and compactions run all the time.
 *
 * Imported by the test (the child's main part runs only when this file is the process's script), the same
 * deterministic functions let the parent recompute the state after any round.
 */
import { MAX_VALUE, RowId, openNode, type BinaryRow, type MvPartitionStorage, type SortedIndexStorage, type StorageConfigInput } from '../../src/interfaces/api/index';

const MiB = 1024 * 1024;
export const TABLE_ID = 1;
export const PARTITIONS = 2;
export const PROFILE = 'crash_profile';

/** The profile configuration of the child and of the test's reopen. */
export const CRASH_CONFIG: StorageConfigInput = {
  ignite: {
    storage: {
      engines: { aipersist: { pageSizeBytes: 1024, checkpoint: { intervalMillis: 4 } } },
      profiles: [{ engine: 'aipersist', name: PROFILE, sizeBytes: 16 * MiB }],
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

/** mulberry32: a small deterministic PRNG in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The value of `key` written by round `round` (salt tells apart the writes of one round): mostly 8..135 bytes,
 * one in 40 between 1.5 and 3 KiB (longer than a 1 KiB page: a row in fragments).
 */
export function valueOf(p: number, key: number, round: number, salt: number): ModelRow {
  const h = mix(p * 65_537 + key, round, salt);
  const length = h % 40 === 0 ? 1536 + (h % 1536) : 8 + (h % 128);
  const bytes = new Uint8Array(length);
  const next = prng(h);
  for (let i = 0; i < length; i++) bytes[i] = (next() * 256) | 0;
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
  const rnd = prng(mix(p, round, 0x5eed));
  for (let j = 0; j < UPDATES_PER_ROUND; j++) {
    const key = Math.floor(rnd() * base);
    const row = valueOf(p, key, round, j + 1);
    ops.push({ kind: model.has(key) ? 'update' : 'resurrect', key, row });
    model.set(key, row);
  }
  for (let j = 0; j < DELETES_PER_ROUND; j++) {
    const key = Math.floor(rnd() * base);
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

/** One partition's round, in one closure. */
function applyRound(clock: { now(): bigint }, part: MvPartitionStorage, pk: SortedIndexStorage, p: number, round: number, ops: readonly Op[]): void {
  const expect = (what: string, status: string) => {
    if (status !== 'SUCCESS') throw new Error(`partition ${p} round ${round}: ${what} answered ${status}`);
  };
  part.runConsistently(() => {
    // Versions superseded before this round are garbage: vacuum some (pages freed, reused by the writes below).
    const watermark = clock.now();
    for (const entry of part.peek(watermark, 64)) part.vacuum(entry);
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

async function main(workDir: string): Promise<void> {
  const node = await openNode({ workDir, config: CRASH_CONFIG });
  const table = node.engine('aipersist').createMvTable({ tableId: TABLE_ID, partitions: PARTITIONS, storageProfile: PROFILE });
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
    for (let p = 0; p < PARTITIONS; p++) {
      const { part, pk, model } = parts[p]!;
      applyRound(node.clock, part, pk, p, round, roundOps(model, p, round));
      await new Promise<void>((resolve) => setImmediate(resolve));
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
