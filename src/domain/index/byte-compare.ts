/**
 * Unsigned lexicographic comparison of byte ranges: the order of encoded index keys. Hot path (every tree
 * search step): no allocation, no views, one loop.
 */

/** Negative, zero or positive as a[aOff..aOff+aLen) sorts before, equal to or after b[bOff..bOff+bLen). */
export function compareKeys(
  a: Uint8Array, aOff: number, aLen: number, b: Uint8Array, bOff: number, bLen: number,
): number {
  const n = aLen < bLen ? aLen : bLen;
  for (let i = 0; i < n; i++) {
    const d = a[aOff + i]! - b[bOff + i]!;
    if (d !== 0) return d;
  }
  return aLen - bLen;
}

/** `compareKeys` over whole arrays. */
export function compareByteArrays(a: Uint8Array, b: Uint8Array): number {
  return compareKeys(a, 0, a.length, b, 0, b.length);
}

/** True when a[aOff..aOff+aLen) starts with p[pOff..pOff+pLen). */
export function hasPrefix(a: Uint8Array, aOff: number, aLen: number, p: Uint8Array, pOff: number, pLen: number): boolean {
  if (pLen > aLen) return false;
  for (let i = 0; i < pLen; i++) if (a[aOff + i] !== p[pOff + i]) return false;
  return true;
}
