/**
 * The live cursors of scan() and tolerantScan() (after Apache Ignite 3's testScanContract* / testScanPeek*): each
 * step returns the first entry after the last one returned, so entries put ahead of the cursor are seen and entries
 * put behind it are not; a value cached by hasNext() is returned even if removed meanwhile; peek() shows the next
 * entry without consuming it, and its answer — even null — is what the next hasNext()/next() use; once hasNext() has
 * answered false (or next() has thrown) the cursor stays finished and peek() answers null.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StorageClosedError, StorageError } from '../../../src/domain/shared/errors';
import type { PeekCursor } from '../../../src/domain/storage/cursor';
import { GREATER_OR_EQUAL, LESS_OR_EQUAL, type IndexRow } from '../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../src/domain/storage/row-id';
import type { SortedIndexStorage } from '../../../src/domain/storage/storage-engine.api';
import { expectThrows } from '../support/expect-errors';
import { IX_PARTITION, type IndexFixture } from '../support/index-fixture';

const r0 = new RowId(IX_PARTITION, 0n, 0n);
const r1 = new RowId(IX_PARTITION, 0n, 1n);
const r2 = new RowId(IX_PARTITION, 1n, 0n);

const show = (row: IndexRow | null): string | null => (row === null ? null : `${String(row.key[0])}/${row.rowId.uuid().slice(-4)}`);
const at = (key: number, rowId: RowId): string => `${key}/${rowId.uuid().slice(-4)}`;

function expectFinished(cursor: PeekCursor<IndexRow>): void {
  expect(cursor.hasNext()).toBe(false);
  expectThrows(() => cursor.next(), StorageError, 'NO_SUCH_ELEMENT');
  expect(cursor.peek()).toBeNull();
}

export function describeLiveCursorCases(fx: IndexFixture): void {
  for (const mode of ['scan', 'tolerantScan'] as const) {
    describe(`sorted index: live ${mode} cursor`, () => {
      let index: SortedIndexStorage;
      const opened: Array<PeekCursor<IndexRow>> = [];
      const track = (cursor: PeekCursor<IndexRow>): PeekCursor<IndexRow> => (opened.push(cursor), cursor);
      const open = (): PeekCursor<IndexRow> => track(index[mode](null, null, 0));
      afterEach(() => opened.splice(0).forEach((c) => c.close()));
      const put = (key: number, rowId = r0) => fx.put(index, [key], rowId);
      const remove = (key: number, rowId = r0) => fx.remove(index, [key], rowId);
      const setup = () => {
        index = fx.sorted(['INT32']);
      };

      it('sees a row put before the first hasNext()', () => {
        setup();
        const cursor = open();
        put(0);
        expect(cursor.hasNext()).toBe(true);
        expect(show(cursor.next())).toBe(at(0, r0));
        expectFinished(cursor);
      });

      it('stays finished once hasNext() answered false, whatever is put afterwards', () => {
        setup();
        const finished = open();
        expect(finished.hasNext()).toBe(false);
        put(0);
        expectFinished(finished);
        const cursor = open();
        expect(show(cursor.next())).toBe(at(0, r0));
        put(1);
        put(-1);
        expect(cursor.hasNext()).toBe(true);
        expect(show(cursor.next())).toBe(at(1, r0));
        expectFinished(cursor);
        put(2);
        expectFinished(cursor);
      });

      it('stays finished once next() threw', () => {
        setup();
        const cursor = open();
        expectThrows(() => cursor.next(), StorageError, 'NO_SUCH_ELEMENT');
        put(0);
        expectThrows(() => cursor.next(), StorageError, 'NO_SUCH_ELEMENT');
        const again = open();
        expect(show(again.next())).toBe(at(0, r0));
        expectThrows(() => again.next(), StorageError, 'NO_SUCH_ELEMENT');
      });

      it('sees rows put ahead of it and not rows put behind it (next() only)', () => {
        setup();
        const cursor = open();
        put(0, r1);
        expect(show(cursor.next())).toBe(at(0, r1));
        put(0, r0);
        put(0, r2);
        expect(show(cursor.next())).toBe(at(0, r2));
        put(1, r0);
        put(-1, r0);
        expect(show(cursor.next())).toBe(at(1, r0));
        expectFinished(cursor);
      });

      it('sees rows put ahead of it and not rows put behind it (hasNext() and next())', () => {
        setup();
        const cursor = open();
        put(0, r1);
        expect(show(cursor.next())).toBe(at(0, r1));
        put(0, r0);
        put(0, r2);
        expect(cursor.hasNext()).toBe(true);
        expect(show(cursor.next())).toBe(at(0, r2));
        put(1, r0);
        put(-1, r0);
        expect(cursor.hasNext()).toBe(true);
        expect(show(cursor.next())).toBe(at(1, r0));
        expectFinished(cursor);
      });

      it('returns a row cached by hasNext() even after it was removed', () => {
        setup();
        for (const [k, r] of [[0, r0], [0, r1], [1, r0], [2, r1]] as const) put(k, r);
        const cursor = open();
        expect(cursor.hasNext()).toBe(true);
        remove(0, r0);
        expect(show(cursor.next())).toBe(at(0, r0));
        remove(0, r1);
        expect(cursor.hasNext()).toBe(true);
        expect(show(cursor.next())).toBe(at(1, r0));
        remove(2, r1);
        expectFinished(cursor);
      });

      it('follows a row replaced behind and ahead of it', () => {
        setup();
        put(0);
        put(2);
        const cursor = open();
        expect(show(cursor.next())).toBe(at(0, r0));
        remove(0);
        put(1);
        expect(show(cursor.next())).toBe(at(1, r0));
        remove(2);
        put(-1);
        put(3);
        expect(show(cursor.next())).toBe(at(3, r0));
        expectFinished(cursor);
      });

      it('returns the cached row when the index became empty meanwhile', () => {
        setup();
        const cursor = open();
        put(0);
        put(1);
        expect(cursor.hasNext()).toBe(true);
        remove(0);
        expect(show(cursor.next())).toBe(at(0, r0));
        expect(cursor.hasNext()).toBe(true);
        remove(1);
        expect(show(cursor.next())).toBe(at(1, r0));
        expectFinished(cursor);
      });

      it('peek() on a finished cursor is null', () => {
        setup();
        const [a, b] = [open(), open()];
        expect(a.hasNext()).toBe(false);
        expect(a.peek()).toBeNull();
        expectThrows(() => b.next(), StorageError, 'NO_SUCH_ELEMENT');
        expect(b.peek()).toBeNull();
        put(0);
        expect([a.peek(), b.peek()]).toEqual([null, null]);
        const c = open();
        expect(show(c.peek())).toBe(at(0, r0));
        expect(c.hasNext()).toBe(true);
        expect(show(c.peek())).toBe(at(0, r0));
        expect(show(c.next())).toBe(at(0, r0));
        expect(c.peek()).toBeNull();
        expectFinished(c);
      });

      it('peek() looks again each time until hasNext() caches a row', () => {
        setup();
        const cursor = open();
        put(0, r1);
        expect(show(cursor.peek())).toBe(at(0, r1));
        put(0, r0);
        expect(show(cursor.peek())).toBe(at(0, r0));
        expect(cursor.hasNext()).toBe(true);
        put(-1, r0);
        put(1, r1);
        expect(show(cursor.peek()), 'cached by hasNext()').toBe(at(0, r0));
        expect(show(cursor.next())).toBe(at(0, r0));
        expect(show(cursor.peek())).toBe(at(0, r1));
        expect(cursor.hasNext()).toBe(true);
        expect(show(cursor.next())).toBe(at(0, r1));
        expect(show(cursor.peek())).toBe(at(1, r1));
        expect(show(cursor.next())).toBe(at(1, r1));
        expect(cursor.peek()).toBeNull();
        expectFinished(cursor);
      });

      it('peek() follows removals until hasNext() caches a row', () => {
        setup();
        const cursor = open();
        for (const [k, r] of [[0, r0], [0, r1], [1, r0], [2, r1]] as const) put(k, r);
        expect(show(cursor.peek())).toBe(at(0, r0));
        remove(0, r0);
        expect(show(cursor.peek())).toBe(at(0, r1));
        remove(0, r1);
        expect(show(cursor.peek())).toBe(at(1, r0));
        expect(cursor.hasNext()).toBe(true);
        remove(2, r1);
        remove(1, r0);
        expect(show(cursor.peek())).toBe(at(1, r0));
        expect(show(cursor.next())).toBe(at(1, r0));
        expectFinished(cursor);
      });

      it('next() and hasNext() use the last peek() answer, a row removed since included', () => {
        setup();
        const cursor = open();
        put(0);
        expect(show(cursor.peek())).toBe(at(0, r0));
        remove(0);
        expect(cursor.hasNext()).toBe(true);
        expect(show(cursor.next())).toBe(at(0, r0));
        expect(cursor.peek()).toBeNull();
        put(1);
        expect(cursor.hasNext(), 'the last peek() said null').toBe(false);
        expectThrows(() => cursor.next(), StorageError, 'NO_SUCH_ELEMENT');
      });

      it('next() uses the last peek() answer without hasNext()', () => {
        setup();
        put(5);
        const cursor = open();
        expect(show(cursor.peek())).toBe(at(5, r0));
        put(1);
        expect(show(cursor.next())).toBe(at(5, r0));
        expect(show(cursor.peek())).toBeNull();
      });

      it('keeps to its bounds for rows put while it runs', () => {
        setup();
        const cursor = track(index[mode]([1], [3], GREATER_OR_EQUAL | LESS_OR_EQUAL));
        put(2);
        expect(show(cursor.next())).toBe(at(2, r0));
        put(0);
        put(4);
        put(3);
        expect(show(cursor.next())).toBe(at(3, r0));
        put(1, r1);
        expectFinished(cursor);
      });

      it('cursors opened after others were closed (some half read) each return exactly their own range; a closed one keeps refusing', () => {
        setup();
        for (let k = 0; k < 400; k++) put(k);
        const keysOf = (c: PeekCursor<IndexRow>, n = Infinity): number[] => {
          const out: number[] = [];
          while (out.length < n && c.hasNext()) out.push(c.next().key[0] as number);
          return out;
        };
        const closed: Array<PeekCursor<IndexRow>> = [];
        for (let round = 0; round < 30; round++) {
          const lo = (round * 37) % 350;
          const a = track(index[mode]([lo], [lo + 40], GREATER_OR_EQUAL | LESS_OR_EQUAL));
          const b = track(index[mode]([lo + 5], [lo + 9], GREATER_OR_EQUAL | LESS_OR_EQUAL));
          expect(keysOf(a, 3)).toEqual([lo, lo + 1, lo + 2]);
          expect(keysOf(b, 2)).toEqual([lo + 5, lo + 6]);
          expect(keysOf(a, 2)).toEqual([lo + 3, lo + 4]); // a and b interleaved, nothing changed between
          expect(keysOf(b)).toEqual([lo + 7, lo + 8, lo + 9]);
          b.close();
          put(lo + 1, r1); // behind a (its last entry is lo + 4): not seen
          expect(keysOf(a)).toEqual(Array.from({ length: 36 }, (_, i) => lo + 5 + i));
          a.close();
          remove(lo + 1, r1);
          closed.push(a, b);
        }
        for (const c of closed) expectThrows(() => c.hasNext(), StorageClosedError);
      });
    });
  }
}
