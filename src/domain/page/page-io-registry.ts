/**
 * The page IO registry: every page type that has content names its current layout version, its fixed header
 * end (first byte after the type-specific header) and the smallest page size it works on. Readers check the
 * (type, version) of the common header against it before trusting a page; a test pins every entry and checks
 * that each layout fits MIN_PAGE_SIZE.
 *
 * Not a hot path: the registry is consulted when a page is first recognised (recovery, checks, tools), never per
 * item access; hot code compares the type u16 against its own constant.
 */
import { DataCorruptionError } from '../shared/errors';
import { PAGE_TYPE_OFFSET, PAGE_VERSION_OFFSET } from './page-header.layout';
import {
  PAGE_TYPE_BTREE_INNER,
  PAGE_TYPE_BTREE_LEAF,
  PAGE_TYPE_BTREE_META,
  PAGE_TYPE_DATA,
  PAGE_TYPE_FREELIST_META,
  PAGE_TYPE_FREELIST_NODE,
  PAGE_TYPE_PARTITION_META,
  PAGE_TYPE_FREED,
} from './page-types';
import { DATA_HEADER_END, DATA_PAGE_VERSION, dataPageMinSize } from '../datapage/data-page.layout';
import {
  FL_META_ENTRIES_OFFSET, FL_META_ENTRY_SIZE, FREE_LIST_LAYOUT_VERSION, LIST_FIELDS_END,
} from '../freelist/free-list.layout';
import { BTREE_META_VERSION, META_END } from '../btree/btree-meta.layout';
import {
  BTREE_NODE_VERSION,
  INNER_ENTRIES_OFFSET,
  LEAF_ITEMS_OFFSET,
  NODE_BODY_OFFSET,
  PAGE_ID_SIZE,
} from '../btree/btree-node.layout';

export interface PageIoDescriptor {
  readonly type: number;
  /** Current (written) version; pages of an older version must be upgraded or refused by their reader. */
  readonly version: number;
  readonly name: string;
  /** Offset of the first byte after the type-specific fixed header. */
  readonly headerEnd: number;
  /**
   * Smallest page size this layout works on. Generic layouts (B+ tree pages) depend on their item size; fixed
   * layouts ignore the argument.
   */
  minPageSize(itemSize: number): number;
}

const DATA_PAGE_IO: PageIoDescriptor = {
  type: PAGE_TYPE_DATA,
  version: DATA_PAGE_VERSION,
  name: 'data',
  headerEnd: DATA_HEADER_END,
  minPageSize: () => dataPageMinSize(),
};

/**
 * Items (leaf) and separator keys (inner) a B+ tree page must hold at least; btree-node.layout.ts sizes
 * MAX_ITEM_SIZE so that a 1 KiB page still does.
 */
export const BTREE_MIN_ITEMS_PER_PAGE = 4;

const BTREE_META_IO: PageIoDescriptor = {
  type: PAGE_TYPE_BTREE_META,
  version: BTREE_META_VERSION,
  name: 'btree-meta',
  headerEnd: META_END,
  minPageSize: () => META_END,
};

const BTREE_INNER_IO: PageIoDescriptor = {
  type: PAGE_TYPE_BTREE_INNER,
  version: BTREE_NODE_VERSION,
  name: 'btree-inner',
  headerEnd: NODE_BODY_OFFSET,
  minPageSize: (itemSize) => INNER_ENTRIES_OFFSET + BTREE_MIN_ITEMS_PER_PAGE * (itemSize + PAGE_ID_SIZE),
};

const BTREE_LEAF_IO: PageIoDescriptor = {
  type: PAGE_TYPE_BTREE_LEAF,
  version: BTREE_NODE_VERSION,
  name: 'btree-leaf',
  headerEnd: NODE_BODY_OFFSET,
  minPageSize: (itemSize) => LEAF_ITEMS_OFFSET + BTREE_MIN_ITEMS_PER_PAGE * itemSize,
};

const FREELIST_META_IO: PageIoDescriptor = {
  type: PAGE_TYPE_FREELIST_META,
  version: FREE_LIST_LAYOUT_VERSION,
  name: 'freelist-meta',
  headerEnd: FL_META_ENTRIES_OFFSET,
  minPageSize: () => FL_META_ENTRIES_OFFSET + FL_META_ENTRY_SIZE,
};

const FREELIST_NODE_IO: PageIoDescriptor = {
  type: PAGE_TYPE_FREELIST_NODE,
  version: FREE_LIST_LAYOUT_VERSION,
  name: 'free-page',
  headerEnd: LIST_FIELDS_END,
  minPageSize: () => LIST_FIELDS_END,
};

/** Every page type with a layout, in type order. */
export const PAGE_IOS: readonly PageIoDescriptor[] = [
  DATA_PAGE_IO, FREELIST_META_IO, BTREE_META_IO, BTREE_INNER_IO, BTREE_LEAF_IO, FREELIST_NODE_IO,
];

/**
 * Page types that exist in page-types.ts but have no layout yet, with the reason. The registry test fails when a
 * type is in neither list, so a new type cannot be forgotten.
 * - Partition meta: being laid out (partition-meta.layout.ts comes with the open paths).
 * - Freed (persistent partitions): no page IO — its record (the next freed index after the common header) is read
 *   and written by persistent-page-memory.ts only.
 */
export const PAGE_TYPES_WITHOUT_LAYOUT: readonly number[] = [
  PAGE_TYPE_PARTITION_META,
  PAGE_TYPE_FREED,
];

const BY_TYPE: (PageIoDescriptor | undefined)[] = [];
for (const io of PAGE_IOS) BY_TYPE[io.type] = io;

/** The registered layout of a page type, or undefined when the type has none. */
export function pageIoOf(type: number): PageIoDescriptor | undefined {
  return BY_TYPE[type];
}

/** Writes type and current version into the common header of the page at `off`. */
export function writePageIoHeader(dv: DataView, off: number, io: PageIoDescriptor): void {
  dv.setUint16(off + PAGE_TYPE_OFFSET, io.type, true);
  dv.setUint16(off + PAGE_VERSION_OFFSET, io.version, true);
}

/**
 * The descriptor of the page at `off`, after checking that its type is registered and its version is one this
 * build reads (1..current). Throws DataCorruptionError otherwise.
 */
export function checkedPageIo(dv: DataView, off: number): PageIoDescriptor {
  const type = dv.getUint16(off + PAGE_TYPE_OFFSET, true);
  const version = dv.getUint16(off + PAGE_VERSION_OFFSET, true);
  const io = BY_TYPE[type];
  if (io === undefined) throw new DataCorruptionError(`page at offset ${off} has unknown page type ${type}`);
  if (version < 1 || version > io.version) {
    throw new DataCorruptionError(`${io.name} page at offset ${off} has version ${version}; this build reads 1..${io.version}`);
  }
  return io;
}
