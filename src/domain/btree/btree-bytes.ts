/**
 * Byte helpers for page bodies: copies that allocate only for long copies across buffers (one view object per
 * call, used for page-sized moves, never per item) and the in-page binary search shared by every descent.
 */
import { BytePrefixKey, BytewiseItemType, ItemKey, type BTreeKey } from './btree-item';

/** Copies `len` bytes; overlapping ranges in one buffer are fine. */
export function copyBytes(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number, len: number): void {
  if (src === dst) {
    if (srcOff !== dstOff) dst.copyWithin(dstOff, srcOff, srcOff + len);
  } else if (len <= 64) {
    for (let i = 0; i < len; i++) dst[dstOff + i] = src[srcOff + i]!;
  } else {
    dst.set(src.subarray(srcOff, srcOff + len), dstOff);
  }
}

/**
 * First index i in [0, n) whose item (at `base + i * stride`) lies after the key, or n: with `strict` false "after"
 * means compareTo ≤ 0 (the lower bound: first item ≥ key), with `strict` true compareTo < 0 (first item > key).
 */
export function searchBound(key: BTreeKey, buf: Uint8Array, base: number, stride: number, n: number, strict: boolean): number {
  // Bytewise keys take a monomorphic loop: no call per probe (the generic path's compareTo call site sees every
  // tree's key class and cannot be inlined).
  if (key instanceof BytePrefixKey) return searchBoundBytes(key.buf, key.off, key.length, buf, base, stride, n, strict);
  if (key instanceof ItemKey && key.itemType instanceof BytewiseItemType) {
    return searchBoundBytes(key.buf, key.off, key.itemType.keySize, buf, base, stride, n, strict);
  }
  const limit = strict ? 0 : 1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key.compareTo(buf, base + mid * stride) < limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** searchBound for a key that is the first `len` bytes of items, compared unsigned (BytePrefixKey semantics). */
function searchBoundBytes(k: Uint8Array, ko: number, len: number, buf: Uint8Array, base: number, stride: number, n: number, strict: boolean): number {
  if (n === 0) return 0;
  // Every item between the first and the last shares their common prefix (bytewise order): compare the key with
  // it once, then let each probe start after it (integer keys share most of their leading bytes within a page).
  const last = base + (n - 1) * stride;
  let p = 0;
  while (p < len && buf[base + p] === buf[last + p]) p++;
  for (let i = 0; i < p; i++) {
    const d = k[ko + i]! - buf[base + i]!;
    if (d !== 0) return d < 0 ? 0 : n;
  }
  const limit = strict ? 0 : 1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const off = base + mid * stride;
    let c = 0;
    for (let i = p; i < len; i++) {
      c = k[ko + i]! - buf[off + i]!;
      if (c !== 0) break;
    }
    if (c < limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
