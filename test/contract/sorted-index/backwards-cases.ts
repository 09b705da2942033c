/**
 * BACKWARDS scans: or-ed with the bound flags, every scan mode returns exactly the entries of the same forward scan
 * in reverse order (RowIds of one key descending too) — with any bounds, column directions and nulls, and across many
 * leaf pages; a live BACKWARDS cursor sees entries put below its position, not those put above it, and skips entries
 * removed below it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PeekCursor } from '../../../src/domain/storage/cursor';
import {
  BACKWARDS, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL, type IndexRow,
} from '../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../src/domain/storage/row-id';
import { IX_PARTITION, type IndexFixture, SCAN_MODES } from '../support/index-fixture';
import { SeededRandom } from '../support/seeded-random';

const show = (r: IndexRow): string => `${JSON.stringify(r.key)}/${r.rowId.uuid()}`;
const FLAGS = [GREATER | LESS, GREATER_OR_EQUAL | LESS, GREATER | LESS_OR_EQUAL, GREATER_OR_EQUAL | LESS_OR_EQUAL];

export function describeBackwardsCases(fx: IndexFixture): void {
  describe('sorted index: BACKWARDS scans', () => {
    it.each(SCAN_MODES)('%s: the forward entries reversed, for every bound and flag (INT32 ASC, STRING DESC, nulls, equal keys)', (mode) => {
      const index = fx.sorted([{ type: 'INT32', asc: true }, { type: 'STRING', asc: false }]);
      const rnd = new SeededRandom(17);
      const strings = [null, 'a', 'b', 'bb', 'c'];
      for (let i = 0; i < 120; i++) {
        const key = [rnd.int(8) === 0 ? null : rnd.int(6), strings[rnd.int(strings.length)]];
        fx.put(index, key, new RowId(IX_PARTITION, BigInt(rnd.int(3)), BigInt(i)));
      }
      const bounds: Array<readonly unknown[] | null> = [null, [], [2], [4], [2, 'b'], [null]];
      for (const lower of bounds) {
        for (const upper of bounds) {
          for (const flags of FLAGS) {
            const forward = fx.scan(index, mode, lower, upper, flags).map(show);
            const backward = fx.scan(index, mode, lower, upper, flags | BACKWARDS).map(show);
            expect(backward, `${JSON.stringify(lower)} ${JSON.stringify(upper)} ${flags}`).toEqual([...forward].reverse());
          }
        }
      }
    });

    it.each(SCAN_MODES)('%s: 3,000 entries over many leaf pages come back in reverse, whole and between bounds', (mode) => {
      const index = fx.sorted(['INT64']);
      const rnd = new SeededRandom(5);
      const keys = Array.from({ length: 3000 }, (_, i) => BigInt(i * 3));
      for (let i = keys.length - 1; i > 0; i--) {
        const j = rnd.int(i + 1);
        [keys[i], keys[j]] = [keys[j]!, keys[i]!];
      }
      for (const k of keys) fx.put(index, [k]);
      const all = fx.scan(index, mode, null, null, BACKWARDS).map((r) => r.key[0]);
      expect(all).toEqual(Array.from({ length: 3000 }, (_, i) => BigInt((2999 - i) * 3)));
      const some = fx.scan(index, mode, [100n], [4000n], GREATER_OR_EQUAL | LESS | BACKWARDS).map((r) => r.key[0]);
      expect(some[0]).toBe(3999n);
      expect(some.at(-1)).toBe(102n);
      expect(some).toHaveLength((3999 - 102) / 3 + 1);
    });

    describe('a live BACKWARDS cursor', () => {
      const opened: Array<PeekCursor<IndexRow>> = [];
      afterEach(() => opened.splice(0).forEach((c) => c.close()));
      const r0 = new RowId(IX_PARTITION, 0n, 0n);

      for (const mode of ['scan', 'tolerantScan'] as const) {
        it(`${mode}: sees entries put below its position, not above; skips one removed below`, () => {
          const index = fx.sorted(['INT32']);
          for (const k of [10, 20, 30, 40, 50]) fx.put(index, [k], r0);
          const cursor = index[mode](null, null, BACKWARDS);
          opened.push(cursor);
          expect(cursor.next().key).toEqual([50]);
          expect(cursor.next().key).toEqual([40]);
          fx.put(index, [45], r0); // above the position: not seen
          fx.put(index, [35], r0); // below: seen
          fx.remove(index, [20], r0); // below: not returned
          fx.put(index, [5], r0);
          const rest: unknown[] = [];
          while (cursor.hasNext()) rest.push(cursor.next().key[0]);
          expect(rest).toEqual([35, 30, 10, 5]);
        });
      }

      it('peek answers the next entry down without consuming it', () => {
        const index = fx.sorted(['INT32']);
        for (const k of [1, 2, 3]) fx.put(index, [k], r0);
        const cursor = index.scan([1], [3], GREATER | LESS_OR_EQUAL | BACKWARDS);
        opened.push(cursor);
        expect(cursor.peek()?.key).toEqual([3]);
        expect(cursor.next().key).toEqual([3]);
        expect(cursor.peek()?.key).toEqual([2]);
        expect(cursor.next().key).toEqual([2]);
        expect(cursor.hasNext()).toBe(false);
      });
    });
  });
}
