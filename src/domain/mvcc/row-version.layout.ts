/**
 * Row versions in data pages (format v1, DESIGN.md §4): one RowStore row per version. Every field is optional
 * except the first byte, so the common committed version of a one-version chain costs 10 bytes besides its value.
 * Offsets are computed from the flags in this order; integers little-endian, the commit timestamp big-endian
 * (hybrid-ts-bytes.ts), links are partition links (partition-link.ts, 5 bytes):
 *
 *   flags u8                  bits 0..4 flags below, bits 5..7 hint references (anchors only, see below)
 *   commit ts 8               unless INTENT
 *   next link 5               with HAS_NEXT: the next older version of the same RowId
 *   txId 16 | commitZoneId i32 | commitPartitionId i32     with INTENT (the intent's transaction and commit target)
 *   schema version            unless TOMBSTONE: unsigned LEB128 of the i32 as u32 (1 byte below 128, at most 5)
 *   value                     unless TOMBSTONE: the rest of the row (its length is the row length minus the above)
 *
 * Anchors. The newest version of a chain (its head) lives in the chain's anchor row, whose link never changes while
 * the chain lives: the version-chain tree item and index entries' row hints name it. Pushing a new head copies the
 * anchor's version to a new row (it becomes the older version) and rewrites the anchor in place. An anchor takes
 * one of three forms:
 *   - a version (above), when it fits a data page as a plain row;
 *   - REDIRECT: `flags | link 5` naming the row that holds the head version (a version too long for one page, or
 *     one that no longer fits the anchor's page); that row's own reference bits are 0;
 *   - DEAD: `flags` only — the chain is gone but index entries still hold hints to it (reference bits > 0); the row
 *     is removed when the last such entry goes.
 * Hint references (bits 5..7): how many index entries hold this anchor as their row hint (at most 7; an entry put
 * when the count is saturated gets no hint). They keep the anchor's slot from being reused while hints name it.
 * Older versions have 0 there.
 */
import { PARTITION_LINK_BYTES } from '../datapage/partition-link';
import { TX_ID_BYTES } from './tx-id-bytes';

export const VERSION_FLAG_TOMBSTONE = 0x01;
export const VERSION_FLAG_INTENT = 0x02;
export const VERSION_FLAG_HAS_NEXT = 0x04;
export const ANCHOR_FLAG_REDIRECT = 0x08;
export const ANCHOR_FLAG_DEAD = 0x10;
export const VERSION_FLAGS_MASK = 0x1f;

export const HINT_REFS_SHIFT = 5;
export const MAX_HINT_REFS = 7;

export const VERSION_TS_BYTES = 8;
export const INTENT_META_BYTES = TX_ID_BYTES + 4 + 4;
/** The longest fixed part of a version: flags, next link, intent meta and a 5-byte schema version. */
export const MAX_VERSION_HEADER = 1 + PARTITION_LINK_BYTES + INTENT_META_BYTES + 5;
/** A redirect anchor: flags + link. */
export const REDIRECT_SIZE = 1 + PARTITION_LINK_BYTES;

/** Bytes of the fixed fields before the schema version for these flags. */
export function versionFieldsSize(flags: number): number {
  let n = 1;
  if ((flags & VERSION_FLAG_INTENT) === 0) n += VERSION_TS_BYTES;
  if ((flags & VERSION_FLAG_HAS_NEXT) !== 0) n += PARTITION_LINK_BYTES;
  if ((flags & VERSION_FLAG_INTENT) !== 0) n += INTENT_META_BYTES;
  return n;
}

/** Bytes of the LEB128 form of `schemaVersion` (an i32, written as its u32 bits). */
export function schemaVersionSize(schemaVersion: number): number {
  let v = schemaVersion >>> 0;
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}
