/**
 * Hybrid timestamps on pages: 8 bytes, big-endian unsigned, so that byte order is time order (the GC queue key
 * relies on it; version headers and chain items use the same form so that one codec serves all). In code a stored
 * timestamp is two u32 halves (hi, lo) — never a bigint on the page path. 0 means "none" (a write intent's commit
 * timestamp, a chain without commits): valid timestamps are ≥ HybridTimestamp.MIN_VALUE = 1.
 */
export const TS_BYTES = 8;

/**
 * Splits an API timestamp (bigint) into halves without allocating. Caller-owned: one per call site that converts
 * (the fields are overwritten by the next `set`).
 */
export class TimestampHalves {
  readonly #dv = new DataView(new ArrayBuffer(TS_BYTES));
  hi = 0;
  lo = 0;
  #last = 0n;

  /** `ts` must be in [0, 2^64) (callers validate API timestamps first). Repeats of the last one cost a compare. */
  set(ts: bigint): this {
    if (ts === this.#last) return this;
    this.#dv.setBigUint64(0, ts);
    this.hi = this.#dv.getUint32(0);
    this.lo = this.#dv.getUint32(4);
    this.#last = ts;
    return this;
  }
}

export function writeTs(dv: DataView, off: number, hi: number, lo: number): void {
  dv.setUint32(off, hi);
  dv.setUint32(off + 4, lo);
}

/** The stored timestamp as the API's bigint (allocates: for result objects only). */
export function readTs(dv: DataView, off: number): bigint {
  return dv.getBigUint64(off);
}

/** The timestamp given as u32 halves (hi, lo) as the API's bigint (allocates: for result objects and errors only). */
export function tsBigint(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Sign of (a − b) for timestamps given as halves. */
export function compareTs(aHi: number, aLo: number, bHi: number, bLo: number): number {
  if (aHi !== bHi) return aHi < bHi ? -1 : 1;
  if (aLo !== bLo) return aLo < bLo ? -1 : 1;
  return 0;
}
