/**
 * The writer of test/integration/tables-sigkill.test.ts, and the deterministic workload it shares with that test
 * (which imports this file; the child's main part runs only when this file is the process's script).
 *
 * As a child process (run through test/support/ts-child-require.cjs): `tables-crash-child.ts <workDir> <seed>` opens
 * a node on <workDir> with crashConfig() (aipersist, 1 KiB pages, interval checkpoints every ~50 ms so recovery
 * mixes checkpointed pages and log replay), creates what is missing of: zone `crash_zone` (8 partitions), table
 * `items` (k BIGINT key, writer, batch, grp, tag, payload VARBINARY) with a sorted index on `grp` and a hash index on
 * `tag`, table `counters` (writer INT key, batch, rows). Then WRITERS writers run at once, each its own numbered
 * transactions (node.transaction, retries 100): batch n of writer w inserts, replaces and deletes rows of w's own
 * keys (batchOps: derived from (seed, w, n) and w's rows after batch n − 1; they fall in several partitions), sets
 * w's counter row to { batch: n, rows: w's live rows } and increments the shared counter row TOTAL_ROW (every writer
 * writes it: transactions conflict on it and are retried). Each writer starts after the batch its counter row names
 * (recomputing its rows from batch 1 on, writing nothing) and checks, inside each transaction, that what it reads
 * agrees with that (counter at n − 1; replace and delete find their rows; insert finds none): a disagreement is an
 * error (exit 1), not a kill.
 *
 * Lines on stdout (a write to a pipe is synchronous on Linux: a line is out before the next statement runs):
 *   `from <w> <m>` per writer at the start: its counter row names batch m;
 *   `begin <w> <n>` just before node.transaction of batch n; `ack <w> <n>` once it resolved;
 *   `outcome <w> <n>` (DIE_ENV mode) right before the child kills itself.
 *
 * DIE_ENV=<k>: TxStateStore.prototype.recordCommitted is wrapped so that once the k-th commit outcome is durable (its
 * promise resolved) the child prints `outcome w n` and kills itself with SIGKILL synchronously — before the commit
 * goes on to resolve its write intents: the outcome is on disk, the intents are not resolved. (TxEngine.prototype.
 * commit is wrapped only to learn which batch a transaction id belongs to.)
 */
import { openNode, type StorageConfigInput, type StorageNode } from '../../src/interfaces/api/index';
import { TxEngine } from '../../src/application/tables/tx-engine';
import { TxStateStore } from '../../src/application/tables/tx-state-store';
import type { Tx } from '../../src/application/tables/tx';

const MiB = 1024 * 1024;
export const WRITERS = 4;
/** Keys per writer: each batch writes up to 6 and deletes up to 2 of them. */
export const SLOTS = 40;
export const GROUPS = 12;
export const TAGS = 5;
export const ZONE = 'crash_zone';
export const PARTITIONS = 8;
export const ITEMS = 'items';
export const COUNTERS = 'counters';
export const BY_GROUP = 'items_by_grp';
export const BY_TAG = 'items_by_tag';
/** The counter row every batch increments (its `batch`: the batches committed, over every writer). */
export const TOTAL_ROW = -1;
export const DIE_ENV = 'AISTORAGE_TABLES_CRASH_DIE_AFTER';

/** The child's configuration and the test's reopen's (same engine settings for both). */
export function crashConfig(): StorageConfigInput {
  return {
    ignite: {
      storage: {
        engines: {
          aipersist: { pageSizeBytes: 1024, checkpoint: { intervalMillis: 50 }, deltaLog: { syncMode: 'fsync', segmentSizeBytes: 1 * MiB } },
        },
        profiles: [{ name: 'default', engine: 'aipersist', sizeBytes: 48 * MiB }],
      },
    },
  };
}

export interface Item {
  k: bigint;
  writer: number;
  batch: number;
  grp: number;
  tag: string;
  payload: Uint8Array | null;
}

export interface Counter {
  writer: number;
  batch: number;
  rows: number;
}

export type Op = { readonly kind: 'put'; readonly row: Item } | { readonly kind: 'delete'; readonly k: bigint };

export function mix(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x3c6ef372, 0x85ebca6b) ^ Math.imul(b + 0x1b873593, 0xcc9e2d51) ^ Math.imul(c + 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Writer w's keys: spread out, so that they hash into every partition. */
export const keyOf = (w: number, slot: number): bigint => BigInt(w) * 1_000_003n + BigInt(slot) * 7_919n;
export const writerOfKey = (k: bigint): number => Number(k / 1_000_003n);

/** Mostly under 200 bytes; one in 11 longer than a 1 KiB page (a row in fragments); one in 9 null. */
function payloadOf(h: number, n: number): Uint8Array | null {
  if (h % 9 === 0) return null;
  const length = h % 11 === 0 ? 1100 + (h % 900) : h % 200;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (h + i * 31 + n) & 0xff;
  return bytes;
}

/** Batch n of writer w, given w's rows after batch n − 1 (not changed here). */
export function batchOps(seed: number, w: number, n: number, model: ReadonlyMap<bigint, Item>): Op[] {
  const ops: Op[] = [];
  const touched = new Set<bigint>();
  for (let j = 0; j < 6; j++) {
    const h = mix(seed, w * 131 + j, n);
    const k = keyOf(w, h % SLOTS);
    if (touched.has(k)) continue;
    touched.add(k);
    ops.push({ kind: 'put', row: { k, writer: w, batch: n, grp: (h >>> 8) % GROUPS, tag: `t${(h >>> 16) % TAGS}`, payload: payloadOf(h, n) } });
  }
  for (let j = 0; j < 2; j++) {
    const k = keyOf(w, mix(seed ^ 0x5bd1e995, w * 131 + j, n) % SLOTS);
    if (touched.has(k) || !model.has(k)) continue;
    touched.add(k);
    ops.push({ kind: 'delete', k });
  }
  return ops;
}

export function applyOps(model: Map<bigint, Item>, ops: readonly Op[]): void {
  for (const op of ops) {
    if (op.kind === 'put') model.set(op.row.k, op.row);
    else model.delete(op.k);
  }
}

/** Writer w's rows after its batches 1..m. */
export function modelAfter(seed: number, w: number, m: number): Map<bigint, Item> {
  const model = new Map<bigint, Item>();
  for (let n = 1; n <= m; n++) applyOps(model, batchOps(seed, w, n, model));
  return model;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function ensureSchema(node: StorageNode): Promise<void> {
  if (!node.zones().some((z) => z.name === ZONE)) await node.createZone({ name: ZONE, partitions: PARTITIONS });
  const tables = node.tables().map((t) => t.name);
  if (!tables.includes(ITEMS)) {
    await node.createTable({
      name: ITEMS, zone: ZONE, primaryKey: ['k'],
      columns: [
        { name: 'k', type: 'BIGINT' }, { name: 'writer', type: 'INT', nullable: false }, { name: 'batch', type: 'INT', nullable: false },
        { name: 'grp', type: 'INT', nullable: false }, { name: 'tag', type: 'VARCHAR', length: 8, nullable: false }, { name: 'payload', type: 'VARBINARY' },
      ],
    });
  }
  if (!tables.includes(COUNTERS)) {
    await node.createTable({
      name: COUNTERS, zone: ZONE, primaryKey: ['writer'],
      columns: [{ name: 'writer', type: 'INT' }, { name: 'batch', type: 'INT', nullable: false }, { name: 'rows', type: 'INT', nullable: false }],
    });
  }
  const indexes = node.indexes().map((i) => i.name);
  if (!indexes.includes(BY_GROUP)) await node.createIndex({ name: BY_GROUP, table: ITEMS, columns: ['grp'] });
  if (!indexes.includes(BY_TAG)) await node.createIndex({ name: BY_TAG, table: ITEMS, columns: ['tag'], type: 'HASH' });
  await node.awaitIndex(BY_GROUP);
  await node.awaitIndex(BY_TAG);
}

/** One batch as one transaction; throws when what it reads disagrees with the writer's model. */
async function writeBatch(node: StorageNode, seed: number, w: number, n: number, model: Map<bigint, Item>): Promise<void> {
  const ops = batchOps(seed, w, n, model);
  const after = new Map(model);
  applyOps(after, ops);
  const fail = (what: string): never => {
    throw new Error(`writer ${w} batch ${n}: ${what}`);
  };
  out(`begin ${w} ${n}`);
  await node.transaction(async (tx) => {
    const items = tx.table<Item>(ITEMS);
    const counters = tx.table<Counter>(COUNTERS);
    const counter = await counters.get({ writer: w });
    if ((counter?.batch ?? 0) !== n - 1) fail(`its counter row reads batch ${counter?.batch}, expected ${n - 1}`);
    for (const op of ops) {
      if (op.kind === 'delete') {
        if (!(await items.delete({ k: op.k }))) fail(`delete found no row of key ${op.k}`);
      } else if (model.has(op.row.k)) {
        if (!(await items.replace(op.row))) fail(`replace found no row of key ${op.row.k}`);
      } else {
        await items.insert(op.row); // DUPLICATE_KEY: a row the model does not have
      }
    }
    await counters.upsert({ writer: w, batch: n, rows: after.size });
    const total = await counters.get({ writer: TOTAL_ROW });
    await counters.upsert({ writer: TOTAL_ROW, batch: (total?.batch ?? 0) + 1, rows: 0 });
  }, { retries: 100 });
  applyOps(model, ops);
  out(`ack ${w} ${n}`);
}

/** DIE_ENV mode: SIGKILL right after the k-th durable commit outcome, before its intents are resolved. */
function dieAfterOutcome(k: number): void {
  const batchOf = new Map<string, string>();
  const commit = TxEngine.prototype.commit;
  TxEngine.prototype.commit = function (this: TxEngine, tx: Tx): Promise<void> {
    for (const [part, rows] of tx.writes) {
      if (part.table.name !== COUNTERS) continue;
      for (const write of rows.values()) {
        const values = write.newValues;
        if (values !== null && (values[0] as number) >= 0) batchOf.set(tx.id, `${values[0]} ${values[1]}`);
      }
    }
    return commit.call(this, tx);
  };
  const recordCommitted = TxStateStore.prototype.recordCommitted;
  let outcomes = 0;
  TxStateStore.prototype.recordCommitted = function (this: TxStateStore, txId: string, commitTs: bigint): Promise<void> {
    return recordCommitted.call(this, txId, commitTs).then(() => {
      if (++outcomes < k) return;
      out(`outcome ${batchOf.get(txId) ?? `unknown ${txId}`}`);
      process.kill(process.pid, 'SIGKILL');
    });
  };
}

async function main(workDir: string, seed: number): Promise<void> {
  if (!Number.isInteger(seed)) throw new Error(`bad arguments ${process.argv.slice(2).join(' ')}`);
  const dieAfter = Number(process.env[DIE_ENV] ?? 0);
  if (dieAfter > 0) dieAfterOutcome(dieAfter);
  const node = await openNode({ workDir, config: crashConfig() });
  await ensureSchema(node);
  const writers = [];
  for (let w = 0; w < WRITERS; w++) {
    const from = (await node.table<Counter>(COUNTERS).get({ writer: w }))?.batch ?? 0;
    out(`from ${w} ${from}`);
    writers.push({ w, from, model: modelAfter(seed, w, from) });
  }
  await Promise.all(writers.map(async ({ w, from, model }) => {
    for (let n = from + 1; ; n++) await writeBatch(node, seed, w, n, model);
  }));
}

if (/tables-crash-child\.[jt]s$/.test(process.argv[1] ?? '')) {
  const [workDir, seed] = process.argv.slice(2);
  main(workDir!, Number(seed)).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
