/**
 * The durable-commit figures of the tables benchmark for any UpsertCommitter (./committers.ts), each on a fresh
 * store: one writer doing SINGLE_COMMITS sequential commits after bench/delta-log's untimed warm-up (BENCH_WARMUP_COMMITS;
 * key i = the commit workload's insertOrder[i]), then
 * CONCURRENT_WRITERS async loops, loop j upserting its own keys (insertOrder[j], [j + 64], [j + 128], ...: no two
 * loops touch one row), until CONCURRENT_COMMITS were started or CONCURRENT_SECONDS passed — commits/s, p50 / p99.
 * Sizes are bench/delta-log's (bench/delta-log/common.ts: BENCH_SINGLE_COMMITS, BENCH_CONCURRENT_COMMITS,
 * BENCH_CONCURRENT_SECONDS). Every row of the single writer and sampled rows of the concurrent loops are read back,
 * untimed.
 */
import { valueOf, type Workload } from '../standard/workload';
import { CONCURRENT_COMMITS, CONCURRENT_SECONDS, CONCURRENT_WRITERS, SINGLE_COMMITS, gc, nowMs, perSecond, quantile } from '../delta-log/common';
import { singleWriter, type CommitRun as TimedCommits } from '../delta-log/commit-loops';
import type { CommitFigures } from './common';
import type { UpsertCommitter } from './committers';

interface CommitRun extends TimedCommits {
  /** The keys committed, in the order their commits resolved. */
  readonly keys: Uint32Array;
}

/** `writers` loops, loop j committing keys order[j + writers × m] one after another, until `max` started or `seconds` passed. */
async function concurrentWriters(c: UpsertCommitter, w: Workload, writers: number, max: number, seconds: number): Promise<CommitRun> {
  const order = w.insertOrder;
  const limit = Math.min(max, order.length);
  const lat = new Float64Array(limit);
  const keys = new Uint32Array(limit);
  let started = 0;
  let done = 0;
  gc();
  const t0 = nowMs();
  const deadline = t0 + seconds * 1000;
  const loop = async (j: number): Promise<void> => {
    for (let i = j; i < limit && started < limit && nowMs() < deadline; i += writers) {
      started++;
      const s = nowMs();
      await c.commit(order[i]!, valueOf(w, order[i]!));
      lat[done] = nowMs() - s;
      keys[done++] = order[i]!;
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, j) => loop(j)));
  const ms = nowMs() - t0;
  return { commits: done, written: done, ms, p50Ms: quantile(lat, done, 0.5), p99Ms: quantile(lat, done, 0.99), keys: keys.subarray(0, done) };
}

/** Every `step`-th committed key reads back its value. */
async function checkCommitted(what: string, c: UpsertCommitter, w: Workload, keys: Uint32Array, step: number): Promise<void> {
  for (let i = 0; i < keys.length; i += step) {
    const k = keys[i]!;
    const got = await c.lookup(k);
    if (got == null || Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.length), valueOf(w, k)) !== 0) {
      throw new Error(`${what}: wrong or missing value for key ${k}`);
    }
  }
}

/** Runs `body` on a fresh committer from `make`, closing it whatever happens. */
async function withCommitter<T>(make: () => UpsertCommitter, body: (c: UpsertCommitter) => Promise<T>): Promise<T> {
  const c = make();
  await c.open();
  try {
    return await body(c);
  } finally {
    await c.close();
  }
}

/** The single-writer and the concurrent figures of a committer (a fresh one for each), with the checks. */
export async function commitFigures(make: () => UpsertCommitter, w: Workload): Promise<CommitFigures> {
  const f: CommitFigures = {};
  await withCommitter(make, async (c) => {
    const r = await singleWriter(c, w, SINGLE_COMMITS);
    f.singleCommitsPerSec = perSecond(r.commits, r.ms);
    f.singleP50Ms = r.p50Ms;
    f.singleP99Ms = r.p99Ms;
    await checkCommitted(`${c.label}, single writer`, c, w, w.insertOrder.subarray(0, r.written), 1);
  });
  await withCommitter(make, async (c) => {
    const r = await concurrentWriters(c, w, CONCURRENT_WRITERS, CONCURRENT_COMMITS, CONCURRENT_SECONDS);
    f.concurrentCommits = r.commits;
    f.concurrentSeconds = r.ms / 1000;
    f.concurrentCommitsPerSec = perSecond(r.commits, r.ms);
    f.concurrentP50Ms = r.p50Ms;
    f.concurrentP99Ms = r.p99Ms;
    await checkCommitted(`${c.label}, ${CONCURRENT_WRITERS} writers`, c, w, r.keys, Math.max(1, Math.floor(r.commits / 500)));
  });
  return f;
}
