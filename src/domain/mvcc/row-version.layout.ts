/**
 * A row version in data pages (DESIGN.md §4): one RowStore row per version, header first, then the value bytes.
 * Offsets within the row; integers little-endian, the commit timestamp big-endian (hybrid-ts-bytes.ts):
 *
 *   commit ts 8 | next link 8 | schemaVersion i32 | flags u8 | value length u32          (25 bytes)
 *   [ txId 16 | commitZoneId i32 | commitPartitionId i32 ]   only with INTENT_META (24 bytes: header 49)
 *   value
 *
 * - commit ts: 0 for a write intent. Committing rewrites the version without the intent meta (RowStore.update:
 *   the link may change, and the chain item then follows it).
 * - next link: the next older version of the same RowId (0 = oldest). Only the newest version is named by the
 *   chain item; the others are reached through these links (newest → oldest).
 * - TOMBSTONE: a deleted row; its value length is 0 and its schema version 0.
 * - INTENT_META: set exactly on write intents (commit ts 0); the intent's transaction and commit target follow
 *   the fixed header. Kept here rather than in the chain item because intents are few and short-lived while every
 *   row has a chain item (24 item bytes cost ~35 bytes per row at the chain tree's typical fill).
 * - value length: saves a RowStore.length() call (one page access) on every read.
 */
export const VERSION_COMMIT_TS_OFFSET = 0;
export const VERSION_NEXT_OFFSET = VERSION_COMMIT_TS_OFFSET + 8;
export const VERSION_SCHEMA_OFFSET = VERSION_NEXT_OFFSET + 8;
export const VERSION_FLAGS_OFFSET = VERSION_SCHEMA_OFFSET + 4;
export const VERSION_VALUE_LENGTH_OFFSET = VERSION_FLAGS_OFFSET + 1;
/** Header of a committed version; also where the intent meta starts. */
export const VERSION_HEADER_SIZE = VERSION_VALUE_LENGTH_OFFSET + 4;
export const VERSION_TX_ID_OFFSET = VERSION_HEADER_SIZE;
export const VERSION_COMMIT_ZONE_OFFSET = VERSION_TX_ID_OFFSET + 16;
export const VERSION_COMMIT_PARTITION_OFFSET = VERSION_COMMIT_ZONE_OFFSET + 4;
/** Header of a write intent (fixed header + intent meta). */
export const VERSION_INTENT_HEADER_SIZE = VERSION_COMMIT_PARTITION_OFFSET + 4;
export const VERSION_INTENT_META_SIZE = VERSION_INTENT_HEADER_SIZE - VERSION_HEADER_SIZE;

export const VERSION_FLAG_TOMBSTONE = 0x01;
export const VERSION_FLAG_INTENT_META = 0x02;
