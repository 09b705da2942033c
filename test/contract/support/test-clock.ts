/** A deterministic hybrid clock for the suites: every now() is 10 ms after the previous one, logical part 1. */
import { hybridTimestamp, type HybridClock } from '../../../src/domain/storage/hybrid-timestamp';

export class TestClock implements Pick<HybridClock, 'now'> {
  #physical = 1_700_000_000_000;

  now(): bigint {
    this.#physical += 10;
    return hybridTimestamp(this.#physical, 1);
  }
}

/** A timestamp just before `ts` and later than every earlier now(). */
export const before = (ts: bigint): bigint => ts - 1n;

/** A timestamp just after `ts` and earlier than every later now(). */
export const after = (ts: bigint): bigint => ts + 1n;
