/** The MVCC page layouts: pinned offsets and sizes, fit in the smallest page, and byte order = SPI order. */
import { describe, expect, it } from 'vitest';
import { innerCapacity, leafCapacity, MAX_ITEM_SIZE } from '../../../../src/domain/btree/btree-node.layout';
import { dataPageMaxBody } from '../../../../src/domain/datapage/data-page.layout';
import {
  GC_ITEM_SIZE, GC_QUEUE_ITEM_TYPE, GC_ROW_ID_OFFSET, GC_TS_OFFSET,
} from '../../../../src/domain/mvcc/gc-queue.layout';
import {
  VERSION_COMMIT_PARTITION_OFFSET, VERSION_COMMIT_TS_OFFSET, VERSION_COMMIT_ZONE_OFFSET, VERSION_FLAGS_OFFSET,
  VERSION_HEADER_SIZE, VERSION_INTENT_HEADER_SIZE, VERSION_INTENT_META_SIZE, VERSION_NEXT_OFFSET, VERSION_SCHEMA_OFFSET,
  VERSION_TX_ID_OFFSET, VERSION_VALUE_LENGTH_OFFSET,
} from '../../../../src/domain/mvcc/row-version.layout';
import {
  CHAIN_FLAGS_OFFSET, CHAIN_HEAD_OFFSET, CHAIN_ITEM_SIZE, CHAIN_NEWEST_COMMIT_OFFSET, CHAIN_NEWEST_COMMIT_TS_OFFSET,
  CHAIN_ROW_ID_OFFSET, ChainItem, VERSION_CHAIN_ITEM_TYPE,
} from '../../../../src/domain/mvcc/version-chain.layout';
import { writeTs } from '../../../../src/domain/mvcc/hybrid-ts-bytes';
import { RowId } from '../../../../src/domain/storage/row-id';
import { SeededRandom } from '../../../contract/support/seeded-random';

describe('MVCC layouts', () => {
  it('pins the version chain item', () => {
    expect([CHAIN_ROW_ID_OFFSET, CHAIN_HEAD_OFFSET, CHAIN_NEWEST_COMMIT_OFFSET, CHAIN_NEWEST_COMMIT_TS_OFFSET, CHAIN_FLAGS_OFFSET,
      CHAIN_ITEM_SIZE]).toEqual([0, 16, 24, 32, 40, 41]);
    expect(VERSION_CHAIN_ITEM_TYPE.itemSize).toBe(CHAIN_ITEM_SIZE);
  });

  it('pins the row version header', () => {
    expect([VERSION_COMMIT_TS_OFFSET, VERSION_NEXT_OFFSET, VERSION_SCHEMA_OFFSET, VERSION_FLAGS_OFFSET,
      VERSION_VALUE_LENGTH_OFFSET, VERSION_HEADER_SIZE]).toEqual([0, 8, 16, 20, 21, 25]);
    expect([VERSION_TX_ID_OFFSET, VERSION_COMMIT_ZONE_OFFSET, VERSION_COMMIT_PARTITION_OFFSET, VERSION_INTENT_HEADER_SIZE,
      VERSION_INTENT_META_SIZE]).toEqual([25, 41, 45, 49, 24]);
  });

  it('pins the GC queue item', () => {
    expect([GC_TS_OFFSET, GC_ROW_ID_OFFSET, GC_ITEM_SIZE]).toEqual([0, 8, 24]);
    expect(GC_QUEUE_ITEM_TYPE.itemSize).toBe(GC_ITEM_SIZE);
  });

  it.each([1024, 16384])('fits %i-byte pages: tree fanout of at least 8, a version header with a value in one data page', (pageSize) => {
    for (const size of [CHAIN_ITEM_SIZE, GC_ITEM_SIZE]) {
      expect(size).toBeLessThanOrEqual(MAX_ITEM_SIZE);
      expect(leafCapacity(pageSize, size)).toBeGreaterThanOrEqual(8);
      expect(innerCapacity(pageSize, size)).toBeGreaterThanOrEqual(8);
    }
    expect(dataPageMaxBody(pageSize)).toBeGreaterThan(VERSION_INTENT_HEADER_SIZE + 900 * (pageSize / 1024));
  });

  it('chain items order like RowIds (signed msb, then signed lsb)', () => {
    const rnd = new SeededRandom(7);
    const edges = [RowId.lowest(1), RowId.highest(1), new RowId(1, 0n, 0n), new RowId(1, -1n, -1n), new RowId(1, 0n, -1n)];
    const ids = [...edges, ...Array.from({ length: 200 }, () => new RowId(1, rnd.long(), rnd.long()))];
    const items = ids.map((id) => {
      const item = new ChainItem();
      id.writeUuidBytes(item.dv, CHAIN_ROW_ID_OFFSET);
      item.buf.fill(0xab, CHAIN_HEAD_OFFSET); // value bytes take no part in the order
      return { id, item };
    });
    for (const a of items) {
      for (const b of items.slice(0, 20)) {
        expect(Math.sign(VERSION_CHAIN_ITEM_TYPE.compare(a.item.buf, 0, b.item.buf, 0))).toBe(a.id.compareTo(b.id));
      }
    }
  });

  it('GC items order by commit timestamp, then RowId', () => {
    const entries: Array<[bigint, RowId]> = [
      [5n, new RowId(1, 3n, 0n)], [5n, new RowId(1, -9n, 0n)], [1n << 40n, RowId.lowest(1)], [(1n << 63n) - 1n, RowId.highest(1)],
      [1n, RowId.highest(1)], [(1n << 32n) + 1n, new RowId(1, 0n, 0n)], [1n << 32n, new RowId(1, 0n, 0n)],
    ];
    const bytes = entries.map(([ts, id]) => {
      const b = new Uint8Array(GC_ITEM_SIZE);
      const dv = new DataView(b.buffer);
      writeTs(dv, GC_TS_OFFSET, Number(ts >> 32n), Number(ts & 0xffffffffn));
      id.writeUuidBytes(dv, GC_ROW_ID_OFFSET);
      return b;
    });
    const expected = (a: [bigint, RowId], b: [bigint, RowId]) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1].compareTo(b[1]));
    entries.forEach((a, i) => entries.forEach((b, j) => {
      expect(Math.sign(GC_QUEUE_ITEM_TYPE.compare(bytes[i]!, 0, bytes[j]!, 0))).toBe(expected(a, b));
    }));
  });

  it('ChainItem fields round-trip and clear', () => {
    const item = new ChainItem().reset(new Uint8Array(16).fill(7), 0);
    item.setHead(12345678901, 17);
    item.setNewest(98765, 3, 0x01020304, 0xa0b0c0d0, true);
    item.setIntent();
    const copy = new ChainItem().load(item.buf, 0);
    expect([copy.headPage, copy.headItem, copy.newestPage, copy.newestItem, copy.newestTsHi, copy.newestTsLo])
      .toEqual([12345678901, 17, 98765, 3, 0x01020304, 0xa0b0c0d0]);
    expect([copy.hasCommit, copy.newestIsTombstone, copy.hasWriteIntent]).toEqual([true, true, true]);
    expect(copy.newestTimestamp()).toBe(0x01020304a0b0c0d0n);
    copy.clearIntent();
    expect([copy.hasWriteIntent, copy.newestIsTombstone, copy.flags]).toEqual([false, true, 0x02]);
    copy.setNewest(0, 0, 9, 9, true);
    expect([copy.hasCommit, copy.newestTsHi, copy.newestTsLo, copy.newestIsTombstone, copy.newestTimestamp()]).toEqual([false, 0, 0, false, null]);
    expect(copy.buf.subarray(0, 16).every((b) => b === 7)).toBe(true);
  });
});
