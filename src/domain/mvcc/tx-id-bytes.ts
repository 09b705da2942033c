/**
 * Transaction ids: UUID strings at the API ("8-4-4-4-12" hex digits, either case), 16 bytes on pages (the 32 hex
 * digits in order). Parsing writes into caller memory and allocates nothing; formatting (for result objects)
 * builds the lowercase string.
 */
export const TX_ID_BYTES = 16;

const DASH = 0x2d;
/** Positions of the dashes in the 36-character form. */
const DASHES = [8, 13, 18, 23] as const;
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Parses a UUID string into 16 bytes at `dst[off..]`; false (and `dst` partly written) when malformed. */
export function parseTxId(s: unknown, dst: Uint8Array, off: number): boolean {
  if (typeof s !== 'string' || s.length !== 36) return false;
  if (s.charCodeAt(DASHES[0]) !== DASH || s.charCodeAt(DASHES[1]) !== DASH) return false;
  if (s.charCodeAt(DASHES[2]) !== DASH || s.charCodeAt(DASHES[3]) !== DASH) return false;
  let b = 0;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) continue;
    const hi = hexValue(s.charCodeAt(i));
    const lo = hexValue(s.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return false;
    dst[off + b++] = (hi << 4) | lo;
    i++;
  }
  return true;
}

/** The lowercase UUID string of the 16 bytes at `src[off..]` (allocates the string). */
export function formatTxId(src: Uint8Array, off: number): string {
  let s = '';
  for (let b = 0; b < TX_ID_BYTES; b++) {
    if (b === 4 || b === 6 || b === 8 || b === 10) s += '-';
    s += HEX[src[off + b]!]!;
  }
  return s;
}

/** True when the 16 bytes at `a[aOff..]` and `b[bOff..]` are the same id. */
export function sameTxId(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number): boolean {
  for (let i = 0; i < TX_ID_BYTES; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}
