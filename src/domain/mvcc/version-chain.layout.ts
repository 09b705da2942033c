/**
 * VersionChainTree items (format v1, DESIGN.md §4): one B+ tree item per RowId that has at least one version,
 * ordered by the RowId's 16 order-preserving UUID bytes (RowId.writeUuidBytes), so byte order is RowId order
 * within the partition:
 *
 *   rowId 16 | anchor link 5                                  (21 bytes)
 *
 * The anchor (row-version.layout.ts) holds the chain's newest version at a link that never changes while the chain
 * lives, so the tree is written only when a chain is born or dies; every other write touches data pages only.
 * Everything a visibility decision needs (intent or not, newest commit and its timestamp) is in the anchor.
 */
import { BytewiseItemType, type BTreeItemType } from '../btree/btree-item';
import { PARTITION_LINK_BYTES } from '../datapage/partition-link';

export const ROW_ID_BYTES = 16;

export const CHAIN_ROW_ID_OFFSET = 0;
export const CHAIN_ANCHOR_OFFSET = CHAIN_ROW_ID_OFFSET + ROW_ID_BYTES;
export const CHAIN_ITEM_SIZE = CHAIN_ANCHOR_OFFSET + PARTITION_LINK_BYTES;

/** Chain items ordered by RowId bytes; the anchor link is value (a put with an equal RowId replaces it). */
export const VERSION_CHAIN_ITEM_TYPE: BTreeItemType = new BytewiseItemType(CHAIN_ITEM_SIZE, CHAIN_ROW_ID_OFFSET + ROW_ID_BYTES);
