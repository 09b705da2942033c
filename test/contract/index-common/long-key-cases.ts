/**
 * Index keys longer than any inline size and longer than a page (supports.largeValueBytes): they are stored,
 * found, ordered and removed like short ones, and two long keys differing only in their last byte are different.
 */
import { describe, expect, it } from 'vitest';
import { GREATER_OR_EQUAL, LESS_OR_EQUAL } from '../../../src/domain/storage/index-descriptors';
import type { IndexStorage, SortedIndexStorage } from '../../../src/domain/storage/storage-engine.api';
import { type IndexFixture, SCAN_MODES } from '../support/index-fixture';
import { SeededRandom } from '../support/seeded-random';

/** Lengths around common inline sizes and page sizes, then beyond a page. */
const lengths = (large: number): number[] => [0, 1, 7, 8, 9, 63, 64, 65, 100, 1000, 4000, 16_000, large].sort((a, b) => a - b);

export function describeLongKeyCases(fx: IndexFixture, kind: 'sorted' | 'hash'): void {
  const create = (cols: Parameters<IndexFixture['sorted']>[0]): IndexStorage => (kind === 'sorted' ? fx.sorted(cols) : fx.hash(cols));

  describe(`${kind} index: long keys`, () => {
    it('STRING keys sharing long prefixes: found, ordered by UTF-8 bytes, removed', () => {
      const index = create(['STRING']);
      const keys = lengths(fx.engineFixture.largeValueBytes).flatMap((n) => ['a', 'b'].map((s) => 'p'.repeat(n) + s));
      const rnd = new SeededRandom(11);
      const shuffled = keys.map((k) => ({ k, r: rnd.next() })).sort((a, b) => a.r - b.r).map((x) => x.k);
      const entries = shuffled.map((k) => fx.put(index, [k]));
      for (const e of entries) expect(fx.get(index, e.key), `key of ${(e.key[0] as string).length} chars`).toEqual([e.rowId.toString()]);
      if (kind === 'sorted') {
        for (const mode of SCAN_MODES) {
          expect(fx.scan(index as SortedIndexStorage, mode).map((r) => r.key[0]), mode).toEqual(keys);
        }
      }
      for (const e of entries.filter((_, i) => i % 2 === 0)) fx.remove(index, e.key, e.rowId);
      entries.forEach((e, i) => expect(fx.get(index, e.key).length, `after removal, entry ${i}`).toBe(i % 2 === 0 ? 0 : 1));
    });

    it('BYTES and multi-byte STRING keys beyond a page differ by their last byte only', () => {
      const large = fx.engineFixture.largeValueBytes;
      const bytesIndex = create(['BYTES']);
      const base = new Uint8Array(large).fill(0x7f);
      const [lo, hi] = [base.slice(), base.slice()];
      lo[large - 1] = 0x01;
      hi[large - 1] = 0xff;
      const [eLo, eHi] = [fx.put(bytesIndex, [lo]), fx.put(bytesIndex, [hi])];
      expect(fx.get(bytesIndex, [lo])).toEqual([eLo.rowId.toString()]);
      expect(fx.get(bytesIndex, [hi])).toEqual([eHi.rowId.toString()]);
      expect(fx.get(bytesIndex, [base])).toEqual([]);
      const textIndex = create(['STRING']);
      const text = '\u4e2d'.repeat(Math.ceil(large / 3));
      const [t1, t2] = [fx.put(textIndex, [`${text}\u00e9`]), fx.put(textIndex, [`${text}e`])];
      expect(fx.get(textIndex, [`${text}\u00e9`])).toEqual([t1.rowId.toString()]);
      expect(fx.get(textIndex, [`${text}e`])).toEqual([t2.rowId.toString()]);
      if (kind === 'sorted') {
        expect(fx.scan(bytesIndex as SortedIndexStorage, 'scan').map((r) => r.rowId.toString())).toEqual([eLo, eHi].map((e) => e.rowId.toString()));
        expect(fx.scan(textIndex as SortedIndexStorage, 'scan').map((r) => r.rowId.toString())).toEqual([t2, t1].map((e) => e.rowId.toString()));
      }
    });

    it('a long first column followed by more columns', () => {
      const index = create(['STRING', 'INT32', 'BYTES']);
      const long = 'q'.repeat(fx.engineFixture.largeValueBytes);
      const entries = [3, 1, 2].map((i) => fx.put(index, [long, i, new Uint8Array(i * 1000).fill(i)]));
      for (const e of entries) expect(fx.get(index, e.key)).toEqual([e.rowId.toString()]);
      if (kind === 'sorted') {
        const sorted = index as SortedIndexStorage;
        for (const mode of SCAN_MODES) {
          expect(fx.scan(sorted, mode, [long], [long], GREATER_OR_EQUAL | LESS_OR_EQUAL).map((r) => r.key[1]), mode).toEqual([1, 2, 3]);
          expect(fx.scan(sorted, mode, [long, 2], null, GREATER_OR_EQUAL).map((r) => r.key[1]), mode).toEqual([2, 3]);
          expect(fx.scan(sorted, mode, null, [long.slice(1)], LESS_OR_EQUAL), mode).toEqual([]);
        }
      }
    });

    it('many keys of a few hundred bytes each', () => {
      const index = create(['STRING', 'INT32']);
      const rnd = new SeededRandom(5);
      const entries = Array.from({ length: 600 }, (_, i) => fx.put(index, [`${'k'.repeat(200 + rnd.int(300))}-${rnd.int(50)}`, i]));
      for (const e of entries.filter((_, i) => i % 7 === 0)) expect(fx.get(index, e.key)).toEqual([e.rowId.toString()]);
      if (kind === 'sorted') expect(fx.scan(index as SortedIndexStorage, 'scan')).toHaveLength(600);
    });
  });
}
