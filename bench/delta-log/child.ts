/**
 * One run of one subject of the delta-log benchmark (bench/delta-log.bench.ts), in its own process:
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/delta-log/child.ts <id> <N> [<workDir>]
 *
 * Ids:
 * - `aipersist`: aipersist with `deltaLog.syncMode` 'fsync' (the default), a fresh node (own temp work dir) per
 *   figure, one MV partition + a sorted primary INT64 index; figure 4 first (a cold process, as `aipersist-nolog`'s
 *   and lmdb's figure 4), then 1 and 2:
 *   1. single writer: SINGLE_COMMITS sequential `await part.runDurably(() => { addWriteCommitted(a new row, random
 *      RowId, 100 bytes) + index.put(its 8-byte key) })`: commits/s, p50 / p99 latency, and the log's own counters
 *      over them (bytes per record, records per sync);
 *   2. CONCURRENT_WRITERS async loops, each doing sequential runDurably commits as above on the same partition, until
 *      CONCURRENT_COMMITS were started or CONCURRENT_SECONDS passed: commits/s, p50 / p99, records per sync (the
 *      group commit);
 *   4. batched inserts with the log on: N rows, 1,000 per `runConsistently` closure back to back (as
 *      bench/aipersist/child.ts: cache ≥ 4 × raw, no macrotask in between), then `await part.flush(true)`, timed
 *      together and apart; the log's bytes per row.
 * - `aipersist-nolog`: figure 4 alone with `deltaLog.syncMode` 'none' (nothing is logged: durable at checkpoints).
 * - `replay-write <workDir>`: figure 3's writer. Opens a node with the interval checkpoint off
 *   (`checkpoint.intervalMillis` 0) and a cache ≥ 4 × raw (the dirty-pages checkpoint never fires), writes N records —
 *   `runConsistently` closures of REPLAY_ROWS rows + index entries each, every 1,000th one a `runDurably` awaited, the
 *   last one too, so every record is fdatasynced — checks that no checkpoint ran, prints its result, then SIGKILLs
 *   itself: no close, no last checkpoint, everything is in the log only.
 * - `replay-open <workDir>`: figure 3's reopen, timed step by step: openNode (the log's recovery scan is here) +
 *   createMvTable + createMvPartition (the replay of its records) + createSortedIndex; then the log's
 *   recovered / replayed records and replayMillis (node.metrics().aipersist.deltaLog); then, untimed, every row is
 *   there (index entries and estimatedSize = rows written, sampled values) and the node closes cleanly.
 *   The parent runs the two as its `aipersist-replay` subject.
 * - `sqlite`, `lmdb`: figures 1 and 2 with the subjects of ./peers.ts (better-sqlite3 WAL + FULL, one INSERT per
 *   transaction; lmdb-js `await put` + `await db.flushed`); lmdb also figure 4, first (LmdbSubject of
 *   bench/standard/native-peers.ts, its default sync, 1,000 puts per transactionSync, as bench/aipersist measures it).
 * - `fdatasync`: figure 1 for the raw disk: SINGLE_COMMITS × (4 KiB written over a preallocated block + fdatasync),
 *   then SINGLE_COMMITS × (4 KiB appended + fdatasync).
 *
 * Prints `@@RESULT <json>` (a ChildResult) or `@@SKIP <reason>` when a peer's package cannot be loaded. Untimed
 * checks (every row of figure 1 read back, sampled rows of figures 2 and 4, every row after the replay) make a fast
 * but wrong run fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULT_MARK, SKIP_MARK } from '../standard/run-result';
import { BATCH, KEY_SIZE, VALUE_SIZE, makeWorkload, valueOf, type Workload } from '../standard/workload';
import { FdatasyncProbe, LmdbCommitter, SqliteCommitter, type DurableCommitter } from './peers';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { MvPartitionStorage, SortedIndexStorage } from '../../src/domain/storage/storage-engine.api';
import type { DeltaLogMetrics } from '../../src/domain/ports/delta-log.port';

/** The subjects the parent runs (`aipersist-replay` = `replay-write` then `replay-open` in two processes). */
export const CHILD_IDS = ['aipersist', 'aipersist-nolog', 'aipersist-replay', 'sqlite', 'lmdb', 'fdatasync'] as const;
export type ChildId = (typeof CHILD_IDS)[number];
type ProcessId = Exclude<ChildId, 'aipersist-replay'> | 'replay-write' | 'replay-open';

const envInt = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};

/** Figure 1: sequential durable commits per subject. */
export const SINGLE_COMMITS = envInt('BENCH_SINGLE_COMMITS', 2_000);
/** Figure 2: concurrent writers, and when they stop: this many commits started, or this many seconds. */
export const CONCURRENT_WRITERS = 64;
export const CONCURRENT_COMMITS = envInt('BENCH_CONCURRENT_COMMITS', 20_000);
export const CONCURRENT_SECONDS = envInt('BENCH_CONCURRENT_SECONDS', 3);
/** Figure 3: rows per record (one runConsistently closure each). */
export const REPLAY_ROWS = envInt('BENCH_REPLAY_ROWS', 1);

/** Every figure a child can report (absent: not measured by that subject). Rates per second, times in ms. */
export interface Figures {
  // 1. single writer
  singleCommitsPerSec?: number;
  singleP50Ms?: number;
  singleP99Ms?: number;
  /** The raw probe's second series (appends); the first (overwrites) is in the single* figures. */
  appendCommitsPerSec?: number;
  appendP50Ms?: number;
  appendP99Ms?: number;
  /** aipersist: the log over figure 1 — bytes per record (record header included), records per sync, syncs. */
  singleLogBytesPerRecord?: number;
  singleRecordsPerSync?: number;
  singleSyncs?: number;
  // 2. concurrent writers
  concurrentCommitsPerSec?: number;
  concurrentCommits?: number;
  concurrentSeconds?: number;
  concurrentP50Ms?: number;
  concurrentP99Ms?: number;
  /** aipersist: the log over figure 2 — records per sync (the group commit), syncs, the log's sync-round p50 / p99. */
  concurrentRecordsPerSync?: number;
  concurrentSyncs?: number;
  concurrentSyncP50Ms?: number;
  concurrentSyncP99Ms?: number;
  // 3. replay
  /** Records (closures) and rows written, their log bytes, the writer's records/s, checkpoints during the writes. */
  replayRecords?: number;
  replayRows?: number;
  replayLogBytes?: number;
  replayWriteRecordsPerSec?: number;
  replayCheckpointsDuringWrite?: number;
  /** The reopen: total and per step (openNode, createMvTable, createMvPartition = the replay, createSortedIndex), ms. */
  reopenMs?: number;
  reopenOpenNodeMs?: number;
  reopenTableMs?: number;
  reopenPartitionMs?: number;
  reopenIndexMs?: number;
  /** The log's counters after the reopen (DeltaLogMetrics). */
  recoveredRecords?: number;
  replayedRecords?: number;
  replayMillis?: number;
  /** replayedRecords ÷ the whole reopen, and ÷ createMvPartition alone, records/s. */
  replayRecordsPerSec?: number;
  replayPartitionRecordsPerSec?: number;
  // 4. batched inserts
  /** Rows/s of the inserts; aipersist: including the flush(true) after them. */
  insert?: number;
  /** aipersist: rows/s of the closures alone, and the flush's wall time. */
  insertNoFlush?: number;
  flushMs?: number;
  /** aipersist: the log's bytes per row over the inserts (0 with syncMode none), records, syncs. */
  insertLogBytesPerRow?: number;
  insertLogRecords?: number;
  insertLogSyncs?: number;
}

export interface ChildResult {
  readonly id: string;
  readonly label: string;
  readonly figures: Figures;
  /** Set by the parent. */
  readonly commit?: string;
  readonly run?: number;
}

export const LABELS: Record<ChildId, string> = {
  aipersist: 'aipersist (deltaLog fsync)',
  'aipersist-nolog': 'aipersist (deltaLog none)',
  'aipersist-replay': 'aipersist replay (SIGKILL, reopen)',
  sqlite: 'better-sqlite3 (WAL, synchronous=FULL)',
  lmdb: 'lmdb (lmdb-js, default sync)',
  fdatasync: 'raw fdatasync (4 KiB)',
};

const MiB = 1024 * 1024;
const PROFILE = 'bench';
const TABLE_ID = 1;
const PK = { id: 1, columns: [{ name: 'id', type: 'INT64', nullable: false, asc: true }], primary: true } as const;
const MIN_PROFILE_BYTES = 10 * MiB;
/** Figure 3's writer: a runDurably every this many records. */
const REPLAY_DURABLE_EVERY = 1_000;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const perSecond = (ops: number, ms: number): number => ops / (ms / 1000);
const roundUpMiB = (bytes: number): number => Math.ceil(bytes / MiB) * MiB;

async function timed<T>(body: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  gc();
  const t0 = process.hrtime.bigint();
  const value = await body();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** The p-quantile (0 < p ≤ 1) of the first n latencies (nearest rank). */
function quantile(latencies: Float64Array, n: number, p: number): number {
  const s = latencies.slice(0, n).sort();
  return s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
}

function sameBytes(a: Uint8Array | undefined | null, b: Uint8Array): boolean {
  return a != null && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), b) === 0;
}

/** Keys `keys[from..to)` (every `step`-th) read back with their values. */
function checkKeys(what: string, w: Workload, keys: Uint32Array, to: number, step: number, lookup: (k: number) => Uint8Array | undefined | null): void {
  for (let i = 0; i < to; i += step) {
    const k = keys[i]!;
    if (!sameBytes(lookup(k), valueOf(w, k))) throw new Error(`${what}: wrong or missing value for key ${k} (commit ${i})`);
  }
}

// ---------------------------------------------------------------- the commit loops (figures 1 and 2)

interface CommitRun {
  readonly commits: number;
  readonly ms: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** `count` commits one after another, key i = the workload's insertOrder[i]. */
async function singleWriter(c: DurableCommitter, w: Workload, count: number): Promise<CommitRun> {
  const order = w.insertOrder;
  const lat = new Float64Array(count);
  gc();
  const t0 = nowMs();
  for (let i = 0; i < count; i++) {
    const s = nowMs();
    await c.commit(order[i]!, valueOf(w, order[i]!));
    lat[i] = nowMs() - s;
  }
  const ms = nowMs() - t0;
  return { commits: count, ms, p50Ms: quantile(lat, count, 0.5), p99Ms: quantile(lat, count, 0.99) };
}

/** `writers` loops of sequential commits, taking the next key in turn, until `max` commits started or `seconds` passed. */
async function concurrentWriters(c: DurableCommitter, w: Workload, writers: number, max: number, seconds: number): Promise<CommitRun> {
  const order = w.insertOrder;
  const lat = new Float64Array(max);
  let next = 0;
  gc();
  const t0 = nowMs();
  const deadline = t0 + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (next < max && nowMs() < deadline) {
      const i = next++;
      const s = nowMs();
      await c.commit(order[i]!, valueOf(w, order[i]!));
      lat[i] = nowMs() - s;
    }
  };
  await Promise.all(Array.from({ length: writers }, loop));
  const ms = nowMs() - t0;
  return { commits: next, ms, p50Ms: quantile(lat, next, 0.5), p99Ms: quantile(lat, next, 0.99) };
}

function commitWorkload(): Workload {
  return makeWorkload(Math.max(SINGLE_COMMITS, CONCURRENT_COMMITS, 100));
}

/** Figures 1 and 2 of a committer (a fresh one for each figure), with the checks. */
async function commitFigures(make: () => DurableCommitter, w: Workload, f: Figures, log?: (c: DurableCommitter) => DeltaLogMetrics): Promise<void> {
  const single = make();
  await single.open();
  try {
    const before = log?.(single);
    const r = await singleWriter(single, w, SINGLE_COMMITS);
    f.singleCommitsPerSec = perSecond(r.commits, r.ms);
    f.singleP50Ms = r.p50Ms;
    f.singleP99Ms = r.p99Ms;
    if (log !== undefined) {
      const after = log(single);
      const records = after.recordsAppended - before!.recordsAppended;
      const syncs = after.syncs - before!.syncs;
      f.singleLogBytesPerRecord = (after.bytesAppended - before!.bytesAppended) / records;
      f.singleSyncs = syncs;
      f.singleRecordsPerSync = records / syncs;
    }
    checkKeys(`${single.label}, single writer`, w, w.insertOrder, r.commits, 1, (k) => single.lookup(k));
  } finally {
    await single.close();
  }

  const many = make();
  await many.open();
  try {
    const before = log?.(many);
    const r = await concurrentWriters(many, w, CONCURRENT_WRITERS, CONCURRENT_COMMITS, CONCURRENT_SECONDS);
    f.concurrentCommits = r.commits;
    f.concurrentSeconds = r.ms / 1000;
    f.concurrentCommitsPerSec = perSecond(r.commits, r.ms);
    f.concurrentP50Ms = r.p50Ms;
    f.concurrentP99Ms = r.p99Ms;
    if (log !== undefined) {
      const after = log(many);
      const syncs = after.syncs - before!.syncs;
      f.concurrentSyncs = syncs;
      f.concurrentRecordsPerSync = (after.recordsAppended - before!.recordsAppended) / syncs;
      f.concurrentSyncP50Ms = after.syncP50Ms;
      f.concurrentSyncP99Ms = after.syncP99Ms;
    }
    checkKeys(`${many.label}, ${CONCURRENT_WRITERS} writers`, w, w.insertOrder, r.commits, Math.max(1, Math.floor(r.commits / 500)), (k) => many.lookup(k));
  } finally {
    await many.close();
  }
}

// ---------------------------------------------------------------- aipersist

type SyncMode = 'fsync' | 'background' | 'none';

/** A node in `workDir` with one partition and its primary index, driven through the public API and the SPI. */
class AipersistLogBench implements DurableCommitter {
  readonly label: string;
  #node: StorageNode | null = null;
  #part!: MvPartitionStorage;
  #index!: SortedIndexStorage;
  #ownDir = false;
  readonly #api = require('../../src/interfaces/api/index') as typeof import('../../src/interfaces/api/index');
  readonly #clock = new (require('../standard/bench-clock') as typeof import('../standard/bench-clock')).BenchClock();

  constructor(
    private workDir: string | null,
    readonly syncMode: SyncMode,
    readonly sizeBytes: number,
    readonly intervalMillis?: number,
  ) {
    this.label = `aipersist (deltaLog ${syncMode})`;
  }

  get node(): StorageNode {
    return this.#node!;
  }

  get part(): MvPartitionStorage {
    return this.#part;
  }

  logMetrics(): DeltaLogMetrics {
    const m = this.node.metrics().aipersist?.deltaLog;
    if (m == null) throw new Error('aipersist: node.metrics().aipersist.deltaLog is null (no work dir?)');
    return m;
  }

  checkpoints(): number {
    return this.node.metrics().aipersist?.checkpoints.count ?? 0;
  }

  async open(): Promise<void> {
    await this.openTimed();
  }

  /** openNode + createMvTable + createMvPartition + createSortedIndex; the hrtime (ns) before and after each step. */
  async openTimed(): Promise<bigint[]> {
    if (this.workDir === null) {
      this.workDir = mkdtempSync(join(tmpdir(), `aistorage-bench-delta-log-${this.syncMode}-`));
      this.#ownDir = true;
    }
    const checkpoint = this.intervalMillis === undefined ? {} : { checkpoint: { intervalMillis: this.intervalMillis } };
    const marks = [process.hrtime.bigint()];
    const node = await this.#api.openNode({
      workDir: this.workDir,
      config: {
        ignite: {
          storage: {
            engines: { aipersist: { ...checkpoint, deltaLog: { syncMode: this.syncMode } } },
            profiles: [{ engine: 'aipersist', name: PROFILE, sizeBytes: this.sizeBytes }],
          },
        },
      },
    });
    marks.push(process.hrtime.bigint());
    this.#node = node;
    const table = node.engine('aipersist').createMvTable({ tableId: TABLE_ID, partitions: 1, storageProfile: PROFILE });
    marks.push(process.hrtime.bigint());
    this.#part = await table.createMvPartition(0);
    marks.push(process.hrtime.bigint());
    this.#index = table.createSortedIndex(0, PK);
    marks.push(process.hrtime.bigint());
    return marks;
  }

  /** Adds rows order[from..to) (each a new row with a random RowId + its index entry); call inside a closure. */
  #write(w: Workload, order: Uint32Array, from: number, to: number): void {
    const p = this.#part;
    const index = this.#index;
    const ts = this.#clock.now();
    for (let i = from; i < to; i++) {
      const key = order[i]!;
      const rowId = this.#api.RowId.random(0);
      const r = p.addWriteCommitted(rowId, { schemaVersion: 1, bytes: valueOf(w, key) }, ts);
      if (r.status !== 'SUCCESS') throw new Error(`insert of ${key}: ${r.status}`);
      index.put({ key: [BigInt(key)], rowId });
    }
  }

  /** One durable commit of one row: what figures 1 and 2 time. */
  commit(key: number, value: Buffer): Promise<void> {
    const p = this.#part;
    const index = this.#index;
    const ts = this.#clock.now();
    return p.runDurably(() => {
      const rowId = this.#api.RowId.random(0);
      const r = p.addWriteCommitted(rowId, { schemaVersion: 1, bytes: value }, ts);
      if (r.status !== 'SUCCESS') throw new Error(`durable insert of ${key}: ${r.status}`);
      index.put({ key: [BigInt(key)], rowId });
    });
  }

  /** Rows order[from..to) in one runConsistently closure. */
  closure(w: Workload, order: Uint32Array, from: number, to: number): void {
    this.#part.runConsistently(() => this.#write(w, order, from, to));
  }

  /** The same in runDurably. */
  durableClosure(w: Workload, order: Uint32Array, from: number, to: number): Promise<void> {
    return this.#part.runDurably(() => this.#write(w, order, from, to));
  }

  lookup(key: number): Uint8Array | undefined {
    const c = this.#index.get([BigInt(key)]);
    const rowId = c.hasNext() ? c.next() : null;
    c.close();
    return rowId === null ? undefined : (this.#part.read(rowId, this.#api.MAX_VALUE).binaryRow?.bytes ?? undefined);
  }

  /** Index entries of the primary index (a full scan). */
  indexEntries(): number {
    const c = this.#index.scan(null, null, 0);
    let n = 0;
    while (c.hasNext()) {
      c.next();
      n++;
    }
    c.close();
    return n;
  }

  async close(): Promise<void> {
    try {
      await this.#node?.close();
    } finally {
      this.#node = null;
      if (this.#ownDir && this.workDir !== null) rmSync(this.workDir, { recursive: true, force: true });
      if (this.#ownDir) this.workDir = null;
    }
  }
}

const cacheFor = (rows: number): number => Math.max(MIN_PROFILE_BYTES, roundUpMiB(4 * rows * (KEY_SIZE + VALUE_SIZE)));

/** Figure 4: N rows in closures of 1,000 back to back, then flush(true). */
async function batchedInserts(syncMode: SyncMode, w: Workload, f: Figures): Promise<void> {
  const db = new AipersistLogBench(null, syncMode, cacheFor(w.n));
  await db.open();
  try {
    const before = db.logMetrics();
    const ins = await timed(() => {
      for (let from = 0; from < w.n; from += BATCH) db.closure(w, w.insertOrder, from, Math.min(from + BATCH, w.n));
    });
    const fl = await timed(() => db.part.flush(true));
    const after = db.logMetrics();
    f.insertNoFlush = perSecond(w.n, ins.ms);
    f.flushMs = fl.ms;
    f.insert = perSecond(w.n, ins.ms + fl.ms);
    f.insertLogBytesPerRow = (after.bytesAppended - before.bytesAppended) / w.n;
    f.insertLogRecords = after.recordsAppended - before.recordsAppended;
    f.insertLogSyncs = after.syncs - before.syncs;
    checkKeys(`${db.label} after the inserts`, w, w.readOrder, w.n, Math.max(1, Math.floor(w.n / 500)), (k) => db.lookup(k));
  } finally {
    await db.close();
  }
}

async function runAipersist(n: number): Promise<Figures> {
  const f: Figures = {};
  // Figure 4 first: the process is as cold as aipersist-nolog's (no earlier commits have warmed the write path).
  await batchedInserts('fsync', makeWorkload(n), f);
  const cw = commitWorkload();
  await commitFigures(() => new AipersistLogBench(null, 'fsync', cacheFor(cw.n)), cw, f, (c) => (c as AipersistLogBench).logMetrics());
  return f;
}

// ---------------------------------------------------------------- figure 3: replay

const replayRecords = (n: number): number => Math.ceil(n / REPLAY_ROWS);

function replayNode(workDir: string, n: number): AipersistLogBench {
  return new AipersistLogBench(workDir, 'fsync', cacheFor(n), 0);
}

/** Writes the records, checks that no checkpoint covered them, prints the result and dies by SIGKILL. */
async function replayWrite(n: number, workDir: string): Promise<never> {
  const w = makeWorkload(n);
  const records = replayRecords(n);
  const db = replayNode(workDir, n);
  await db.open();
  const cpBefore = db.checkpoints();
  const logBefore = db.logMetrics();
  const order = w.insertOrder;
  gc();
  const t0 = nowMs();
  for (let r = 0; r < records; r++) {
    const from = r * REPLAY_ROWS;
    const to = Math.min(from + REPLAY_ROWS, n);
    if ((r + 1) % REPLAY_DURABLE_EVERY === 0 || r === records - 1) await db.durableClosure(w, order, from, to);
    else db.closure(w, order, from, to);
  }
  const ms = nowMs() - t0;
  const logAfter = db.logMetrics();
  const f: Figures = {
    replayRecords: records,
    replayRows: n,
    replayLogBytes: logAfter.bytesAppended - logBefore.bytesAppended,
    replayWriteRecordsPerSec: perSecond(records, ms),
    replayCheckpointsDuringWrite: db.checkpoints() - cpBefore,
  };
  if (logAfter.recordsAppended - logBefore.recordsAppended !== records) {
    throw new Error(`replay writer: ${logAfter.recordsAppended - logBefore.recordsAppended} records appended, expected ${records}`);
  }
  if (db.checkpoints() !== cpBefore) throw new Error(`replay writer: ${db.checkpoints() - cpBefore} checkpoint(s) ran during the writes: the reopen would not replay them all`);
  const result: ChildResult = { id: 'replay-write', label: LABELS['aipersist-replay'], figures: f };
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`); // a pipe: written synchronously on Linux
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => {});
}

async function replayOpen(n: number, workDir: string): Promise<Figures> {
  const w = makeWorkload(n);
  const records = replayRecords(n);
  const db = replayNode(workDir, n);
  gc();
  const marks = await db.openTimed();
  const ms = (i: number): number => Number(marks[i + 1]! - marks[i]!) / 1e6;
  try {
    const m = db.logMetrics();
    const total = Number(marks[4]! - marks[0]!) / 1e6;
    const f: Figures = {
      reopenMs: total,
      reopenOpenNodeMs: ms(0),
      reopenTableMs: ms(1),
      reopenPartitionMs: ms(2),
      reopenIndexMs: ms(3),
      recoveredRecords: m.recoveredRecords,
      replayedRecords: m.replayedRecords,
      replayMillis: m.replayMillis,
      replayRecordsPerSec: perSecond(m.replayedRecords, total),
      replayPartitionRecordsPerSec: perSecond(m.replayedRecords, ms(2)),
    };
    // Untimed: the replay brought back every row, and nothing else.
    if (m.replayedRecords < records) throw new Error(`replay: ${m.replayedRecords} records replayed, ${records} were written and synced`);
    const entries = db.indexEntries();
    if (entries !== n) throw new Error(`replay: ${entries} primary index entries after the reopen, ${n} rows were written`);
    const size = db.part.estimatedSize();
    if (size !== n) throw new Error(`replay: estimatedSize ${size} after the reopen, ${n} rows were written`);
    checkKeys('aipersist after the replay', w, w.readOrder, n, Math.max(1, Math.floor(n / 2000)), (k) => db.lookup(k));
    return f;
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------- peers

/** The peer's module, or a string saying why its package cannot be loaded. */
function load<T>(name: string): T | string {
  try {
    return require(name) as T;
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
}

async function runSqlite(): Promise<Figures | string> {
  const Database = load<import('../standard/native-peers').SqliteModule>('better-sqlite3');
  if (typeof Database === 'string') return Database;
  const f: Figures = {};
  await commitFigures(() => new SqliteCommitter(Database), commitWorkload(), f);
  return f;
}

async function runLmdb(n: number): Promise<Figures | string> {
  const lmdb = load<typeof import('lmdb')>('lmdb');
  if (typeof lmdb === 'string') return lmdb;
  const f: Figures = {};
  // Figure 4 first, as the aipersist children do.
  const { LmdbSubject } = require('../standard/native-peers') as typeof import('../standard/native-peers');
  const s = new LmdbSubject(lmdb, false);
  const w = makeWorkload(n);
  await s.open();
  try {
    f.insert = perSecond(n, (await timed(() => s.insert(w))).ms);
    checkKeys(`${s.label} after the inserts`, w, w.readOrder, n, Math.max(1, Math.floor(n / 500)), (k) => s.lookup(k));
  } finally {
    await s.close();
  }
  await commitFigures(() => new LmdbCommitter(lmdb), commitWorkload(), f);
  return f;
}

async function runFdatasync(): Promise<Figures> {
  const w = commitWorkload();
  const f: Figures = {};
  for (const mode of ['overwrite', 'append'] as const) {
    const p = new FdatasyncProbe(mode);
    await p.open();
    try {
      const r = await singleWriter(p, w, SINGLE_COMMITS);
      if (mode === 'overwrite') {
        f.singleCommitsPerSec = perSecond(r.commits, r.ms);
        f.singleP50Ms = r.p50Ms;
        f.singleP99Ms = r.p99Ms;
      } else {
        f.appendCommitsPerSec = perSecond(r.commits, r.ms);
        f.appendP50Ms = r.p50Ms;
        f.appendP99Ms = r.p99Ms;
      }
    } finally {
      await p.close();
    }
  }
  return f;
}

async function main(): Promise<void> {
  const [id, nText, workDir] = process.argv.slice(2) as [ProcessId, string, string | undefined];
  const n = Number(nText);
  if (!Number.isInteger(n) || n < 100) throw new Error(`N must be an integer ≥ 100, got ${nText}`);
  const needDir = (): string => {
    if (workDir === undefined) throw new Error(`${id} needs a work dir argument`);
    return workDir;
  };
  let figures: Figures | string;
  switch (id) {
    case 'aipersist': figures = await runAipersist(n); break;
    case 'aipersist-nolog': {
      figures = {};
      await batchedInserts('none', makeWorkload(n), figures);
      break;
    }
    case 'replay-write': return void (await replayWrite(n, needDir()));
    case 'replay-open': figures = await replayOpen(n, needDir()); break;
    case 'sqlite': figures = await runSqlite(); break;
    case 'lmdb': figures = await runLmdb(n); break;
    case 'fdatasync': figures = await runFdatasync(); break;
    default: throw new Error(`unknown id ${String(id)}; ids: ${[...CHILD_IDS.filter((x) => x !== 'aipersist-replay'), 'replay-write', 'replay-open'].join(', ')}`);
  }
  if (typeof figures === 'string') {
    console.log(`${SKIP_MARK}${figures}`);
    return;
  }
  const label = id === 'replay-open' ? LABELS['aipersist-replay'] : LABELS[id];
  const result: ChildResult = { id, label, figures };
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
