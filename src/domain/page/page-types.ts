/**
 * Page type ids written at PAGE_TYPE_OFFSET of the common header. Stable on disk: never renumber, only add.
 * Each type has a `*.layout.ts` and a current version; the page IO registry maps (type, version) to its layout.
 */
export const PAGE_TYPE_NONE = 0;
export const PAGE_TYPE_DATA = 1;
export const PAGE_TYPE_FREELIST_META = 2;
export const PAGE_TYPE_BTREE_META = 3;
export const PAGE_TYPE_BTREE_INNER = 4;
export const PAGE_TYPE_BTREE_LEAF = 5;
export const PAGE_TYPE_PARTITION_META = 6;
export const PAGE_TYPE_FREELIST_NODE = 7;
/** A freed page of a persistent partition: its content after the common header is the next freed page index (u32 LE). */
export const PAGE_TYPE_FREED = 8;
