/**
 * The GC queue of one partition (DESIGN.md §4, layout in gc-queue.layout.ts): a B+ tree of (commit ts, RowId)
 * entries, one per committed version that has an older version under it. Owns its tree, an item scratch, a prefix
 * key for the low-watermark bound and one cursor reused by every `peek`.
 */
import { BTree } from '../btree/btree';
import { BytePrefixKey, ItemKey } from '../btree/btree-item';
import type { BTreeCursor } from '../btree/btree-cursor';
import { copyBytes } from '../datapage/byte-copy';
import type { PageAllocator } from '../page-memory/page-allocator.port';
import type { PageMemory } from '../page-memory/page-memory.port';
import type { GcEntry } from '../storage/results';
import { RowId } from '../storage/row-id';
import { FLAG_DATA } from '../page/page-id';
import { TS_BYTES, readTs, writeTs } from './hybrid-ts-bytes';
import { GC_ITEM_SIZE, GC_QUEUE_ITEM_TYPE, GC_ROW_ID_OFFSET, GC_TS_OFFSET } from './gc-queue.layout';
import { ROW_ID_BYTES } from './version-chain.layout';

export class GcQueue {
  readonly tree: BTree;
  readonly #item = new Uint8Array(GC_ITEM_SIZE);
  readonly #dv = new DataView(this.#item.buffer);
  readonly #key = new ItemKey(GC_QUEUE_ITEM_TYPE).set(this.#item, 0);
  /** Upper bound of `peek`: the first TS_BYTES of #bound (the low watermark), inclusive. */
  readonly #bound = new Uint8Array(TS_BYTES);
  readonly #boundDv = new DataView(this.#bound.buffer);
  readonly #boundKey = new BytePrefixKey().set(this.#bound, 0, TS_BYTES);
  readonly #cursor: BTreeCursor;

  constructor(tree: BTree) {
    this.tree = tree;
    this.#cursor = tree.cursor(null, true, this.#boundKey, true);
  }

  static create(pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator): GcQueue {
    return new GcQueue(BTree.create(pm, groupId, partitionId, allocator, GC_QUEUE_ITEM_TYPE, FLAG_DATA));
  }

  static open(pm: PageMemory, groupId: number, partitionId: number, allocator: PageAllocator, metaPageId: number): GcQueue {
    return new GcQueue(BTree.open(pm, groupId, partitionId, allocator, GC_QUEUE_ITEM_TYPE, metaPageId, FLAG_DATA));
  }

  size(): number {
    return this.tree.size();
  }

  /** Queues (ts, rowId); the RowId's 16 bytes are at `rowId[off..]`. */
  add(hi: number, lo: number, rowId: Uint8Array, off: number): void {
    this.#set(hi, lo, rowId, off);
    this.tree.put(this.#item);
  }

  /** Removes (ts, rowId); false when it was not queued. */
  remove(hi: number, lo: number, rowId: Uint8Array, off: number): boolean {
    this.#set(hi, lo, rowId, off);
    return this.tree.remove(this.#key);
  }

  /**
   * The first `count` entries with ts ≤ the low watermark (its halves), in queue order. Allocates the returned
   * entries only.
   */
  peek(lwHi: number, lwLo: number, count: number, partitionId: number): GcEntry[] {
    const out: GcEntry[] = [];
    if (!(count > 0)) return out;
    writeTs(this.#boundDv, 0, lwHi, lwLo);
    const c = this.#cursor.reset(null, true, this.#boundKey, true);
    while (out.length < count && c.next()) {
      const off = c.itemOff;
      const dv = c.itemDv;
      out.push({
        rowId: RowId.readUuidBytes(partitionId, dv, off + GC_ROW_ID_OFFSET),
        timestamp: readTs(dv, off + GC_TS_OFFSET),
      });
    }
    c.close();
    return out;
  }

  /** Calls `visit(hi, lo, itemBuf, rowIdOff)` for every entry in order (invariant checks; allocates a cursor). */
  forEach(visit: (hi: number, lo: number, buf: Uint8Array, rowIdOff: number) => void): void {
    const c = this.tree.cursor(null, true, null, true);
    while (c.next()) {
      const dv = c.itemDv;
      visit(dv.getUint32(c.itemOff), dv.getUint32(c.itemOff + 4), c.itemBuf, c.itemOff + GC_ROW_ID_OFFSET);
    }
  }

  /** Frees every page of the queue; the object is unusable afterwards. */
  destroy(): void {
    this.tree.destroy();
  }

  #set(hi: number, lo: number, rowId: Uint8Array, off: number): void {
    writeTs(this.#dv, GC_TS_OFFSET, hi, lo);
    copyBytes(rowId, off, this.#item, GC_ROW_ID_OFFSET, ROW_ID_BYTES);
  }
}
