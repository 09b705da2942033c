/**
 * Figure 3 of the delta-log benchmark, replay on open, in two processes of ./child.ts on one work dir (the parent
 * runs the two as its `aipersist-replay` subject):
 * - `replay-write <workDir>`: the writer. Opens a node with the interval checkpoint off
 *   (`checkpoint.intervalMillis` 0) and a cache ≥ 4 × raw (the dirty-pages checkpoint never fires), writes N records —
 *   `runConsistently` closures of REPLAY_ROWS rows + index entries each, every 1,000th one a `runDurably` awaited, the
 *   last one too, so every record is fdatasynced — checks that no checkpoint ran, prints its result, then SIGKILLs
 *   itself: no close, no last checkpoint, everything is in the log only.
 * - `replay-open <workDir>`: the reopen, timed step by step: openNode (the log's recovery scan is here) +
 *   createMvTable + createMvPartition (the replay of its records) + createSortedIndex; then the log's
 *   recovered / replayed records and replayMillis (node.metrics().aipersist.deltaLog); then, untimed, every row is
 *   there (index entries and estimatedSize = rows written, sampled values) and the node closes cleanly.
 */
import { RESULT_MARK } from '../standard/run-result';
import { makeWorkload } from '../standard/workload';
import { LABELS, REPLAY_ROWS, checkKeys, gc, nowMs, perSecond, type ChildResult, type Figures } from './common';
import { AipersistLogBench, cacheFor } from './aipersist-subject';

/** Figure 3's writer: a runDurably every this many records. */
const REPLAY_DURABLE_EVERY = 1_000;

const replayRecords = (n: number): number => Math.ceil(n / REPLAY_ROWS);

function replayNode(workDir: string, n: number): AipersistLogBench {
  return new AipersistLogBench(workDir, 'fsync', cacheFor(n), 0);
}

/** Writes the records, checks that no checkpoint covered them, prints the result and dies by SIGKILL. */
export async function replayWrite(n: number, workDir: string): Promise<never> {
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

export async function replayOpen(n: number, workDir: string): Promise<Figures> {
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
