/** The invariant check sees broken version headers: intent meta on the wrong version, unknown flags. */
import { describe, expect, it } from 'vitest';
import { BucketedFreeList } from '../../../../src/domain/freelist/bucketed-free-list';
import { RowStore } from '../../../../src/domain/datapage/row-store';
import { PageVersionChains } from '../../../../src/domain/mvcc/page-version-chains';
import { VERSION_FLAGS_OFFSET, VERSION_FLAG_INTENT_META } from '../../../../src/domain/mvcc/row-version.layout';
import { parseTxId } from '../../../../src/domain/mvcc/tx-id-bytes';
import { ChainItem } from '../../../../src/domain/mvcc/version-chain.layout';
import { DataCorruptionError } from '../../../../src/domain/shared/errors';
import { RowId } from '../../../../src/domain/storage/row-id';
import { HeapPageMemory } from '../../../support/heap-page-memory';

const P = 3;
const tx = new Uint8Array(16);
parseTxId('123e4567-e89b-12d3-a456-426614174000', tx, 0);

/** One chain: a committed row under a write intent; returns the store and the item. */
function oneChain(committedBytes: number) {
  const memory = new HeapPageMemory(1024);
  const freeList = new BucketedFreeList(memory, 1, P, {});
  const store = new RowStore(memory, freeList);
  const chains = PageVersionChains.create(memory, 1, P, freeList, store);
  const rowId = new RowId(P, 5n, 6n);
  chains.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new Uint8Array(committedBytes).fill(9) }, 10n);
  chains.addWrite(rowId, { schemaVersion: 1, bytes: new Uint8Array([4]) }, tx, 7, 8);
  const cursor = chains.openCursor();
  expect(cursor.next()).toBe(true);
  const item = new ChainItem().load(cursor.itemBuf, cursor.itemOff);
  expect(chains.checkInvariants().chains).toBe(1);
  return { store, chains, item };
}

function setFlags(store: RowStore, pageId: number, itemId: number, flags: number): void {
  store.writeAt(pageId, itemId, VERSION_FLAGS_OFFSET, Uint8Array.of(flags), 0, 1);
}

describe('version chain invariants', () => {
  it('refuse intent meta on a committed version (whether or not its row is long enough to hold it)', () => {
    for (const [bytes, message] of [[30, /intent meta on a committed version/], [3, /unreadable version header/]] as const) {
      const { store, chains, item } = oneChain(bytes);
      setFlags(store, item.newestPage, item.newestItem, VERSION_FLAG_INTENT_META);
      expect(() => chains.checkInvariants()).toThrow(DataCorruptionError);
      expect(() => chains.checkInvariants()).toThrow(message);
    }
  });

  it('refuse a write intent without intent meta', () => {
    const { store, chains, item } = oneChain(3);
    setFlags(store, item.headPage, item.headItem, 0);
    expect(() => chains.checkInvariants()).toThrow(/write intent without it/);
  });

  it('refuse unknown version flags', () => {
    const { store, chains, item } = oneChain(3);
    setFlags(store, item.newestPage, item.newestItem, 0x80);
    expect(() => chains.checkInvariants()).toThrow(/unknown version flags/);
  });
});
