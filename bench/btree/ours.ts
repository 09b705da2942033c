/**
 * aistorage's side of bench/btree.bench.ts: a B+ tree of 16-byte items (8-byte big-endian key + 8-byte link)
 * whose links name 100-byte rows in a RowStore, all on one DataRegion (ArrayBufferMemoryProvider). The
 * BucketedFreeList places the rows and is also the tree's PageAllocator, so tree pages reuse emptied data pages.
 *
 * Per operation nothing is allocated here: one item buffer, one key, one link, one value buffer and one cursor
 * serve every call (the cursor is reset per range).
 */
import { BTree } from '../../src/domain/btree/btree';
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

export function runOurs(w: Workload, pageSize: number): RunResult {
  const n = w.n;
  const heapBefore = liveBytes().heap;
  const region = newRegion(n, pageSize);
  const pm = region.pageMemory;
  const freeList = new BucketedFreeList(pm, GROUP, PARTITION);
  const rows = new RowStore(pm, freeList);
  const tree = BTree.create(pm, GROUP, PARTITION, freeList, new BytewiseItemType(ITEM_SIZE, KEY_SIZE));
  const item = new Uint8Array(ITEM_SIZE);
  const idv = new DataView(item.buffer);
  const link = new RowLink();
  const value = new Uint8Array(VALUE_SIZE);
  const vdv = new DataView(value.buffer);
  const kb = new Uint8Array(KEY_SIZE);
  const kdv = new DataView(kb.buffer);
  const key = new BytePrefixKey().set(kb, 0, KEY_SIZE);
  const kb2 = new Uint8Array(KEY_SIZE);
  const kdv2 = new DataView(kb2.buffer);
  const upper = new BytePrefixKey().set(kb2, 0, KEY_SIZE);
  const ops = {} as Record<Phase, number>;

  ops.insert = opsPerSec(() => {
    const { insertOrder, values } = w;
    for (let i = 0; i < n; i++) {
      const k = insertOrder[i]!;
      rows.insert(values, link, k * VALUE_SIZE, VALUE_SIZE);
      writeKey(idv, 0, k);
      writePageId(idv, LINK_OFFSET, link.pageId, link.itemId);
      tree.put(item);
    }
    return n;
  });
  check(tree.size() === n, 'size after insert');
  const stats = region.stats();
  const heapDelta = liveBytes().heap - heapBefore;
  const dataPages = freeList.pageCount;

  let sum = 0;
  ops['point lookup'] = opsPerSec(() => {
    const { lookupOrder } = w;
    for (let i = 0; i < n; i++) {
      writeKey(kdv, 0, lookupOrder[i]!);
      if (!tree.findOne(key, item)) continue;
      rows.read(readPageId(idv, LINK_OFFSET), readItemId(idv, LINK_OFFSET), value);
      sum += vdv.getUint32(TAG_OFFSET, true);
    }
    return n;
  });
  check(sum === w.tagSum, 'lookup tag sum');

  sum = 0;
  const cursor = tree.cursor(null, true, null, true);
  const cdv = new DataView(cursor.itemBuf.buffer, cursor.itemBuf.byteOffset); // itemBuf is fixed per cursor
  ops['full scan'] = opsPerSec(() => {
    let c = 0;
    while (cursor.next()) {
      const at = cursor.itemOff + LINK_OFFSET;
      rows.read(readPageId(cdv, at), readItemId(cdv, at), value);
      sum += vdv.getUint32(TAG_OFFSET, true);
      c++;
    }
    return c;
  });
  check(sum === w.tagSum, 'scan tag sum');

  sum = 0;
  let seen = 0;
  ops['range scan (100 keys)'] = opsPerSec(() => {
    const { rangeStarts } = w;
    for (let i = 0; i < rangeStarts.length; i++) {
      const a = rangeStarts[i]!;
      writeKey(kdv, 0, a);
      writeKey(kdv2, 0, a + RANGE_LEN - 1);
      cursor.reset(key, true, upper, true);
      while (cursor.next()) {
        const at = cursor.itemOff + LINK_OFFSET;
        rows.read(readPageId(cdv, at), readItemId(cdv, at), value);
        sum += vdv.getUint32(TAG_OFFSET, true);
        seen++;
      }
    }
    return rangeStarts.length;
  });
  check(seen === w.rangeStarts.length * Math.min(RANGE_LEN, n) && sum === w.rangeTagSum, 'range scan count and tag sum');

  ops['remove 10%'] = opsPerSec(() => {
    const { removeOrder } = w;
    for (let i = 0; i < removeOrder.length; i++) {
      writeKey(kdv, 0, removeOrder[i]!);
      if (tree.remove(key, item)) rows.remove(readPageId(idv, LINK_OFFSET), readItemId(idv, LINK_OFFSET));
    }
    return removeOrder.length;
  });
  check(tree.size() === n - w.removeOrder.length, 'size after remove');

  tree.destroy();
  freeList.freeAllPages();
  check(region.stats().allocatedPages === 0, 'every page back in the region after destroy');
  region.close();
  return {
    ops,
    memBytes: stats.allocatedBytes,
    memDetail: {
      allocatedPages: stats.allocatedPages,
      dataPages,
      treePages: stats.allocatedPages - dataPages,
      slotSize: stats.slotSize,
      regionTotalBytes: stats.totalBytes,
      heapDelta,
    },
  };
}
