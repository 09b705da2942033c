/** The MVCC page layouts (format v1): pinned offsets and sizes, fit in the smallest page, and byte order = SPI order. */
import { describe, expect, it } from 'vitest';
import { innerCapacity, leafCapacity, MAX_ITEM_SIZE } from '../../../../src/domain/btree/btree-node.layout';
import { dataPageMaxBody } from '../../../../src/domain/datapage/data-page.layout';
import {
  PARTITION_LINK_BYTES, partitionLinkIndex, partitionLinkItem, partitionLinkPage, partitionPageId, writePartitionLink,
} from '../../../../src/domain/datapage/partition-link';
import {
  GC_ITEM_SIZE, GC_QUEUE_ITEM_TYPE, GC_ROW_ID_OFFSET, GC_TS_OFFSET,
} from '../../../../src/domain/mvcc/gc-queue.layout';
import {
  ANCHOR_FLAG_DEAD, ANCHOR_FLAG_REDIRECT, HINT_REFS_SHIFT, INTENT_META_BYTES, MAX_HINT_REFS, MAX_VERSION_HEADER,
  REDIRECT_SIZE, VERSION_FLAG_HAS_NEXT, VERSION_FLAG_INTENT, VERSION_FLAG_TOMBSTONE, schemaVersionSize, versionFieldsSize,
} from '../../../../src/domain/mvcc/row-version.layout';
import {
  CHAIN_ANCHOR_OFFSET, CHAIN_ITEM_SIZE, CHAIN_ROW_ID_OFFSET, VERSION_CHAIN_ITEM_TYPE,
} from '../../../../src/domain/mvcc/version-chain.layout';
import { writeTs } from '../../../../src/domain/mvcc/hybrid-ts-bytes';
import { FLAG_DATA, pageId } from '../../../../src/domain/page/page-id';
import { RowId } from '../../../../src/domain/storage/row-id';
import { SeededRandom } from '../../../contract/support/seeded-random';

describe('MVCC layouts (format v1)', () => {
  it('pins the version chain item: RowId then a 5-byte anchor link', () => {
    expect([CHAIN_ROW_ID_OFFSET, CHAIN_ANCHOR_OFFSET, CHAIN_ITEM_SIZE, PARTITION_LINK_BYTES]).toEqual([0, 16, 21, 5]);
    expect(VERSION_CHAIN_ITEM_TYPE.itemSize).toBe(CHAIN_ITEM_SIZE);
  });

  it('pins the row version fields: flags byte, ts unless intent, next link, intent meta', () => {
    expect([VERSION_FLAG_TOMBSTONE, VERSION_FLAG_INTENT, VERSION_FLAG_HAS_NEXT, ANCHOR_FLAG_REDIRECT, ANCHOR_FLAG_DEAD])
      .toEqual([1, 2, 4, 8, 16]);
    expect([HINT_REFS_SHIFT, MAX_HINT_REFS, INTENT_META_BYTES, REDIRECT_SIZE, MAX_VERSION_HEADER]).toEqual([5, 7, 24, 6, 35]);
    expect(versionFieldsSize(0)).toBe(9);
    expect(versionFieldsSize(VERSION_FLAG_HAS_NEXT)).toBe(14);
    expect(versionFieldsSize(VERSION_FLAG_INTENT)).toBe(25);
    expect(versionFieldsSize(VERSION_FLAG_INTENT | VERSION_FLAG_HAS_NEXT | VERSION_FLAG_TOMBSTONE)).toBe(30);
  });

  it('sizes the schema version as unsigned LEB128 of its 32 bits', () => {
    expect([0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, -1, -(2 ** 31)].map(schemaVersionSize)).toEqual([1, 1, 1, 2, 2, 3, 5, 5, 5]);
  });

  it('partition links carry the page index and item, and decode to FLAG_DATA pages of the partition', () => {
    const buf = new Uint8Array(7).fill(0xee);
    const page = pageId(FLAG_DATA, 513, 0xfedc_ba98);
    writePartitionLink(buf, 1, page, 200);
    expect([partitionLinkIndex(buf, 1), partitionLinkItem(buf, 1), partitionLinkPage(buf, 1, 513)]).toEqual([0xfedc_ba98, 200, page]);
    expect([buf[0], buf[6]]).toEqual([0xee, 0xee]);
    writePartitionLink(buf, 1, 0, 9);
    expect([partitionLinkPage(buf, 1, 513), partitionLinkItem(buf, 1)]).toEqual([0, 0]);
    expect(partitionPageId(513, 0)).toBe(0);
  });

  it('pins the GC queue item', () => {
    expect([GC_TS_OFFSET, GC_ROW_ID_OFFSET, GC_ITEM_SIZE]).toEqual([0, 8, 24]);
    expect(GC_QUEUE_ITEM_TYPE.itemSize).toBe(GC_ITEM_SIZE);
  });

  it.each([1024, 16384])('fits %i-byte pages: tree fanout of at least 8, an intent header with a value in one data page', (pageSize) => {
    for (const size of [CHAIN_ITEM_SIZE, GC_ITEM_SIZE]) {
      expect(size).toBeLessThanOrEqual(MAX_ITEM_SIZE);
      expect(leafCapacity(pageSize, size)).toBeGreaterThanOrEqual(8);
      expect(innerCapacity(pageSize, size)).toBeGreaterThanOrEqual(8);
    }
    expect(dataPageMaxBody(pageSize)).toBeGreaterThan(MAX_VERSION_HEADER + 900 * (pageSize / 1024));
  });

  it('chain items order like RowIds (signed msb, then signed lsb); the anchor link takes no part', () => {
    const rnd = new SeededRandom(7);
    const edges = [RowId.lowest(1), RowId.highest(1), new RowId(1, 0n, 0n), new RowId(1, -1n, -1n), new RowId(1, 0n, -1n)];
    const ids = [...edges, ...Array.from({ length: 200 }, () => new RowId(1, rnd.long(), rnd.long()))];
    const items = ids.map((id) => {
      const item = new Uint8Array(CHAIN_ITEM_SIZE).fill(0xab);
      id.writeUuidBytes(new DataView(item.buffer), CHAIN_ROW_ID_OFFSET);
      return { id, item };
    });
    for (const a of items) {
      for (const b of items.slice(0, 20)) {
        expect(Math.sign(VERSION_CHAIN_ITEM_TYPE.compare(a.item, 0, b.item, 0))).toBe(a.id.compareTo(b.id));
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
});
