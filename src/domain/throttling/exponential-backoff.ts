/**
 * The progressive delay of checkpoint-buffer protection (DESIGN.md §5 "Write throttling"; the spec's system parks
 * 4,000 ns × 1.05^k, k = consecutive throttled writes): each `next()` is 5% longer than the one before; `reset()`
 * starts over — when a check finds no need to throttle, when the checkpoint finishes, when the buffer drains to half.
 */
export const BACKOFF_START_NANOS = 4_000;
export const BACKOFF_MULTIPLIER = 1.05;
/** No single delay beyond this (k ≈ 250 already gives ~0.8 s): a writer is slowed, never parked for good. */
export const BACKOFF_MAX_NANOS = 1_000_000_000;

export class ExponentialBackoff {
  #k = 0;

  /** Consecutive throttled writes so far. */
  get attempts(): number {
    return this.#k;
  }

  /** The delay for this throttled write, in ns; the next one is longer. */
  next(): number {
    const nanos = Math.min(BACKOFF_MAX_NANOS, Math.floor(BACKOFF_START_NANOS * BACKOFF_MULTIPLIER ** this.#k));
    this.#k++;
    return nanos;
  }

  reset(): void {
    this.#k = 0;
  }
}
