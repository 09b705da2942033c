/**
 * The persistent page cache (aipersist) beyond the generic PageMemory contract (test/contract/persistent-page-memory
 * .test.ts): eviction and reload through the store, each replacement mode and what it promises, dirty pages never
 * evicted without a spill area (OutOfMemoryError, nothing changed), the spill area, reopen over a checkpointed store
 * (partition state, freed-page chain, meta page), dropPages / forgetPartition generations, and onDirtyHigh.
 * Every store is the in-memory MemoryPageStore; `store.checkpoint(memory)` writes exactly what the checkpointer would.
 * (Part 2: the freed-page chain and reopen, dropPages, forgetPartition, spill bookkeeping, onDirtyHigh.)
 */
import { describe, expect, it } from 'vitest';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { FLAG_AUX, FLAG_DATA, flagsOf, pageIndex, partitionIdOf } from '../../../../src/domain/page/page-id';
import { PAGE_TYPE_OFFSET } from '../../../../src/domain/page/page-header.layout';
import { PAGE_TYPE_PARTITION_META } from '../../../../src/domain/page/page-types';
import { IllegalPageAccessError, OutOfMemoryError } from '../../../../src/domain/shared/errors';
import { MemoryPageStore } from '../../../support/memory-page-store';
import { PAGE, Page, allocateStamped, cache, expectPages, expectRefused, imageMismatch, isFresh, nextSeed, stamp, storedImage } from './persistent-memory-helpers';

describe('PersistentPageMemory: the freed-page chain and reopen', () => {
  it('reuses freed pages first, in the same memory, across a checkpoint (freed in memory, then from the stored chain)', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N);
    const p = allocateStamped(pm, store, 1, 0, 3 * N, N / 2);
    store.checkpoint(pm);
    pm.freePage(1, p[2]!.id); // evicted by now: loaded to be freed
    pm.freePage(1, p[3 * N - 1]!.id); // in the cache
    store.checkpoint(pm);
    expect(store.partitionState(1, 0)).toEqual({ pages: 3 * N + 1, freeHead: 3 * N });
    expectRefused(pm, 1, p[2]!.id); // the stored FREED image is refused
    pm.freePage(1, p[5]!.id); // freed after the checkpoint
    expectRefused(pm, 1, p[5]!.id);
    const again = [pm.allocatePage(1, 0, FLAG_AUX), pm.allocatePage(1, 0, FLAG_DATA), pm.allocatePage(1, 0, FLAG_DATA)];
    expect(again.map(pageIndex)).toEqual([6, 3 * N, 3]);
    expect(flagsOf(again[0]!)).toBe(FLAG_AUX);
    for (const id of again) expect(isFresh(pm, 1, id)).toBe(true);
    expect(pageIndex(pm.allocatePage(1, 0, FLAG_DATA))).toBe(3 * N + 1);
    const live = p.filter((_, k) => k !== 2 && k !== 5 && k !== 3 * N - 1);
    expectPages(pm, live);
    pm.checkInvariants();
  });

  it('a reopen sees the checkpointed pages, refuses freed ones and reuses their indexes first; hasPartition', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N);
    // A: meta page (FLAG_AUX, index 1) + 40 data pages; B: data pages only; C: another group with a meta page.
    const metaA = allocateStamped(pm, store, 7, 2, 1, 0, FLAG_AUX);
    const a = allocateStamped(pm, store, 7, 2, 40, N / 2);
    const b = allocateStamped(pm, store, 7, 3, 10, N / 2);
    const metaC = allocateStamped(pm, store, 8, 2, 1, 0, FLAG_AUX);
    const c = allocateStamped(pm, store, 8, 2, 5);
    store.checkpoint(pm);
    const freedOrder: Page[] = [];
    const free = (page: Page) => {
      pm.freePage(page.group, page.id);
      freedOrder.push(page);
    };
    free(a[0]!); // long evicted
    free(a[39]!); // recently written
    store.checkpoint(pm);
    free(a[10]!);
    free(a[38]!);
    // Churn: everything above is evicted, the freed pages above are checkpointed by the churn's checkpoints.
    const b2 = allocateStamped(pm, store, 7, 3, 3 * N, N / 2);
    free(a[20]!); // freed after the eviction (loaded to be freed)
    free(b2[3 * N - 1]!); // B too
    store.checkpoint(pm);
    pm.checkInvariants();
    expect(store.partitionState(7, 2)).toEqual({ pages: 42, freeHead: pageIndex(a[20]!.id) });
    expect(store.partitionState(7, 3)).toEqual({ pages: 10 + 3 * N + 1, freeHead: 3 * N + 10 });

    const pm2 = cache(store, N);
    expect(pm2.hasPartition(7, 2)).toBe(true);
    expect(pm2.hasPartition(7, 3)).toBe(false); // its first page is a data page
    expect(pm2.hasPartition(8, 2)).toBe(true);
    expect(pm2.hasPartition(7, 4)).toBe(false); // never written
    expect(pm2.hasPartition(9, 2)).toBe(false);
    const freedIds = new Set(freedOrder.map((f) => f.id));
    const live = [...metaA, ...a, ...b, ...b2, ...metaC, ...c].filter((p) => !freedIds.has(p.id));
    expectPages(pm2, live);
    for (const f of freedOrder) expectRefused(pm2, f.group, f.id);
    pm2.checkInvariants();

    // Reuse: the freed indexes first (the chain, most recently freed first), then new ones.
    const freedA = freedOrder.filter((f) => f.group === 7 && partitionIdOf(f.id) === 2).map((f) => pageIndex(f.id));
    const reusedA = freedA.map(() => pm2.allocatePage(7, 2, FLAG_DATA));
    expect(reusedA.map(pageIndex)).toEqual([...freedA].reverse());
    expect(pageIndex(pm2.allocatePage(7, 2, FLAG_DATA))).toBe(42);
    expect(pageIndex(pm2.allocatePage(7, 3, FLAG_DATA))).toBe(3 * N + 10);
    expect(pageIndex(pm2.allocatePage(7, 3, FLAG_DATA))).toBe(3 * N + 11);
    for (const id of reusedA) expect(isFresh(pm2, 7, id)).toBe(true);
    const reused = reusedA.map((id) => ({ group: 7, id, seed: nextSeed() }));
    for (const r of reused) stamp(pm2, 7, r.id, r.seed);
    store.checkpoint(pm2);
    pm2.checkInvariants();

    const pm3 = cache(store, N);
    expectPages(pm3, [...live, ...reused]);
    expect(store.partitionState(7, 2)).toEqual({ pages: 43, freeHead: 0 });
    pm3.checkInvariants();
  });

  it('hasPartition is false once the first page is freed or is not an AUX page', () => {
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, 16);
    const meta = pm.allocatePage(1, 0, FLAG_AUX);
    pm.allocatePage(1, 0, FLAG_DATA);
    pm.allocatePage(1, 1, FLAG_DATA);
    pm.allocatePage(1, 1, FLAG_AUX); // AUX but not first
    expect(pm.hasPartition(1, 0)).toBe(true);
    expect(pm.hasPartition(1, 1)).toBe(false);
    pm.freePage(1, meta);
    expect(pm.hasPartition(1, 0)).toBe(false);
    store.checkpoint(pm);
    expect(pm.hasPartition(1, 0)).toBe(false); // the stored FREED image
    expect(cache(store, 16).hasPartition(1, 0)).toBe(false);
  });
});

describe('PersistentPageMemory: dropPages and forgetPartition', () => {
  it('dropPages(FLAG_DATA) keeps the meta page, refuses the rest, reallocates after it and never writes dropped pages', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N);
    const [meta] = allocateStamped(pm, store, 1, 0, 1, 0, FLAG_AUX);
    const metaView = new PageView();
    pm.acquireWrite(1, meta!.id, metaView);
    metaView.dv.setUint16(metaView.off + PAGE_TYPE_OFFSET, PAGE_TYPE_PARTITION_META, true);
    pm.release(metaView);
    const data = allocateStamped(pm, store, 1, 0, 20, N / 2);
    const q = allocateStamped(pm, store, 1, 1, 5);
    const r = allocateStamped(pm, store, 2, 0, 5);
    store.checkpoint(pm);
    const storedBefore = storedImage(store, 1, 0, pageIndex(data[6]!.id))!;
    // Uncheckpointed changes: the meta page, two data pages (indexes 7, 8), two new data pages.
    stamp(pm, 1, meta!.id, (meta!.seed = nextSeed()));
    for (const d of data.slice(5, 7)) stamp(pm, 1, d.id, nextSeed());
    const fresh = allocateStamped(pm, store, 1, 0, 2);
    expect(pm.dirtyPages).toBe(5);

    expect(pm.dropPages(1, 0, FLAG_DATA)).toBe(22);
    expect(pm.dropPages(1, 0, FLAG_DATA)).toBe(0);
    expectPages(pm, [meta!]);
    expect(pm.hasPartition(1, 0)).toBe(true);
    for (const d of [...data, ...fresh]) expectRefused(pm, 1, d.id);
    expectPages(pm, [...q, ...r]);
    pm.checkInvariants();

    const after = allocateStamped(pm, store, 1, 0, 1);
    expect(pageIndex(after[0]!.id)).toBe(2);
    expect(isFresh(pm, 1, pm.allocatePage(1, 0, FLAG_DATA))).toBe(true); // index 3: not the dropped page 3
    expect(pm.allocatedPages()).toBe(1 + 2 + 5 + 5);
    store.checkpoint(pm);
    expect(pm.dirtyPages).toBe(0);
    pm.checkInvariants();
    expect(store.partitionState(1, 0)).toEqual({ pages: 4, freeHead: 0 });
    // The dirty dropped page 8 was not written over its stored image; the new page 22 never reached the store.
    expect(storedImage(store, 1, 0, pageIndex(data[6]!.id))).toEqual(storedBefore);
    expect(storedImage(store, 1, 0, pageIndex(fresh[0]!.id))).toBeNull();
    const storedMeta = storedImage(store, 1, 0, 1)!;
    expect(imageMismatch(storedMeta, 0, meta!.id, meta!.seed)).toBeNull();

    const pm2 = cache(store, N);
    expect(pm2.hasPartition(1, 0)).toBe(true);
    expectPages(pm2, [meta!, after[0]!, ...q, ...r]);
    for (const d of [...data.slice(2), ...fresh]) expectRefused(pm2, 1, d.id);
    expect(pageIndex(pm2.allocatePage(1, 0, FLAG_DATA))).toBe(4);
    pm2.checkInvariants();
  });

  it('dropPages drops the whole partition when its first page is not AUX, or for flags other than FLAG_DATA', () => {
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, 16);
    const q = allocateStamped(pm, store, 1, 1, 5);
    const meta = allocateStamped(pm, store, 2, 0, 1, 0, FLAG_AUX);
    const r = allocateStamped(pm, store, 2, 0, 5);
    const other = allocateStamped(pm, store, 2, 1, 3);
    store.checkpoint(pm);
    expect(pm.dropPages(1, 1, FLAG_DATA)).toBe(5);
    expect(pm.dropPages(2, 0, FLAG_AUX)).toBe(6);
    for (const p of [...q, ...meta, ...r]) expectRefused(pm, p.group, p.id);
    expect(pm.hasPartition(1, 1)).toBe(false);
    expect(pm.hasPartition(2, 0)).toBe(false);
    expect(pageIndex(pm.allocatePage(1, 1, FLAG_DATA))).toBe(1);
    expect(pageIndex(pm.allocatePage(2, 0, FLAG_AUX))).toBe(1);
    expectPages(pm, other);
    store.checkpoint(pm);
    const pm2 = cache(store, 16);
    expect(pm2.hasPartition(2, 0)).toBe(true); // the new meta page
    for (const p of [...q.slice(1), ...r]) expectRefused(pm2, p.group, p.id);
    expectPages(pm2, other);
  });

  it('dropPages refuses a pinned meta page, changing nothing', () => {
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, 16);
    const meta = allocateStamped(pm, store, 1, 0, 1, 0, FLAG_AUX);
    const data = allocateStamped(pm, store, 1, 0, 3);
    const v = new PageView();
    pm.acquireRead(1, meta[0]!.id, v);
    expect(() => pm.dropPages(1, 0, FLAG_DATA)).toThrow(IllegalPageAccessError);
    pm.release(v);
    expectPages(pm, [...meta, ...data]);
    expect(pm.dropPages(1, 0, FLAG_DATA)).toBe(3);
    pm.checkInvariants();
  });

  it('frames of a dropped or forgotten partition are reclaimed even when dirty (no spill area needed)', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N);
    allocateStamped(pm, store, 1, 0, 1, 0, FLAG_AUX);
    allocateStamped(pm, store, 1, 0, N - 1); // every frame dirty
    expect(() => pm.allocatePage(3, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    pm.dropPages(1, 0, FLAG_DATA);
    const q = allocateStamped(pm, store, 3, 0, N - 1); // the meta page stays, dirty
    expect(() => pm.allocatePage(3, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    pm.forgetPartition(3, 0);
    const r = allocateStamped(pm, store, 4, 0, N - 1);
    pm.checkInvariants();
    expectPages(pm, r);
    store.checkpoint(pm);
    expect(pm.dirtyPages).toBe(0);
    expect(store.partitionState(3, 0)).toEqual({ pages: 0, freeHead: 0 }); // forgotten before any checkpoint
    expect(store.partitionState(1, 0)).toEqual({ pages: 2, freeHead: 0 });
    for (const p of q) expectRefused(pm, 3, p.id);
  });

  it('forgetPartition / forgetGroup: nothing unsaved of the partition is ever written; others untouched', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N);
    const meta = allocateStamped(pm, store, 3, 0, 1, 0, FLAG_AUX);
    const p = allocateStamped(pm, store, 3, 0, 10, N / 2);
    const q = allocateStamped(pm, store, 3, 1, 4);
    const g4 = allocateStamped(pm, store, 4, 0, 4);
    store.checkpoint(pm);
    const stateP = store.partitionState(3, 0);
    const imagesP = p.map((x) => storedImage(store, 3, 0, pageIndex(x.id)));
    // Unsaved: rewrites, a free, new pages in P; rewrites elsewhere.
    for (const x of p.slice(0, 3)) stamp(pm, 3, x.id, nextSeed());
    pm.freePage(3, p[5]!.id);
    const newP = allocateStamped(pm, store, 3, 0, 2); // p[5]'s index again, then index 12
    expect(newP.map((x) => pageIndex(x.id))).toEqual([pageIndex(p[5]!.id), 12]);
    for (const x of [...q, ...g4]) stamp(pm, x.group, x.id, (x.seed = nextSeed()));

    pm.forgetPartition(3, 0);
    expect(store.checkpoint(pm)).toBe(q.length + g4.length);
    expect(store.partitionState(3, 0)).toEqual(stateP);
    expect(p.map((x) => storedImage(store, 3, 0, pageIndex(x.id)))).toEqual(imagesP);
    expect(storedImage(store, 3, 0, 12)).toBeNull();
    expectPages(pm, [...q, ...g4]);
    // The memory now knows P only from its store (the real one is destroyed first; this fake keeps it).
    expectPages(pm, [...meta, ...p]);
    expectRefused(pm, 3, newP[1]!.id);
    pm.checkInvariants();

    for (const x of [...q, ...g4]) stamp(pm, x.group, x.id, nextSeed());
    const g4Seeds = g4.map((x) => (x.seed = nextSeed()));
    g4.forEach((x, i) => stamp(pm, 4, x.id, g4Seeds[i]!));
    const imagesQ = q.map((x) => storedImage(store, 3, 1, pageIndex(x.id)));
    pm.forgetGroup(3);
    expect(store.checkpoint(pm)).toBe(g4.length);
    expect(q.map((x) => storedImage(store, 3, 1, pageIndex(x.id)))).toEqual(imagesQ);
    expectPages(pm, [...q, ...g4]); // q as stored
    pm.checkInvariants();
  });
});

describe('PersistentPageMemory: spill area bookkeeping', () => {
  it('a freed or dropped spilled page lets its slot go and is not written by the checkpoint', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE, true);
    const pm = cache(store, N);
    const meta = allocateStamped(pm, store, 1, 0, 1, 0, FLAG_AUX);
    const a = allocateStamped(pm, store, 1, 0, 2 * N); // most of them spilled
    const b = allocateStamped(pm, store, 2, 0, N); // spills the rest of a
    expect(pm.spilledPages).toBe(2 * N + 1);
    pm.freePage(1, a[0]!.id); // spilled: read back to be freed
    expect(pm.spilledPages).toBe(2 * N + 1); // read back one, spilled another
    expect(pm.dirtyPages).toBe(3 * N);
    pm.dropPages(1, 0, FLAG_DATA);
    expect(pm.spilledPages).toBeLessThanOrEqual(N); // only b's are left
    expect(store.checkpoint(pm)).toBe(N + 1); // b and the meta page; nothing of a's old generation
    expect(pm.spilledPages).toBe(0);
    expect(pm.dirtyPages).toBe(0);
    expect(store.partitionState(1, 0)).toEqual({ pages: 2, freeHead: 0 });
    for (let i = 2; i <= 2 * N + 1; i++) expect(storedImage(store, 1, 0, i)).toBeNull();
    const pm2 = cache(store, N);
    expectPages(pm2, [...meta, ...b]);
    for (const x of a) expectRefused(pm2, 1, x.id);
  });

  it('with a spill area, OutOfMemoryError only when every frame is pinned', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE, true);
    const pm = cache(store, N);
    const pages = allocateStamped(pm, store, 1, 0, N);
    const views = pages.map((p) => {
      const v = new PageView();
      pm.acquireRead(1, p.id, v);
      return v;
    });
    expect(() => pm.allocatePage(1, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    expect(pm.spilledPages).toBe(0);
    pm.release(views.pop()!);
    pm.allocatePage(1, 0, FLAG_DATA); // spills the one unpinned page
    expect(pm.spilledPages).toBe(1);
    for (const v of views) pm.release(v);
    expectPages(pm, pages);
    pm.checkInvariants();
  });
});

describe('PersistentPageMemory: onDirtyHigh', () => {
  it('fires once when dirty pages reach 3/4 of the frames, again only after they fell below', () => {
    const N = 16; // threshold 12
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N);
    let calls = 0;
    let dirtyAtCall = -1;
    pm.onDirtyHigh = () => {
      calls++;
      dirtyAtCall = pm.dirtyPages;
    };
    const pages = allocateStamped(pm, store, 1, 0, 11);
    expect(calls).toBe(0);
    pages.push(...allocateStamped(pm, store, 1, 0, 1));
    expect([calls, dirtyAtCall]).toEqual([1, 12]);
    pages.push(...allocateStamped(pm, store, 1, 0, 4));
    for (const p of pages) stamp(pm, 1, p.id, nextSeed()); // already dirty
    expect(calls).toBe(1);
    store.checkpoint(pm);
    expect(calls).toBe(1);
    for (const p of pages.slice(0, 11)) stamp(pm, 1, p.id, nextSeed());
    expect(calls).toBe(1);
    stamp(pm, 1, pages[11]!.id, nextSeed());
    expect([calls, dirtyAtCall]).toEqual([2, 12]);
  });
});

