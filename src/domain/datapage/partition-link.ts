/**
 * Partition links (format v1): the 5-byte form of a row link inside one partition, used wherever a partition's
 * structures point at its own rows — version-chain items, a version's next link, index entries' row hints.
 *
 *   page index u32 LE | item id u8
 *
 * The partition id and the page flags are implied: every page of a partition is allocated by its free list with
 * FLAG_DATA (bucketed-free-list.ts), so the page id is `pageId(FLAG_DATA, partitionId, pageIndex)`. Page index 0
 * never names a page (the volatile memory starts its generations at 1, the persistent one its page indexes), so an
 * all-zero link is "no link".
 */
import { FLAG_DATA, pageId, pageIndex } from '../page/page-id';
import { readU32LE, writeU32LE } from '../shared/byte-order';

export const PARTITION_LINK_BYTES = 5;

/** Writes the link (pageId 0 = none) at `buf[off..off+5)`. */
export function writePartitionLink(buf: Uint8Array, off: number, page: number, itemId: number): void {
  writeU32LE(buf, off, page === 0 ? 0 : pageIndex(page));
  buf[off + 4] = page === 0 ? 0 : itemId;
}

/** The page index of the link at `buf[off..]` (0 = no link). */
export function partitionLinkIndex(buf: Uint8Array, off: number): number {
  return readU32LE(buf, off);
}

export function partitionLinkItem(buf: Uint8Array, off: number): number {
  return buf[off + 4]!;
}

/** The page id of the link at `buf[off..]` in partition `partitionId` (0 = no link). */
export function partitionLinkPage(buf: Uint8Array, off: number, partitionId: number): number {
  return partitionPageId(partitionId, partitionLinkIndex(buf, off));
}

/** The page id of page `index` of a partition (0 stays 0). */
export function partitionPageId(partitionId: number, index: number): number {
  return index === 0 ? 0 : pageId(FLAG_DATA, partitionId, index);
}
