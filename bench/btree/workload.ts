/**
 * The workload of bench/btree.bench.ts, shared by every implementation (same seeds, so the same keys, values and
 * orders in every process): N dense 8-byte big-endian keys 0..N-1 and one 100-byte value per key.
 *
 * Values live in one pool (`values[k * 100 ..]`, random bytes) from which each implementation takes its copy. The
 * u32 at value offset 96 (its "tag") is what every reader sums, so a wrong or truncated value read fails the
 * self-checks: the expected sums are computed here from the pool.
 */
export const KEY_SIZE = 8;
export const VALUE_SIZE = 100;
export const RAW_ROW_BYTES = KEY_SIZE + VALUE_SIZE;
export const TAG_OFFSET = VALUE_SIZE - 4;
export const RANGES = 10_000;
export const RANGE_LEN = 100;

export const PHASES = ['insert', 'point lookup', 'full scan', 'range scan (100 keys)', 'remove 10%'] as const;
export type Phase = (typeof PHASES)[number];

/** One run of one implementation: ops/s per phase and the memory the built structure holds. */
export interface RunResult {
  readonly ops: Record<Phase, number>;
  /** Bytes the structure holds once built (region pages for aistorage, heap + external growth for peers). */
  readonly memBytes: number;
  /** Implementation-specific memory details (bytes or counts), reported as they are. */
  readonly memDetail: Record<string, number>;
}

export interface Workload {
  readonly n: number;
  readonly values: Uint8Array;
  readonly insertOrder: Float64Array;
  readonly lookupOrder: Float64Array;
  readonly rangeStarts: Float64Array;
  readonly removeOrder: Float64Array;
  /** Sum of all tags (expected from a lookup of every key and from the full scan). */
  readonly tagSum: number;
  /** Sum of the tags the range scans read. */
  readonly rangeTagSum: number;
}

function shuffled(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** Random bytes from xorshift32 (deterministic, seeded). */
function randomBytes(len: number, seed: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(len / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, len);
}

export function tagOf(values: Uint8Array, k: number): number {
  const o = k * VALUE_SIZE + TAG_OFFSET;
  return (values[o]! | (values[o + 1]! << 8) | (values[o + 2]! << 16)) + values[o + 3]! * 0x100_0000;
}

export function makeWorkload(n: number): Workload {
  const values = randomBytes(n * VALUE_SIZE, 5);
  const rangeStarts = shuffled(Math.max(1, n - RANGE_LEN), 3).subarray(0, RANGES);
  let tagSum = 0;
  for (let k = 0; k < n; k++) tagSum += tagOf(values, k);
  let rangeTagSum = 0;
  for (let i = 0; i < rangeStarts.length; i++) {
    const end = Math.min(n, rangeStarts[i]! + RANGE_LEN);
    for (let k = rangeStarts[i]!; k < end; k++) rangeTagSum += tagOf(values, k);
  }
  return {
    n,
    values,
    insertOrder: shuffled(n, 1),
    lookupOrder: shuffled(n, 2),
    rangeStarts,
    removeOrder: shuffled(n, 4).subarray(0, Math.floor(n / 10)),
    tagSum,
    rangeTagSum,
  };
}

/** Runs `fn` (which returns its operation count) and returns operations per second. */
export function opsPerSec(fn: () => number): number {
  const t = process.hrtime.bigint();
  const ops = fn();
  return ops / (Number(process.hrtime.bigint() - t) / 1e9);
}

export function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`benchmark self-check failed: ${what}`);
}

/** Writes key k big-endian into dv[off..off+8) (k < 2^53). */
export function writeKey(dv: DataView, off: number, k: number): void {
  dv.setUint32(off, Math.floor(k / 0x1_0000_0000), false);
  dv.setUint32(off + 4, k >>> 0, false);
}

const gc = (globalThis as { gc?: () => void }).gc;

/** True when the process runs with --expose-gc (heap figures are meaningful only then). */
export const canGc = gc !== undefined;

/** JS heap + external (ArrayBuffers, Buffers) in use after a full collection (when gc is exposed). */
export function liveBytes(): { heap: number; external: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external };
}

export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
