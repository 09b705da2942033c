/**
 * The aipersist subject of the delta-log benchmark (./child.ts runs it): AipersistLogBench, a node with one MV
 * partition + a sorted primary INT64 index, driven through the public API and the SPI, and its figures:
 * - `aipersist`: aipersist with `deltaLog.syncMode` 'fsync' (the default), a fresh node (own temp work dir) per
 *   figure; figure 4 first (a cold process, as `aipersist-nolog`'s and lmdb's figure 4), then 1 and 2:
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
 * Figure 3's writer and reopen (./replay.ts) use the same node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH, KEY_SIZE, VALUE_SIZE, makeWorkload, valueOf, type Workload } from '../standard/workload';
import { checkKeys, perSecond, timed, type Figures } from './common';
import { commitFigures, commitWorkload } from './commit-loops';
import type { DurableCommitter } from './peers';
import { openBenchPartition } from '../aipersist/open-partition';
import { benchRowIds } from '../standard/bench-row-ids';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { MvPartitionStorage, SortedIndexStorage } from '../../src/domain/storage/storage-engine.api';
import type { DeltaLogMetrics } from '../../src/domain/ports/delta-log.port';

const MiB = 1024 * 1024;
const MIN_PROFILE_BYTES = 10 * MiB;
const roundUpMiB = (bytes: number): number => Math.ceil(bytes / MiB) * MiB;

export type SyncMode = 'fsync' | 'background' | 'none';

/** A node in `workDir` with one partition and its primary index, driven through the public API and the SPI. */
export class AipersistLogBench implements DurableCommitter {
  readonly label: string;
  #node: StorageNode | null = null;
  #part!: MvPartitionStorage;
  #index!: SortedIndexStorage;
  #ownDir = false;
  readonly #api = require('../../src/interfaces/api/index') as typeof import('../../src/interfaces/api/index');
  /** New rows' RowIds: BENCH_ROWIDS (../standard/bench-row-ids.ts). */
  readonly #newRowId = benchRowIds(this.#api);
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
    const before = process.hrtime.bigint();
    const opened = await openBenchPartition(this.#api, this.workDir, this.sizeBytes, {
      aipersist: { ...checkpoint, deltaLog: { syncMode: this.syncMode } },
    });
    this.#node = opened.node;
    this.#part = opened.part;
    this.#index = opened.index;
    return [before, ...opened.marks];
  }

  /** Adds rows order[from..to) (each a new row with a new RowId, ../standard/bench-row-ids.ts, + its index entry); call inside a closure. */
  #write(w: Workload, order: Uint32Array, from: number, to: number): void {
    const p = this.#part;
    const index = this.#index;
    const ts = this.#clock.now();
    for (let i = from; i < to; i++) {
      const key = order[i]!;
      const rowId = this.#newRowId();
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
      const rowId = this.#newRowId();
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

export const cacheFor = (rows: number): number => Math.max(MIN_PROFILE_BYTES, roundUpMiB(4 * rows * (KEY_SIZE + VALUE_SIZE)));

/** Figure 4: N rows in closures of 1,000 back to back, then flush(true). */
export async function batchedInserts(syncMode: SyncMode, w: Workload, f: Figures): Promise<void> {
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

export async function runAipersist(n: number): Promise<Figures> {
  const f: Figures = {};
  // Figure 4 first: the process is as cold as aipersist-nolog's (no earlier commits have warmed the write path).
  await batchedInserts('fsync', makeWorkload(n), f);
  const cw = commitWorkload();
  await commitFigures(() => new AipersistLogBench(null, 'fsync', cacheFor(cw.n)), cw, f, (c) => (c as AipersistLogBench).logMetrics());
  return f;
}
