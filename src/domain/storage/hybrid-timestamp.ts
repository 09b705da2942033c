/**
 * Hybrid timestamps: 48 bits of physical milliseconds, 16 bits of logical counter, as bigint at the API.
 */
export const LOGICAL_BITS = 16n;
/** The smallest valid timestamp. */
export const MIN_VALUE = 1n;
/** "Latest, including a write intent" in reads. */
export const MAX_VALUE = (1n << 63n) - 1n;

export function hybridTimestamp(physicalMillis: number, logical: number): bigint {
  return (BigInt(physicalMillis) << LOGICAL_BITS) | BigInt(logical & 0xffff);
}

export function physicalOf(ts: bigint): number {
  return Number(ts >> LOGICAL_BITS);
}

export function logicalOf(ts: bigint): number {
  return Number(ts & 0xffffn);
}

export const HybridTimestamp = { MIN_VALUE, MAX_VALUE, hybridTimestamp, physicalOf, logicalOf } as const;

/**
 * Source of strictly increasing hybrid timestamps: the wall clock's milliseconds when they moved on, else the last
 * physical part with the logical counter advanced (carrying into the physical part when it overflows 16 bits).
 * `update(ts)` moves the clock past a timestamp seen from elsewhere, as hybrid logical clocks do.
 */
export class HybridClock {
  #physical = 0;
  #logical = 0;

  /** `nowMillis`: the wall clock (tests pass a manual one). */
  constructor(private readonly nowMillis: () => number = Date.now) {}

  now(): bigint {
    const wall = Math.floor(this.nowMillis());
    if (wall > this.#physical) {
      this.#physical = wall;
      this.#logical = 0;
    } else if (this.#logical === 0xffff) {
      this.#physical++;
      this.#logical = 0;
    } else {
      this.#logical++;
    }
    return hybridTimestamp(this.#physical, this.#logical);
  }

  /** Makes every later `now()` greater than `ts`. */
  update(ts: bigint): void {
    const physical = physicalOf(ts);
    const logical = logicalOf(ts);
    if (physical > this.#physical || (physical === this.#physical && logical > this.#logical)) {
      this.#physical = physical;
      this.#logical = logical;
    }
  }
}
