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

/** Source of monotonically increasing hybrid timestamps. */
export interface HybridClock {
  now(): bigint;
}
