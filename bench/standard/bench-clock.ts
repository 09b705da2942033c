/** Monotonic hybrid timestamps for the benchmarks: the logical counter, carried into the physical part. */
import { hybridTimestamp } from '../../src/domain/storage/hybrid-timestamp';

export class BenchClock {
  #ms = Date.now();
  #logical = 0;
  #last = hybridTimestamp(this.#ms, 0);

  now(): bigint {
    if (++this.#logical > 0xffff) {
      this.#ms++;
      this.#logical = 0;
    }
    this.#last = hybridTimestamp(this.#ms, this.#logical);
    return this.#last;
  }

  /** The timestamp `now` returned last. */
  get last(): bigint {
    return this.#last;
  }
}
