/** The invariant check sees broken chains: a dead anchor, an intent below the head, a lost GC entry, bad headers. */
import { describe, expect, it } from 'vitest';
import { BucketedFreeList } from '../../../../src/domain/freelist/bucketed-free-list';
import { RowStore } from '../../../../src/domain/datapage/row-store';
import { partitionLinkItem, partitionLinkPage } from '../../../../src/domain/datapage/partition-link';
import { PageVersionChains } from '../../../../src/domain/mvcc/page-version-chains';
import { ANCHOR_FLAG_DEAD, VERSION_FLAG_INTENT } from '../../../../src/domain/mvcc/row-version.layout';
import { parseTxId } from '../../../../src/domain/mvcc/tx-id-bytes';
import { CHAIN_ANCHOR_OFFSET } from '../../../../src/domain/mvcc/version-chain.layout';
import { DataCorruptionError } from '../../../../src/domain/shared/errors';
import { RowId } from '../../../../src/domain/storage/row-id';
import { HeapPageMemory } from '../../../support/heap-page-memory';

const P = 3;
const tx = new Uint8Array(16);
parseTxId('123e4567-e89b-12d3-a456-426614174000', tx, 0);

/** One chain of two committed versions (the newer in the anchor); returns the store, the chains and the anchor link. */
function oneChain() {
  const memory = new HeapPageMemory(1024);
  const freeList = BucketedFreeList.create(memory, 1, P, {});
  const store = new RowStore(memory, freeList);
  const chains = PageVersionChains.create(memory, 1, P, freeList, store);
  const rowId = new RowId(P, 5n, 6n);
  chains.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new Uint8Array(30).fill(9) }, 10n);
  chains.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new Uint8Array(30).fill(8) }, 20n);
  const cursor = chains.openCursor();
  expect(cursor.next()).toBe(true);
  const anchor = { page: partitionLinkPage(cursor.itemBuf, cursor.itemOff + CHAIN_ANCHOR_OFFSET, P),
    item: partitionLinkItem(cursor.itemBuf, cursor.itemOff + CHAIN_ANCHOR_OFFSET) };
  expect(chains.checkInvariants().chains).toBe(1);
  return { store, chains, anchor, rowId };
}

describe('version chain invariants', () => {
  it('refuse a chain item that names a dead anchor', () => {
    const { store, chains, anchor } = oneChain();
    store.writeAt(anchor.page, anchor.item, 0, Uint8Array.of(ANCHOR_FLAG_DEAD | (1 << 5)), 0, 1);
    expect(() => chains.checkInvariants()).toThrow(/dead stub/);
  });

  it('refuse a write intent below the head (or a header that no longer fits its row)', () => {
    const { store, chains, rowId } = oneChain();
    const older = chains.versions(rowId);
    expect(older).toHaveLength(2);
    // The anchor's next link names the older version: flag that one as an intent.
    const bytes = new Uint8Array(store.length(anchorOf(chains).page, anchorOf(chains).item));
    store.read(anchorOf(chains).page, anchorOf(chains).item, bytes, 0);
    const nextPage = partitionLinkPage(bytes, 9, P);
    const nextItem = partitionLinkItem(bytes, 9);
    store.writeAt(nextPage, nextItem, 0, Uint8Array.of(VERSION_FLAG_INTENT), 0, 1);
    expect(() => chains.checkInvariants()).toThrow(DataCorruptionError);
    expect(() => chains.checkInvariants()).toThrow(/write intent below the head|unreadable version/);
  });

  it('refuse commit timestamps that do not decrease from the head down', () => {
    const { store, chains, anchor } = oneChain();
    // The head's ts (big-endian at bytes 1..8) becomes 5, older than the version under it (10).
    store.writeAt(anchor.page, anchor.item, 1, Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 5), 0, 8);
    expect(() => chains.checkInvariants()).toThrow(/do not decrease/);
  });

  it('refuse an anchor whose header is cut short', () => {
    const { store, chains, anchor } = oneChain();
    store.update(anchor.page, anchor.item, Uint8Array.of(0, 1, 2), { set: () => undefined } as never);
    expect(() => chains.checkInvariants()).toThrow(/unreadable anchor/);
  });
});

function anchorOf(chains: PageVersionChains): { page: number; item: number } {
  const cursor = chains.openCursor();
  cursor.next();
  return { page: partitionLinkPage(cursor.itemBuf, cursor.itemOff + CHAIN_ANCHOR_OFFSET, P),
    item: partitionLinkItem(cursor.itemBuf, cursor.itemOff + CHAIN_ANCHOR_OFFSET) };
}
