/**
 * Item layouts of the index trees (format v1; fixed size per tree; B+ tree items, btree-item.ts). Offsets from the
 * item start; multi-byte numbers big-endian (the hash) or little-endian (the key length):
 *
 *   sorted:  inline key [I] | RowId UUID [16] | row hint [5] | key length u32 LE (only when key lengths vary)
 *            | overflow link [8] (only when keys can overflow)
 *   hash:    hash u32 BE | the same
 *
 * - inline key: the first min(length, I) bytes of the encoded key (key-codec.ts), zero-padded to I bytes.
 * - RowId UUID: RowId.writeUuidBytes (order-preserving; the partition id is the tree's).
 * - row hint: a partition link (partition-link.ts) to the anchor of the RowId's version chain, counted in that
 *   anchor (row-version.layout.ts), or zero when the entry has none (its row did not exist when it was put, or the
 *   anchor's count was full). Takes no part in the order; it lets a read by the entry's RowId skip the chain tree.
 * - key length: of the whole encoded key. Absent when every key has the same length (all columns fixed-width and
 *   not nullable, e.g. a BIGINT primary key): then it is `fixedKeyLength`.
 * - overflow link: when length > I, the row (RowStore, data pages) holding the WHOLE encoded key; 0 otherwise.
 *   The field exists only when some key of the index can be longer than I (`hasOverflow`).
 *
 * The inline size I is chosen per index (chooseInlineSize): the largest encoded key the columns allow when that
 * fits the page's item budget — then no key ever overflows and the link field is dropped — else the whole
 * budget. The budget keeps at least MIN_LEAF_ITEMS items per leaf page and the B+ tree's MAX_ITEM_SIZE.
 */
import { LEAF_ITEMS_OFFSET, MAX_ITEM_SIZE } from '../btree/btree-node.layout';
import { PARTITION_LINK_BYTES } from '../datapage/partition-link';
import { InvalidArgumentError } from '../shared/errors';
import type { ColumnType } from '../storage/column-type';
import type { KeyColumn } from './column-values';
import { maxBytesBytes, maxStringBytesOfCodePoints } from './key-codec-strings';

export const ROW_ID_SIZE = 16;
export const KEY_LENGTH_SIZE = 4;
export const LINK_SIZE = 8;
export const HINT_SIZE = PARTITION_LINK_BYTES;
export const HASH_SIZE = 4;
/** Items every leaf page holds at least (at 1 KiB pages: items of at most 123 bytes). */
export const MIN_LEAF_ITEMS = 8;

/** Encoded bytes of a non-null fixed-width value of a nullable column, marker included (key-codec.ts). */
const FIXED_KEY_BYTES: Partial<Record<ColumnType, number>> = {
  INT8: 2, INT16: 3, INT32: 5, INT64: 9, FLOAT: 5, DOUBLE: 9, BOOLEAN: 2, UUID: 17, DATE: 5, TIME: 7, DATETIME: 11,
  TIMESTAMP: 9,
};

/**
 * The largest encoded size of one column's value (its marker included when the column is nullable: NOT NULL columns
 * have none, key-codec.ts); Infinity when the column sets no bound.
 */
export function maxColumnKeyBytes(c: KeyColumn): number {
  const marker = c.nullable ? 1 : 0;
  const fixed = FIXED_KEY_BYTES[c.type];
  if (fixed !== undefined) return fixed - 1 + marker;
  switch (c.type) {
    case 'DECIMAL': return c.precision === undefined ? Infinity : marker + 4 + ((c.precision + 1) >> 1);
    case 'STRING': return c.length === undefined ? Infinity : marker + maxStringBytesOfCodePoints(c.length);
    case 'BYTES': return c.length === undefined ? Infinity : marker + maxBytesBytes(c.length);
    default: throw new InvalidArgumentError(`Index column '${c.name}' has unknown type '${String(c.type)}'`);
  }
}

/** The largest item a tree on pages of `pageSize` bytes takes while keeping MIN_LEAF_ITEMS per leaf. */
export function maxIndexItemSize(pageSize: number): number {
  return Math.min(MAX_ITEM_SIZE, Math.floor((pageSize - LEAF_ITEMS_OFFSET) / MIN_LEAF_ITEMS));
}

export class IndexItemLayout {
  /** Offset of the inline key (0 sorted, HASH_SIZE hash). */
  readonly keyOff: number;
  readonly inlineSize: number;
  readonly rowIdOff: number;
  readonly hintOff: number;
  /** Offset of the key length; -1 when every key is `fixedKeyLength` bytes long. */
  readonly keyLenOff: number;
  /** Offset of the overflow link; -1 when keys never overflow. */
  readonly linkOff: number;
  readonly itemSize: number;

  /** `fixedKeyLength`: the length of every key, or -1 when lengths vary. */
  constructor(readonly hashed: boolean, inlineSize: number, readonly hasOverflow: boolean, readonly fixedKeyLength = -1) {
    this.keyOff = hashed ? HASH_SIZE : 0;
    this.inlineSize = inlineSize;
    this.rowIdOff = this.keyOff + inlineSize;
    this.hintOff = this.rowIdOff + ROW_ID_SIZE;
    let end = this.hintOff + HINT_SIZE;
    this.keyLenOff = fixedKeyLength >= 0 ? -1 : end;
    if (fixedKeyLength < 0) end += KEY_LENGTH_SIZE;
    this.linkOff = hasOverflow ? end : -1;
    this.itemSize = end + (hasOverflow ? LINK_SIZE : 0);
  }

  /** The layout of an index over `columns` (sorted or hashed) on pages of `pageSize` bytes. */
  static forColumns(hashed: boolean, columns: readonly KeyColumn[], pageSize: number): IndexItemLayout {
    const { inlineSize, hasOverflow } = chooseInlineSize(hashed, columns, pageSize);
    return new IndexItemLayout(hashed, inlineSize, hasOverflow, hasOverflow ? -1 : fixedKeyLength(columns));
  }
}

/** The encoded length every key of these columns has, or -1 when it varies (a nullable or variable-width column). */
function fixedKeyLength(columns: readonly KeyColumn[]): number {
  let n = 0;
  for (const c of columns) {
    if (FIXED_KEY_BYTES[c.type] === undefined || c.nullable) return -1;
    n += maxColumnKeyBytes(c);
  }
  return n;
}

/** Bytes of an item besides its inline key. */
export function itemOverhead(hashed: boolean, hasOverflow: boolean): number {
  return (hashed ? HASH_SIZE : 0) + ROW_ID_SIZE + HINT_SIZE + KEY_LENGTH_SIZE + (hasOverflow ? LINK_SIZE : 0);
}

/** See the file comment. */
export function chooseInlineSize(hashed: boolean, columns: readonly KeyColumn[], pageSize: number): { inlineSize: number; hasOverflow: boolean } {
  let need = 0;
  for (const c of columns) need += maxColumnKeyBytes(c);
  const budget = maxIndexItemSize(pageSize);
  if (need + itemOverhead(hashed, false) <= budget) return { inlineSize: Math.max(1, need), hasOverflow: false };
  return { inlineSize: budget - itemOverhead(hashed, true), hasOverflow: true };
}
