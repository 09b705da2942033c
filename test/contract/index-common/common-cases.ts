/**
 * What sorted and hash indexes share (after Apache Ignite 3's AbstractIndexStorageTest): put / get / remove for
 * every column type, null keys, keys equal by value, argument checks, and the build state — reads through a
 * secondary index throw IndexNotBuiltError while its nextRowIdToBuild is not null; a primary index is built from
 * the start; puts and removes are always allowed — inside a runConsistently closure of the partition, as every
 * index mutation (outside one: OutsideClosureError).
 */
import { describe, expect, it } from 'vitest';
import { IndexNotBuiltError, InvalidArgumentError, OutsideClosureError } from '../../../src/domain/shared/errors';
import type { ColumnType } from '../../../src/domain/storage/column-type';
import { RowId } from '../../../src/domain/storage/row-id';
import type { IndexStorage } from '../../../src/domain/storage/storage-engine.api';
import { expectThrows } from '../support/expect-errors';
import type { ColumnSpec } from '../support/index-descriptors';
import { IX_PARTITION, type IndexFixture } from '../support/index-fixture';
import { ALL_TYPES, ASCENDING, EQUAL_VALUES } from '../support/index-values';
import { drain } from '../support/rows';

const byRowId = (ids: readonly RowId[]): string[] => [...ids].sort((a, b) => a.compareTo(b)).map(String);

export function describeCommonIndexCases(fx: IndexFixture, kind: 'sorted' | 'hash'): void {
  const create = (cols: ReadonlyArray<ColumnSpec | ColumnType>, opts: { built?: boolean; primary?: boolean } = {}): IndexStorage =>
    (kind === 'sorted' ? fx.sorted(cols, opts) : fx.hash(cols, opts));
  /** Sorted indexes return RowIds ascending; a hash index in any order. */
  const found = (index: IndexStorage, key: readonly unknown[]): string[] => {
    const ids = fx.get(index, key);
    return kind === 'hash' ? [...ids].sort() : ids;
  };
  const expected = (ids: readonly RowId[]): string[] => (kind === 'hash' ? ids.map(String).sort() : byRowId(ids));

  describe(`${kind} index: put, get, remove`, () => {
    it('get finds every RowId put under a key, and nothing under other keys', () => {
      const index = create(['INT32', 'STRING']);
      const [r1, r2, r3] = [RowId.random(IX_PARTITION), RowId.random(IX_PARTITION), RowId.random(IX_PARTITION)];
      expect(found(index, [1, 'foo'])).toEqual([]);
      fx.put(index, [1, 'foo'], r1);
      fx.put(index, [1, 'foo'], r2);
      fx.put(index, [2, 'bar'], r3);
      expect(found(index, [1, 'foo'])).toEqual(expected([r1, r2]));
      expect(found(index, [2, 'bar'])).toEqual(expected([r3]));
      expect(found(index, [3, 'baz'])).toEqual([]);
      expect(found(index, [1, 'bar'])).toEqual([]);
    });

    it('put of an existing entry adds nothing', () => {
      const index = create(['INT32', 'STRING']);
      const { rowId } = fx.put(index, [1, 'foo']);
      fx.put(index, [1, 'foo'], rowId);
      expect(found(index, [1, 'foo'])).toEqual([rowId.toString()]);
    });

    it('remove takes out one (key, RowId) entry; removing an absent one does nothing', () => {
      const index = create(['INT32', 'STRING']);
      const [a, b, c] = [fx.put(index, [1, 'foo']), fx.put(index, [1, 'foo']), fx.put(index, [2, 'bar'])];
      fx.remove(index, [1, 'foo'], RowId.random(IX_PARTITION));
      fx.remove(index, [9, 'nine'], a.rowId);
      expect(found(index, [1, 'foo'])).toEqual(expected([a.rowId, b.rowId]));
      fx.remove(index, [1, 'foo'], a.rowId);
      expect(found(index, [1, 'foo'])).toEqual([b.rowId.toString()]);
      fx.remove(index, [1, 'foo'], a.rowId);
      fx.remove(index, [1, 'foo'], b.rowId);
      expect(found(index, [1, 'foo'])).toEqual([]);
      expect(found(index, [2, 'bar'])).toEqual([c.rowId.toString()]);
      fx.remove(index, [2, 'bar'], c.rowId);
      expect(found(index, [2, 'bar'])).toEqual([]);
    });

    it.each(ALL_TYPES)('a %s column: every value is its own key, and can be removed', (type) => {
      const index = create([type]);
      const entries = ASCENDING[type].map((v) => fx.put(index, [v]));
      for (const e of entries) expect(found(index, e.key), `get(${String(e.key[0])})`).toEqual([e.rowId.toString()]);
      const [first, ...rest] = entries;
      fx.remove(index, first!.key, first!.rowId);
      expect(found(index, first!.key)).toEqual([]);
      for (const e of rest) expect(found(index, e.key)).toEqual([e.rowId.toString()]);
    });

    it.each(ALL_TYPES)('null is a key of its own in a nullable %s column', (type) => {
      const index = create([type]);
      const nullEntry = fx.put(index, [null]);
      const valueEntry = fx.put(index, [ASCENDING[type][0]]);
      expect(found(index, [null])).toEqual([nullEntry.rowId.toString()]);
      expect(found(index, valueEntry.key)).toEqual([valueEntry.rowId.toString()]);
      fx.remove(index, [null], nullEntry.rowId);
      expect(found(index, [null])).toEqual([]);
    });

    it('a key over every column type at once', () => {
      const index = create(ALL_TYPES);
      const k1 = ALL_TYPES.map((t) => ASCENDING[t][0]);
      const k2 = ALL_TYPES.map((t, i) => (i % 3 === 0 ? null : ASCENDING[t].at(-1)));
      const [e1, e2] = [fx.put(index, k1), fx.put(index, k2)];
      expect(found(index, k1)).toEqual([e1.rowId.toString()]);
      expect(found(index, k2)).toEqual([e2.rowId.toString()]);
      fx.remove(index, k1, e1.rowId);
      expect([found(index, k1), found(index, k2)]).toEqual([[], [e2.rowId.toString()]]);
    });

    it.each(EQUAL_VALUES)('%s: %o and %o are the same key', (type, written, looked) => {
      const index = create([type]);
      const e = fx.put(index, [written]);
      expect(found(index, [looked])).toEqual([e.rowId.toString()]);
      fx.put(index, [looked], e.rowId);
      expect(found(index, [written])).toEqual([e.rowId.toString()]);
      fx.remove(index, [looked], e.rowId);
      expect(found(index, [written])).toEqual([]);
    });

    it('keeps its own copy of key values', () => {
      const index = create(['BYTES', 'STRING']);
      const bytes = new Uint8Array([1, 2, 3]);
      const key: unknown[] = [bytes, 'k'];
      const { rowId } = fx.put(index, key);
      bytes[0] = 9;
      key[1] = 'changed';
      expect(found(index, [new Uint8Array([1, 2, 3]), 'k'])).toEqual([rowId.toString()]);
    });

    it('rejects keys of the wrong length or type, and null in a non-nullable column, with InvalidArgumentError', () => {
      const index = create(['INT32', { type: 'STRING', nullable: false }]);
      const rowId = RowId.random(IX_PARTITION);
      const bad: unknown[][] = [[1], [1, 'a', 2], ['1', 'a'], [1.5, 'a'], [2 ** 31, 'a'], [1, null], [1, 7]];
      for (const key of bad) {
        const what = JSON.stringify(key);
        expectThrows(() => fx.put(index, key, rowId), InvalidArgumentError, undefined, `put ${what}`);
        expectThrows(() => index.get(key), InvalidArgumentError, undefined, `get ${what}`);
        expectThrows(() => fx.remove(index, key, rowId), InvalidArgumentError, undefined, `remove ${what}`);
      }
      const typed: Array<[ColumnType, unknown]> = [['INT64', 1], ['TIMESTAMP', 1], ['INT8', 128], ['UUID', 'nope'], ['BYTES', [1]],
        ['DATE', '2024/01/01'], ['BOOLEAN', 0], ['DECIMAL', '1.2.3']];
      for (const [type, value] of typed) {
        expectThrows(() => fx.put(create([type]), [value], rowId), InvalidArgumentError, undefined, `${type} ${String(value)}`);
      }
      expect(found(index, [1, 'a'])).toEqual([]);
    });

    it('rejects a RowId of another partition in put and remove', () => {
      const index = create(['INT32']);
      expectThrows(() => fx.put(index, [1], RowId.random(IX_PARTITION + 1)), InvalidArgumentError);
      expectThrows(() => fx.remove(index, [1], RowId.random(IX_PARTITION + 1)), InvalidArgumentError);
    });

    it('two indexes of one partition do not share entries', () => {
      const [a, b] = [create(['INT32']), create(['INT32'])];
      const e = fx.put(a, [5]);
      expect([found(a, [5]), found(b, [5])]).toEqual([[e.rowId.toString()], []]);
    });

    it('get cursors follow the cursor rules', () => {
      const index = create(['INT32']);
      const e = fx.put(index, [5]);
      const cursor = index.get([5]);
      expect([cursor.hasNext(), cursor.hasNext()]).toEqual([true, true]);
      expect(cursor.next().toString()).toBe(e.rowId.toString());
      expect(cursor.hasNext()).toBe(false);
      cursor.close();
      cursor.close();
      expect(drain(index.get([6]))).toEqual([]);
    });
  });

  describe(`${kind} index: building`, () => {
    it('a secondary index refuses get with IndexNotBuiltError until nextRowIdToBuild is null; puts are accepted meanwhile', () => {
      const index = create(['INT32'], { built: false });
      const e = fx.put(index, [1]);
      expectThrows(() => index.get([1]), IndexNotBuiltError);
      fx.setNextRowIdToBuild(index, RowId.random(IX_PARTITION));
      expectThrows(() => index.get([1]), IndexNotBuiltError);
      fx.remove(index, [1], RowId.random(IX_PARTITION));
      fx.setNextRowIdToBuild(index, null);
      expect(found(index, [1])).toEqual([e.rowId.toString()]);
      fx.setNextRowIdToBuild(index, RowId.lowest(IX_PARTITION));
      expectThrows(() => index.get([1]), IndexNotBuiltError, undefined, 'not built again');
    });

    it('a primary index is built from the start', () => {
      const index = create([{ type: 'INT32', nullable: false }], { built: false, primary: true });
      expect(index.getNextRowIdToBuild()).toBeNull();
      const e = fx.put(index, [1]);
      expect(found(index, [1])).toEqual([e.rowId.toString()]);
    });
  });

  describe(`${kind} index: runConsistently`, () => {
    it('put, remove and setNextRowIdToBuild outside a closure of the partition throw OutsideClosureError and change nothing', async () => {
      const index = create(['INT32']);
      const e = fx.put(index, [1]);
      const other = await fx.table.createMvPartition(IX_PARTITION + 1);
      const calls: Array<[string, () => unknown]> = [
        ['put', () => index.put({ key: [2], rowId: RowId.random(IX_PARTITION) })],
        ['remove', () => index.remove(e)],
        ['setNextRowIdToBuild', () => index.setNextRowIdToBuild(RowId.lowest(IX_PARTITION))],
      ];
      for (const [name, call] of calls) {
        expectThrows(call, OutsideClosureError, 'OUTSIDE_CLOSURE', name);
        expectThrows(() => other.runConsistently(call), OutsideClosureError, 'OUTSIDE_CLOSURE', `${name} in another partition's closure`);
      }
      expect(index.getNextRowIdToBuild()).toBeNull();
      expect(found(index, [1])).toEqual([e.rowId.toString()]);
      expect(found(index, [2])).toEqual([]);
    });
  });
}
