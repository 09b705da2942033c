/**
 * Scan bounds over encoded keys. A bound is a key prefix (values for the first k columns) with a flag; the
 * SPI's `scan(lower, upper, flags)` means "prefix(key, k) > / >= lower" and "prefix(key, k) < / <= upper".
 * Because a full key's bytes start with the bytes of each of its prefixes and column encodings are
 * prefix-free, with P = encode(prefix) and succ(P) = the smallest byte string above every string starting
 * with P (`prefixSuccessor`):
 *
 *   GREATER_OR_EQUAL P  ->  bytes >= P             GREATER P  ->  bytes >= succ(P)  (none if no succ)
 *   LESS P              ->  bytes <  P             LESS_OR_EQUAL P  ->  bytes < succ(P)  (all if no succ)
 *
 * So every range is half-open: lower inclusive, upper exclusive. This also holds when stored items are the
 * key followed by any suffix (e.g. key bytes then RowId bytes). An absent bound (null) or an empty prefix
 * ([]) is unbounded. Bound values are encoded exactly (`KeyEncoder.encodeBound`): a DECIMAL bound with more
 * fraction digits than the column's scale is compared as given, not rounded.
 */
import { GREATER_OR_EQUAL, LESS_OR_EQUAL } from '../storage/index-descriptors';
import { compareKeys } from './byte-compare';
import type { KeyEncoder } from './key-codec';

/** Keys k with lower <= k < upper (bytewise); null = unbounded on that side. */
export interface KeyByteRange {
  readonly lower: Uint8Array | null;
  readonly upper: Uint8Array | null;
  /** True when no byte string can be inside (lower >= upper, or a GREATER bound without successor). */
  readonly empty: boolean;
}

/**
 * The smallest byte string greater than every string starting with bytes[off..off+len): drop trailing 0xFF
 * bytes and increment the last remaining one. Null when there is none (empty input or all 0xFF).
 */
export function prefixSuccessor(bytes: Uint8Array, off: number, len: number): Uint8Array | null {
  let n = len;
  while (n > 0 && bytes[off + n - 1] === 0xff) n--;
  if (n === 0) return null;
  const out = bytes.slice(off, off + n);
  out[n - 1]!++;
  return out;
}

/** The byte range of already-encoded bound prefixes (null = no bound); see the file comment. */
export function keyByteRangeOf(lower: Uint8Array | null, upper: Uint8Array | null, flags: number): KeyByteRange {
  let lo: Uint8Array | null = null;
  let hi: Uint8Array | null = null;
  if (lower !== null && lower.length > 0) {
    lo = (flags & GREATER_OR_EQUAL) !== 0 ? lower : prefixSuccessor(lower, 0, lower.length);
    if (lo === null) return { lower: null, upper: null, empty: true };
  }
  if (upper !== null && upper.length > 0) {
    hi = (flags & LESS_OR_EQUAL) !== 0 ? prefixSuccessor(upper, 0, upper.length) : upper;
  }
  const empty = lo !== null && hi !== null && compareKeys(lo, 0, lo.length, hi, 0, hi.length) >= 0;
  return { lower: lo, upper: hi, empty };
}

/** Encodes the SPI's scan bounds (value prefixes, null = none) with `encoder` and maps them to bytes. */
export function keyByteRange(
  encoder: KeyEncoder, lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number,
): KeyByteRange {
  const lo = lower === null || lower.length === 0 ? null : encoder.copy(encoder.encodeBound(lower));
  const hi = upper === null || upper.length === 0 ? null : encoder.copy(encoder.encodeBound(upper));
  return keyByteRangeOf(lo, hi, flags);
}

/** True when the key (or key + suffix) in bytes[off..off+len) lies in `range`. */
export function inKeyByteRange(range: KeyByteRange, bytes: Uint8Array, off: number, len: number): boolean {
  if (range.empty) return false;
  const lo = range.lower;
  if (lo !== null && compareKeys(bytes, off, len, lo, 0, lo.length) < 0) return false;
  const hi = range.upper;
  return hi === null || compareKeys(bytes, off, len, hi, 0, hi.length) < 0;
}
