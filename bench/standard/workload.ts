/**
 * The standard workload of BENCH.md, generated from a seed so that every engine (each in its own process) gets the
 * same keys, values and orders.
 *
 * Keys are the integers 0..N-1 (an 8-byte BIGINT primary key whose values happen to be dense, so that "100
 * consecutive keys" is the bound range [k, k+99]), inserted in a random permutation. Values are 100 random bytes,
 * cut from one pool of N × 100 bytes (row i's value = pool[i*100, i*100+100)); updates write the value of another
 * row. Every order below is an independent random permutation or sample.
 */
export const VALUE_SIZE = 100;
export const KEY_SIZE = 8;
export const BATCH = 1_000;
export const RANGE_SCANS = 10_000;
export const RANGE_LEN = 100;

export interface Workload {
  readonly n: number;
  /** Insert order: a permutation of 0..n-1. */
  readonly insertOrder: Uint32Array;
  /** Point-read order: another permutation. */
  readonly readOrder: Uint32Array;
  /** First keys of the range scans, each in 0..n-RANGE_LEN. */
  readonly rangeStarts: Uint32Array;
  /** 10% of the keys, in random order. */
  readonly updateKeys: Uint32Array;
  /** Another, independent 10% of the keys, in random order. */
  readonly deleteKeys: Uint32Array;
  /** n × VALUE_SIZE random bytes. */
  readonly pool: Buffer;
}

/** xorshift128+ on two 32-bit halves: fast, seeded, good enough for shuffles and filler bytes. */
export class Rng {
  #a: number;
  #b: number;
  constructor(seed: number) {
    this.#a = (seed ^ 0x9e3779b9) >>> 0 || 1;
    this.#b = (Math.imul(seed, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0 || 2;
    for (let i = 0; i < 16; i++) this.next();
  }
  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let s1 = this.#a;
    const s0 = this.#b;
    this.#a = s0;
    s1 ^= s1 << 11;
    s1 ^= s1 >>> 8;
    this.#b = (s1 ^ s0 ^ (s0 >>> 19)) >>> 0;
    return this.#b;
  }
  /** Uniform integer in 0..bound-1 (bound ≤ 2^32). */
  below(bound: number): number {
    return Math.floor((this.next() / 4294967296) * bound);
  }
}

function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

export function makeWorkload(n: number, seed = 42): Workload {
  if (!Number.isInteger(n) || n < RANGE_LEN) throw new Error(`BENCH_N must be an integer ≥ ${RANGE_LEN}, got ${n}`);
  const rng = new Rng(seed);
  const insertOrder = permutation(n, rng);
  const readOrder = permutation(n, rng);
  const rangeStarts = new Uint32Array(RANGE_SCANS);
  for (let i = 0; i < RANGE_SCANS; i++) rangeStarts[i] = rng.below(n - RANGE_LEN + 1);
  const tenth = Math.floor(n / 10);
  const updateKeys = permutation(n, rng).slice(0, tenth);
  const deleteKeys = permutation(n, rng).slice(0, tenth);
  const pool = Buffer.allocUnsafeSlow(n * VALUE_SIZE);
  const words = new Uint32Array(pool.buffer, pool.byteOffset, pool.length >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = rng.next();
  return { n, insertOrder, readOrder, rangeStarts, updateKeys, deleteKeys, pool };
}

/** Row `key`'s inserted value (a view of the pool: no copy). */
export function valueOf(w: Workload, key: number): Buffer {
  return w.pool.subarray(key * VALUE_SIZE, key * VALUE_SIZE + VALUE_SIZE);
}

/** The value an update writes to row `key`: another row's value. */
export function updatedValueOf(w: Workload, key: number): Buffer {
  const other = (key + 1) % w.n;
  return w.pool.subarray(other * VALUE_SIZE, other * VALUE_SIZE + VALUE_SIZE);
}

/** The key as 8 big-endian bytes (Buffer-keyed engines: byte order = numeric order). */
export function keyBytes(key: number): Buffer {
  const b = Buffer.allocUnsafe(KEY_SIZE);
  b.writeUInt32BE(Math.floor(key / 4294967296), 0);
  b.writeUInt32BE(key >>> 0, 4);
  return b;
}
