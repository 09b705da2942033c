/**
 * Partition meta page (PAGE_TYPE_PARTITION_META, format v1): everything a reopen needs to find one MV partition's
 * state on its pages. aipersist keeps it at page index 0 of the partition file; aimem wherever page memory put it
 * (the table remembers its id). Little-endian; page ids 8 bytes (page-id.ts); links (page id + item) 8 bytes:
 *
 *   magic u32 | format version u16 | flags u16 | page count u32 | generation u32
 *   free-list meta page id | version-chain tree meta | GC queue meta | index meta tree meta      (8 bytes each)
 *   lastApplied index f64 | lastApplied term f64 | estimated size f64
 *   lease start time u64 (hybrid, big-endian halves; 0 = no lease) | lease node id 16 | lease node name link 8
 *   group configuration link 8 | RowId sequence 16 | checkpointed delta-log position f64
 *
 * - flags: REBALANCING while a rebalance fills the partition (its lastApplied reads −1/−1 until it finishes).
 * - page count: pages of the partition file (aipersist; aimem keeps 0). generation: moves on every clear and
 *   rebalance start, so pages written for an older generation are recognisably stale.
 * - lastApplied index/term and estimated size: exact integers below 2^53 stored as f64.
 * - group configuration and the lease's node name are rows of the partition's row store (0 = none); the node id is
 *   16 UUID bytes (all zero with no lease).
 * - RowId sequence: the next RowId of the tables layer's generated keys (16 order bytes; zero until used).
 * - checkpointed delta-log position: what the last checkpoint of this partition covers (aipersist recovery replays
 *   the log after it).
 */
import { COMMON_HEADER_END } from '../page/page-header.layout';

export const PARTITION_META_VERSION = 1;
/** "PMET" read as a little-endian u32. */
export const PARTITION_META_MAGIC = 0x54454d50;
export const PARTITION_FLAG_REBALANCING = 1;

export const PM_MAGIC_OFFSET = COMMON_HEADER_END;
export const PM_FORMAT_OFFSET = PM_MAGIC_OFFSET + 4;
export const PM_FLAGS_OFFSET = PM_FORMAT_OFFSET + 2;
export const PM_PAGE_COUNT_OFFSET = PM_FLAGS_OFFSET + 2;
export const PM_GENERATION_OFFSET = PM_PAGE_COUNT_OFFSET + 4;
export const PM_FREE_LIST_OFFSET = PM_GENERATION_OFFSET + 4;
export const PM_CHAIN_TREE_OFFSET = PM_FREE_LIST_OFFSET + 8;
export const PM_GC_QUEUE_OFFSET = PM_CHAIN_TREE_OFFSET + 8;
export const PM_INDEX_META_OFFSET = PM_GC_QUEUE_OFFSET + 8;
export const PM_APPLIED_INDEX_OFFSET = PM_INDEX_META_OFFSET + 8;
export const PM_APPLIED_TERM_OFFSET = PM_APPLIED_INDEX_OFFSET + 8;
export const PM_ESTIMATED_SIZE_OFFSET = PM_APPLIED_TERM_OFFSET + 8;
export const PM_LEASE_START_OFFSET = PM_ESTIMATED_SIZE_OFFSET + 8;
export const PM_LEASE_NODE_ID_OFFSET = PM_LEASE_START_OFFSET + 8;
export const PM_LEASE_NODE_NAME_OFFSET = PM_LEASE_NODE_ID_OFFSET + 16;
export const PM_GROUP_CONFIG_OFFSET = PM_LEASE_NODE_NAME_OFFSET + 8;
export const PM_ROW_ID_SEQUENCE_OFFSET = PM_GROUP_CONFIG_OFFSET + 8;
export const PM_CHECKPOINT_POSITION_OFFSET = PM_ROW_ID_SEQUENCE_OFFSET + 16;
export const PM_END = PM_CHECKPOINT_POSITION_OFFSET + 8;
