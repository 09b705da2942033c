/**
 * The live cursor of a sorted index's scan() and tolerantScan() (DESIGN §6.1): each step returns the first entry in
 * range after the last one returned (before it, BACKWARDS), so entries put ahead of it are seen and entries put behind
 * it are not. A value cached by hasNext() — or answered by peek(), even null — is what the following hasNext()/next()
 * use, even if it was removed meanwhile; once hasNext() answered false the cursor stays finished.
 *
 * Mechanism: a B+ tree cursor of its own copies one leaf at a time. Entries are materialized (key decoded, RowId
 * read) when fetched, while the copied leaf is known to be current. Whenever the tree's modCount moved, or a peek
 * fetched an entry that was not consumed, the tree cursor is restarted from this cursor's own copy of the last
 * consumed entry (whole key + RowId), never from a copy of a tree item: a removed item's overflow row may be gone.
 */
import type { BTreeCursor } from '../../../domain/btree/btree-cursor';
import type { IndexSearchKey } from '../../../domain/index/index-item-type';
import { KeyBytes } from '../../../domain/index/index-item-keys';
import type { KeyByteRange } from '../../../domain/index/key-bounds';
import type { KeyDecoder } from '../../../domain/index/key-decoder';
import type { SortedIndexTree } from '../../../domain/index/sorted-index-tree';
import type { PeekCursor } from '../../../domain/storage/cursor';
import type { IndexRow } from '../../../domain/storage/index-descriptors';
import { type CursorOwner, noSuchElement, PageCursor } from './page-cursor';

const ROW_ID_SIZE = 16;

export class PageIndexScanCursor extends PageCursor<IndexRow> implements PeekCursor<IndexRow> {
  readonly #tree: SortedIndexTree;
  readonly #decoder: KeyDecoder;
  /** null when the range is empty. */
  readonly #cursor: BTreeCursor | null;
  readonly #lower: IndexSearchKey | null;
  readonly #upper: IndexSearchKey | null;
  /** Re-seek position: the last consumed entry (strictly after it; strictly before it backwards). */
  readonly #after: IndexSearchKey;
  /** The entry the last fetch returned, and the last consumed one (swapped on consumption). */
  #fetchedKey = new KeyBytes();
  #lastKey = new KeyBytes();
  #fetchedRowId = new Uint8Array(ROW_ID_SIZE);
  #lastRowId = new Uint8Array(ROW_ID_SIZE);
  #hasLast = false;
  /** The tree cursor's current item is the last consumed entry (or it has returned nothing yet). */
  #positioned = false;
  #seenModCount = -1;
  /** undefined: not fetched; null: nothing (finished, when cached). */
  #cached: IndexRow | null | undefined = undefined;
  #peeked: IndexRow | null | undefined = undefined;

  /** `backwards`: from the upper bound down (BACKWARDS); each step then returns the last entry before the last one returned. */
  constructor(owner: CursorOwner, tree: SortedIndexTree, decoder: KeyDecoder, range: KeyByteRange, private readonly backwards = false) {
    super(owner);
    this.#tree = tree;
    this.#decoder = decoder;
    this.#after = tree.newSearchKey();
    this.#lower = range.lower === null ? null : tree.newSearchKey().setKey(range.lower, 0, range.lower.length, 0);
    this.#upper = range.upper === null ? null : tree.newSearchKey().setKey(range.upper, 0, range.upper.length, 0);
    this.#cursor = range.empty ? null : tree.newCursor();
  }

  peek(): IndexRow | null {
    this.guard();
    if (this.#cached !== undefined) return this.#cached;
    this.#peeked = this.#fetch();
    return this.#peeked;
  }

  hasNext(): boolean {
    this.guard();
    if (this.#cached === undefined) {
      this.#cached = this.#peeked !== undefined ? this.#peeked : this.#fetch();
      this.#peeked = undefined;
    }
    return this.#cached !== null;
  }

  next(): IndexRow {
    if (!this.hasNext()) throw noSuchElement();
    const row = this.#cached!;
    this.#cached = undefined;
    // The consumed entry is always the latest fetch's: it becomes the re-seek position.
    const key = this.#lastKey;
    this.#lastKey = this.#fetchedKey;
    this.#fetchedKey = key;
    const rowId = this.#lastRowId;
    this.#lastRowId = this.#fetchedRowId;
    this.#fetchedRowId = rowId;
    this.#after.setEntry(this.#lastKey.bytes, 0, this.#lastKey.length, 0, this.#lastRowId, 0);
    this.#hasLast = true;
    this.#positioned = true;
    return row;
  }

  /** Idempotent; the tree cursor goes back to the tree for the next scan (this cursor never touches it again). */
  override close(): void {
    if (this.isClosed) return;
    super.close();
    if (this.#cursor !== null) this.#tree.recycleCursor(this.#cursor);
  }

  /** The first entry in range after the last consumed one, materialized; null when there is none. */
  #fetch(): IndexRow | null {
    const c = this.#cursor;
    if (c === null) return null;
    const tree = this.#tree;
    if (!this.#positioned || tree.modCount !== this.#seenModCount) {
      if (!this.backwards) {
        if (this.#hasLast) c.reset(this.#after, false, this.#upper, false);
        else c.reset(this.#lower, true, this.#upper, false);
      } else if (this.#hasLast) c.reset(this.#lower, true, this.#after, false, true);
      else c.reset(this.#lower, true, this.#upper, false, true);
      this.#positioned = true;
    }
    const found = c.next();
    this.#seenModCount = tree.modCount;
    if (!found) return null;
    this.#positioned = false;
    const off = c.itemOff;
    tree.keys.copyKey(c.itemBuf, off, this.#fetchedKey);
    const from = off + tree.layout.rowIdOff;
    for (let i = 0; i < ROW_ID_SIZE; i++) this.#fetchedRowId[i] = c.itemBuf[from + i]!;
    return {
      key: this.#decoder.decode(this.#fetchedKey.bytes, 0, this.#fetchedKey.length),
      rowId: tree.readRowId(c.itemBuf, c.itemDv, off),
    };
  }
}
