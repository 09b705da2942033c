/**
 * Free-list contract: where rows go. pageWithRoom only answers (the page moves on pageChanged); a body goes to the
 * listed page with the least room that is sure to fit it at bucket granularity — a page whose room fits the body
 * but lies in a lower bucket than ceil(need / step) is passed over — then to the reuse bucket, then to a new page.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN_BODY_HEADER } from '../../../src/domain/datapage/data-page.layout';
import { FLAG_DATA, flagsOf, partitionIdOf } from '../../../src/domain/page/page-id';
import { InvalidArgumentError } from '../../../src/domain/shared/errors';
import { snapshot, PARTITION, GROUP, type FreeListFixture, type FreeListHarness } from './fixture';
import { SeededRandom } from '../support/seeded-random';

/** Inserts a plain row whose body is `need` bytes and checks it went where placementFor says; returns its page. */
function placeChecked(h: FreeListHarness, need: number, tag: number): number {
  const allowed = h.placementFor(need);
  const allocated = h.pm.allocatedPages();
  const page = h.insert(need - PLAIN_BODY_HEADER, tag).link.pageId;
  if (allowed === null) expect(h.pm.allocatedPages(), `need ${need}: a new page`).toBe(allocated + 1);
  else expect([...allowed], `need ${need}`).toContain(page);
  return page;
}

export function describePlacementCases(fx: FreeListFixture, pageSize: number): void {
  describe('placement', () => {
    it('pageWithRoom answers without moving anything; pageChanged with the true room changes nothing', () => {
      const h = fx.open(pageSize);
      expect(h.list.step).toBe(h.step);
      for (const bad of [0, -1, h.maxBody + 1, NaN]) expect(() => h.list.pageWithRoom(bad)).toThrow(InvalidArgumentError);
      h.expectAccounted();
      const row = h.insert(100, 1);
      const page = row.link.pageId;
      expect([partitionIdOf(page), flagsOf(page)]).toEqual([PARTITION, FLAG_DATA]);
      const before = snapshot(h.list);
      expect(h.list.pageWithRoom(50)).toBe(page);
      expect(h.list.pageWithRoom(50)).toBe(page);
      h.list.pageChanged(page, h.roomOf(page));
      expect(snapshot(h.list)).toEqual(before);
      // Nothing listed fits: a new page from page memory, not listed until the caller reports it.
      const fresh = h.list.pageWithRoom(h.maxBody);
      expect(fresh).not.toBe(page);
      expect(h.pm.allocatedPages()).toBe(h.baseline + h.list.metaPageCount + 2);
      expect(snapshot(h.list)).toEqual(before);
      h.memory.freePage(GROUP, fresh); // the caller gives it up instead
      h.expectAccounted();
      h.expectRow(row);
    });

    it('puts a row on the page with the least room that surely fits it', () => {
      const h = fx.open(pageSize);
      const s = h.step;
      // One page per room k·step + 1 (bucket k): rooms that fit a body of that size only "by one byte's luck".
      const rooms = [10, 40, 80, 120].map((k) => k * s + 1);
      const pages = rooms.map((r, i) => h.insert(h.maxBody - 2 * PLAIN_BODY_HEADER - r, i).link.pageId);
      expect(new Set(pages).size).toBe(4);
      expect(pages.map((p) => h.roomOf(p)), 'set-up rooms').toEqual(rooms);
      h.list.checkInvariants();
      expect(placeChecked(h, rooms[0]!, 10)).toBe(pages[1]); // fits page 0 exactly, but not surely: its bucket is too low
      expect(placeChecked(h, rooms[0]! - 1, 11)).toBe(pages[0]);
      expect(pages).not.toContain(placeChecked(h, rooms[3]! + 1, 12)); // no page surely fits: new memory
      const rnd = new SeededRandom(pageSize);
      for (let i = 0; i < 150; i++) placeChecked(h, PLAIN_BODY_HEADER + rnd.int(h.store.maxPlainRow / 3), 100 + i);
      h.list.checkInvariants();
      h.expectAccounted();
    });
  });
}
