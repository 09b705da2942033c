/**
 * Failure atomicity of PageVersionChains when page memory runs out at each step that allocates: the data page of
 * a new version, the chain tree split of a new chain (after its version was stored), the GC queue split of a
 * commit, the rewrite of a fragmented intent by its commit (after the GC entry was queued). Every failing call is retried with memory available; in between, the chains must look as if the call had
 * never been made, and at the end — after removing every version through the API — no data page may hold anything
 * (an orphan version would keep its page).
 */
import { describe, expect, it } from 'vitest';
import { parseTxId } from '../../../../src/domain/mvcc/tx-id-bytes';
import { OutOfMemoryError } from '../../../../src/domain/shared/errors';
import { MAX_VALUE } from '../../../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../../../src/domain/storage/row-id';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { newChains, type ChainsFixture } from './page-version-chains.model';

const P = 7;
const N = 600;
const ROW = { schemaVersion: 1, bytes: new Uint8Array(0) };
const tx = new Uint8Array(16);
parseTxId('123e4567-e89b-12d3-a456-426614174000', tx, 0);

/** Runs `op` with no page to spare; on OutOfMemoryError runs `unchanged`, then `op` again with memory. */
function squeezed(fx: ChainsFixture, op: () => void, unchanged: () => void): boolean {
  fx.memory.allowance = 0;
  try {
    op();
    return false;
  } catch (e) {
    if (!(e instanceof OutOfMemoryError)) throw e;
    fx.memory.allowance = Number.POSITIVE_INFINITY;
    fx.chains.checkInvariants();
    unchanged();
    op();
    return true;
  } finally {
    fx.memory.allowance = Number.POSITIVE_INFINITY;
  }
}

function expectNoDataLeft(fx: ChainsFixture, heap: HeapPageMemory): void {
  const shape = fx.chains.checkInvariants();
  expect(shape.chains).toBe(0);
  expect(fx.freeList.pageCount, 'data pages left').toBe(0);
  expect(heap.allocatedPages).toBe(shape.treePages + fx.freeList.metaPageCount);
  expect(heap.pinnedPages()).toBe(0);
}

describe('PageVersionChains out of memory', () => {
  it('addWrite of new chains: nothing stored when the version or the chain item does not fit', () => {
    const heap = new HeapPageMemory(1024);
    const fx = newChains(heap, 3, P, 0);
    let failures = 0;
    for (let i = 0; i < N; i++) {
      const rowId = new RowId(P, BigInt(i), 0n);
      const failed = squeezed(fx, () => fx.chains.addWrite(rowId, ROW, tx, 1, 2), () => {
        expect(fx.chains.chainCount).toBe(i);
        expect(fx.chains.read(rowId, MAX_VALUE).isWriteIntent).toBe(false);
      });
      if (failed) failures++;
    }
    expect(failures).toBeGreaterThan(20);
    for (let i = 0; i < N; i++) expect(fx.chains.abortWrite(new RowId(P, BigInt(i), 0n), tx).status).toBe('SUCCESS');
    expectNoDataLeft(fx, heap);
  });

  it('addWriteCommitted of new and existing chains, commitWrite over commits: nothing changes when a step does not fit', () => {
    const heap = new HeapPageMemory(1024);
    const fx = newChains(heap, 3, P, 0);
    const { chains } = fx;
    let ts = 100n;
    let failures = 0;
    for (let i = 0; i < N; i++) {
      const rowId = new RowId(P, BigInt(i), 0n);
      const versions = () => chains.versions(rowId).length;
      const first = (ts += 10n);
      failures += Number(squeezed(fx, () => chains.addWriteCommitted(rowId, ROW, first), () => expect(versions()).toBe(0)));
      const second = (ts += 10n);
      failures += Number(squeezed(fx, () => chains.addWriteCommitted(rowId, ROW, second), () => expect(versions()).toBe(1)));
      chains.addWrite(rowId, ROW, tx, 1, 2);
      const third = (ts += 10n);
      failures += Number(squeezed(fx, () => chains.commitWrite(rowId, third, tx, false), () => {
        expect(chains.read(rowId, MAX_VALUE).isWriteIntent).toBe(true);
        expect(chains.peek(MAX_VALUE, 1e9).filter((e) => e.rowId.equals(rowId)).length).toBe(1);
      }));
      expect(chains.versions(rowId).map((v) => v.commitTimestamp)).toEqual([third, second, first]);
    }
    expect(failures).toBeGreaterThan(20);
    for (let i = 0; i < N; i++) chains.addWriteCommitted(new RowId(P, BigInt(i), 0n), null, (ts += 10n));
    for (const e of chains.peek(MAX_VALUE, 1e9)) chains.vacuum(e.rowId, e.timestamp);
    expectNoDataLeft(fx, heap);
  });

  it('commitWrite of fragmented intents: the rewrite without intent meta needs pages; nothing changes when it does not fit', () => {
    const heap = new HeapPageMemory(1024);
    const fx = newChains(heap, 3, P, 0);
    const { chains } = fx;
    const big = (n: number) => ({ schemaVersion: 2, bytes: Uint8Array.from({ length: 2500 + n }, (_, j) => (j + n) & 0xff) });
    let ts = 100n;
    let failures = 0;
    for (let i = 0; i < 60; i++) {
      const rowId = new RowId(P, BigInt(i), 0n);
      if (i % 2 === 1) chains.addWriteCommitted(rowId, ROW, (ts += 10n));
      chains.addWrite(rowId, big(i), tx, 1, 2);
      const at = (ts += 10n);
      failures += Number(squeezed(fx, () => chains.commitWrite(rowId, at, tx, false), () => {
        const intent = chains.read(rowId, MAX_VALUE);
        expect([intent.isWriteIntent, intent.commitZoneId, intent.commitPartitionId]).toEqual([true, 1, 2]);
        expect(intent.binaryRow).toEqual(big(i));
        expect(chains.peek(MAX_VALUE, 1e9).filter((e) => e.rowId.equals(rowId)).length).toBe(0);
      }));
      const read = chains.read(rowId, MAX_VALUE);
      expect([read.isWriteIntent, read.commitTimestamp, read.binaryRow]).toEqual([false, at, big(i)]);
    }
    expect(failures).toBeGreaterThan(10);
    for (let i = 0; i < 60; i++) chains.addWriteCommitted(new RowId(P, BigInt(i), 0n), null, (ts += 10n));
    for (const e of chains.peek(MAX_VALUE, 1e9)) chains.vacuum(e.rowId, e.timestamp);
    expectNoDataLeft(fx, heap);
  });
});
