/**
 * Index meta tree items (format v1): one per index of a partition, in a B+ tree ordered by index id, so that a
 * reopen finds each index's tree, build state and pending overflow rows from the partition meta page alone.
 *
 *   index id u32 BE | kind u8 | flags u8 | inline size u16 | tree meta page id 8 | next RowId to build 16
 *   | pending overflow row link 8 | item size u16 | columns fingerprint u32 | reserved u16        (48 bytes)
 *
 * - kind: 1 sorted, 2 hash. flags: BUILDING when `next RowId to build` holds a RowId (else the index is built);
 *   OVERFLOW and KEY_LENGTH say how the items are laid out (index-item.layout.ts), so that a tree can be walked
 *   (and destroyed) without its descriptor.
 * - inline size, item size and the columns fingerprint (index-meta-tree.ts) let a reopen refuse a descriptor that
 *   does not match the stored tree instead of misreading its items.
 * - pending overflow rows: the row (row store) listing removed items whose overflow keys a separator may still
 *   name (index-item-tree.ts); 0 when there are none.
 */
export const INDEX_META_ID_OFFSET = 0;
export const INDEX_META_KIND_OFFSET = 4;
export const INDEX_META_FLAGS_OFFSET = 5;
export const INDEX_META_INLINE_OFFSET = 6;
export const INDEX_META_TREE_OFFSET = 8;
export const INDEX_META_NEXT_ROW_ID_OFFSET = 16;
export const INDEX_META_PENDING_OFFSET = 32;
export const INDEX_META_ITEM_SIZE_OFFSET = 40;
export const INDEX_META_FINGERPRINT_OFFSET = 42;
export const INDEX_META_ITEM_SIZE = 48;

export const INDEX_KIND_SORTED = 1;
export const INDEX_KIND_HASH = 2;
export const INDEX_META_FLAG_BUILDING = 1;
export const INDEX_META_FLAG_OVERFLOW = 2;
export const INDEX_META_FLAG_KEY_LENGTH = 4;
