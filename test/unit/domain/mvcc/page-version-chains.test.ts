/**
 * PageVersionChains against the list-of-versions model at 1 KiB pages (deep chains, fragmented values), on the
 * real volatile page memory and with out-of-memory injection; page accounting after destroy. Size:
 * MVCC_MODEL_OPS operations per run (default 2500).
 */
import { describe, expect, it } from 'vitest';
import { HeapPageMemory } from '../../../support/heap-page-memory';
import { testPageMemory } from '../../../support/page-mv-harness';
import { SeededRandom, envInt } from '../../../contract/support/seeded-random';
import { ChainsModelRun, newChains } from './page-version-chains.model';
import { RowId } from '../../../../src/domain/storage/row-id';

const OPS = envInt('MVCC_MODEL_OPS', 2500);

describe('PageVersionChains', () => {
  it.each([1, 2])(`matches the model on volatile 1 KiB pages; destroy gives back exactly its pages (seed %i, ${OPS} operations)`, (seed) => {
    const memory = testPageMemory(1024);
    const neighbour = newChains(memory, 9, 2);
    const other = new ChainsModelRun(neighbour, new SeededRandom(seed + 100), 2, () => memory.stats().pinnedPages);
    other.run(200);
    const baseline = memory.stats().allocatedPages;

    const fx = newChains(memory, 9, 1);
    const run = new ChainsModelRun(fx, new SeededRandom(seed), 1, () => memory.stats().pinnedPages);
    run.run(OPS);
    expect(run.model.rowIds().length).toBeGreaterThan(10);
    run.drain();
    fx.chains.destroy();
    fx.freeList.destroy();
    expect(memory.stats().allocatedPages).toBe(baseline);
    memory.checkInvariants();
    other.verify('after the neighbour partition was destroyed');
    memory.close();
  });

  it(`an operation that runs out of memory changes nothing (${OPS} operations)`, () => {
    const heap = new HeapPageMemory(1024);
    const fx = newChains(heap, 3, 7, 0);
    const run = new ChainsModelRun(fx, new SeededRandom(42), 7, () => heap.pinnedPages(), 0.5);
    run.run(OPS);
    expect(run.oomCount).toBeGreaterThan(10);
    run.drain();
    expect(heap.allocatedPages, 'only the two trees (and the free list) are left').toBe(fx.chains.checkInvariants().treePages + fx.freeList.metaPageCount);
    fx.chains.destroy();
    fx.freeList.destroy();
    expect(heap.allocatedPages).toBe(0);
  });
});

describe('PageVersionChains: a RowId object without a hint', () => {
  it('a write through a fresh object of an existing id finds its chain (the one-descent insert puts the tree item back)', () => {
    const memory = testPageMemory(1024);
    const fx = newChains(memory, 9, 1);
    const { chains } = fx;
    const row = (s: string) => ({ schemaVersion: 1, bytes: new TextEncoder().encode(s) });
    const fresh = (id: RowId): RowId => RowId.fromWords(id.partitionId, id.w0, id.w1, id.w2, id.w3);
    const id = new RowId(1, 12345n, 678n);
    expect(chains.addWriteCommitted(id, row('one'), 10n).status).toBe('SUCCESS');
    const pagesAfterFirst = memory.stats().allocatedPages;
    // A fresh object carries no hint: the write must land on the same chain, as a newer version.
    expect(chains.addWriteCommitted(fresh(id), row('two'), 20n).status).toBe('SUCCESS');
    expect(chains.estimatedSize).toBe(1);
    expect(chains.versions(fresh(id)).map((r) => new TextDecoder().decode(r.binaryRow!.bytes))).toEqual(['two', 'one']);
    // An older commit through a fresh object is refused as out of order, and nothing changes.
    expect(() => chains.addWriteCommitted(fresh(id), row('zero'), 5n)).toThrow();
    // A write intent through a fresh object goes on top of the chain too.
    const tx = new Uint8Array(16).fill(7);
    expect(chains.addWrite(fresh(id), row('three'), tx, 1, 1).status).toBe('SUCCESS');
    expect(chains.versions(fresh(id)).length).toBe(3);
    expect(chains.abortWrite(fresh(id), tx).status).toBe('SUCCESS');
    expect(memory.stats().allocatedPages).toBeGreaterThanOrEqual(pagesAfterFirst);
    chains.destroy();
    fx.freeList.destroy();
    memory.close();
  });
});
