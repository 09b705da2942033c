/**
 * readOnlyScan (a snapshot: the index as of the cursor's creation) and the build state of sorted indexes: scan,
 * readOnlyScan and get throw IndexNotBuiltError, when called, while nextRowIdToBuild is not null; tolerantScan
 * reads an index being built; a primary index is built from the start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IndexNotBuiltError } from '../../../src/domain/shared/errors';
import type { Cursor } from '../../../src/domain/storage/cursor';
import { GREATER_OR_EQUAL, type IndexRow, LESS_OR_EQUAL } from '../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../src/domain/storage/row-id';
import { expectThrows } from '../support/expect-errors';
import { IX_PARTITION, type IndexFixture, SCAN_MODES } from '../support/index-fixture';
import { drain } from '../support/rows';

export function describeReadOnlyCases(fx: IndexFixture): void {
  const opened: Array<Cursor<IndexRow>> = [];
  afterEach(() => opened.splice(0).forEach((c) => c.close()));

  describe('sorted index: readOnlyScan', () => {
    it('sees entries put before it was opened, not those put after', () => {
      const index = fx.sorted(['INT32']);
      fx.put(index, [0]);
      const cursor = index.readOnlyScan(null, null, 0);
      opened.push(cursor);
      fx.put(index, [1]);
      fx.put(index, [-1]);
      expect(cursor.next().key).toEqual([0]);
      expect(cursor.hasNext()).toBe(false);
    });

    it('still returns entries removed after it was opened', () => {
      const index = fx.sorted(['INT32']);
      const entries = [0, 1, 2].map((k) => fx.put(index, [k]));
      const cursor = index.readOnlyScan(null, null, 0);
      opened.push(cursor);
      expect(cursor.next().key).toEqual([0]);
      for (const e of entries) fx.remove(index, e.key, e.rowId);
      expect(drain(cursor).map((r) => r.key[0])).toEqual([1, 2]);
    });

    it('is a snapshot of its range only', () => {
      const index = fx.sorted(['INT32']);
      for (const k of [0, 1, 2, 3, 4]) fx.put(index, [k]);
      const cursor = index.readOnlyScan([1], [3], GREATER_OR_EQUAL | LESS_OR_EQUAL);
      opened.push(cursor);
      fx.put(index, [2], RowId.lowest(IX_PARTITION));
      expect(drain(cursor).map((r) => r.key[0])).toEqual([1, 2, 3]);
    });
  });

  describe('sorted index: building', () => {
    it('scan, readOnlyScan and get throw IndexNotBuiltError when called on an index being built; tolerantScan reads it', () => {
      const index = fx.sorted(['INT32'], { built: false });
      expect(index.getNextRowIdToBuild()?.toString()).toBe(RowId.lowest(IX_PARTITION).toString());
      const e = fx.put(index, [1]);
      expectThrows(() => index.scan(null, null, 0), IndexNotBuiltError, undefined, 'scan');
      expectThrows(() => index.readOnlyScan(null, null, 0), IndexNotBuiltError, undefined, 'readOnlyScan');
      expectThrows(() => index.get([1]), IndexNotBuiltError, undefined, 'get');
      expect(fx.scan(index, 'tolerantScan').map((r) => r.rowId.toString())).toEqual([e.rowId.toString()]);
      fx.setNextRowIdToBuild(index, null);
      for (const mode of SCAN_MODES) expect(fx.scan(index, mode).map((r) => r.rowId.toString()), mode).toEqual([e.rowId.toString()]);
    });

    it('a cursor opened on a built index keeps working when a build restarts', () => {
      const index = fx.sorted(['INT32']);
      fx.put(index, [1]);
      fx.put(index, [2]);
      const cursor = index.scan(null, null, 0);
      opened.push(cursor);
      expect(cursor.next().key).toEqual([1]);
      fx.setNextRowIdToBuild(index, RowId.lowest(IX_PARTITION));
      expect(cursor.next().key).toEqual([2]);
      expectThrows(() => index.scan(null, null, 0), IndexNotBuiltError);
    });

    it('a primary sorted index is built from the start', () => {
      const index = fx.sorted([{ type: 'INT64', nullable: false }], { built: false, primary: true });
      expect(index.getNextRowIdToBuild()).toBeNull();
      fx.put(index, [7n]);
      for (const mode of SCAN_MODES) expect(fx.scan(index, mode).map((r) => r.key), mode).toEqual([[7n]]);
    });
  });
}
