/**
 * Sorted index scan bounds: a bound is a column prefix; an entry is inside the lower bound when its key's prefix
 * is after it (GREATER) or not before it (GREATER_OR_EQUAL) in index order, and inside the upper bound when it is
 * before it (LESS) or not after it (LESS_OR_EQUAL). "After" follows each column's direction and nulls order.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import { GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL } from '../../../src/domain/storage/index-descriptors';
import { expectThrows } from '../support/expect-errors';
import { type IndexFixture, SCAN_MODES } from '../support/index-fixture';

const FLAG_NAMES: Record<number, string> = { 0: 'GREATER|LESS', 1: 'GREATER_OR_EQUAL|LESS', 2: 'GREATER|LESS_OR_EQUAL', 3: 'GREATER_OR_EQUAL|LESS_OR_EQUAL' };

/** Index order of the grid test: INT32 ascending (nulls first), then STRING descending (nulls last). */
function compareGrid(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (i === 0) return x === null ? -1 : y === null ? 1 : (x as number) - (y as number);
    return x === null ? 1 : y === null ? -1 : (x as string) < (y as string) ? 1 : -1;
  }
  return 0;
}

export function describeBoundsCases(fx: IndexFixture): void {
  describe('sorted index: bounds', () => {
    it.each(SCAN_MODES)('%s: single column, lower and upper bounds with the four flag combinations', (mode) => {
      const index = fx.sorted(['INT32']);
      for (let i = 0; i < 5; i++) fx.put(index, [i]);
      const run = (lower: number | null, upper: number | null, flags: number) =>
        fx.scan(index, mode, lower === null ? null : [lower], upper === null ? null : [upper], flags).map((r) => r.key[0]);
      expect(run(null, null, 0)).toEqual([0, 1, 2, 3, 4]);
      expect(run(0, 4, GREATER_OR_EQUAL | LESS_OR_EQUAL)).toEqual([0, 1, 2, 3, 4]);
      expect(run(0, 4, GREATER_OR_EQUAL | LESS)).toEqual([0, 1, 2, 3]);
      expect(run(0, 4, GREATER | LESS_OR_EQUAL)).toEqual([1, 2, 3, 4]);
      expect(run(0, 4, GREATER | LESS)).toEqual([1, 2, 3]);
      expect(run(1, null, GREATER_OR_EQUAL | LESS_OR_EQUAL)).toEqual([1, 2, 3, 4]);
      expect(run(1, null, GREATER_OR_EQUAL | LESS)).toEqual([1, 2, 3, 4]);
      expect(run(1, null, GREATER | LESS_OR_EQUAL)).toEqual([2, 3, 4]);
      expect(run(1, null, GREATER | LESS)).toEqual([2, 3, 4]);
      expect(run(null, 3, GREATER_OR_EQUAL | LESS_OR_EQUAL)).toEqual([0, 1, 2, 3]);
      expect(run(null, 3, GREATER_OR_EQUAL | LESS)).toEqual([0, 1, 2]);
      expect(run(null, 3, GREATER | LESS_OR_EQUAL)).toEqual([0, 1, 2, 3]);
      expect(run(null, 3, GREATER | LESS)).toEqual([0, 1, 2]);
      expect(run(2, 2, GREATER_OR_EQUAL | LESS_OR_EQUAL)).toEqual([2]);
      expect(run(2, 2, GREATER | LESS)).toEqual([]);
      expect(run(-10, 10, GREATER | LESS)).toEqual([0, 1, 2, 3, 4]);
    });

    it.each(SCAN_MODES)('%s: fixed-length NOT NULL keys (searched bytewise) over many leaves: random bounds, flags and gets match a model', (mode) => {
      for (const type of ['INT64', 'INT32'] as const) {
        const index = fx.sorted([{ type, nullable: false }]);
        let state = 99;
        const rand = (n: number): number => (state = (state * 1103515245 + 12345) % 2147483648) % n;
        const wide = type === 'INT64';
        const value = (v: number): unknown => (wide ? BigInt(v) * 4_000_000_007n : v);
        const keys = [...new Set(Array.from({ length: 1500 }, () => rand(20_001) - 10_000))].sort((a, b) => a - b);
        for (const k of [...keys].sort(() => rand(3) - 1)) fx.put(index, [value(k)]);
        for (let q = 0; q < 60; q++) {
          const lo = rand(24_001) - 12_000;
          const hi = lo + rand(3_000);
          const flags = [GREATER | LESS, GREATER_OR_EQUAL | LESS, GREATER | LESS_OR_EQUAL, GREATER_OR_EQUAL | LESS_OR_EQUAL][q % 4]!;
          const want = keys.filter((k) => ((flags & GREATER_OR_EQUAL) !== 0 ? k >= lo : k > lo) && ((flags & LESS_OR_EQUAL) !== 0 ? k <= hi : k < hi));
          const got = fx.scan(index, mode, [value(lo)], [value(hi)], flags).map((r) => r.key[0]);
          expect(got, `${type} ${lo}..${hi} flags ${flags}`).toEqual(want.map(value));
          const probe = keys[rand(keys.length)]!;
          expect(fx.get(index, [value(probe)]), `get ${probe}`).toHaveLength(1);
          expect(fx.get(index, [value(keys.includes(lo) ? 10_001 : lo)])).toHaveLength(0);
        }
      }
    });

    it.each(SCAN_MODES)('%s: a one-column prefix bound on a two-column index', (mode) => {
      const asc = fx.sorted(['STRING', 'INT32']);
      const mixed = fx.sorted([{ type: 'STRING' }, { type: 'INT32', asc: false }]);
      const keys = [['10', 90], ['10', 80], ['20', 90], ['20', 80]];
      for (const index of [asc, mixed]) for (const k of keys) fx.put(index, k);
      const run = (index: typeof asc, lower: string | null, upper: string | null, flags: number) =>
        fx.scan(index, mode, lower === null ? null : [lower], upper === null ? null : [upper], flags).map((r) => r.key);
      expect(run(asc, '10', null, GREATER)).toEqual([['20', 80], ['20', 90]]);
      expect(run(mixed, '10', null, GREATER)).toEqual([['20', 90], ['20', 80]]);
      expect(run(asc, '10', null, GREATER_OR_EQUAL)).toEqual([['10', 80], ['10', 90], ['20', 80], ['20', 90]]);
      expect(run(mixed, '10', null, GREATER_OR_EQUAL)).toEqual([['10', 90], ['10', 80], ['20', 90], ['20', 80]]);
      expect(run(asc, null, '20', LESS)).toEqual([['10', 80], ['10', 90]]);
      expect(run(mixed, null, '20', LESS)).toEqual([['10', 90], ['10', 80]]);
      expect(run(asc, null, '20', LESS_OR_EQUAL)).toEqual([['10', 80], ['10', 90], ['20', 80], ['20', 90]]);
      expect(run(mixed, null, '20', LESS_OR_EQUAL)).toEqual([['10', 90], ['10', 80], ['20', 90], ['20', 80]]);
    });

    it.each(SCAN_MODES)('%s: every prefix bound, both directions, nulls, all four flag combinations', (mode) => {
      const index = fx.sorted([{ type: 'INT32' }, { type: 'STRING', asc: false }]);
      const keys: unknown[][] = [];
      for (const i of [null, 1, 2, 3]) for (const s of [null, 'a', 'b']) keys.push([i, s]);
      const entries = [...keys, [2, 'a']].map((k) => fx.put(index, k));
      entries.sort((a, b) => compareGrid(a.key, b.key) || a.rowId.compareTo(b.rowId));
      const bounds: Array<unknown[] | null> = [null, [null], [0], [1], [2], [4], [null, null], [null, 'a'], [1, 'c'], [2, 'a'],
        [2, 'b'], [2, null], [3, ''], [3, 'b']];
      for (const lower of bounds) {
        for (const upper of bounds) {
          for (const flags of [0, 1, 2, 3]) {
            const expected = entries.filter((e) => {
              const lo = lower === null ? 1 : compareGrid(e.key, lower);
              const hi = upper === null ? -1 : compareGrid(e.key, upper);
              return ((flags & GREATER_OR_EQUAL) !== 0 ? lo >= 0 : lo > 0) && ((flags & LESS_OR_EQUAL) !== 0 ? hi <= 0 : hi < 0);
            }).map((e) => e.rowId.toString());
            const actual = fx.scan(index, mode, lower, upper, flags).map((r) => r.rowId.toString());
            expect(actual, `lower ${JSON.stringify(lower)}, upper ${JSON.stringify(upper)}, ${FLAG_NAMES[flags]}`).toEqual(expected);
          }
        }
      }
    });

    it.each(SCAN_MODES)('%s: bounds follow a descending column: lower is the larger value', (mode) => {
      const index = fx.sorted([{ type: 'INT32', asc: false }]);
      for (let i = 0; i < 5; i++) fx.put(index, [i]);
      const keys = (lower: number, upper: number, flags: number) => fx.scan(index, mode, [lower], [upper], flags).map((r) => r.key[0]);
      expect(keys(3, 1, GREATER_OR_EQUAL | LESS_OR_EQUAL)).toEqual([3, 2, 1]);
      expect(keys(3, 1, GREATER | LESS)).toEqual([2]);
      expect(keys(1, 3, GREATER_OR_EQUAL | LESS_OR_EQUAL)).toEqual([]);
    });

    it.each(SCAN_MODES)('%s: a null bound sits where nulls sort', (mode) => {
      const first = fx.sorted([{ type: 'INT32' }]);
      const last = fx.sorted([{ type: 'INT32', nullsFirst: false }]);
      for (const index of [first, last]) for (const v of [null, 1, 2]) fx.put(index, [v]);
      const keys = (index: typeof first, lower: unknown[] | null, upper: unknown[] | null, flags: number) =>
        fx.scan(index, mode, lower, upper, flags).map((r) => r.key[0]);
      expect(keys(first, [null], null, GREATER_OR_EQUAL)).toEqual([null, 1, 2]);
      expect(keys(first, [null], null, GREATER)).toEqual([1, 2]);
      expect(keys(first, null, [null], LESS_OR_EQUAL)).toEqual([null]);
      expect(keys(last, [null], null, GREATER_OR_EQUAL)).toEqual([null]);
      expect(keys(last, null, [null], LESS)).toEqual([1, 2]);
      expect(keys(last, [2], [null], GREATER_OR_EQUAL | LESS_OR_EQUAL)).toEqual([2, null]);
    });

    it.each(SCAN_MODES)('%s: a lower bound after the upper bound gives an empty range', (mode) => {
      const index = fx.sorted(['INT32', 'STRING']);
      for (const k of [[1, 'a'], [2, 'b'], [3, 'c']]) fx.put(index, k);
      for (const flags of [0, 1, 2, 3]) expect(fx.scan(index, mode, [3, 'c'], [1, 'a'], flags), FLAG_NAMES[flags]).toEqual([]);
    });

    it.each(SCAN_MODES)('%s: refuses a bound longer than the key or of the wrong type with InvalidArgumentError', (mode) => {
      const index = fx.sorted(['INT32']);
      expectThrows(() => index[mode]([1, 2], null, 0), InvalidArgumentError, undefined, 'long lower');
      expectThrows(() => index[mode](null, [1, 2], 0), InvalidArgumentError, undefined, 'long upper');
      expectThrows(() => index[mode](['1'], null, 0), InvalidArgumentError, undefined, 'string for INT32');
    });
  });
}
