/**
 * SortedIndexStorage on page memory (aimem now, aipersist's page cache later, unchanged): a SortedIndexTree in the
 * partition's pages, keys encoded by the order-preserving key codec. Checks and lifecycle: page-index-base.ts.
 *
 * Cursors: get() and readOnlyScan() take their entries when called (readOnlyScan "sees the index as of its
 * creation", DESIGN §6.1); scan() and tolerantScan() are live (page-index-scan-cursor.ts). Bounds are column
 * prefixes mapped to byte ranges (key-bounds.ts). Hot paths (get, put, remove) reuse the storage's encoder and
 * the tree's scratch keys and items.
 */
import { keyByteRange, type KeyByteRange } from '../../../domain/index/key-bounds';
import { KeyEncoder } from '../../../domain/index/key-codec';
import { KeyDecoder } from '../../../domain/index/key-decoder';
import { KeyBytes } from '../../../domain/index/index-item-keys';
import { SortedIndexTree } from '../../../domain/index/sorted-index-tree';
import { InvalidArgumentError } from '../../../domain/shared/errors';
import type { Cursor, PeekCursor } from '../../../domain/storage/cursor';
import {
  BACKWARDS, GREATER_OR_EQUAL, type IndexRow, LESS_OR_EQUAL, type SortedIndexDescriptor,
} from '../../../domain/storage/index-descriptors';
import type { SortedIndexStorage } from '../../../domain/storage/storage-engine.api';
import { checkScanFlags } from './mv-arguments';
import { PageIndexStorageBase } from './page-index-base';
import type { IndexMetaRecord } from '../../../domain/index/index-meta-tree';
import { INDEX_KIND_SORTED } from '../../../domain/index/index-meta.layout';
import { PageArrayCursor } from './page-cursor';
import { PageIndexScanCursor } from './page-index-scan-cursor';
import type { PartitionContext } from './partition-context';

const EMPTY_RANGE: KeyByteRange = { lower: null, upper: null, empty: true };

export class PageSortedIndexStorage extends PageIndexStorageBase<SortedIndexTree> implements SortedIndexStorage {
  readonly descriptor: SortedIndexDescriptor;
  readonly #decoder: KeyDecoder;
  readonly #snapshotKey = new KeyBytes();

  /** `stored`: the index's meta when it exists on the partition's pages (a reopen), else null (a new index). */
  constructor(ctx: PartitionContext, descriptor: SortedIndexDescriptor, stored: IndexMetaRecord | null = null) {
    const encoder = new KeyEncoder(descriptor.columns);
    const columns = descriptor.columns;
    super(ctx, descriptor.id, descriptor.primary === true, encoder, INDEX_KIND_SORTED, columns,
      (pages, metaPageId, pending) => new SortedIndexTree(pages, columns, metaPageId, pending), stored);
    this.descriptor = descriptor;
    this.#decoder = new KeyDecoder(encoder.plan);
  }


  scan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): PeekCursor<IndexRow> {
    this.checkReadable(true);
    return new PageIndexScanCursor(this, this.tree, this.#decoder, this.#range(lower, upper, flags), (flags & BACKWARDS) !== 0);
  }

  tolerantScan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): PeekCursor<IndexRow> {
    this.checkReadable(false);
    return new PageIndexScanCursor(this, this.tree, this.#decoder, this.#range(lower, upper, flags), (flags & BACKWARDS) !== 0);
  }

  /** A snapshot: the entries in range now, materialized. */
  readOnlyScan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): Cursor<IndexRow> {
    this.checkReadable(true);
    const range = this.#range(lower, upper, flags);
    const rows: IndexRow[] = [];
    if (!range.empty) this.#collect(range, rows);
    if ((flags & BACKWARDS) !== 0) rows.reverse();
    return new PageArrayCursor(this, rows);
  }

  #collect(range: KeyByteRange, out: IndexRow[]): void {
    const tree = this.tree;
    const lo = range.lower === null ? null : tree.newSearchKey().setKey(range.lower, 0, range.lower.length, 0);
    const hi = range.upper === null ? null : tree.newSearchKey().setKey(range.upper, 0, range.upper.length, 0);
    const c = tree.lookupCursor();
    const key = this.#snapshotKey;
    c.reset(lo, true, hi, false);
    while (c.next()) {
      const b = c.itemBuf;
      tree.keys.copyKey(b, c.itemOff, key);
      out.push({ key: this.#decoder.decode(key.bytes, 0, key.length), rowId: tree.readRowId(b, c.itemDv, c.itemOff) });
    }
    c.close();
  }

  /**
   * The byte range of the bounds. An empty prefix ([]) is "equal" to every key, as in the reference engine: it
   * bounds nothing when inclusive and excludes everything when exclusive.
   */
  #range(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): KeyByteRange {
    if ((lower !== null && !Array.isArray(lower)) || (upper !== null && !Array.isArray(upper))) {
      throw new InvalidArgumentError(`Scan bounds of ${this.what} must be arrays of column values (a key prefix) or null`);
    }
    checkScanFlags(flags);
    const range = keyByteRange(this.encoder, lower, upper, flags);
    const excludesAll = (lower !== null && lower.length === 0 && (flags & GREATER_OR_EQUAL) === 0)
      || (upper !== null && upper.length === 0 && (flags & LESS_OR_EQUAL) === 0);
    return excludesAll ? EMPTY_RANGE : range;
  }
}
