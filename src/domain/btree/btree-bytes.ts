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
  const bytewise = key.bytewise;
  if (bytewise !== undefined && bytewise !== null) {
    return searchBoundBytes(bytewise.buf, bytewise.off, bytewise.length, buf, base, stride, n, strict);
  }
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

/**
 * searchBound for a key that is the first `len` bytes of items, compared unsigned (BytePrefixKey semantics).
 *
 * Every item between the first and the last shares their common prefix (bytewise order): the key is compared with
 * it once, and each probe starts after it (integer keys share most of their leading bytes within a page). In a
 * page of 16 items or more the search then interpolates: the next 6 bytes of the key, the first and the last item
 * as numbers give a guess, bracketed by galloping from it and finished by binary search. Dense integer keys and
 * random RowIds land within a step or two of the guess — two or three cache lines of a cold page instead of the
 * eight or nine a binary search touches — and skewed keys cost at most about twice the probes.
 */
function searchBoundBytes(k: Uint8Array, ko: number, len: number, buf: Uint8Array, base: number, stride: number, n: number, strict: boolean): number {
  if (n === 0) return 0;
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
  if (n >= 16 && p < len) {
    const w = len - p < 6 ? len - p : 6;
    const first = bytesValue(buf, base + p, w);
    const span = bytesValue(buf, last + p, w) - first;
    let g = span > 0 ? Math.floor(((bytesValue(k, ko + p, w) - first) / span) * (n - 1)) : 0;
    if (g < 0) g = 0;
    else if (g > n - 1) g = n - 1;
    if (compareFrom(k, ko, buf, base + g * stride, p, len) < limit) {
      hi = g;
      let j = g - 1;
      let step = 1;
      while (j >= 0 && compareFrom(k, ko, buf, base + j * stride, p, len) < limit) {
        hi = j;
        j -= step;
        step *= 2;
      }
      lo = j < 0 ? 0 : j + 1;
    } else {
      lo = g + 1;
      let j = g + 1;
      let step = 1;
      while (j < n && compareFrom(k, ko, buf, base + j * stride, p, len) >= limit) {
        lo = j + 1;
        j += step;
        step *= 2;
      }
      hi = j < n ? j : n;
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareFrom(k, ko, buf, base + mid * stride, p, len) < limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Sign of (key − item) over bytes [from, len), unsigned. */
function compareFrom(k: Uint8Array, ko: number, buf: Uint8Array, off: number, from: number, len: number): number {
  for (let i = from; i < len; i++) {
    const c = k[ko + i]! - buf[off + i]!;
    if (c !== 0) return c;
  }
  return 0;
}

/** `w` (at most 6) big-endian bytes as an exact number. */
function bytesValue(b: Uint8Array, off: number, w: number): number {
  let v = 0;
  for (let i = 0; i < w; i++) v = v * 256 + b[off + i]!;
  return v;
}
