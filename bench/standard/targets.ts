/**
 * The aimem targets, checked against the peers measured in the same run (for information: a run never fails on
 * them). Each is judged on the median of the per-run ratios (ratios.ts); the min–max beside it says whether the
 * verdict could flip on a noisier run. lmdb means lmdb with its default durable commits (id `lmdb`), not the
 * no-sync variant; sorted-btree means Buffer keys with `Buffer.compare` as the comparator.
 */
import type { Column } from './report';
import { formatRatio, stats, type RatioStats, type RatioTable } from './ratios';
import type { RunResult } from './run-result';

interface SpeedTarget {
  readonly what: string;
  readonly col: Column;
  readonly peerId: string;
  readonly peerName: string;
  readonly factor: number;
  /** A higher figure aimed at beyond the target (reported, not judged). */
  readonly goal?: number;
}

const SPEED_TARGETS: readonly SpeedTarget[] = [
  { what: 'point reads', col: 'point read', peerId: 'lmdb', peerName: 'lmdb', factor: 1.5, goal: 2 },
  { what: 'point reads', col: 'point read', peerId: 'btree-buffer', peerName: 'sorted-btree (Buffer keys)', factor: 1 },
  { what: '100-row range scans', col: 'range scan', peerId: 'lmdb', peerName: 'lmdb', factor: 5 },
  { what: 'full scans', col: 'full scan', peerId: 'lmdb', peerName: 'lmdb', factor: 1 },
  { what: 'inserts', col: 'insert', peerId: 'lmdb', peerName: 'lmdb', factor: 2 },
  { what: 'updates', col: 'update', peerId: 'lmdb', peerName: 'lmdb', factor: 2 },
  { what: 'deletes', col: 'delete', peerId: 'lmdb', peerName: 'lmdb', factor: 2 },
];

/** Region allocated bytes after the inserts ÷ raw data (N × (8 + 100) bytes), at most. */
const MEMORY_LIMIT = 1.6;

/** One target's verdict, as printed and as stored in the results JSON. */
export interface TargetResult {
  readonly target: string;
  /** Median, min–max and per-run figures; absent when the peer (or the region stats) was not measured. */
  readonly measured?: RatioStats;
  readonly met?: boolean;
  readonly goalMet?: boolean;
}

/** As the targets are written: 1.0 ×, 1.5 ×, 2 ×, 5 ×. */
const fmtFactor = (x: number): string => (x === 1 ? '1.0' : String(x));

function speedTarget(t: SpeedTarget, aiId: string, ratios: RatioTable): TargetResult {
  const target = `${t.what} ≥ ${fmtFactor(t.factor)} × ${t.peerName}${t.goal === undefined ? '' : ` (goal ${t.goal} ×)`}`;
  const measured = ratios[aiId]?.[t.peerId]?.[t.col];
  if (measured === undefined) return { target };
  const goalMet = t.goal === undefined ? undefined : measured.median >= t.goal;
  return { target, measured, met: measured.median >= t.factor, ...(goalMet === undefined ? {} : { goalMet }) };
}

/** Per run: the region's allocated bytes after the inserts ÷ raw bytes. */
function memoryTarget(aiRuns: readonly RunResult[], raw: number): TargetResult {
  const target = `memory (region allocated bytes after insert ÷ raw N × 108 bytes) ≤ ${MEMORY_LIMIT}`;
  const runs: number[] = [];
  const perRun: number[] = [];
  aiRuns.forEach((r, i) => {
    if (r.memoryAfterInsert === null) return;
    runs.push(r.run ?? i);
    perRun.push(r.memoryAfterInsert.allocatedBytes / raw);
  });
  const measured = stats(runs, perRun);
  return measured === undefined ? { target } : { target, measured, met: measured.median <= MEMORY_LIMIT };
}

export function targetResults(aiId: string, aiRuns: readonly RunResult[], ratios: RatioTable, raw: number): TargetResult[] {
  return [...SPEED_TARGETS.map((t) => speedTarget(t, aiId, ratios)), memoryTarget(aiRuns, raw)];
}

export function targetLine(r: TargetResult): string {
  if (r.measured === undefined) return `${r.target}: not measured in this run`;
  const goal = r.goalMet === undefined ? '' : `; goal ${r.goalMet ? 'reached' : 'not reached'}`;
  return `${r.target}: ${formatRatio(r.measured)} — ${r.met === true ? 'met' : 'NOT met'}${goal}`;
}
