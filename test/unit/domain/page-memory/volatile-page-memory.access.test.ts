import { describe, expect, it } from 'vitest';
import { FLAG_AUX, FLAG_DATA, NULL_PAGE_ID, pageId, pageIndex } from '../../../../src/domain/page/page-id';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { VolatilePageMemory } from '../../../../src/domain/page-memory/volatile-page-memory';
import { slotSizeOf } from '../../../../src/domain/page-memory/volatile-page.layout';
import { IllegalPageAccessError, StorageClosedError } from '../../../../src/domain/shared/errors';
import { FakeMemoryProvider } from './fake-memory-provider';

const PAGE = 1024;
const SLOT = slotSizeOf(PAGE);

function memory() {
  const provider = new FakeMemoryProvider();
  const pm = new VolatilePageMemory({ name: 'r', pageSize: PAGE, initSizeBytes: 4 * SLOT, maxSizeBytes: 10 * SLOT, memory: provider });
  return { pm, provider };
}

describe('VolatilePageMemory: tag checks', () => {
  it('rejects a freed page for every operation, naming the page', () => {
    const { pm } = memory();
    const id = pm.allocatePage(1, 2, FLAG_DATA);
    pm.freePage(1, id);
    const v = new PageView();
    expect(() => pm.acquireRead(1, id, v)).toThrow(IllegalPageAccessError);
    expect(() => pm.acquireWrite(1, id, v)).toThrow(/cannot acquire page\(flags=0, part=2, idx=\d+\) of group 1: it was freed/);
    expect(() => pm.freePage(1, id)).toThrow(/cannot free .*it was freed/);
    expect(v.slot).toBe(-1);
    pm.checkInvariants();
  });

  it('rejects a page of another group, partition or flags', () => {
    const { pm } = memory();
    const id = pm.allocatePage(1, 2, FLAG_DATA);
    const v = new PageView();
    expect(() => pm.acquireRead(2, id, v)).toThrow(/it belongs to group 1/);
    expect(() => pm.acquireRead(1, pageId(FLAG_DATA, 3, pageIndex(id)), v)).toThrow(IllegalPageAccessError);
    expect(() => pm.acquireRead(1, pageId(FLAG_AUX, 2, pageIndex(id)), v)).toThrow(IllegalPageAccessError);
    expect(() => pm.freePage(2, id)).toThrow(IllegalPageAccessError);
    pm.acquireRead(1, id, v);
    pm.release(v);
    expect(pm.stats()).toMatchObject({ allocatedPages: 1, pinnedPages: 0 });
  });

  it('rejects never-allocated indexes, inside and beyond the allocated segments', () => {
    const { pm } = memory();
    const id = pm.allocatePage(0, 0, FLAG_DATA);
    const v = new PageView();
    expect(() => pm.acquireRead(0, id + 1, v)).toThrow(/it was never allocated/);
    expect(() => pm.acquireRead(0, id + 3, v)).toThrow(/never allocated/);
    expect(() => pm.acquireRead(0, id + 4, v)).toThrow(/beyond the memory allocated so far/);
    expect(() => pm.acquireRead(0, pageId(0, 0, 0xffffffff), v)).toThrow(IllegalPageAccessError);
    expect(() => pm.acquireRead(0, NULL_PAGE_ID, v)).toThrow(IllegalPageAccessError);
    expect(() => pm.acquireRead(0, -1, v)).toThrow(/not a page id/);
    expect(() => pm.acquireRead(0, id + 0.5, v)).toThrow(/not a page id/);
    expect(() => pm.freePage(0, id + 1)).toThrow(IllegalPageAccessError);
    expect(pm.stats().allocatedPages).toBe(1);
  });

  it('refuses to free a pinned page and keeps it intact', () => {
    const { pm } = memory();
    const id = pm.allocatePage(0, 0, FLAG_DATA);
    const w = new PageView();
    const r = new PageView();
    pm.acquireWrite(0, id, w);
    w.dv.setUint32(w.contentOff, 0xdeadbeef, true);
    pm.acquireRead(0, id, r);
    expect(() => pm.freePage(0, id)).toThrow(/pinned 2 time\(s\)/);
    pm.release(w);
    expect(() => pm.freePage(0, id)).toThrow(/pinned 1 time/);
    pm.release(r);
    expect(pm.stats().pinnedPages).toBe(0);
    pm.acquireRead(0, id, r);
    expect(r.dv.getUint32(r.contentOff, true)).toBe(0xdeadbeef);
    pm.release(r);
    pm.freePage(0, id);
    pm.checkInvariants();
  });

  it('checks views: one page per view, release once, only views of this memory', () => {
    const { pm } = memory();
    const other = memory().pm;
    const a = pm.allocatePage(0, 0, FLAG_DATA);
    const b = pm.allocatePage(0, 0, FLAG_DATA);
    const x = other.allocatePage(0, 0, FLAG_DATA);
    const v = new PageView();
    expect(() => pm.release(v)).toThrow(/holds no page/);
    pm.acquireRead(0, a, v);
    expect(() => pm.acquireRead(0, b, v)).toThrow(/view already holds/);
    pm.release(v);
    expect(() => pm.release(v)).toThrow(/holds no page/);
    other.acquireRead(0, x, v);
    expect(() => pm.release(v)).toThrow(/not filled by this page memory/);
    expect(other.stats().pinnedPages).toBe(1);
  });
});

describe('VolatilePageMemory: pins, dirty marks and stats', () => {
  it('counts pins and dirty pages; the write path marks dirty, the read path does not', () => {
    const { pm } = memory();
    const [a, b, c] = [0, 1, 2].map(() => pm.allocatePage(5, 0, FLAG_DATA)) as [number, number, number];
    const v1 = new PageView();
    const v2 = new PageView();
    pm.acquireRead(5, a, v1);
    expect(pm.stats()).toMatchObject({ pinnedPages: 1, dirtyPages: 0 });
    pm.acquireWrite(5, b, v2);
    expect(v2.writable).toBe(true);
    expect(pm.stats()).toMatchObject({ pinnedPages: 2, dirtyPages: 1 });
    pm.release(v1);
    pm.release(v2);
    pm.acquireWrite(5, b, v2);
    pm.release(v2);
    expect(pm.stats()).toMatchObject({ pinnedPages: 0, dirtyPages: 1 });
    pm.freePage(5, b);
    pm.freePage(5, c);
    expect(pm.stats()).toEqual({
      pageSize: PAGE,
      slotSize: SLOT,
      segments: 1,
      plannedSegments: 2,
      segmentSizes: [4 * SLOT],
      buffers: 1,
      totalPages: 4,
      maxPages: 10,
      allocatedPages: 1,
      freePages: 2,
      droppedPages: 0,
      unusedPages: 1,
      pinnedPages: 0,
      dirtyPages: 0,
      totalBytes: 4 * SLOT,
      allocatedBytes: SLOT,
      freeBytes: 2 * SLOT,
    });
    pm.checkInvariants();
  });
});

describe('VolatilePageMemory: close', () => {
  it('gives every buffer back and refuses page access afterwards', () => {
    const { pm, provider } = memory();
    const ids = [0, 1, 2, 3, 4].map(() => pm.allocatePage(0, 0, FLAG_DATA));
    const held = new PageView();
    pm.acquireRead(0, ids[0]!, held);
    pm.close();
    expect(pm.closed).toBe(true);
    expect(provider.released).toHaveLength(2);
    expect(provider.liveBytes).toBe(0);
    const v = new PageView();
    expect(() => pm.acquireRead(0, ids[1]!, v)).toThrow(StorageClosedError);
    expect(() => pm.acquireWrite(0, ids[1]!, v)).toThrow(/data region 'r' is closed/);
    expect(() => pm.freePage(0, ids[1]!)).toThrow(StorageClosedError);
    expect(() => pm.allocatePage(0, 0, FLAG_DATA)).toThrow(StorageClosedError);
    pm.release(held);
    expect(held.slot).toBe(-1);
    expect(pm.stats()).toMatchObject({ segments: 0, totalPages: 0, allocatedPages: 0, totalBytes: 0 });
    pm.checkInvariants();
    pm.close();
    expect(provider.released).toHaveLength(2);
  });
});
