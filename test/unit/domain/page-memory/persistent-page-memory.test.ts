/**
 * The persistent page cache (aipersist) beyond the generic PageMemory contract (test/contract/persistent-page-memory
 * .test.ts): eviction and reload through the store, each replacement mode and what it promises, dirty pages never
 * evicted without a spill area (OutOfMemoryError, nothing changed), the spill area, reopen over a checkpointed store
 * (partition state, freed-page chain, meta page), dropPages / forgetPartition generations, and onDirtyHigh.
 * Every store is the in-memory MemoryPageStore; `store.checkpoint(memory)` writes exactly what the checkpointer would.
 * (Part 1: construction, replacement modes, eviction, spill, store errors; part 2: persistent-page-memory-chains.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { PersistentPageMemory } from '../../../../src/domain/page-memory/persistent-page-memory';
import { FLAG_AUX, FLAG_DATA, flagsOf, pageId, pageIndex, partitionIdOf } from '../../../../src/domain/page/page-id';
import type { PageStore } from '../../../../src/domain/ports/page-store.port';
import { DataCorruptionError, IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError, StorageClosedError } from '../../../../src/domain/shared/errors';
import { MemoryPageStore } from '../../../support/memory-page-store';
import { MODES, PAGE, type Page, allocateStamped, cache, catchError, expectPages, imageMismatch, isFresh, mismatch, nextSeed, stamp, touch } from './persistent-memory-helpers';

describe('PersistentPageMemory: construction', () => {
  it('refuses a bad page size and a cache of fewer than 16 frames; frames = floor(sizeBytes / pageSize)', () => {
    const store = new MemoryPageStore(PAGE);
    const make = (pageSize: number, sizeBytes: number) =>
      new PersistentPageMemory({ name: 'px', pageSize, sizeBytes, replacementMode: 'CLOCK', store });
    expect(() => make(1000, 64 * 1024)).toThrow(InvalidArgumentError);
    expect(() => make(512, 64 * 1024)).toThrow(InvalidArgumentError);
    expect(() => make(32768, 64 * 32768)).toThrow(InvalidArgumentError);
    expect(() => make(PAGE, 16 * PAGE - 1)).toThrow(/fewer than 16 pages/);
    expect(make(PAGE, 16 * PAGE).frames).toBe(16);
    expect(make(PAGE, 20 * PAGE + PAGE - 1).frames).toBe(20);
  });
});

describe.each(MODES)('PersistentPageMemory (%s)', (mode) => {
  it('evicts clean pages and reads them back: 10x the cache over 2 groups, counters, invariants', () => {
    const N = 32;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N, mode);
    const pages: Page[] = [];
    for (let k = 0; k < 10 * N; k++) {
      const group = k % 2 === 0 ? 1 : 2;
      const part = k % 2 === 0 ? 0 : 5;
      const id = pm.allocatePage(group, part, FLAG_DATA);
      expect([pageIndex(id), partitionIdOf(id), flagsOf(id)]).toEqual([(k >> 1) + 1, part, FLAG_DATA]);
      const seed = nextSeed();
      stamp(pm, group, id, seed);
      pages.push({ group, id, seed });
      expect(pm.loadedPages).toBeLessThanOrEqual(N);
      if ((k + 1) % (N / 2) === 0) {
        store.checkpoint(pm);
        expect(pm.dirtyPages).toBe(0);
        pm.checkInvariants();
      }
    }
    // Allocation never reads the store; every allocation past the first N frames replaced a clean page.
    expect(pm.counters()).toEqual({ hits: 10 * N, misses: 0, replacements: 9 * N, pagesRead: 0, spillWrites: 0 });
    expect(store.reads).toBe(0);
    expect(pm.loadedPages).toBe(N);
    expect(store.partitionState(1, 0)).toEqual({ pages: 5 * N + 1, freeHead: 0 });
    expect(store.partitionState(2, 5)).toEqual({ pages: 5 * N + 1, freeHead: 0 });

    const before = pm.counters();
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k]!;
      expect(mismatch(pm, p.group, p.id, p.seed)).toBeNull();
      expect(pm.loadedPages).toBeLessThanOrEqual(N);
      if (k % N === 0) pm.checkInvariants();
    }
    const after = pm.counters();
    const misses = after.misses - before.misses;
    expect(after.hits - before.hits + misses).toBe(10 * N);
    expect(misses).toBeGreaterThanOrEqual(9 * N);
    expect(store.reads).toBe(misses);
    expect(after.pagesRead - before.pagesRead).toBe(misses);
    expect(after.replacements - before.replacements).toBe(misses); // the cache is full: every miss replaces a page
    expect(pm.dirtyPages).toBe(0);
    pm.checkInvariants();

    // Rewritten pages (dirty, then checkpointed) come back with the new bytes after their eviction.
    for (const p of pages.slice(0, 2 * N)) {
      p.seed = nextSeed();
      stamp(pm, p.group, p.id, p.seed);
      if (pm.dirtyPages >= N / 2) store.checkpoint(pm);
    }
    store.checkpoint(pm);
    expectPages(pm, pages);
    pm.checkInvariants();
  });

  it('finds the only evictable frame when every other one is dirty, then refuses the next allocation', () => {
    const N = 32;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N, mode);
    const pages = allocateStamped(pm, store, 1, 0, N);
    store.checkpoint(pm);
    const clean = pages[17]!;
    for (const p of pages) if (p !== clean) stamp(pm, p.group, p.id, (p.seed = nextSeed()));
    expect(pm.dirtyPages).toBe(N - 1);
    const reads = store.reads;
    const extra = pm.allocatePage(1, 0, FLAG_DATA); // evicts `clean`, the only candidate
    expect(pm.counters().replacements).toBe(1);
    expect(pm.dirtyPages).toBe(N);
    expect(() => pm.allocatePage(1, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    store.checkpoint(pm);
    expectPages(pm, [...pages.filter((p) => p !== clean)]);
    expect(store.reads).toBe(reads);
    expectPages(pm, [clean]);
    expect(store.reads).toBe(reads + 1); // it had been evicted
    expect(isFresh(pm, 1, extra)).toBe(true);
    pm.checkInvariants();
  });

  it('never evicts a dirty page without a spill area: OutOfMemoryError, nothing changed; a checkpoint frees frames', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N, mode);
    const a = allocateStamped(pm, store, 1, 0, N, N / 2);
    const b = allocateStamped(pm, store, 2, 0, N, N / 2);
    store.checkpoint(pm);
    // Rewrite a (mostly evicted by now): afterwards every frame holds a dirty page of a.
    for (const p of a) stamp(pm, p.group, p.id, (p.seed = nextSeed()));
    expect(pm.dirtyPages).toBe(N);
    expect(pm.loadedPages).toBe(N);
    pm.checkInvariants();

    const snapshot = () => ({
      allocated: pm.allocatedPages(), dirty: pm.dirtyPages, loaded: pm.loadedPages, pinned: pm.pinnedPages,
      counters: pm.counters(), reads: store.reads, s1: store.partitionState(1, 0), s2: store.partitionState(2, 0),
    });
    const before = snapshot();
    const err = catchError(() => pm.allocatePage(1, 0, FLAG_DATA));
    expect(err).toBeInstanceOf(OutOfMemoryError);
    expect((err as OutOfMemoryError).code).toBe('OUT_OF_MEMORY');
    expect((err as Error).message).toMatch(/'px'/);
    expect(() => pm.allocatePage(3, 7, FLAG_AUX)).toThrow(OutOfMemoryError); // a new partition too
    const v = new PageView();
    expect(() => pm.acquireRead(2, b[0]!.id, v)).toThrow(OutOfMemoryError); // a miss needs a frame as well
    expect(v.slot).toBe(-1);
    expect(() => pm.freePage(2, b[1]!.id)).toThrow(OutOfMemoryError); // freeing an evicted page loads it first
    expect(snapshot()).toEqual(before);
    pm.checkInvariants();
    expectPages(pm, a); // all hits
    expect(store.reads).toBe(before.reads);

    expect(store.checkpoint(pm)).toBe(N);
    const id = pm.allocatePage(1, 0, FLAG_DATA);
    expect(pageIndex(id)).toBe(N + 1); // the refused allocations used no index
    expect(isFresh(pm, 1, id)).toBe(true);
    expectPages(pm, [...a, ...b]);
    pm.checkInvariants();
  });

  it('spills dirty pages when a closure writes 5x the cache, reads them back, and the checkpoint writes them all', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE, true);
    const pm = cache(store, N, mode);
    const pages: Page[] = [];
    for (let k = 0; k < 5 * N; k++) pages.push(...allocateStamped(pm, store, 1 + (k % 2), 3, 1));
    expect(pm.loadedPages).toBe(N);
    expect(pm.spilledPages).toBe(4 * N);
    expect(pm.dirtyPages).toBe(5 * N);
    expect(store.spilledSlots).toBe(4 * N);
    expect(pm.counters().spillWrites).toBe(4 * N);
    expect(store.reads).toBe(0);
    pm.checkInvariants();

    expectPages(pm, pages); // spilled pages come back (and others go out in their place)
    expect(pm.dirtyPages).toBe(5 * N);
    expect(pm.spilledPages).toBe(4 * N);
    for (const p of pages) stamp(pm, p.group, p.id, (p.seed = nextSeed())); // re-spilled with the new bytes
    expectPages(pm, pages);
    expect(pm.dirtyPages).toBe(5 * N);
    expect(store.reads).toBe(0); // nothing came from the durable store
    expect(store.spilledSlots).toBeLessThanOrEqual(4 * N + 1); // slots are reused (a reload spills before it frees its slot)
    pm.checkInvariants();

    expect(store.checkpoint(pm)).toBe(5 * N);
    expect(pm.spilledPages).toBe(0);
    expect(pm.dirtyPages).toBe(0);
    pm.checkInvariants();
    expect(store.partitionState(1, 3)).toEqual({ pages: 5 * N / 2 + 1, freeHead: 0 });
    expectPages(pm, pages);

    const reopened = cache(store, N, mode);
    expectPages(reopened, pages);
    expect(reopened.dirtyPages).toBe(0);
    reopened.checkInvariants();
  });
});

describe('PersistentPageMemory: replacement behaviour', () => {
  it('CLOCK gives a page referenced since the hand last passed a second chance', () => {
    const N = 16;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N, 'CLOCK');
    const p = allocateStamped(pm, store, 1, 0, N); // frames 0..N-1 in order
    store.checkpoint(pm);
    pm.allocatePage(1, 0, FLAG_DATA); // the hand clears every reference bit and takes frame 0
    expect(pm.counters().replacements).toBe(1);
    for (const k of [1, 3, 5]) touch(pm, 1, p[k]!.id);
    for (let i = 0; i < 4; i++) pm.allocatePage(1, 0, FLAG_DATA); // take 2, 4, 6, 7: 1, 3, 5 are passed over once
    const reads = store.reads;
    expectPages(pm, [p[1]!, p[3]!, p[5]!, p[8]!]);
    expect(store.reads).toBe(reads);
    for (const k of [0, 2, 4, 6, 7]) {
      expectPages(pm, [p[k]!]);
      expect(store.reads, `page ${k}`).toBe(reads + 1 + [0, 2, 4, 6, 7].indexOf(k));
    }
    pm.checkInvariants();
  });

  it('SEGMENTED_LRU keeps a hot set used again through a one-off scan of many cold pages', () => {
    const N = 32;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N, 'SEGMENTED_LRU');
    const cold = allocateStamped(pm, store, 1, 0, 4 * N, N / 2);
    const hot = allocateStamped(pm, store, 2, 0, 4);
    for (let r = 0; r < 3; r++) for (const h of hot) touch(pm, 2, h.id);
    store.checkpoint(pm);
    expectPages(pm, cold); // the scan: every cold page once, almost all of them misses
    const reads = store.reads;
    expectPages(pm, hot);
    expect(store.reads - reads, 'store reads of the hot pages after the scan').toBe(0);
    pm.checkInvariants();
  });

  it('SEGMENTED_LRU: pages read once after a miss leave before pages read again (hot set loaded after the cold pages)', () => {
    const N = 32;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N, 'SEGMENTED_LRU');
    const hot = allocateStamped(pm, store, 2, 0, 4);
    const cold = allocateStamped(pm, store, 1, 0, 4 * N, N / 2);
    store.checkpoint(pm);
    for (let r = 0; r < 3; r++) for (const h of hot) touch(pm, 2, h.id); // misses first, then hits: protected
    const reads = store.reads;
    for (const c of cold.slice(0, N)) touch(pm, 1, c.id); // N one-off reads
    const afterScan = store.reads;
    expect(afterScan - reads).toBe(N);
    for (const h of hot) touch(pm, 2, h.id);
    expect(store.reads - afterScan, 'store reads of the hot pages after the scan').toBe(0);
  });

  it('RANDOM_LRU keeps pages touched between the misses of a scan (the victim is the least recent of its sample)', () => {
    const N = 32;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N, 'RANDOM_LRU');
    const cold = allocateStamped(pm, store, 1, 0, 4 * N, N / 2);
    const hot = allocateStamped(pm, store, 2, 0, 2);
    store.checkpoint(pm);
    let hotReads = 0;
    for (const c of cold) {
      for (const h of hot) {
        const r = store.reads;
        touch(pm, 2, h.id);
        hotReads += store.reads - r;
      }
      expect(mismatch(pm, 1, c.id, c.seed)).toBeNull();
    }
    expect(hotReads).toBe(0);
    pm.checkInvariants();
  });

  it('works over several frame buffers (maxBufferBytes), frames not a multiple of the buffer size', () => {
    const N = 20;
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, N, 'CLOCK', 8 * PAGE); // buffers of 8, 8 and 4 frames
    expect(pm.frames).toBe(N);
    const pages = allocateStamped(pm, store, 1, 0, 6 * N, N / 2);
    store.checkpoint(pm);
    const bufs = new Set<Uint8Array>();
    for (const p of pages) {
      const v = new PageView();
      pm.acquireRead(1, p.id, v);
      bufs.add(v.buf);
      expect(v.buf.byteLength).toBeLessThanOrEqual(8 * PAGE);
      expect(imageMismatch(v.buf, v.off, p.id, p.seed)).toBeNull();
      pm.release(v);
    }
    expect(bufs.size).toBe(3);
    pm.checkInvariants();
  });
});

describe('PersistentPageMemory: errors of the store', () => {
  it('a page missing from the store is a DataCorruptionError; a failing read propagates; the frame is given back', () => {
    let fail: Error | null = null;
    const store: PageStore = {
      partitionState: () => ({ pages: 3, freeHead: 0 }),
      readPage: () => {
        if (fail !== null) throw fail;
        return false;
      },
    };
    const pm = cache(store, 16);
    const v = new PageView();
    expect(() => pm.acquireRead(1, pageId(FLAG_DATA, 0, 1), v)).toThrow(DataCorruptionError);
    expect(() => pm.acquireRead(1, pageId(FLAG_DATA, 0, 1), v)).toThrow(/missing/);
    fail = new Error('disk gone');
    expect(() => pm.acquireRead(1, pageId(FLAG_DATA, 0, 2), v)).toThrow('disk gone');
    expect(() => pm.acquireRead(1, pageId(FLAG_DATA, 0, 3), v)).toThrow(IllegalPageAccessError); // beyond pages
    expect(v.slot).toBe(-1);
    expect(pm.loadedPages).toBe(0);
    expect(pm.counters().misses).toBe(0);
    pm.checkInvariants();
    // Every frame is still usable.
    for (let i = 0; i < 16; i++) expect(pageIndex(pm.allocatePage(1, 0, FLAG_DATA))).toBe(3 + i);
    pm.checkInvariants();
  });

  it('refuses use after close (StorageClosedError); dropPages is then a no-op', () => {
    const store = new MemoryPageStore(PAGE);
    const pm = cache(store, 16);
    const id = pm.allocatePage(1, 0, FLAG_AUX);
    pm.allocatePage(1, 0, FLAG_DATA);
    pm.close();
    expect(pm.closed).toBe(true);
    expect(() => pm.allocatePage(1, 0, FLAG_DATA)).toThrow(StorageClosedError);
    expect(() => pm.acquireRead(1, id, new PageView())).toThrow(StorageClosedError);
    expect(pm.dropPages(1, 0, FLAG_DATA)).toBe(0);
    expect(() => pm.hasPartition(1, 0)).toThrow(StorageClosedError); // not a TypeError from the released buffers
  });
});

