/**
 * Row versions and anchors in data pages (format v1): encode/parse of every field combination, values of every
 * size, the commit re-encoding, anchors kept in place or behind a redirect, dead stubs and hint references.
 */
import { describe, expect, it } from 'vitest';
import { RowLink } from '../../../../src/domain/datapage/row-link';
import { RowVersions } from '../../../../src/domain/mvcc/row-versions';
import { parseTxId } from '../../../../src/domain/mvcc/tx-id-bytes';
import { newStore, pattern, PARTITION } from '../datapage/row-store.fixture';

const TX = new Uint8Array(16);
parseTxId('123e4567-e89b-12d3-a456-426614174000', TX, 0);
const OTHER_TX = Uint8Array.from(TX, (b, i) => (i === 15 ? b ^ 1 : b));

function fixture(pageSize: number) {
  const f = newStore(pageSize);
  return { ...f, versions: new RowVersions(f.store, PARTITION) };
}

describe.each([1024, 16384])('RowVersions (%i-byte pages)', (pageSize) => {
  it('a committed version: flags, ts, schema and value; 10 bytes besides the value without a next link', () => {
    const { versions, store } = fixture(pageSize);
    const a = versions.insertScratch(versions.encodeCommitted({ schemaVersion: 3, bytes: pattern(100, 1) }, 0x11, 0x22, 0, 0, 0), new RowLink());
    expect(store.length(a.pageId, a.itemId)).toBe(110);
    versions.readVersion(a.pageId, a.itemId);
    expect([versions.commitHi, versions.commitLo, versions.isWriteIntent, versions.hasNext, versions.isTombstone, versions.schemaVersion,
      versions.valueLength]).toEqual([0x11, 0x22, false, false, false, 3, 100]);
    expect(versions.commitTimestamp()).toBe(0x0000001100000022n);
    expect(versions.rowOfHeader()).toEqual({ schemaVersion: 3, bytes: pattern(100, 1) });
  });

  it('schema versions of every width and sign round-trip; tombstones have neither schema nor value', () => {
    const { versions, store } = fixture(pageSize);
    for (const schemaVersion of [0, 127, 128, 300_000, 2 ** 31 - 1, -1, -(2 ** 31)]) {
      const l = versions.insertScratch(versions.encodeCommitted({ schemaVersion, bytes: pattern(5, 2) }, 1, 2, 0, 0, 0), new RowLink());
      expect(versions.readRow(l.pageId, l.itemId)).toEqual({ schemaVersion, bytes: pattern(5, 2) });
    }
    const t = versions.insertScratch(versions.encodeCommitted(null, 1, 2, 0, 0, 0), new RowLink());
    expect(store.length(t.pageId, t.itemId)).toBe(9);
    expect(versions.readRow(t.pageId, t.itemId)).toBeNull();
    expect([versions.isTombstone, versions.schemaVersion, versions.valueLength]).toEqual([true, 0, 0]);
  });

  it('an intent: meta and next link; re-encoded as committed it drops the meta and keeps value and link', () => {
    const { versions, store } = fixture(pageSize);
    const older = versions.insertScratch(versions.encodeCommitted({ schemaVersion: 1, bytes: pattern(3, 3) }, 5, 6, 0, 0, 0), new RowLink());
    const i = versions.insertScratch(versions.encodeIntent({ schemaVersion: -7, bytes: pattern(40, 4) }, TX, -5, 2_000_000_000,
      older.pageId, older.itemId, 0), new RowLink());
    expect(store.length(i.pageId, i.itemId)).toBe(1 + 5 + 24 + 5 + 40);
    versions.readVersion(i.pageId, i.itemId);
    expect([versions.isWriteIntent, versions.commitZoneId, versions.commitPartitionId, versions.nextPage, versions.nextItem])
      .toEqual([true, -5, 2_000_000_000, older.pageId, older.itemId]);
    expect([versions.isIntentOf(TX, 0), versions.isIntentOf(OTHER_TX, 0), versions.txIdString()])
      .toEqual([true, false, '123e4567-e89b-12d3-a456-426614174000']);
    const len = versions.encodeFromLast(true, 0x77, 0x88, versions.nextPage, versions.nextItem, 0);
    const c = versions.insertScratch(len, new RowLink());
    versions.readVersion(c.pageId, c.itemId);
    expect([versions.isWriteIntent, versions.commitHi, versions.commitLo, versions.nextPage, versions.rowLength])
      .toEqual([false, 0x77, 0x88, older.pageId, 1 + 8 + 5 + 5 + 40]);
    expect(versions.rowOfHeader()).toEqual({ schemaVersion: -7, bytes: pattern(40, 4) });
  });

  it('a version too long for a page sits behind a redirect anchor; the anchor link never changes', () => {
    const { versions, store } = fixture(pageSize);
    const big = { schemaVersion: 2, bytes: pattern(3 * pageSize, 5) };
    const anchor = versions.newAnchor(versions.encodeCommitted(big, 1, 1, 0, 0, 3), new RowLink());
    expect(store.length(anchor.pageId, anchor.itemId)).toBe(6);
    versions.readAnchor(anchor.pageId, anchor.itemId);
    expect([versions.anchorRedirect, versions.anchorDead, versions.anchorRefs]).toEqual([true, false, 3]);
    expect(versions.rowOfHeader()).toEqual(big);
    const target = [versions.page, versions.item];
    // A small version goes inline again, in the same anchor row.
    versions.setAnchor(anchor.pageId, anchor.itemId, versions.encodeCommitted({ schemaVersion: 2, bytes: pattern(10, 6) }, 2, 2, 0, 0, 3));
    versions.readAnchor(anchor.pageId, anchor.itemId);
    expect([versions.anchorRedirect, versions.anchorRefs, versions.page, versions.item]).toEqual([false, 3, anchor.pageId, anchor.itemId]);
    expect(versions.rowOfHeader()).toEqual({ schemaVersion: 2, bytes: pattern(10, 6) });
    versions.remove(target[0]!, target[1]!);
  });

  it('an anchor whose page has no room for a longer version redirects, keeping its link', () => {
    const { versions } = fixture(pageSize);
    const anchor = versions.newAnchor(versions.encodeCommitted({ schemaVersion: 1, bytes: pattern(8, 1) }, 1, 1, 0, 0, 0), new RowLink());
    const fillers: RowLink[] = [];
    // Fill the anchor's page so that a longer version no longer fits there.
    for (let k = 0; k < 400; k++) {
      const l = versions.insertScratch(versions.encodeCommitted({ schemaVersion: 1, bytes: pattern(40, k) }, 1, 1, 0, 0, 0), new RowLink());
      fillers.push(l);
    }
    const longer = { schemaVersion: 1, bytes: pattern(Math.floor(pageSize / 2), 9) };
    versions.setAnchor(anchor.pageId, anchor.itemId, versions.encodeCommitted(longer, 3, 3, 0, 0, 1));
    versions.readAnchor(anchor.pageId, anchor.itemId);
    expect([versions.anchorRedirect, versions.anchorRefs]).toEqual([true, 1]);
    expect(versions.rowOfHeader()).toEqual(longer);
  });

  it('hint references: counted in the anchor byte, a dead stub keeps them, a stub without any is removed', () => {
    const { versions, store } = fixture(pageSize);
    const anchor = versions.newAnchor(versions.encodeCommitted({ schemaVersion: 1, bytes: pattern(20, 1) }, 1, 1, 0, 0, 0), new RowLink());
    versions.writeAnchorRefs(anchor.pageId, anchor.itemId, 7);
    versions.readAnchor(anchor.pageId, anchor.itemId);
    expect([versions.anchorRefs, versions.commitHi, versions.valueLength]).toEqual([7, 1, 20]);
    expect(versions.killAnchor(anchor.pageId, anchor.itemId, 7)).toBe(false);
    expect(store.length(anchor.pageId, anchor.itemId)).toBe(1);
    versions.readAnchorByte(anchor.pageId, anchor.itemId);
    expect([versions.anchorDead, versions.anchorRefs]).toEqual([true, 7]);
    const other = versions.newAnchor(versions.encodeCommitted(null, 1, 1, 0, 0, 0), new RowLink());
    expect(versions.killAnchor(other.pageId, other.itemId, 0)).toBe(true);
    expect(() => store.length(other.pageId, other.itemId)).toThrow();
  });

  it('clearNext empties the next link in place; a re-encoding drops the flag', () => {
    const { versions, store } = fixture(pageSize);
    const older = versions.insertScratch(versions.encodeCommitted({ schemaVersion: 1, bytes: pattern(3, 3) }, 5, 6, 0, 0, 0), new RowLink());
    const v = versions.insertScratch(versions.encodeCommitted({ schemaVersion: 1, bytes: pattern(9, 8) }, 7, 8, older.pageId, older.itemId, 0), new RowLink());
    versions.clearNext(v.pageId, v.itemId);
    versions.readVersion(v.pageId, v.itemId);
    expect([versions.hasNext, versions.rowLength]).toEqual([false, 1 + 8 + 5 + 1 + 9]);
    expect(versions.rowOfHeader()).toEqual({ schemaVersion: 1, bytes: pattern(9, 8) });
    const len = versions.encodeFromLast(false, 0, 0, 0, 0, 0);
    expect(len).toBe(1 + 8 + 1 + 9);
    expect(store.length(older.pageId, older.itemId)).toBe(1 + 8 + 1 + 3);
  });
});
