/**
 * Figures 1 and 2 of the delta-log benchmark for any DurableCommitter (./peers.ts, ./aipersist-subject.ts), each
 * after WARMUP_COMMITS untimed sequential commits on the same store: one writer doing SINGLE_COMMITS sequential commits, then CONCURRENT_WRITERS async loops of sequential commits until
 * CONCURRENT_COMMITS were started or CONCURRENT_SECONDS passed — commits/s, p50 / p99 latency, and (given the
 * subject's DeltaLogMetrics) the log's counters over them; every row of figure 1 and sampled rows of figure 2 are
 * read back, untimed.
 */
import { makeWorkload, valueOf, type Workload } from '../standard/workload';
import {
  CONCURRENT_COMMITS, CONCURRENT_SECONDS, CONCURRENT_WRITERS, SINGLE_COMMITS, WARMUP_COMMITS, checkKeys, gc, nowMs, perSecond, quantile,
  type Figures,
} from './common';
import type { DurableCommitter } from './peers';
import type { DeltaLogMetrics } from '../../src/domain/ports/delta-log.port';

export interface CommitRun {
  /** Timed commits (after the untimed warm-up). */
  readonly commits: number;
  /** Keys written: insertOrder[0..written), the warm-up's included. */
  readonly written: number;
  readonly ms: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * WARMUP_COMMITS untimed commits one after another (keys insertOrder[0..WARMUP_COMMITS)): every subject's figures are
 * those of a process that has been committing for a while (compiled code, warm caches), not of its first commits.
 */
async function warmUp(c: Pick<DurableCommitter, 'commit'>, w: Workload): Promise<void> {
  for (let i = 0; i < WARMUP_COMMITS; i++) await c.commit(w.insertOrder[i]!, valueOf(w, w.insertOrder[i]!));
}

/** The warm-up, then `count` timed commits one after another, key i = the workload's insertOrder[i]. */
export async function singleWriter(c: Pick<DurableCommitter, 'commit'>, w: Workload, count: number): Promise<CommitRun> {
  await warmUp(c, w);
  const order = w.insertOrder;
  const lat = new Float64Array(count);
  gc();
  const t0 = nowMs();
  for (let i = 0; i < count; i++) {
    const k = order[WARMUP_COMMITS + i]!;
    const s = nowMs();
    await c.commit(k, valueOf(w, k));
    lat[i] = nowMs() - s;
  }
  const ms = nowMs() - t0;
  return { commits: count, written: WARMUP_COMMITS + count, ms, p50Ms: quantile(lat, count, 0.5), p99Ms: quantile(lat, count, 0.99) };
}

/** `writers` loops of sequential commits, taking the next key in turn, until `max` commits started or `seconds` passed. */
async function concurrentWriters(c: DurableCommitter, w: Workload, writers: number, max: number, seconds: number): Promise<CommitRun> {
  await warmUp(c, w);
  const order = w.insertOrder;
  const lat = new Float64Array(max);
  let next = 0;
  gc();
  const t0 = nowMs();
  const deadline = t0 + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (next < max && nowMs() < deadline) {
      const i = next++;
      const k = order[WARMUP_COMMITS + i]!;
      const s = nowMs();
      await c.commit(k, valueOf(w, k));
      lat[i] = nowMs() - s;
    }
  };
  await Promise.all(Array.from({ length: writers }, loop));
  const ms = nowMs() - t0;
  return { commits: next, written: WARMUP_COMMITS + next, ms, p50Ms: quantile(lat, next, 0.5), p99Ms: quantile(lat, next, 0.99) };
}

export function commitWorkload(): Workload {
  return makeWorkload(WARMUP_COMMITS + Math.max(SINGLE_COMMITS, CONCURRENT_COMMITS, 100));
}

/** Figures 1 and 2 of a committer (a fresh one for each figure), with the checks. */
export async function commitFigures(make: () => DurableCommitter, w: Workload, f: Figures, log?: (c: DurableCommitter) => DeltaLogMetrics): Promise<void> {
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
    checkKeys(`${single.label}, single writer`, w, w.insertOrder, r.written, 1, (k) => single.lookup(k));
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
    checkKeys(`${many.label}, ${CONCURRENT_WRITERS} writers`, w, w.insertOrder, r.written, Math.max(1, Math.floor(r.written / 500)), (k) => many.lookup(k));
  } finally {
    await many.close();
  }
}
