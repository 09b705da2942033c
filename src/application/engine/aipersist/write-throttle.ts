/**
 * Write throttling of one aipersist region (DESIGN.md §5; the policies' formulae: src/domain/throttling/). The gate
 * every write closure of the region passes (`WriteGate.pass`): cheap while nothing is wrong — a clock read and a
 * comparison — and, while writers must slow down, a pacing schedule shared by all of them: each closure takes the
 * next slot, `delay` after the one before, and waits for it with a timer (never a busy wait). A shared schedule
 * rather than a pause per writer: the region's write rate is what the policies set, however many writers there are,
 * and each of them sees about the same small delay — smooth throughput instead of stalls.
 *
 * Every DECIDE_EVERY_MS the throttle decides again from what it measures (mark-dirty speed, pages dirtied per
 * closure) and what the checkpointer reports (progress, write speed):
 * - checkpoint-buffer protection (both policies): while a checkpoint runs and its copy-on-write buffer is past 2/3,
 *   each closure waits an exponential backoff (4 µs × 1.05^k, k = consecutive throttled closures), and above 90%
 *   at least as long as the checkpoint needs to write the pages a closure dirties. Every writer of the region is
 *   slowed, not only those that touch checkpoint pages: a closure's pages are not known before it runs. The
 *   checkpointer meanwhile writes first the partitions whose copies fill the buffer (checkpointer.ts), and a copy
 *   goes back as soon as its image is written (checkpoint-images.ts);
 * - SPEED_BASED: while a checkpoint runs, the region's mark-dirty rate is held to the rate at which dirty pages
 *   reach maxDirtyRatio no sooner than the checkpoint ends (speedBasedDecision), but never below WRITER_SPEED_FACTOR
 *   × the checkpoint's own write speed (the pace it holds past maxDirtyRatio): see #speedBasedDecision;
 * - TARGET_RATIO: while a checkpoint runs and the dirty ratio is past the threshold its progress allows, the
 *   exponential backoff.
 * A writer that does not pass the gate (synchronous runConsistently callers) is never blocked: when the buffer is
 * full, the page's snapshot image goes to the spill area (PersistentPageMemory's fallback, counted as
 * `bufferFullFallbacks`), so a checkpoint is never damaged and a write never fails for it.
 */
import { bufferZone } from '../../../domain/throttling/checkpoint-buffer';
import type { CheckpointProgress } from '../../../domain/throttling/checkpoint-progress';
import { ExponentialBackoff } from '../../../domain/throttling/exponential-backoff';
import { speedBasedDecision } from '../../../domain/throttling/speed-based-policy';
import { targetRatioThreshold, targetRatioThrottles } from '../../../domain/throttling/target-ratio-policy';
import type { ThrottlingEvent, ThrottlingReason } from '../../../domain/throttling/throttling.events';
import type { ThrottleClock, WriteGate } from '../../../domain/throttling/write-gate';
import type { ThrottlingConfig } from '../../config/config.model';
import type { ThrottlingMetrics } from '../node-metrics';

/** How often the throttle decides again (ms): between two decisions a closure costs a clock read. */
export const DECIDE_EVERY_MS = 1;
/** ... and at least every this many closures: a burst within one millisecond is decided on too. */
export const DECIDE_EVERY_CLOSURES = 16;
/** The window over which mark-dirty speed and pages per closure are measured (ms). */
export const MEASURE_WINDOW_MS = 50;
/** Delays shorter than this add up in the schedule and are waited once they reach it (timers are ms-grained). */
export const MIN_SLEEP_MS = 1;
/**
 * SPEED_BASED never holds writers below this many times the checkpoint's page speed. Past maxDirtyRatio nothing stops
 * here (dirty pages go to the spill area), so a slower pace would only be latency; and a closure's pages are counted
 * as it dirties them, while the checkpoint writes a page once however often it was dirtied. Measured in the overload
 * benchmark: at 1× SPEED_BASED's throughput fell below DISABLED's; at 2× it matched it with smoother windows.
 */
export const WRITER_SPEED_FACTOR = 2;
/** A throttling period ends after this long without a reason to throttle (ms): no start/stop event storms. */
export const STOP_AFTER_MS = 100;

/** What the throttle reads of its region's page memory (PersistentPageMemory). */
export interface ThrottledMemory {
  readonly frames: number;
  readonly dirtyPages: number;
  readonly markedDirtyPages: number;
  checkpointImages(): { readonly bufferUsedPages: number; readonly bufferCapacityPages: number; readonly copiedToSpill: number };
}

export interface WriteThrottleOptions {
  readonly region: string;
  readonly config: ThrottlingConfig;
  readonly memory: ThrottledMemory;
  readonly progress: CheckpointProgress;
  /** Write closures of the region so far (a counter): with the mark-dirty count, pages dirtied per closure. */
  readonly closures: () => number;
  readonly clock: ThrottleClock;
  /** Called with each throttling.started / throttling.stopped (the engine forwards them to events$). */
  readonly emit: (e: ThrottlingEvent) => void;
}

export class WriteThrottle implements WriteGate {
  readonly #o: WriteThrottleOptions;
  readonly #backoff = new ExponentialBackoff();
  #decideAt = 0;
  #undecided = 0;
  /** Wake-ups of the writers asleep now (a few, one per writer: at most the region's concurrent writers). */
  readonly #waiting: Array<() => void> = [];
  /** The delay per closure now (ms; 0: none), and why; the backoff's delay is taken per closure instead. */
  #delayMs = 0;
  #reason: ThrottlingReason | null = null;
  #backoffOn = false;
  /** The pacing schedule: when the next closure may start. */
  #slot = 0;
  // Measurements.
  #windowAt = 0;
  #marksAt = 0;
  #closuresAt = 0;
  #markSpeed = 0;
  #pagesPerClosure = 1;
  #dirtyRatio = 0;
  #targetRatio: number;
  #initialRatio = -1;
  // The current period and the totals.
  #active = false;
  #startedAt = 0;
  #lastReasonAt = 0;
  #periodWrites = 0;
  #periodMillis = 0;
  #throttledWrites = 0;
  #totalMillis = 0;
  #startReason: ThrottlingReason = 'dirty pages';

  constructor(opts: WriteThrottleOptions) {
    this.#o = opts;
    this.#targetRatio = opts.config.maxDirtyRatio;
    opts.progress.onEnd(() => this.#checkpointEnded());
  }

  /** Throttling is for a running checkpoint: when it ends, so does the period (the next pass decides afresh). */
  #checkpointEnded(): void {
    const now = this.#o.clock.now();
    this.#decideAt = 0;
    this.#reason = null;
    this.#slot = 0;
    this.#backoff.reset();
    if (this.#active) this.#stop(now);
    // Writers still asleep were paced for a checkpoint that is over: they go on now.
    const waiting = this.#waiting.splice(0);
    for (const wake of waiting) wake();
  }

  pass(): Promise<void> | null {
    if (this.#o.config.policy === 'DISABLED') return null;
    const now = this.#o.clock.now();
    if (now >= this.#decideAt || ++this.#undecided >= DECIDE_EVERY_CLOSURES) this.#decide(now);
    if (this.#reason === null) return null;
    const delay = this.#backoffOn ? this.#backoff.next() / 1e6 : this.#delayMs;
    const start = Math.max(now, this.#slot);
    this.#slot = start + delay;
    const wait = start - now;
    this.#throttledWrites++;
    this.#periodWrites++;
    if (wait < MIN_SLEEP_MS) return null;
    this.#totalMillis += wait;
    this.#periodMillis += wait;
    return new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      void this.#o.clock.sleep(wait).then(() => {
        const i = this.#waiting.indexOf(resolve);
        if (i >= 0) this.#waiting.splice(i, 1); // else woken already: the checkpoint ended first
        resolve();
      });
    });
  }

  metrics(): ThrottlingMetrics {
    const b = this.#o.memory.checkpointImages();
    return {
      profile: this.#o.region, policy: this.#o.config.policy, active: this.#active, reason: this.#active ? this.#startReason : null,
      throttledWrites: this.#throttledWrites, totalThrottleMillis: this.#totalMillis, currentThrottleMillis: this.#active ? this.#periodMillis : 0,
      dirtyRatio: this.#o.memory.dirtyPages / this.#o.memory.frames, targetDirtyRatio: this.#targetRatio,
      checkpointPagesPerSec: this.#o.progress.pagesPerSec(), markDirtyPagesPerSec: this.#markSpeed,
      bufferFill: b.bufferUsedPages / b.bufferCapacityPages, bufferFullFallbacks: b.copiedToSpill,
    };
  }

  #decide(now: number): void {
    this.#decideAt = now + DECIDE_EVERY_MS;
    this.#undecided = 0;
    this.#measure(now);
    const reason = this.#decision();
    if (reason !== null) {
      this.#lastReasonAt = now;
      if (!this.#active) this.#start(now, reason);
    } else if (this.#active && now - this.#lastReasonAt >= STOP_AFTER_MS) this.#stop(now);
    if (reason === null && this.#reason !== null) this.#slot = 0; // the schedule starts afresh next time
    this.#reason = reason;
  }

  /** Mark-dirty speed and pages dirtied per closure over the last window; the dirty ratio now. */
  #measure(now: number): void {
    const m = this.#o.memory;
    this.#dirtyRatio = m.dirtyPages / m.frames;
    const ms = now - this.#windowAt;
    if (ms < MEASURE_WINDOW_MS) return;
    const marks = m.markedDirtyPages - this.#marksAt;
    const closuresNow = this.#o.closures();
    const closures = closuresNow - this.#closuresAt;
    this.#markSpeed = (marks * 1000) / ms;
    if (closures > 0) this.#pagesPerClosure = marks / closures;
    this.#windowAt = now;
    this.#marksAt = m.markedDirtyPages;
    this.#closuresAt = closuresNow;
  }

  /** Why writers must slow down now (the delay set in #delayMs / #backoffOn), or null. */
  #decision(): ThrottlingReason | null {
    const p = this.#o.progress;
    const cfg = this.#o.config;
    if (!p.running) {
      this.#initialRatio = -1;
      this.#targetRatio = cfg.maxDirtyRatio;
      this.#backoff.reset();
      return null;
    }
    if (this.#initialRatio < 0) this.#initialRatio = this.#dirtyRatio;
    const b = this.#o.memory.checkpointImages();
    const zone = bufferZone(b.bufferUsedPages, b.bufferCapacityPages);
    const speed = p.pagesPerSec();
    const pageMs = speed > 0 ? (1000 * Math.max(this.#pagesPerClosure, 0)) / speed : 0;
    if (zone !== 'safe') {
      this.#backoffOn = zone === 'danger' || pageMs <= 0;
      this.#delayMs = pageMs;
      if (zone === 'heavy' && !this.#backoffOn) this.#delayMs = pageMs + this.#backoff.next() / 1e6;
      return 'checkpoint buffer';
    }
    return cfg.policy === 'TARGET_RATIO' ? this.#targetRatioDecision() : this.#speedBasedDecision(pageMs);
  }

  #speedBasedDecision(pageMs: number): ThrottlingReason | null {
    const p = this.#o.progress;
    const cfg = this.#o.config;
    this.#backoffOn = false;
    this.#backoff.reset();
    if (this.#dirtyRatio >= cfg.maxDirtyRatio) {
      // Past the limit: writers dirty pages no faster than WRITER_SPEED_FACTOR × the checkpoint's speed.
      this.#targetRatio = cfg.maxDirtyRatio;
      this.#delayMs = pageMs / WRITER_SPEED_FACTOR;
      return pageMs > 0 ? 'dirty pages' : null;
    }
    const d = speedBasedDecision({
      regionPages: this.#o.memory.frames, dirtyRatio: this.#dirtyRatio, donePages: p.donePages(), checkpointPages: p.totalPages,
      checkpointSpeed: p.pagesPerSec(), markSpeed: this.#markSpeed, writers: 1, initialDirtyRatio: this.#initialRatio,
      minDirtyRatio: cfg.minDirtyRatio, maxDirtyRatio: cfg.maxDirtyRatio,
    });
    this.#targetRatio = d.targetRatio;
    // The policy's pause is per page (one writer): a closure dirtying n pages waits n pauses — but never longer than
    // the checkpoint takes to write n / WRITER_SPEED_FACTOR pages. Writers are not held below that: near the limit
    // the policy's pause grows without bound (its headroom shrinks to nothing), which in the spec's system is what
    // keeps writers from a hard stop at the limit. Here the limit is no stop — past it dirty pages go to the spill
    // area — so a slower pace would only turn into latency (every writer queues behind it) and not into safety.
    const policyMs = (d.parkNanos / 1e6) * this.#pagesPerClosure;
    this.#delayMs = pageMs > 0 ? Math.min(policyMs, pageMs / WRITER_SPEED_FACTOR) : policyMs;
    return this.#delayMs > 0 ? 'dirty pages' : null;
  }

  #targetRatioDecision(): ThrottlingReason | null {
    const p = this.#o.progress;
    this.#targetRatio = targetRatioThreshold(p.writtenPages, p.totalPages);
    const throttles = targetRatioThrottles({
      pageInCheckpoint: false, bufferInDanger: false, checkpointRunning: true,
      writtenPages: p.writtenPages, totalPages: p.totalPages, dirtyRatio: this.#dirtyRatio,
    });
    this.#backoffOn = throttles;
    if (!throttles) this.#backoff.reset();
    return throttles ? 'dirty pages' : null;
  }

  #start(now: number, reason: ThrottlingReason): void {
    this.#active = true;
    this.#startedAt = now;
    this.#periodWrites = 0;
    this.#periodMillis = 0;
    this.#startReason = reason;
    const b = this.#o.memory.checkpointImages();
    this.#o.emit({
      type: 'throttling.started', region: this.#o.region, policy: this.#o.config.policy, reason,
      bufferFill: b.bufferUsedPages / b.bufferCapacityPages, dirtyRatio: this.#dirtyRatio,
    });
  }

  #stop(now: number): void {
    this.#active = false;
    const b = this.#o.memory.checkpointImages();
    this.#o.emit({
      type: 'throttling.stopped', region: this.#o.region, policy: this.#o.config.policy, reason: this.#startReason,
      bufferFill: b.bufferUsedPages / b.bufferCapacityPages, dirtyRatio: this.#dirtyRatio,
      millis: now - this.#startedAt, throttledWrites: this.#periodWrites, throttleMillis: this.#periodMillis,
    });
  }
}
