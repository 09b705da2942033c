/**
 * Field access for index items where they lie (tree pages, cursor copies, caller buffers): plain byte arithmetic
 * on a Uint8Array and an offset, no views, no allocation. Layout: index-item.layout.ts. Links use the byte format
 * of page-id.ts (pageIndex u32 LE | partitionId u16 LE | flags u8 | itemId u8).
 */
import { readU32LE, writeU32LE } from '../shared/byte-order';

const P32 = 0x1_0000_0000;
const P48 = 0x1_0000_0000_0000;

/** The page id of the link at `off` (0 = no link). */
export function readLinkPageId(buf: Uint8Array, off: number): number {
  return buf[off + 6]! * P48 + (buf[off + 4]! | (buf[off + 5]! << 8)) * P32 + readU32LE(buf, off);
}

export function readLinkItemId(buf: Uint8Array, off: number): number {
  return buf[off + 7]!;
}

export function writeLink(buf: Uint8Array, off: number, pageId: number, itemId: number): void {
  writeU32LE(buf, off, pageId % P32);
  const hi = Math.floor(pageId / P32);
  buf[off + 4] = hi & 0xff;
  buf[off + 5] = (hi >>> 8) & 0xff;
  buf[off + 6] = Math.floor(pageId / P48);
  buf[off + 7] = itemId;
}

/** Unsigned comparison of `len` bytes. */
export function compareRange(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const d = a[aOff + i]! - b[bOff + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the `len` bytes are equal. */
export function equalRange(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}
