/**
 * Hybrid timestamps: 48 bits of physical milliseconds, 16 bits of logical counter, as bigint at the API. Storage
 * calls take timestamps in [MIN_VALUE, MAX_VALUE] and refuse others with InvalidArgumentError (INVALID_ARGUMENT).
 */
import { describeValue } from '../shared/describe-value';
import { InvalidArgumentError } from '../shared/errors';

/** Bits of the logical counter: a timestamp is `(physical << LOGICAL_BITS) | logical`. */
export const LOGICAL_BITS = 16n;
/** The smallest valid timestamp. */
export const MIN_VALUE = 1n;
/** "Latest, including a write intent" in reads. */
export const MAX_VALUE = (1n << 63n) - 1n;

/**
 * Largest physical part (exclusive): 2^47 ms. The physical part has 48 bits, but a timestamp is a signed 64-bit value
 * (MAX_VALUE = 2^63 − 1), so only 47 of them are usable — about the year 6429.
 */
export const PHYSICAL_LIMIT = 2 ** 47;

/**
 * `(physicalMillis << 16) | logical`. Throws InvalidArgumentError unless physicalMillis is an integer in
 * [0, 2^47) and logical an integer in [0, 65535] (nothing is wrapped or truncated).
 */
export function hybridTimestamp(physicalMillis: number, logical: number): bigint {
  if (!Number.isInteger(physicalMillis) || physicalMillis < 0 || physicalMillis >= PHYSICAL_LIMIT) {
    throw new InvalidArgumentError(
      `hybridTimestamp: physicalMillis must be an integer in [0, 2^47), got ${describeValue(physicalMillis)}; pass milliseconds since the epoch`);
  }
  if (!Number.isInteger(logical) || logical < 0 || logical > 0xffff) {
    throw new InvalidArgumentError(`hybridTimestamp: logical must be an integer in [0, 65535], got ${describeValue(logical)}`);
  }
  return (BigInt(physicalMillis) << LOGICAL_BITS) | BigInt(logical);
}


/** The physical part of a timestamp: milliseconds since the epoch. InvalidArgumentError unless ts is a bigint in [0, MAX_VALUE]. */
export function physicalOf(ts: bigint): number {
  return Number(checkParts(ts) >> LOGICAL_BITS);
}

/** The logical part of a timestamp: 0..65535. InvalidArgumentError unless ts is a bigint in [0, MAX_VALUE]. */
export function logicalOf(ts: bigint): number {
  return Number(checkParts(ts) & 0xffffn);
}

function checkParts(ts: bigint): bigint {
  if (typeof ts !== 'bigint' || ts < 0n || ts > MAX_VALUE) {
    throw new InvalidArgumentError(`A hybrid timestamp must be a bigint in [0, ${MAX_VALUE}], got ${describeValue(ts)}`);
  }
  return ts;
}

/** The constants and functions above as one namespace object (`HybridTimestamp.MAX_VALUE`, ...). */
export const HybridTimestamp = { MIN_VALUE, MAX_VALUE, hybridTimestamp, physicalOf, logicalOf } as const;

/**
 * Source of strictly increasing hybrid timestamps: the wall clock's milliseconds when they moved on, else the last
 * physical part with the logical counter advanced (carrying into the physical part when it overflows 16 bits).
 * `update(ts)` moves the clock past a timestamp seen from elsewhere, as hybrid logical clocks do.
 */
export class HybridClock {
  #physical = 0;
  #logical = 0;
  /** The physical part at which `#onLease` runs (a lease on timestamps persisted ahead of use); never by default. */
  #leaseAt = Infinity;
  #onLease: ((physical: number) => void) | null = null;

  /** `nowMillis`: the wall clock (tests pass a manual one). */
  constructor(private readonly nowMillis: () => number = Date.now) {}

  /**
   * A timestamp greater than every one this clock gave or was updated with before.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) when the wall clock is outside [0, 2^47) ms (see hybridTimestamp).
   */
  now(): bigint {
    const wall = Math.floor(this.nowMillis());
    let physical = this.#physical;
    let logical = this.#logical;
    if (wall > physical) {
      physical = wall;
      logical = 0;
    } else if (logical === 0xffff) {
      physical++;
      logical = 0;
    } else {
      logical++;
    }
    const ts = hybridTimestamp(physical, logical); // validates first: a bad wall reading leaves the clock as it was
    this.#physical = physical;
    this.#logical = logical;
    if (physical >= this.#leaseAt) this.#onLease!(physical);
    return ts;
  }

  /**
   * Runs `renew(physical)` inside the first `now()` whose physical part reaches `at` (before that timestamp is used):
   * the owner of a persisted bound on timestamps extends it there, then calls this again with the next point.
   */
  renewLeaseAt(at: number, renew: (physical: number) => void): void {
    this.#leaseAt = at;
    this.#onLease = renew;
  }

  /** The physical part of the last timestamp given or seen (0 before any). */
  get lastPhysical(): number {
    return this.#physical;
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
