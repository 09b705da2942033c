/**
 * Copies `len` bytes between two byte arrays (they may be the same array only if the ranges do not overlap).
 * Short copies use a loop so that reading a small row allocates nothing; long ones use `set` over a subarray,
 * whose one small view object is negligible against the bytes copied.
 */
const LOOP_MAX = 64;

export function copyBytes(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number, len: number): void {
  if (len <= LOOP_MAX) {
    for (let i = 0; i < len; i++) dst[dstOff + i] = src[srcOff + i]!;
    return;
  }
  dst.set(src.subarray(srcOff, srcOff + len), dstOff);
}
