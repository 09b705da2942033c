/**
 * The persistent page cache (aipersist) beyond the generic PageMemory contract (test/contract/persistent-page-memory
 * .test.ts): eviction and reload through the store, each replacement mode and what it promises, dirty pages never
 * evicted without a spill area (OutOfMemoryError, nothing changed), the spill area, reopen over a checkpointed store
 * (partition state, freed-page chain, meta page), dropPages / forgetPartition generations, and onDirtyHigh.
 * Every store is the in-memory MemoryPageStore; `store.checkpoint(memory)` writes exactly what the checkpointer would.
 */
import { describe, expect, it } from 'vitest';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { PersistentPageMemory } from '../../../../src/domain/page-memory/persistent-page-memory';
import type { ReplacementMode } from '../../../../src/domain/page-memory/page-replacement';
import { FLAG_AUX, FLAG_DATA, flagsOf, pageId, pageIndex, partitionIdOf, readPageId } from '../../../../src/domain/page/page-id';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../../../../src/domain/page/page-header.layout';
import { PAGE_TYPE_PARTITION_META } from '../../../../src/domain/page/page-types';
import type { PageStore } from '../../../../src/domain/ports/page-store.port';
import {
  DataCorruptionError, IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError, StorageClosedError,
} from '../../../../src/domain/shared/errors';
import { MemoryPageStore } from '../../../support/memory-page-store';

const PAGE = 1024;
const MODES: readonly ReplacementMode[] = ['CLOCK', 'SEGMENTED_LRU', 'RANDOM_LRU'];

interface Page {
  readonly group: number;
  readonly id: number;
  seed: number;
}

function cache(store: PageStore, frames: number, mode: ReplacementMode = 'CLOCK', maxBufferBytes?: number): PersistentPageMemory {
  return new PersistentPageMemory({ name: 'px', pageSize: PAGE, sizeBytes: frames * PAGE, replacementMode: mode, store, maxBufferBytes });
}

/** Content byte `i` (after the common header) of a page stamped with `seed`: distinct per seed and per position. */
function patternByte(seed: number, i: number): number {
  return (Math.imul(seed, 0x9e3779b1) >>> 24) ^ ((seed + i * 7) & 0xff);
}

/** Fills the page content after the common header: the seed (u32), then the pattern. */
function fillView(v: PageView, seed: number): void {
  v.dv.setUint32(v.off + COMMON_HEADER_END, seed, true);
  for (let i = 4; i < PAGE - COMMON_HEADER_END; i++) v.buf[v.off + COMMON_HEADER_END + i] = patternByte(seed, i);
}

/** Why the page image at buf[off..] is not `id` stamped with `seed`, or null when it is. */
function imageMismatch(buf: Uint8Array, off: number, id: number, seed: number): string | null {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (readPageId(dv, off + PAGE_ID_OFFSET) !== id) return `page id ${readPageId(dv, off + PAGE_ID_OFFSET)}, expected ${id}`;
  const got = dv.getUint32(off + COMMON_HEADER_END, true);
  if (got !== seed) return `seed ${got}, expected ${seed}`;
  for (let i = 4; i < PAGE - COMMON_HEADER_END; i++) {
    if (buf[off + COMMON_HEADER_END + i] !== patternByte(seed, i)) return `byte ${i} differs (seed ${seed})`;
  }
  return null;
}

function stamp(pm: PersistentPageMemory, group: number, id: number, seed: number): void {
  const v = new PageView();
  pm.acquireWrite(group, id, v);
  fillView(v, seed);
  pm.release(v);
}

/** Reads the page and returns null when it holds `seed` (else what differs). */
function mismatch(pm: PersistentPageMemory, group: number, id: number, seed: number): string | null {
  const v = new PageView();
  pm.acquireRead(group, id, v);
  const bad = imageMismatch(v.buf, v.off, id, seed);
  pm.release(v);
  return bad === null ? null : `group ${group} page ${pageIndex(id)} of part ${partitionIdOf(id)}: ${bad}`;
}

function expectPages(pm: PersistentPageMemory, pages: readonly Page[]): void {
  const bad: string[] = [];
  for (const p of pages) {
    const m = mismatch(pm, p.group, p.id, p.seed);
    if (m !== null) bad.push(m);
  }
  expect(bad.slice(0, 5)).toEqual([]);
}

function touch(pm: PersistentPageMemory, group: number, id: number): void {
  const v = new PageView();
  pm.acquireRead(group, id, v);
  pm.release(v);
}

/** Content after the header is all zero and the header carries `id`. */
function isFresh(pm: PersistentPageMemory, group: number, id: number): boolean {
  const v = new PageView();
  pm.acquireRead(group, id, v);
  let ok = readPageId(v.dv, v.off + PAGE_ID_OFFSET) === id && v.dv.getUint16(v.off + PAGE_TYPE_OFFSET, true) === 0;
  for (let i = COMMON_HEADER_END; i < PAGE; i++) ok &&= v.buf[v.off + i] === 0;
  pm.release(v);
  return ok;
}

/** The store's image of a page, or null when it holds none. */
function storedImage(store: MemoryPageStore, group: number, part: number, index: number): Uint8Array | null {
  const dst = new Uint8Array(PAGE);
  return store.readPage(group, part, index, dst, 0) ? dst : null;
}

function expectRefused(pm: PersistentPageMemory, group: number, id: number): void {
  const v = new PageView();
  expect(() => pm.acquireRead(group, id, v)).toThrow(IllegalPageAccessError);
  expect(() => pm.acquireWrite(group, id, v)).toThrow(IllegalPageAccessError);
  expect(v.slot).toBe(-1);
  expect(() => pm.freePage(group, id)).toThrow(IllegalPageAccessError);
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

let seedCounter = 1;
const nextSeed = (): number => (seedCounter = (seedCounter * 48271 + 11) % 0x7fffffff);

/** Allocates and stamps `n` pages of (group, part, flags), checkpointing every `every` allocations (0: never). */
function allocateStamped(
  pm: PersistentPageMemory, store: MemoryPageStore, group: number, part: number, n: number, every = 0, flags = FLAG_DATA,
): Page[] {
  const out: Page[] = [];
  for (let k = 0; k < n; k++) {
    const id = pm.allocatePage(group, part, flags);
    const seed = nextSeed();
    stamp(pm, group, id, seed);
    out.push({ group, id, seed });
    if (every > 0 && (k + 1) % every === 0) store.checkpoint(pm);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------------------

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
