/**
 * Sorted index order: every column type ascending and descending, nulls first/last (defaults: first for ASC, last
 * for DESC), several columns each with its own direction, equal keys by RowId ascending (DESC columns too).
 */
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../src/domain/storage/column-type';
import { RowId } from '../../../src/domain/storage/row-id';
import type { ColumnSpec } from '../support/index-descriptors';
import { IX_PARTITION, type IndexFixture, SCAN_MODES } from '../support/index-fixture';
import { ALL_TYPES, ASCENDING, normalKey, normalValue } from '../support/index-values';
import { SeededRandom } from '../support/seeded-random';

const DIRECTIONS: ReadonlyArray<[string, Omit<ColumnSpec, 'type'>, boolean]> = [
  ['ASC (nulls first by default)', { asc: true }, true],
  ['ASC NULLS LAST', { asc: true, nullsFirst: false }, false],
  ['DESC (nulls last by default)', { asc: false }, false],
  ['DESC NULLS FIRST', { asc: false, nullsFirst: true }, true],
];

function shuffled<T>(items: readonly T[], rnd: SeededRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface RankedColumn {
  readonly type: ColumnType;
  readonly asc: boolean;
  readonly nullsFirst: boolean;
}

/** Compares sample positions (null = -1) in index order. */
function compareRanks(cols: readonly RankedColumn[], a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < cols.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (x === y) continue;
    if (x < 0 || y < 0) return (x < 0) === cols[i]!.nullsFirst ? -1 : 1;
    return cols[i]!.asc ? x - y : y - x;
  }
  return 0;
}

export function describeOrderingCases(fx: IndexFixture): void {
  describe('sorted index: order', () => {
    const cases = ALL_TYPES.flatMap((type) => DIRECTIONS.map(([label, spec, nullsFirst]) => [type, label, spec, nullsFirst] as const));

    it.each(cases)('%s %s: every scan returns the values in order', (type, _label, spec, nullsFirst) => {
      const index = fx.sorted([{ type, ...spec }]);
      const rnd = new SeededRandom(type.length * 31 + (spec.asc ? 1 : 2));
      for (const v of shuffled([...ASCENDING[type], null], rnd)) fx.put(index, [v]);
      const values = spec.asc ? [...ASCENDING[type]] : [...ASCENDING[type]].reverse();
      const expected = (nullsFirst ? [null, ...values] : [...values, null]).map((v) => normalValue(type, v));
      for (const mode of SCAN_MODES) {
        expect(fx.scan(index, mode).map((r) => normalValue(type, r.key[0])), mode).toEqual(expected);
      }
    });

    it.each([['ASC', true], ['DESC', false]])('equal keys come in RowId order, ascending, in a %s index', (_, asc) => {
      const index = fx.sorted([{ type: 'INT32', asc: asc as boolean }]);
      const rowIds = [new RowId(IX_PARTITION, 5n, 0n), new RowId(IX_PARTITION, -5n, 7n), RowId.highest(IX_PARTITION),
        RowId.lowest(IX_PARTITION), new RowId(IX_PARTITION, 0n, -1n)];
      for (const rowId of rowIds) fx.put(index, [1], rowId);
      for (const rowId of rowIds.slice(0, 2)) fx.put(index, [2], rowId);
      const sorted = [...rowIds].sort((a, b) => a.compareTo(b)).map(String);
      const ones = sorted;
      const twos = rowIds.slice(0, 2).sort((a, b) => a.compareTo(b)).map(String);
      const expected = asc ? [...ones, ...twos] : [...twos, ...ones];
      for (const mode of SCAN_MODES) expect(fx.scan(index, mode).map((r) => r.rowId.toString()), mode).toEqual(expected);
      expect(fx.get(index, [1])).toEqual(ones);
    });

    it('several columns, each in its own direction', () => {
      const asc = fx.sorted([{ type: 'STRING' }, { type: 'INT32' }]);
      const mixed = fx.sorted([{ type: 'STRING' }, { type: 'INT32', asc: false }]);
      const keys = [['10', 90], ['10', 80], ['20', 90], ['20', 80], ['10', null], ['20', null]];
      for (const index of [asc, mixed]) for (const k of keys) fx.put(index, k);
      const scanned = (index: typeof asc) => fx.scan(index, 'scan').map((r) => r.key);
      expect(scanned(asc)).toEqual([['10', null], ['10', 80], ['10', 90], ['20', null], ['20', 80], ['20', 90]]);
      expect(scanned(mixed)).toEqual([['10', 90], ['10', 80], ['10', null], ['20', 90], ['20', 80], ['20', null]]);
    });

    it.each([1, 2, 3])('random keys over random columns come back in index order (seed %i)', (seed) => {
      const rnd = new SeededRandom(seed * 7919);
      const cols: RankedColumn[] = shuffled(ALL_TYPES, rnd).slice(0, 3 + rnd.int(3)).map((type) => {
        const asc = rnd.chance(0.5);
        return { type, asc, nullsFirst: rnd.chance(0.3) ? !asc : asc };
      });
      const index = fx.sorted(cols.map((c) => ({ type: c.type, asc: c.asc, nullsFirst: c.nullsFirst })));
      const types = cols.map((c) => c.type);
      const entries = Array.from({ length: 80 }, () => {
        const ranks = cols.map((c) => (rnd.chance(0.15) ? -1 : rnd.int(Math.min(3, ASCENDING[c.type].length))));
        const key = ranks.map((r, i) => (r < 0 ? null : ASCENDING[cols[i]!.type][r]));
        return { ranks, ...fx.put(index, key) };
      });
      entries.sort((a, b) => compareRanks(cols, a.ranks, b.ranks) || a.rowId.compareTo(b.rowId));
      const expected = entries.map((e) => [normalKey(types, e.key), e.rowId.toString()]);
      for (const mode of SCAN_MODES) {
        expect(fx.scan(index, mode).map((r) => [normalKey(types, r.key), r.rowId.toString()]), `${mode} over ${types.join(',')}`).toEqual(expected);
      }
    });

    it('returned entries carry the key values and the RowId that were put', () => {
      const index = fx.sorted(ALL_TYPES);
      const key = ALL_TYPES.map((t) => ASCENDING[t][1]);
      const { rowId } = fx.put(index, key);
      const [entry, ...rest] = fx.scan(index, 'scan');
      expect(rest).toEqual([]);
      expect(normalKey(ALL_TYPES, entry!.key)).toEqual(normalKey(ALL_TYPES, key));
      expect(entry!.rowId.toString()).toBe(rowId.toString());
    });
  });
}
