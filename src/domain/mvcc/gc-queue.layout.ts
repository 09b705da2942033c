/**
 * GC queue items (DESIGN.md §4): one per committed version that has an older version under it (that older version
 * is garbage once the low watermark reaches this commit). Ordered bytewise over the whole item, i.e. by commit
 * timestamp (big-endian, hybrid-ts-bytes.ts), then by RowId (order-preserving UUID bytes):
 *
 *   commit ts 8 | rowId 16
 */
import { BytewiseItemType, type BTreeItemType } from '../btree/btree-item';
import { TS_BYTES } from './hybrid-ts-bytes';
import { ROW_ID_BYTES } from './version-chain.layout';

export const GC_TS_OFFSET = 0;
export const GC_ROW_ID_OFFSET = GC_TS_OFFSET + TS_BYTES;
export const GC_ITEM_SIZE = GC_ROW_ID_OFFSET + ROW_ID_BYTES;

export const GC_QUEUE_ITEM_TYPE: BTreeItemType = new BytewiseItemType(GC_ITEM_SIZE);
