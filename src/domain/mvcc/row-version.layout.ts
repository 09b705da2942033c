/**
 * A row version in data pages (DESIGN.md §4): one RowStore row per version, header first, then the value bytes.
 * Offsets within the row; integers little-endian, the commit timestamp big-endian (hybrid-ts-bytes.ts):
 *
 *   commit ts 8 | next link 8 | schemaVersion i32 | flags u8 | reserved 3 | value length u32 | value
 *
 * - commit ts: 0 for a write intent; committing writes it in place (RowStore.writeAt: no relocation, the link
 *   stays valid).
 * - next link: the next older version of the same RowId (0 = oldest). Only the newest version is named by the
 *   chain item; the others are reached through these links (newest → oldest).
 * - TOMBSTONE: a deleted row; its value length is 0 and its schema version 0.
 * - value length: saves a RowStore.length() call (one page access) on every read.
 */
export const VERSION_COMMIT_TS_OFFSET = 0;
export const VERSION_NEXT_OFFSET = VERSION_COMMIT_TS_OFFSET + 8;
export const VERSION_SCHEMA_OFFSET = VERSION_NEXT_OFFSET + 8;
export const VERSION_FLAGS_OFFSET = VERSION_SCHEMA_OFFSET + 4;
export const VERSION_RESERVED_OFFSET = VERSION_FLAGS_OFFSET + 1;
export const VERSION_VALUE_LENGTH_OFFSET = VERSION_RESERVED_OFFSET + 3;
export const VERSION_HEADER_SIZE = VERSION_VALUE_LENGTH_OFFSET + 4;

export const VERSION_FLAG_TOMBSTONE = 0x01;
