/**
 * aistorage's side of bench/btree.bench.ts: a B+ tree of 16-byte items (8-byte big-endian key + 8-byte link)
 * whose links name 100-byte rows in a RowStore, all on one DataRegion (ArrayBufferMemoryProvider). The
 * BucketedFreeList places the rows and is also the tree's PageAllocator, so tree pages reuse emptied data pages.
 *
 * Per operation nothing is allocated here: one item buffer, one key, one link, one value buffer and one cursor
 * serve every call (the cursor is reset per range).
 */
import { BTree } from '../../src/domain/btree/btree';
import type { BTreeCursor } from '../../src/domain/btree/btree-cursor';
import { BytePrefixKey, BytewiseItemType } from '../../src/domain/btree/btree-item';
import { RowStore } from '../../src/domain/datapage/row-store';
import { RowLink } from '../../src/domain/datapage/row-link';
import { BucketedFreeList } from '../../src/domain/freelist/bucketed-free-list';
import { readItemId, readPageId, writePageId } from '../../src/domain/page/page-id';
import { DataRegion } from '../../src/domain/region/data-region';
import { ArrayBufferMemoryProvider } from '../../src/infrastructure/memory/array-buffer-memory-provider';
import {
  KEY_SIZE, RANGE_LEN, TAG_OFFSET, VALUE_SIZE, check, liveBytes, opsPerSec, writeKey, type Phase, type RunResult, type Workload,
} from './workload';

const MiB = 1024 * 1024;
const GROUP = 1;
const PARTITION = 0;
const ITEM_SIZE = KEY_SIZE + 8;
const LINK_OFFSET = KEY_SIZE;

/** The region is sized for N up front (~200 bytes per row), as an aimem profile would be. */
function newRegion(n: number, pageSize: number): DataRegion {
  const initSizeBytes = Math.max(16, Math.ceil((n * 200) / MiB)) * MiB;
  return new DataRegion({ name: 'bench', pageSize, initSizeBytes, maxSizeBytes: Math.max(1024 * MiB, 4 * initSizeBytes), memory: new ArrayBufferMemoryProvider() });
}

/** One run's structures and the scratch objects every operation reuses. */
class PagedTree {
  readonly region: DataRegion;
  readonly freeList: BucketedFreeList;
  readonly rows: RowStore;
  readonly tree: BTree;
  readonly item = new Uint8Array(ITEM_SIZE);
  readonly idv = new DataView(this.item.buffer);
  readonly link = new RowLink();
  readonly value = new Uint8Array(VALUE_SIZE);
  readonly vdv = new DataView(this.value.buffer);
  readonly kdv = new DataView(new ArrayBuffer(KEY_SIZE));
  readonly key = new BytePrefixKey().set(new Uint8Array(this.kdv.buffer), 0, KEY_SIZE);
  readonly udv = new DataView(new ArrayBuffer(KEY_SIZE));
  readonly upper = new BytePrefixKey().set(new Uint8Array(this.udv.buffer), 0, KEY_SIZE);

  constructor(
    readonly w: Workload,
    pageSize: number,
  ) {
    this.region = newRegion(w.n, pageSize);
    const pm = this.region.pageMemory;
    this.freeList = BucketedFreeList.create(pm, GROUP, PARTITION);
    this.rows = new RowStore(pm, this.freeList);
    this.tree = BTree.create(pm, GROUP, PARTITION, this.freeList, new BytewiseItemType(ITEM_SIZE, KEY_SIZE));
  }

  insert(): number {
    const { w, rows, link, idv, item, tree } = this;
    for (let i = 0; i < w.n; i++) {
      const k = w.insertOrder[i]!;
      rows.insert(w.values, link, k * VALUE_SIZE, VALUE_SIZE);
      writeKey(idv, 0, k);
      writePageId(idv, LINK_OFFSET, link.pageId, link.itemId);
      tree.put(item);
    }
    return w.n;
  }

  /** Looks every key up and reads its value; returns the sum of the values' tags. */
  lookup(): number {
    const { w, rows, idv, item, tree, kdv, key, value, vdv } = this;
    let sum = 0;
    for (let i = 0; i < w.n; i++) {
      writeKey(kdv, 0, w.lookupOrder[i]!);
      if (!tree.findOne(key, item)) continue;
      rows.read(readPageId(idv, LINK_OFFSET), readItemId(idv, LINK_OFFSET), value);
      sum += vdv.getUint32(TAG_OFFSET, true);
    }
    return sum;
  }

  /** Reads the value of every item the cursor returns; adds [items, sum of tags] to `out`. */
  drain(cursor: BTreeCursor, out: Float64Array): void {
    const { rows, value, vdv } = this;
    let c = 0;
    let sum = 0;
    while (cursor.next()) {
      const cdv = cursor.itemDv;
      const at = cursor.itemOff + LINK_OFFSET;
      rows.read(readPageId(cdv, at), readItemId(cdv, at), value);
      sum += vdv.getUint32(TAG_OFFSET, true);
      c++;
    }
    out[0]! += c;
    out[1]! += sum;
  }

  /** 10,000 cursors over 100 keys each, values read. */
  rangeScans(cursor: BTreeCursor, out: Float64Array): number {
    const { w, kdv, udv, key, upper } = this;
    for (let i = 0; i < w.rangeStarts.length; i++) {
      const a = w.rangeStarts[i]!;
      writeKey(kdv, 0, a);
      writeKey(udv, 0, a + RANGE_LEN - 1);
      this.drain(cursor.reset(key, true, upper, true), out);
    }
    return w.rangeStarts.length;
  }

  removeTenth(): number {
    const { w, rows, idv, item, tree, kdv, key } = this;
    for (let i = 0; i < w.removeOrder.length; i++) {
      writeKey(kdv, 0, w.removeOrder[i]!);
      if (tree.remove(key, item)) rows.remove(readPageId(idv, LINK_OFFSET), readItemId(idv, LINK_OFFSET));
    }
    return w.removeOrder.length;
  }

  /** Destroys the tree, frees the data pages and the free list's own meta pages, and checks that the region got
   * every page back. */
  close(): void {
    this.tree.destroy();
    this.freeList.destroy();
    check(this.region.stats().allocatedPages === 0, 'every page back in the region after destroy');
    this.region.close();
  }
}

export function runOurs(w: Workload, pageSize: number): RunResult {
  const n = w.n;
  const heapBefore = liveBytes().heap;
  const t = new PagedTree(w, pageSize);
  const ops = {} as Record<Phase, number>;
  ops.insert = opsPerSec(() => t.insert());
  check(t.tree.size() === n, 'size after insert');
  const stats = t.region.stats();
  const heapDelta = liveBytes().heap - heapBefore;
  const dataPages = t.freeList.pageCount;

  let sum = 0;
  ops['point lookup'] = opsPerSec(() => ((sum = t.lookup()), n));
  check(sum === w.tagSum, 'lookup tag sum');
  const cursor = t.tree.cursor(null, true, null, true);
  const acc = new Float64Array(2); // [items, sum of tags]
  ops['full scan'] = opsPerSec(() => (t.drain(cursor, acc), acc[0]!));
  check(acc[0] === n && acc[1] === w.tagSum, 'scan count and tag sum');
  acc.fill(0);
  ops['range scan (100 keys)'] = opsPerSec(() => t.rangeScans(cursor, acc));
  check(acc[0] === w.rangeStarts.length * Math.min(RANGE_LEN, n) && acc[1] === w.rangeTagSum, 'range scan count and tag sum');
  ops['remove 10%'] = opsPerSec(() => t.removeTenth());
  check(t.tree.size() === n - w.removeOrder.length, 'size after remove');
  t.close();
  const memDetail = {
    allocatedPages: stats.allocatedPages, dataPages, treePages: stats.allocatedPages - dataPages, slotSize: stats.slotSize, regionTotalBytes: stats.totalBytes, heapDelta,
  };
  return { ops, memBytes: stats.allocatedBytes, memDetail };
}
