/**
 * A manual clock for write throttling (ThrottleClock): time moves only when the test calls `advance`, and each
 * `sleep` resolves once the clock passed its due time — so a test decides exactly when every throttled writer wakes.
 */
import type { ThrottleClock } from '../../src/domain/throttling/write-gate';

export class ManualThrottleClock implements ThrottleClock {
  t = 0;
  readonly #timers: Array<{ at: number; resolve: () => void }> = [];
  /** Every sleep asked for, in ms (tests check the schedule). */
  readonly sleeps: number[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => this.#timers.push({ at: this.t + ms, resolve }));
  }

  /** Sleepers still waiting. */
  get waiting(): number {
    return this.#timers.length;
  }

  /** Moves time on by `ms` and wakes every sleeper now due (their promises resolve in the next microtasks). */
  advance(ms: number): void {
    this.t += ms;
    for (let i = this.#timers.length - 1; i >= 0; i--) {
      const timer = this.#timers[i]!;
      if (timer.at <= this.t) {
        this.#timers.splice(i, 1);
        timer.resolve();
      }
    }
  }
}
