/**
 * What the overload child watches of the engine while the writers run: the `default` region's throttling metrics
 * (dirty ratio, target ratio, checkpoint and mark-dirty speeds, the `active` flag, totalThrottleMillis, throttled
 * writes; DISABLED's throttle measures no mark-dirty speed: 0) and cache counters from `node.metrics()` once per
 * window (a timer; a window the timer missed takes the sample before it), and the checkpoint, throttling and
 * compaction periods from `node.events$` (coarse events, a few per second).
 * Everything is kept as absolute counters and performance.now() times; `trace()` turns them into per-window deltas
 * relative to the phase's start.
 */
import { performance } from 'node:perf_hooks';
import type { Subscription } from 'rxjs';
import type { StorageNode } from '../../src/interfaces/api/storage-node';
import type { CheckpointFinishedEvent, NodeEvent } from '../../src/interfaces/api/index';
import type { Period, WindowSample } from './common';
import { WINDOW_MS } from './common';

const PROFILE = 'default';

/** The counters of one sample (absolute, since the node opened). */
export interface Counters {
  readonly dirtyRatio: number;
  readonly targetDirtyRatio: number;
  readonly throttleMs: number;
  readonly throttledWrites: number;
  /** The throttle's own `active` flag (a throttling period is open) at the sample. */
  readonly throttlingActive: boolean;
  readonly checkpointPagesPerSec: number;
  readonly markDirtyPagesPerSec: number;
  readonly bufferFill: number;
  readonly bufferFullFallbacks: number;
  readonly misses: number;
  readonly spillWrites: number;
  readonly checkpoints: number;
  readonly checkpointPages: number;
  readonly deltaFilesMerged: number;
}

export function counters(node: StorageNode): Counters {
  const a = node.metrics().aipersist;
  const t = a?.throttling.find((x) => x.profile === PROFILE);
  const c = a?.caches.find((x) => x.profile === PROFILE);
  if (a == null || t === undefined || c === undefined) {
    throw new Error(`node.metrics() has no aipersist throttling or cache metrics for profile ${PROFILE}`);
  }
  return {
    dirtyRatio: t.dirtyRatio, targetDirtyRatio: t.targetDirtyRatio, throttleMs: t.totalThrottleMillis, throttledWrites: t.throttledWrites,
    throttlingActive: t.active, checkpointPagesPerSec: t.checkpointPagesPerSec, markDirtyPagesPerSec: t.markDirtyPagesPerSec, bufferFill: t.bufferFill,
    bufferFullFallbacks: t.bufferFullFallbacks, misses: c.misses, spillWrites: c.spillWrites,
    checkpoints: a.checkpoints.count, checkpointPages: a.checkpoints.pagesWritten, deltaFilesMerged: a.compaction.deltaFilesMerged,
  };
}

interface OpenPeriod {
  from: number;
  label: string;
}

export class EngineProbe {
  readonly #node: StorageNode;
  readonly #samples: Array<Counters | undefined> = [];
  readonly #checkpoints: Period[] = [];
  readonly #throttling: Period[] = [];
  readonly #compactions: Period[] = [];
  #checkpoint: OpenPeriod | null = null;
  #throttle: OpenPeriod | null = null;
  readonly #sub: Subscription;
  readonly base: Counters;

  constructor(node: StorageNode) {
    this.#node = node;
    this.base = counters(node);
    this.#sub = node.events$.subscribe((e) => this.#event(e));
  }

  #event(e: NodeEvent): void {
    const now = performance.now();
    switch (e.type) {
      case 'checkpoint.started':
        this.#checkpoint = { from: now, label: e.reason };
        break;
      case 'checkpoint.finished':
        this.#checkpoints.push({ fromMs: this.#checkpoint?.from ?? now, toMs: now, label: checkpointLabel(e) });
        this.#checkpoint = null;
        break;
      case 'throttling.started':
        this.#throttle = { from: now, label: e.reason };
        break;
      case 'throttling.stopped':
        this.#throttling.push({
          fromMs: this.#throttle?.from ?? now, toMs: now, label: `${e.reason}: ${e.throttledWrites} writes, ${e.throttleMillis.toFixed(0)} ms`,
        });
        this.#throttle = null;
        break;
      case 'compaction.finished':
        this.#compactions.push({ fromMs: now - e.millis, toMs: now, label: `${e.deltaFilesMerged} delta files, ${e.pagesMerged} pages` });
        break;
      default:
    }
  }

  /** The timer's sample for `window` (the last one taken in it wins). */
  sample(window: number): void {
    this.#samples[window] = counters(this.#node);
  }

  /** Stops listening; periods still open end at `endAt`. */
  stop(endAt: number): void {
    this.#sub.unsubscribe();
    const cp = this.#checkpoint;
    if (cp !== null) this.#checkpoints.push({ fromMs: cp.from, toMs: endAt, label: `${cp.label} (running at the end)` });
    const th = this.#throttle;
    if (th !== null) this.#throttling.push({ fromMs: th.from, toMs: endAt, label: `${th.label} (active at the end)` });
  }

  /** Periods overlapping [startAt, endAt), relative to startAt. */
  periods(startAt: number, endAt: number): { checkpoints: Period[]; throttling: Period[]; compactions: Period[] } {
    const rel = (ps: Period[]): Period[] => ps
      .filter((p) => p.toMs > startAt && p.fromMs < endAt)
      .map((p) => ({ fromMs: Math.max(0, p.fromMs - startAt), toMs: Math.min(endAt, p.toMs) - startAt, label: p.label }));
    return { checkpoints: rel(this.#checkpoints), throttling: rel(this.#throttling), compactions: rel(this.#compactions) };
  }

  /** Per-window samples for `windows` windows: ratios as sampled, counters as deltas from the window before. */
  trace(windows: number, startAt: number, endAt: number): WindowSample[] {
    const { checkpoints, throttling, compactions } = this.periods(startAt, endAt);
    const overlaps = (ps: Period[], w: number): boolean => ps.some((p) => p.fromMs < (w + 1) * WINDOW_MS && p.toMs > w * WINDOW_MS);
    const out: WindowSample[] = [];
    let prev = this.base;
    for (let w = 0; w < windows; w++) {
      const s = this.#samples[w] ?? prev;
      out.push({
        dirtyRatio: round(s.dirtyRatio, 4), targetDirtyRatio: round(s.targetDirtyRatio, 4),
        throttleMs: round(s.throttleMs - prev.throttleMs, 2), totalThrottleMs: round(s.throttleMs - this.base.throttleMs, 1),
        throttledWrites: s.throttledWrites - prev.throttledWrites,
        throttlingActive: overlaps(throttling, w), throttlingActiveAtSample: s.throttlingActive,
        checkpointRunning: overlaps(checkpoints, w), compactionRunning: overlaps(compactions, w),
        checkpointPagesPerSec: Math.round(s.checkpointPagesPerSec), markDirtyPagesPerSec: Math.round(s.markDirtyPagesPerSec),
        bufferFill: round(s.bufferFill, 4), misses: s.misses - prev.misses, spillWrites: s.spillWrites - prev.spillWrites,
        deltaFilesMerged: s.deltaFilesMerged - prev.deltaFilesMerged,
      });
      prev = s;
    }
    return out;
  }
}

function checkpointLabel(e: CheckpointFinishedEvent): string {
  const d = e.durations;
  const phases = `lock wait ${d.lockWait.toFixed(1)} / hold ${d.lockHold.toFixed(1)} / write ${d.write.toFixed(0)} ms`;
  return `${e.reason}: ${e.pagesToMain + e.pagesToDelta} pages, ${phases}`;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));
