/** What a child run reports to the parent (one JSON line on stdout). */
import type { PhaseName, StoreMemory } from './subject';

export interface PhaseTiming {
  readonly ops: number;
  readonly seconds: number;
  /** The phase's window on the monotonic clock (µs; the clock of V8's CPU profiles), to split a profile by phase. */
  readonly startUs: number;
  readonly endUs: number;
}

export interface RunResult {
  readonly id: string;
  readonly label: string;
  readonly phases: Partial<Record<PhaseName | 'second scan', PhaseTiming>>;
  /** RSS before the store was opened (workload already generated, after a gc), in bytes. */
  readonly baselineRss: number;
  /** The process's peak RSS (getrusage maxRSS), in bytes. */
  readonly peakRss: number;
  /** The highest RSS at the end of a phase, in bytes. */
  readonly maxPhaseRss: number;
  readonly memoryAfterInsert: StoreMemory | null;
  readonly memoryAfterDelete: StoreMemory | null;
  /** The git commit when the run started (set by the parent; the engine's sources may change between runs). */
  readonly commit?: string;
  /** Which of the interleaved runs this was, from 0 (set by the parent): ratios pair run r with run r. */
  readonly run?: number;
}

export const RESULT_MARK = '@@RESULT ';
export const SKIP_MARK = '@@SKIP ';
