/**
 * Copy-on-write of the persistent page memory during a running checkpoint (checkpoint-images.ts), driven by hand:
 * snapshot (checkpointPlan), pages changed / freed / evicted / reloaded while "the checkpoint writes", then the
 * checkpoint committed (checkpointDone, as MemoryPageStore.checkpoint does) or failed (checkpointFailed). A failed
 * checkpoint must lose nothing: the next one writes every newest image, and a reopen over the store reads them.
 */
import { describe, expect, it } from 'vitest';
import { COMMON_HEADER_END } from '../../../../src/domain/page/page-header.layout';
import { FLAG_DATA } from '../../../../src/domain/page/page-id';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { PersistentPageMemory } from '../../../../src/domain/page-memory/persistent-page-memory';
import { MemoryPageStore } from '../../../support/memory-page-store';

const PAGE = 1024;

function memory(store: MemoryPageStore, frames: number, bufferPages: number): PersistentPageMemory {
  return new PersistentPageMemory({ name: 't', pageSize: PAGE, sizeBytes: frames * PAGE, replacementMode: 'CLOCK', store, checkpointBufferBytes: bufferPages * PAGE });
}

function stamp(pm: PersistentPageMemory, group: number, id: number, value: number): void {
  const v = new PageView();
  pm.acquireWrite(group, id, v);
  v.buf.fill(value, v.off + COMMON_HEADER_END, v.off + PAGE);
  pm.release(v);
}

function valueOf(pm: PersistentPageMemory, group: number, id: number): number {
  const v = new PageView();
  pm.acquireRead(group, id, v);
  const x = v.buf[v.off + COMMON_HEADER_END + 7]!;
  pm.release(v);
  return x;
}

describe('persistent page memory: copy-on-write during a checkpoint', () => {
  it('the checkpoint writes the snapshot; changes made meanwhile go to the next one', () => {
    const store = new MemoryPageStore(PAGE, true);
    const pm = memory(store, 32, 4);
    const ids = Array.from({ length: 16 }, () => pm.allocatePage(1, 0, FLAG_DATA));
    ids.forEach((id) => stamp(pm, 1, id, 1));
    const plan = pm.checkpointPlan();
    ids.forEach((id) => stamp(pm, 1, id, 2)); // copy-on-write: 4 into the buffer, 12 into the spill area
    expect(pm.checkpointImages().copiedPages).toBe(16);
    expect(pm.checkpointImages().copiedToSpill).toBe(12);
    expect(pm.checkpointImages().bufferUsedPages).toBe(4);
    for (const cp of plan) {
      for (let k = 0; k < cp.indexes.length; k++) {
        const image = pm.checkpointImage(cp, k); // each image is taken once, as the checkpointer does
        expect(image.buf[image.off + COMMON_HEADER_END + 7]).toBe(1);
      }
    }
    // Every page has a newer (dirty) image: each copy went back as soon as its image was taken, before the commit.
    expect(pm.checkpointImages().bufferUsedPages).toBe(0);
    expect(pm.checkpointImages().releasedEarly).toBe(16);
    pm.checkpointDone(plan);
    expect(pm.checkpointImages().bufferUsedPages).toBe(0);
    ids.forEach((id) => expect(valueOf(pm, 1, id)).toBe(2));
    pm.checkInvariants();
  });

  it('a failed checkpoint loses nothing: pages evicted to a copy, reloaded clean, freed or re-allocated meanwhile', () => {
    const store = new MemoryPageStore(PAGE, true);
    const pm = memory(store, 16, 4);
    const ids = Array.from({ length: 12 }, () => pm.allocatePage(1, 0, FLAG_DATA));
    ids.forEach((id) => stamp(pm, 1, id, 1));
    store.checkpoint(pm);
    ids.forEach((id) => stamp(pm, 1, id, 2)); // the newest images, dirty
    const plan = pm.checkpointPlan();
    // Cache pressure: another partition's pages push the snapshot pages out (copied first).
    const others = Array.from({ length: 14 }, () => pm.allocatePage(2, 0, FLAG_DATA));
    others.forEach((id) => stamp(pm, 2, id, 9));
    expect(valueOf(pm, 1, ids[0]!)).toBe(2); // reloaded from its copy, clean for now
    pm.freePage(1, ids[1]!); // freed during the checkpoint
    pm.checkpointFailed(plan); // e.g. the disk was full
    expect(pm.dirtyPages).toBeGreaterThan(0);
    store.checkpoint(pm); // the next checkpoint writes everything
    expect(pm.dirtyPages).toBe(0);
    const again = pm.allocatePage(1, 0, FLAG_DATA);
    expect(again).toBe(ids[1]); // the freed page is reused, once
    stamp(pm, 1, again, 3);
    store.checkpoint(pm);
    pm.checkInvariants();
    const reopened = memory(store, 16, 4);
    expect(ids.map((id) => valueOf(reopened, 1, id))).toEqual(ids.map((id) => (id === ids[1] ? 3 : 2)));
    expect(others.map((id) => valueOf(reopened, 2, id))).toEqual(others.map(() => 9));
  });

  it('a buffer past 2/3 is kept for writers: evictions spill dirty pages instead of copying checkpoint pages into it', () => {
    const store = new MemoryPageStore(PAGE, true);
    const pm = memory(store, 16, 3);
    const ids = Array.from({ length: 12 }, () => pm.allocatePage(1, 0, FLAG_DATA));
    ids.forEach((id) => stamp(pm, 1, id, 1));
    const plan = pm.checkpointPlan(); // 12 checkpoint pages, clean until written
    ids.slice(0, 3).forEach((id) => stamp(pm, 1, id, 2)); // copy-on-write: the buffer is full (3 of 3)
    expect(pm.checkpointImages()).toMatchObject({ copiedPages: 3, bufferUsedPages: 3 });
    // 8 new pages: 4 fill the free frames, then each needs an eviction — a dirty page, never a checkpoint page.
    const more = Array.from({ length: 8 }, () => pm.allocatePage(1, 0, FLAG_DATA));
    more.forEach((id) => stamp(pm, 1, id, 3));
    expect(pm.checkpointImages()).toMatchObject({ copiedPages: 3, copiedToSpill: 0 });
    expect(pm.spilledPages).toBeGreaterThanOrEqual(4);
    // Everything reads back: the checkpoint's images, the newest pages.
    for (const cp of plan) {
      for (let k = 0; k < cp.indexes.length; k++) {
        const image = pm.checkpointImage(cp, k);
        expect(image.buf[image.off + COMMON_HEADER_END + 7]).toBe(1);
      }
    }
    // That checkpoint fails (nothing reached the store); the next one writes every newest image.
    pm.checkpointFailed(plan);
    store.checkpoint(pm);
    ids.forEach((id, i) => expect(valueOf(pm, 1, id)).toBe(i < 3 ? 2 : 1));
    more.forEach((id) => expect(valueOf(pm, 1, id)).toBe(3));
    pm.checkInvariants();
  });
});
