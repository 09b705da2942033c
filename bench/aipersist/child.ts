/**
 * One run of one engine of the aipersist benchmark (bench/aipersist.bench.ts), in its own process:
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/aipersist/child.ts <id> <N>
 *
 * Ids:
 * - `aipersist`: aipersist with a cache (profile sizeBytes) ≥ 4 × the raw data. The disk's sequential-write probe
 *   (256 MiB in 1 MiB writes + fsync, before the node opens); batched inserts (1,000 rows per `runConsistently`
 *   closure, synchronous like the aimem subject: no checkpoint can run in between) then one `flush(true)`, timed
 *   together and apart; the checkpoint the flush wrote (`checkpointTotals()`); cache-resident point reads; a
 *   second flush and the background compaction after it (`compactionIdle()`), then the size of `<workDir>/db`; a clean close, then the reopen (openNode + createMvTable +
 *   createMvPartition + createSortedIndex + the first read, each step timed) and a check of sampled rows, then two
 *   more close + reopen cycles (their median, with the first, is shown beside the first reopen).
 * - `aipersist-small-cache`: aipersist with sizeBytes = raw / 4 (at least the 10 MiB the config accepts). Inserts
 *   yield a macrotask after each closure, so the dirty-pages trigger's checkpoints run as they would in an
 *   application; then a flush and point reads with most pages out of the cache (the files are in the OS page cache,
 *   as lmdb's file is).
 * - `aimem` (AistorageSubject, RowIds of the BENCH_ROWIDS kind as the aipersist subjects: ../standard/bench-row-ids.ts), `lmdb` (LmdbSubject, its default sync), `level` (LevelSubject): the
 *   standard benchmark's subjects; inserts and point reads (classic-level: inserts only).
 *
 * Prints `@@RESULT <json>` (a ChildResult) or `@@SKIP <reason>` when a peer's package cannot be loaded. Untimed
 * checks (found counts, sampled values, after the inserts and after the reopen) make a fast but wrong run fail.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULT_MARK, SKIP_MARK } from '../standard/run-result';
import { median } from '../standard/report';
import type { Subject } from '../standard/subject';
import { BENCH_PROFILE, openBenchPartition } from './open-partition';
import { benchRowIdKind, benchRowIds } from '../standard/bench-row-ids';
import { BATCH, KEY_SIZE, VALUE_SIZE, makeWorkload, valueOf, type Workload } from '../standard/workload';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { MvPartitionStorage, SortedIndexStorage } from '../../src/domain/storage/storage-engine.api';
import type { RowId as RowIdClass } from '../../src/domain/storage/row-id';

export const CHILD_IDS = ['aipersist', 'aipersist-small-cache', 'aimem', 'lmdb', 'level'] as const;
export type ChildId = (typeof CHILD_IDS)[number];

/** Every figure a child can report (absent: not measured by that engine). Rates per second, times in ms. */
export interface Figures {
  /** Rows/s of the inserts; aipersist: including the flush that makes them durable. */
  insert?: number;
  /** aipersist: rows/s of the inserts alone (the closures, before the flush). */
  insertNoFlush?: number;
  /** aipersist: wall time of the `flush(true)` after the inserts (the checkpoint; compaction follows in the background), ms. */
  flushMs?: number;
  /** Point reads/s of every key in random order. */
  pointRead?: number;
  /** aipersist: bytes the flush's checkpoint wrote, its write phase and its whole duration (ms). */
  checkpointBytes?: number;
  checkpointPages?: number;
  checkpointWriteMs?: number;
  checkpointTotalMs?: number;
  /** Checkpoints counted over the flush (1 expected) and over the inserts (0 expected in the cached run). */
  checkpointsInFlush?: number;
  checkpointsDuringInsert?: number;
  /** checkpointBytes ÷ its write phase and ÷ its whole duration, bytes/s. */
  checkpointWriteBps?: number;
  checkpointTotalBps?: number;
  /** The sequential-write probe: 256 MiB in 1 MiB writes + fsync, bytes/s. */
  seqWriteBps?: number;
  /** The second flush (after the reads), ms. */
  secondFlushMs?: number;
  /** Sum of the file sizes under <workDir>/db after the second flush; the engine's own diskBytes(); blocks used. */
  diskBytes?: number;
  engineDiskBytes?: number;
  diskAllocatedBytes?: number;
  /** The first reopen after a clean close, until the first read returned, ms; the close before it, ms. */
  reopenMs?: number;
  closeMs?: number;
  /** That first reopen's steps, ms: openNode, createMvTable (allocates the cache), createMvPartition, createSortedIndex, the first read. */
  reopenOpenNodeMs?: number;
  reopenTableMs?: number;
  reopenPartitionMs?: number;
  reopenIndexMs?: number;
  reopenFirstReadMs?: number;
  /** The median of REOPENS close + reopen cycles (the first one included), ms. */
  reopenMedianMs?: number;
  /** The profile's sizeBytes (the page cache) and the cache's pages in use after the inserts × page size. */
  cacheBytes?: number;
  cachedBytesAfterInsert?: number;
  pageSize?: number;
}

export interface ChildResult {
  readonly id: string;
  readonly label: string;
  readonly figures: Figures;
  /** Set by the parent. */
  readonly commit?: string;
  readonly run?: number;
}

const MiB = 1024 * 1024;
const SEQ_BYTES = 256 * MiB;
const SEQ_CHUNK = 1 * MiB;
const MIN_PROFILE_BYTES = 10 * MiB;
/** Close + reopen cycles of the cached run: the first is the figure; the median of all is shown beside it. */
const REOPENS = 3;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function timed<T>(body: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  gc();
  const t0 = process.hrtime.bigint();
  const value = await body();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

const perSecond = (ops: number, ms: number): number => ops / (ms / 1000);

function check(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`${what}: got ${String(got)}, expected ${String(want)}`);
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), b) === 0;
}

/** Every 1/500th key of the read order reads back its inserted value. */
async function checkSample(what: string, w: Workload, lookup: (k: number) => Uint8Array | undefined | Promise<Uint8Array | undefined>): Promise<void> {
  const step = Math.max(1, Math.floor(w.n / 500));
  for (let i = 0; i < w.n; i += step) {
    const k = w.readOrder[i]!;
    if (!sameBytes(await lookup(k), valueOf(w, k))) throw new Error(`${what}: wrong value for key ${k}`);
  }
}

/** 256 MiB in 1 MiB writes to a temp file, then fsync: the disk's sequential-write speed, bytes/s. */
function sequentialWriteProbe(dir: string): number {
  const chunk = Buffer.allocUnsafe(SEQ_CHUNK);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((Math.random() * 0x1_0000_0000) >>> 0, i);
  const path = join(dir, 'seq-write-probe.bin');
  const t0 = process.hrtime.bigint();
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < SEQ_BYTES; written += SEQ_CHUNK) writeSync(fd, chunk, 0, SEQ_CHUNK, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  unlinkSync(path);
  return SEQ_BYTES / s;
}

/** Sum of apparent sizes and of allocated blocks of every file under `dir`. */
function dirBytes(dir: string): { size: number; allocated: number } {
  let size = 0;
  let allocated = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = dirBytes(p);
      size += sub.size;
      allocated += sub.allocated;
    } else if (e.isFile()) {
      const st = statSync(p);
      size += st.size;
      allocated += st.blocks * 512;
    }
  }
  return { size, allocated };
}

// ---------------------------------------------------------------- aipersist

/** What the benchmark reads of AipersistEngine.checkpointTotals() (declared here: the engine's types are in flux). */
interface CheckpointTotals {
  readonly checkpoints: number;
  readonly pagesWritten: number;
  readonly bytesWritten: number;
  readonly last: { readonly durations: { readonly write: number; readonly total: number } } | null;
}

/** AipersistEngine's members beyond the StorageEngine SPI. */
interface AipersistInternals {
  checkpointTotals(): CheckpointTotals | null;
  compactionIdle(): Promise<void>;
  diskBytes(): number;
  readonly pageSize: number;
}

/** aipersist through the public API and the SPI, as AistorageSubject drives aimem (bench/standard/aistorage-subject.ts). */
class AipersistBench {
  #node: StorageNode | null = null;
  #part!: MvPartitionStorage;
  #index!: SortedIndexStorage;
  readonly #api = require('../../src/interfaces/api/index') as typeof import('../../src/interfaces/api/index');
  /** New rows' RowIds: BENCH_ROWIDS (../standard/bench-row-ids.ts). */
  readonly #newRowId = benchRowIds(this.#api);
  readonly #clock = new (require('../standard/bench-clock') as typeof import('../standard/bench-clock')).BenchClock();

  constructor(readonly workDir: string, readonly sizeBytes: number) {}

  get node(): StorageNode {
    return this.#node!;
  }

  get internals(): AipersistInternals {
    return this.node.engine('aipersist') as unknown as AipersistInternals;
  }

  totals(): CheckpointTotals {
    const t = this.internals.checkpointTotals();
    if (t === null) throw new Error('aipersist: checkpointTotals() returned null (no work dir?)');
    return { ...t };
  }

  /**
   * openNode + createMvTable + createMvPartition + createSortedIndex (new or existing files alike); returns the
   * hrtime (ns) after each of the four steps.
   */
  async open(): Promise<bigint[]> {
    const opened = await openBenchPartition(this.#api, this.workDir, this.sizeBytes);
    this.#node = opened.node;
    this.#part = opened.part;
    this.#index = opened.index;
    return opened.marks;
  }

  async close(): Promise<void> {
    await this.#node?.close();
    this.#node = null;
  }

  #find(key: bigint): RowIdClass | null {
    const c = this.#index.get([key]);
    const rowId = c.hasNext() ? c.next() : null;
    c.close();
    return rowId;
  }

  #insertBatch(w: Workload, from: number, to: number): void {
    const p = this.#part;
    const index = this.#index;
    const order = w.insertOrder;
    const ts = this.#clock.now();
    p.runConsistently(() => {
      for (let i = from; i < to; i++) {
        const key = order[i]!;
        const rowId = this.#newRowId();
        const r = p.addWriteCommitted(rowId, { schemaVersion: 1, bytes: valueOf(w, key) }, ts);
        if (r.status !== 'SUCCESS') throw new Error(`insert of ${key}: ${r.status}`);
        index.put({ key: [BigInt(key)], rowId });
      }
    });
  }

  /** Every closure back to back (no macrotask in between: no checkpoint runs until the flush). */
  insert(w: Workload): void {
    for (let from = 0; from < w.n; from += BATCH) this.#insertBatch(w, from, Math.min(from + BATCH, w.n));
  }

  /** A macrotask after each closure, so that the interval and dirty-pages checkpoints can run. */
  async insertYielding(w: Workload): Promise<void> {
    for (let from = 0; from < w.n; from += BATCH) {
      this.#insertBatch(w, from, Math.min(from + BATCH, w.n));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  flush(): Promise<void> {
    return this.#part.flush(true);
  }

  pointReads(w: Workload): number {
    const p = this.#part;
    const ts = this.#clock.last;
    const order = w.readOrder;
    let found = 0;
    for (let i = 0; i < order.length; i++) {
      const rowId = this.#find(BigInt(order[i]!));
      if (rowId !== null && p.read(rowId, ts).binaryRow?.bytes.length === VALUE_SIZE) found++;
    }
    return found;
  }

  lookup(key: number): Uint8Array | undefined {
    const rowId = this.#find(BigInt(key));
    return rowId === null ? undefined : (this.#part.read(rowId, this.#api.MAX_VALUE).binaryRow?.bytes ?? undefined);
  }

  cachedBytes(): number {
    const r = this.node.stats().profiles.find((p) => p.name === BENCH_PROFILE)?.region;
    return r === null || r === undefined ? 0 : r.allocatedBytes;
  }
}

function roundUpMiB(bytes: number): number {
  return Math.ceil(bytes / MiB) * MiB;
}

async function runAipersist(w: Workload, smallCache: boolean): Promise<Figures> {
  const raw = w.n * (KEY_SIZE + VALUE_SIZE);
  const sizeBytes = Math.max(MIN_PROFILE_BYTES, roundUpMiB(smallCache ? raw / 4 : 4 * raw));
  const workDir = mkdtempSync(join(tmpdir(), `aistorage-bench-aipersist-${smallCache ? 'small-' : ''}`));
  const f: Figures = { cacheBytes: sizeBytes };
  const db = new AipersistBench(workDir, sizeBytes);
  try {
    if (!smallCache) f.seqWriteBps = sequentialWriteProbe(workDir);
    await db.open();
    f.pageSize = db.internals.pageSize;
    const before = db.totals();
    const ins = await timed(() => (smallCache ? db.insertYielding(w) : db.insert(w)));
    const afterInsert = db.totals();
    f.cachedBytesAfterInsert = db.cachedBytes();
    const fl = await timed(() => db.flush());
    const afterFlush = db.totals();
    f.insertNoFlush = perSecond(w.n, ins.ms);
    f.flushMs = fl.ms;
    f.insert = perSecond(w.n, ins.ms + fl.ms);
    f.checkpointsDuringInsert = afterInsert.checkpoints - before.checkpoints;
    f.checkpointsInFlush = afterFlush.checkpoints - afterInsert.checkpoints;
    const last = afterFlush.last;
    // An empty checkpoint writes nothing and counts nothing: with the small cache, the dirty-pages checkpoint that
    // ran during the inserts may have left the flush nothing to write. The cached run must write one.
    if (!smallCache && (last === null || f.checkpointsInFlush < 1)) throw new Error('aipersist: the flush after the inserts wrote no checkpoint');
    f.checkpointBytes = afterFlush.bytesWritten - afterInsert.bytesWritten;
    f.checkpointPages = afterFlush.pagesWritten - afterInsert.pagesWritten;
    if (last !== null && f.checkpointsInFlush === 1) {
      f.checkpointWriteMs = last.durations.write;
      f.checkpointTotalMs = last.durations.total;
      f.checkpointWriteBps = perSecond(f.checkpointBytes, f.checkpointWriteMs);
      f.checkpointTotalBps = perSecond(f.checkpointBytes, f.checkpointTotalMs);
    }
    await checkSample(`aipersist ${smallCache ? 'small cache ' : ''}after insert`, w, (k) => db.lookup(k));

    const reads = await timed(() => db.pointReads(w));
    check('aipersist point reads found', reads.value, w.n);
    f.pointRead = perSecond(w.n, reads.ms);
    if (smallCache) return f;

    f.secondFlushMs = (await timed(() => db.flush())).ms;
    await db.internals.compactionIdle(); // the size on disk once compaction has run
    const disk = dirBytes(join(workDir, 'db'));
    f.diskBytes = disk.size;
    f.diskAllocatedBytes = disk.allocated;
    f.engineDiskBytes = db.internals.diskBytes();

    const reopens: number[] = [];
    for (let i = 0; i < REOPENS; i++) {
      const closed = await timed(() => db.close());
      const probeKey = w.readOrder[(w.n >> 1) + i]!;
      gc();
      const t0 = process.hrtime.bigint();
      const marks = await db.open();
      const value = db.lookup(probeKey);
      const t1 = process.hrtime.bigint();
      if (!sameBytes(value, valueOf(w, probeKey))) throw new Error(`aipersist after reopen: wrong value for key ${probeKey}`);
      const ms = (a: bigint, b: bigint): number => Number(b - a) / 1e6;
      reopens.push(ms(t0, t1));
      if (i > 0) continue;
      f.closeMs = closed.ms;
      f.reopenMs = ms(t0, t1);
      f.reopenOpenNodeMs = ms(t0, marks[0]!);
      f.reopenTableMs = ms(marks[0]!, marks[1]!);
      f.reopenPartitionMs = ms(marks[1]!, marks[2]!);
      f.reopenIndexMs = ms(marks[2]!, marks[3]!);
      f.reopenFirstReadMs = ms(marks[3]!, t1);
      await checkSample('aipersist after reopen', w, (k) => db.lookup(k));
      check('aipersist point reads found after reopen', db.pointReads(w), w.n);
    }
    f.reopenMedianMs = median(reopens);
    return f;
  } finally {
    try {
      await db.close();
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------- peers

async function runPeer(s: Subject, w: Workload, reads: boolean): Promise<Figures> {
  const f: Figures = {};
  await s.open(w);
  try {
    f.insert = perSecond(w.n, (await timed(() => s.insert(w))).ms);
    await checkSample(`${s.label} after insert`, w, (k) => s.lookup(k));
    if (reads) {
      const r = await timed(() => s.pointReads(w));
      check(`${s.label} point reads found`, r.value, w.n);
      f.pointRead = perSecond(w.n, r.ms);
    }
  } finally {
    await s.close();
  }
  return f;
}

/** The peer's subject, or a string saying why its package cannot be loaded. */
function peer(id: 'aimem' | 'lmdb' | 'level'): Subject | string {
  try {
    switch (id) {
      case 'aimem': {
        const { AistorageSubject } = require('../standard/aistorage-subject') as typeof import('../standard/aistorage-subject');
        return new AistorageSubject('aimem', benchRowIdKind());
      }
      case 'lmdb': {
        const { LmdbSubject } = require('../standard/native-peers') as typeof import('../standard/native-peers');
        return new LmdbSubject(require('lmdb') as typeof import('lmdb'), false);
      }
      case 'level': {
        const { LevelSubject } = require('../standard/native-peers') as typeof import('../standard/native-peers');
        return new LevelSubject(require('classic-level') as typeof import('classic-level'));
      }
    }
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
}

export const LABELS: Record<ChildId, string> = {
  aipersist: 'aipersist (cache ≥ 4 × raw)',
  'aipersist-small-cache': 'aipersist (cache = raw / 4)',
  aimem: 'aistorage aimem',
  lmdb: 'lmdb (lmdb-js, default sync)',
  level: 'classic-level (LevelDB)',
};

async function main(): Promise<void> {
  const [id, nText] = process.argv.slice(2) as [ChildId, string];
  if (!CHILD_IDS.includes(id)) throw new Error(`unknown id ${id}; ids: ${CHILD_IDS.join(', ')}`);
  const w = makeWorkload(Number(nText));
  let figures: Figures;
  if (id === 'aipersist' || id === 'aipersist-small-cache') {
    figures = await runAipersist(w, id === 'aipersist-small-cache');
  } else {
    const s = peer(id);
    if (typeof s === 'string') {
      console.log(`${SKIP_MARK}${s}`);
      return;
    }
    figures = await runPeer(s, w, id !== 'level');
  }
  const result: ChildResult = { id, label: LABELS[id], figures };
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
