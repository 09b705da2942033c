/**
 * The writer of test/integration/aipersist-log-sigkill.test.ts, and the deterministic workload it shares with that
 * test (which imports this file; the child's main part runs only when this file is the process's script).
 *
 * As a child process (run through test/support/ts-child-require.cjs):
 * `aipersist-log-crash-child.ts <workDir> <mode> <seed> <next>` opens a node on <workDir> with logConfig(mode)
 * (interval checkpoints every ~30 ms, so checkpoints and their compactions run during the writes; 1 MiB delta-log
 * segments, the minimum, so the log rolls over and released segments are recycled), opens tables 11 and 12 of 2
 * partitions each, each partition with a sorted primary index on INT64 `k`, and writes batches for ever with
 * runDurably. Each partition has chainsOf(mode) chains (streams, below) on disjoint key ranges; batch b of a chain
 * is ONE runDurably closure, its operations (batchOps) derived from (seed, stream, b) and the chain's state after
 * batch b − 1. `<next>` is a JSON array: per stream (in streamsOf(mode) order) the batch to write first — the test
 * computes it from what it found after the previous kill; the child first recomputes each chain's state after the
 * batches before it (in memory, writing nothing), then goes on from there.
 *
 * Modes:
 *   serial      — syncMode fsync, 1 chain per partition, ONE writer awaiting each runDurably in turn, round-robin
 *                 over the 4 partitions;
 *   concurrent  — syncMode fsync, 16 chains per partition, 64 writers at once (one per chain, each awaiting its own
 *                 runDurably before its next batch): 64 runDurably in flight, sharing group commits;
 *   none        — syncMode none (nothing logged; durable at checkpoints only), otherwise as serial.
 *
 * Lines on stdout (a write to a pipe is synchronous on Linux: a line is out before the next statement runs):
 *   `B <t> <p> <c> <b>` just before batch b of chain c of table t, partition p is handed to runDurably;
 *   `A <t> <p> <c> <b>` once that runDurably resolved (the acknowledgement);
 *   `CS` / `CP` when a checkpoint started / finished, `CO` when a compaction merged delta files.
 */
import {
  openNode, RowId, type MvPartitionStorage, type SortedIndexStorage, type StorageConfigInput, type StorageNode,
} from '../../src/interfaces/api/index';

const MiB = 1024 * 1024;
export const TABLES = [11, 12] as const;
export const PARTITIONS = 2;
export const PROFILE = 'log_crash_profile';
const WARMUP_PROFILE = 'log_warmup_profile';
export const PK = { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] } as const;

export type Mode = 'serial' | 'concurrent' | 'none';
export const MODES: readonly Mode[] = ['serial', 'concurrent', 'none'];

/** The configuration of the child and of the test's reopen (same engine settings for both). */
export function logConfig(mode: Mode): StorageConfigInput {
  return {
    ignite: {
      storage: {
        engines: {
          aipersist: {
            pageSizeBytes: 1024,
            checkpoint: { intervalMillis: 30 },
            deltaLog: { syncMode: mode === 'none' ? 'none' : 'fsync', segmentSizeBytes: 1 * MiB },
          },
        },
        profiles: [
          { engine: 'aipersist', name: PROFILE, sizeBytes: 96 * MiB },
          { engine: 'aimem', name: WARMUP_PROFILE, initSizeBytes: 16 * MiB, maxSizeBytes: 64 * MiB },
        ],
      },
    },
  };
}

/** One chain of batches: applied in order, on its own key range of its partition. */
export interface Stream {
  readonly table: number;
  readonly partition: number;
  readonly chain: number;
}

export const chainsOf = (mode: Mode): number => (mode === 'concurrent' ? 16 : 1);

/** Every stream of the mode, round-robin over the partitions first (table 11 p0, 11 p1, 12 p0, 12 p1, then chain 1...). */
export function streamsOf(mode: Mode): Stream[] {
  const out: Stream[] = [];
  for (let chain = 0; chain < chainsOf(mode); chain++) {
    for (const table of TABLES) for (let partition = 0; partition < PARTITIONS; partition++) out.push({ table, partition, chain });
  }
  return out;
}

export const streamName = (s: Stream): string => `${s.table}/${s.partition}/${s.chain}`;

/** Keys of chain c are c × CHAIN_KEYS + 0, 1, 2, ... */
export const CHAIN_KEYS = 10_000_000;

/** Per batch: new keys, updates of earlier keys (a deleted one is written again), deletes of earlier live keys. */
export function batchShape(mode: Mode): { inserts: number; updates: number; deletes: number } {
  return mode === 'concurrent' ? { inserts: 4, updates: 3, deletes: 2 } : { inserts: 10, updates: 6, deletes: 4 };
}

export function mix(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x3c6ef372, 0x85ebca6b) ^ Math.imul(b + 0x1b873593, 0xcc9e2d51) ^ Math.imul(c + 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The RowId of `key` in table t, partition p (a function of all three: the test knows where every row must be). */
export function rowIdOf(table: number, partition: number, key: number): RowId {
  return new RowId(partition, BigInt(key + 1) * 0x9e3779b1n + BigInt(table), BigInt(table * 1_000_000_007 + key));
}

/** A version's tag: the batch that wrote it and the operation's index in that batch. */
export const tagOf = (batch: number, op: number): number => batch * 1024 + op;
export const batchOfTag = (tag: number): number => Math.floor(tag / 1024);

/**
 * The bytes of the version `tag` of `key` (stream s, seed): key u32 | tag u32 | hash u32 | pseudo-random bytes.
 * Mostly 64..1100 bytes; one in 8 between 1.2 and 5.2 KiB (longer than a 1 KiB page: a row in fragments). Rows this
 * large make the log roll over within the few hundred milliseconds a child writes.
 */
export function rowBytes(seed: number, s: Stream, key: number, tag: number): Uint8Array {
  const h = mix(seed ^ (s.table * 131 + s.partition), key, tag);
  const length = h % 8 === 0 ? 1200 + (h % 4096) : 64 + (h % 1037);
  const bytes = new Uint8Array(length);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, key, true);
  dv.setUint32(4, tag, true);
  dv.setUint32(8, h, true);
  let x = h | 1;
  for (let i = 12; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** Key and tag of a row's bytes (null: too short to be one of ours). */
export function decodeRow(bytes: Uint8Array): { key: number; tag: number } | null {
  if (bytes.length < 12) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { key: dv.getUint32(0, true), tag: dv.getUint32(4, true) };
}

export type Op =
  | { readonly kind: 'insert' | 'update' | 'resurrect'; readonly key: number; readonly tag: number }
  | { readonly kind: 'delete'; readonly key: number };

/**
 * Batch b's operations on stream s, applied to `model` (key → tag of its live version) as they are generated:
 * `inserts` new keys, then `updates` of random keys written before (a deleted one comes back: a resurrection),
 * then `deletes` of random keys written before (skipped when already deleted).
 */
export function batchOps(mode: Mode, seed: number, s: Stream, b: number, model: Map<number, number>): Op[] {
  const { inserts, updates, deletes } = batchShape(mode);
  const ops: Op[] = [];
  const chainBase = s.chain * CHAIN_KEYS;
  const written = (b - 1) * inserts;
  let op = 0;
  for (let i = 0; i < inserts; i++) {
    const key = chainBase + written + i;
    const tag = tagOf(b, op++);
    model.set(key, tag);
    ops.push({ kind: 'insert', key, tag });
  }
  if (written === 0) return ops;
  let r = mix(seed, s.table * 1009 + s.partition * 101 + s.chain, b) | 1;
  const next = (n: number): number => {
    r ^= r << 13;
    r ^= r >>> 17;
    r ^= r << 5;
    return (r >>> 0) % n;
  };
  for (let j = 0; j < updates; j++) {
    const key = chainBase + next(written);
    const tag = tagOf(b, op++);
    ops.push({ kind: model.has(key) ? 'update' : 'resurrect', key, tag });
    model.set(key, tag);
  }
  for (let j = 0; j < deletes; j++) {
    const key = chainBase + next(written);
    if (!model.has(key)) continue;
    model.delete(key);
    ops.push({ kind: 'delete', key });
  }
  return ops;
}

/** One batch in one closure (runDurably's): each version committed at once, the primary index kept in step. */
export function applyOps(
  clock: { now(): bigint }, part: MvPartitionStorage, pk: SortedIndexStorage, seed: number, s: Stream, b: number, ops: readonly Op[],
): void {
  for (const op of ops) {
    const rowId = rowIdOf(s.table, s.partition, op.key);
    const row = op.kind === 'delete' ? null : { schemaVersion: 1, bytes: rowBytes(seed, s, op.key, op.tag) };
    const status = part.addWriteCommitted(rowId, row, clock.now()).status;
    if (status !== 'SUCCESS') throw new Error(`stream ${streamName(s)} batch ${b}: ${op.kind} of key ${op.key} answered ${status}`);
    if (op.kind === 'insert' || op.kind === 'resurrect') pk.put({ key: [BigInt(op.key)], rowId });
    else if (op.kind === 'delete') pk.remove({ key: [BigInt(op.key)], rowId });
  }
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * Runs the workload's first batches on a volatile aimem table (never on disk), then destroys it: the closures' code
 * is compiled (JIT) before the measured writes, which would otherwise crawl through most of the 20–300 ms a child
 * writes before its kill — too few batches for the log to roll over, too short for checkpoints to finish.
 */
async function warmUp(node: StorageNode, mode: Mode, seed: number): Promise<void> {
  const engine = node.engine('aimem');
  const tableId = 99;
  const table = engine.createMvTable({ tableId, partitions: PARTITIONS, storageProfile: WARMUP_PROFILE });
  const parts = [];
  for (let p = 0; p < PARTITIONS; p++) parts.push({ part: await table.createMvPartition(p), pk: table.createSortedIndex(p, PK) });
  const streams = streamsOf(mode).filter((s) => s.table === TABLES[0]);
  const batches = Math.ceil(120 / streams.length);
  for (const s of streams) {
    const model = new Map<number, number>();
    const { part, pk } = parts[s.partition]!;
    for (let b = 1; b <= batches; b++) {
      const ops = batchOps(mode, seed, s, b, model);
      await part.runDurably(() => applyOps(node.clock, part, pk, seed, s, b, ops));
    }
  }
  await engine.destroyMvTable(tableId);
}

async function main(workDir: string, mode: Mode, seed: number, next: readonly number[]): Promise<void> {
  const streams = streamsOf(mode);
  if (!MODES.includes(mode) || !Number.isInteger(seed) || next.length !== streams.length) throw new Error(`bad arguments ${process.argv.slice(2).join(' ')}`);
  const node = await openNode({ workDir, config: logConfig(mode) });
  await warmUp(node, mode, seed);
  node.events$.subscribe((e) => {
    if (e.type === 'checkpoint.started') out('CS');
    else if (e.type === 'checkpoint.finished') out('CP');
    else if (e.type === 'compaction.finished') out('CO');
  });
  const engine = node.engine('aipersist');
  const parts = new Map<string, { part: MvPartitionStorage; pk: SortedIndexStorage }>();
  for (const table of TABLES) {
    const t = engine.createMvTable({ tableId: table, partitions: PARTITIONS, storageProfile: PROFILE });
    for (let p = 0; p < PARTITIONS; p++) {
      const part = await t.createMvPartition(p);
      parts.set(`${table}/${p}`, { part, pk: t.createSortedIndex(p, PK) });
    }
  }
  // Each chain's state after the batches already there (the test found them), recomputed.
  const writers = streams.map((s, i) => {
    const model = new Map<number, number>();
    for (let b = 1; b < next[i]!; b++) batchOps(mode, seed, s, b, model);
    return { s, model, b: next[i]!, ...parts.get(`${s.table}/${s.partition}`)! };
  });
  const writeOne = async (w: (typeof writers)[number]): Promise<void> => {
    const { s, b } = w;
    const ops = batchOps(mode, seed, s, b, w.model);
    out(`B ${s.table} ${s.partition} ${s.chain} ${b}`);
    await w.part.runDurably(() => applyOps(node.clock, w.part, w.pk, seed, s, b, ops));
    out(`A ${s.table} ${s.partition} ${s.chain} ${b}`);
    w.b++;
  };
  if (mode === 'concurrent') {
    // 64 writers, each its own chain: 64 runDurably in flight at once.
    await Promise.all(writers.map(async (w) => {
      for (;;) await writeOne(w);
    }));
  } else {
    for (let i = 0; ; i = (i + 1) % writers.length) {
      await writeOne(writers[i]!);
      // With syncMode none runDurably resolves at once: let timers (the interval checkpoints) and I/O run.
      if (mode === 'none') await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

if (/aipersist-log-crash-child\.[jt]s$/.test(process.argv[1] ?? '')) {
  const [workDir, mode, seed, next] = process.argv.slice(2);
  main(workDir!, mode as Mode, Number(seed), JSON.parse(next ?? '[]') as number[]).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
