/**
 * Hash of encoded index keys for hash indexes: MurmurHash3 x86 32-bit (Austin Appleby's public-domain
 * algorithm), seed 0. The result depends only on the key bytes, so it is stable across runs, processes and
 * platforms, and may be stored on pages. Hot path: no allocation.
 */
import type { HashIndexColumn } from '../storage/index-descriptors';
import { KeyColumnPlan } from './column-values';
import { KeyEncoder } from './key-codec';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The unsigned 32-bit hash of the encoded key in bytes[off..off+len). */
export function hashKey(bytes: Uint8Array, off: number, len: number): number {
  return murmur3x86_32(bytes, off, len, 0);
}

/** MurmurHash3 x86 32 over bytes[off..off+len), as an unsigned 32-bit integer. */
export function murmur3x86_32(bytes: Uint8Array, off: number, len: number, seed: number): number {
  let h = seed | 0;
  const blocksEnd = off + (len & ~3);
  for (let i = off; i < blocksEnd; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = len & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= bytes[blocksEnd + 2]! << 16;
    if (rest >= 2) k ^= bytes[blocksEnd + 1]! << 8;
    k ^= bytes[blocksEnd]!;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The plan of a hash index key: the sorted-key encoding with every column ascending, nulls first (any `asc` or
 * `nullsFirst` on the given objects is ignored). Hot paths build `new KeyEncoder(hashKeyPlan(columns))` once
 * and call `encodeFull` then `hashKey`.
 */
export function hashKeyPlan(columns: readonly HashIndexColumn[]): KeyColumnPlan {
  return new KeyColumnPlan(columns.map((c) => ({ ...c, asc: true, nullsFirst: true })));
}

/** The key bytes a hash index stores and hashes: one value per column (convenience, allocates). */
export function encodeHashKey(columns: readonly HashIndexColumn[], values: readonly unknown[]): Uint8Array {
  const enc = new KeyEncoder(hashKeyPlan(columns));
  return enc.copy(enc.encodeFull(values));
}
