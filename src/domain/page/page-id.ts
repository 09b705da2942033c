/**
 * Page ids as double-safe numbers (no bigint on hot paths).
 *
 *   pageId = flags * 2^48 + partitionId * 2^32 + pageIndex
 *
 * flags: 4 bits (FLAG_DATA = 0, FLAG_AUX = 1); partitionId: 16 bits; pageIndex: 32 bits. The largest page id is
 * below 2^52, so it is an exact JS number. On a page and on disk a page id takes 8 bytes, little-endian:
 * pageIndex u32 | partitionId u16 | flags u8 | itemId u8 — the last byte carries the item id of a *link*
 * (a row's address: page id + item id); for a plain page id it is 0.
 */
export const FLAG_DATA = 0;
export const FLAG_AUX = 1;

export const MAX_PARTITION_ID = 0xffff;
export const MAX_PAGE_INDEX = 0xffffffff;
export const MAX_FLAGS = 0xf;

const P32 = 0x1_0000_0000;
const P48 = 0x1_0000_0000_0000;

/** The null page id. Page index 0 of the data partition 0 is never handed out by any page memory. */
export const NULL_PAGE_ID = 0;

export function pageId(flags: number, partitionId: number, pageIndex: number): number {
  return flags * P48 + partitionId * P32 + pageIndex;
}

export function pageIndex(id: number): number {
  return id % P32;
}

export function partitionIdOf(id: number): number {
  return Math.floor(id / P32) & 0xffff;
}

export function flagsOf(id: number): number {
  return Math.floor(id / P48);
}

export function pageIdToString(id: number): string {
  return `page(flags=${flagsOf(id)}, part=${partitionIdOf(id)}, idx=${pageIndex(id)})`;
}

/** Writes a page id (+ item id byte) as 8 little-endian bytes at `off`. */
export function writePageId(dv: DataView, off: number, id: number, itemId = 0): void {
  dv.setUint32(off, id % P32, true);
  dv.setUint16(off + 4, Math.floor(id / P32) & 0xffff, true);
  dv.setUint8(off + 6, Math.floor(id / P48));
  dv.setUint8(off + 7, itemId);
}

/** Reads the page-id part of an 8-byte page id / link at `off` (ignores the item id byte). */
export function readPageId(dv: DataView, off: number): number {
  return dv.getUint8(off + 6) * P48 + dv.getUint16(off + 4, true) * P32 + dv.getUint32(off, true);
}

/** Reads the item id byte of an 8-byte link at `off`. */
export function readItemId(dv: DataView, off: number): number {
  return dv.getUint8(off + 7);
}
