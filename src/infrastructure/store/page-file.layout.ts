/**
 * On-disk layout of aipersist's partition files (DESIGN.md §5), little-endian:
 *
 *   part-<p>.bin              header page, then page i at (i + 1) × pageSize
 *   part-<p>-delta-<n>.bin    header (fixed fields + the sorted page indexes it holds, u32 each), padded to whole
 *                             pages, then the page images in that order, one per pageSize
 *
 * Header fields (offsets below):  magic 8 ("AISTPART" | "AISTDLTA") | formatVersion u16 | reserved u16 |
 * pageSize u32 | tableId i32 | partitionId u32 | checkpoint u32 (delta: n; main: 0) | pageCount u32 (delta: pages
 * held; main: 0) | partitionPages u32 | freeHead u32 | headerCrc u32 | then, in a delta file, pageCount × u32 page
 * indexes, ascending. partitionPages and freeHead (delta files; 0 in the main file) are the partition's page-index
 * state as of that checkpoint (persistent-page-memory.ts): the newest delta file is the partition's committed state.
 * headerCrc is the CRC-32 of the header's bytes [0, headerBytes) with the crc field skipped.
 *
 * Pages: every page image carries the CRC-32 of its pageSize bytes (the crc slot of the common page header,
 * page-header.layout.ts, skipped) in that slot. An all-zero page image is a page never written (a hole), not
 * corruption: a written page always has a non-zero type.
 */
import { crc32 } from 'node:zlib';
import { PAGE_CRC_OFFSET } from '../../domain/page/page-header.layout';

export const MAIN_MAGIC = 'AISTPART';
export const DELTA_MAGIC = 'AISTDLTA';
export const FILE_FORMAT_VERSION = 1;

export const H_MAGIC = 0;
export const H_VERSION = H_MAGIC + 8;
export const H_RESERVED = H_VERSION + 2;
export const H_PAGE_SIZE = H_RESERVED + 2;
export const H_TABLE_ID = H_PAGE_SIZE + 4;
export const H_PARTITION_ID = H_TABLE_ID + 4;
export const H_CHECKPOINT = H_PARTITION_ID + 4;
export const H_PAGE_COUNT = H_CHECKPOINT + 4;
export const H_PARTITION_PAGES = H_PAGE_COUNT + 4;
export const H_FREE_HEAD = H_PARTITION_PAGES + 4;
export const H_CRC = H_FREE_HEAD + 4;
export const H_FIXED_END = H_CRC + 4;

export interface FileHeader {
  readonly kind: 'main' | 'delta';
  readonly pageSize: number;
  readonly tableId: number;
  readonly partitionId: number;
  /** Delta: the checkpoint that wrote it; main: 0. */
  readonly checkpoint: number;
  /** Delta: the page indexes it holds, ascending; main: empty. */
  readonly pageIndexes: Uint32Array;
  /** Delta: the partition's page count and freed-page chain head at its checkpoint; main: 0. */
  readonly partitionPages: number;
  readonly freeHead: number;
}

/** Bytes of a header holding `pageCount` page indexes, rounded up to whole pages. */
export function headerBytes(pageCount: number, pageSize: number): number {
  return Math.ceil((H_FIXED_END + 4 * pageCount) / pageSize) * pageSize;
}

export function encodeHeader(h: FileHeader): Uint8Array {
  const out = new Uint8Array(headerBytes(h.pageIndexes.length, h.pageSize));
  const dv = new DataView(out.buffer);
  const magic = h.kind === 'main' ? MAIN_MAGIC : DELTA_MAGIC;
  for (let i = 0; i < 8; i++) out[H_MAGIC + i] = magic.charCodeAt(i);
  dv.setUint16(H_VERSION, FILE_FORMAT_VERSION, true);
  dv.setUint32(H_PAGE_SIZE, h.pageSize, true);
  dv.setInt32(H_TABLE_ID, h.tableId, true);
  dv.setUint32(H_PARTITION_ID, h.partitionId, true);
  dv.setUint32(H_CHECKPOINT, h.checkpoint, true);
  dv.setUint32(H_PAGE_COUNT, h.pageIndexes.length, true);
  dv.setUint32(H_PARTITION_PAGES, h.partitionPages, true);
  dv.setUint32(H_FREE_HEAD, h.freeHead, true);
  for (let i = 0; i < h.pageIndexes.length; i++) dv.setUint32(H_FIXED_END + 4 * i, h.pageIndexes[i]!, true);
  dv.setUint32(H_CRC, headerCrc(out, H_FIXED_END + 4 * h.pageIndexes.length), true);
  return out;
}

/** What is wrong with the fixed part of a header, or null; `readIndexes` then needs H_FIXED_END + 4 × pageCount bytes. */
export function checkFixedHeader(b: Uint8Array, expectKind: 'main' | 'delta'): string | null {
  if (b.length < H_FIXED_END) return `the header is truncated (${b.length} of ${H_FIXED_END} bytes)`;
  const magic = String.fromCharCode(...b.subarray(H_MAGIC, H_MAGIC + 8));
  const want = expectKind === 'main' ? MAIN_MAGIC : DELTA_MAGIC;
  if (magic !== want) return `the magic is ${JSON.stringify(magic)}, not ${JSON.stringify(want)}`;
  const version = new DataView(b.buffer, b.byteOffset).getUint16(H_VERSION, true);
  if (version !== FILE_FORMAT_VERSION) return `format version ${version} is not supported (this build reads version ${FILE_FORMAT_VERSION})`;
  return null;
}

export function fixedHeaderField(b: Uint8Array, offset: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(offset, true);
}

/** The header's CRC over [0, usedBytes), its crc field skipped. */
export function headerCrc(b: Uint8Array, usedBytes: number): number {
  return crc32(b.subarray(H_CRC + 4, usedBytes), crc32(b.subarray(0, H_CRC)));
}

/** The page image's CRC (its crc slot skipped). */
export function pageCrc(page: Uint8Array, off: number, pageSize: number): number {
  return crc32(page.subarray(off + PAGE_CRC_OFFSET + 4, off + pageSize), crc32(page.subarray(off, off + PAGE_CRC_OFFSET)));
}

export function isZeroPage(page: Uint8Array, off: number, pageSize: number): boolean {
  for (let i = off; i < off + pageSize; i++) if (page[i] !== 0) return false;
  return true;
}

/** The slot of page `index` in a delta file's sorted page indexes, or −1 (binary search). */
export function slotOfPage(header: FileHeader, index: number): number {
  const a = header.pageIndexes;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < index) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length && a[lo] === index ? lo : -1;
}
