import { describe, expect, it } from 'vitest';
import { FLAG_DATA } from '../../../../src/domain/page/page-id';
import { COMMON_HEADER_END } from '../../../../src/domain/page/page-header.layout';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { MIN_EXPANSION_BYTES } from '../../../../src/domain/page-memory/segment-plan';
import { slotSizeOf } from '../../../../src/domain/page-memory/volatile-page.layout';
import { DataRegion, type DataRegionOptions } from '../../../../src/domain/region/data-region';
import type { RegionEvent } from '../../../../src/domain/region/data-region.events';
import {
  IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError, StorageClosedError,
} from '../../../../src/domain/shared/errors';
import { FakeMemoryProvider } from '../page-memory/fake-memory-provider';

const SLOT_1K = slotSizeOf(1024);

function region(overrides: Partial<DataRegionOptions> = {}) {
  const provider = new FakeMemoryProvider();
  const r = new DataRegion({
    name: 'cache_profile', pageSize: 1024, initSizeBytes: 4 * SLOT_1K, maxSizeBytes: 10 * SLOT_1K, memory: provider, ...overrides,
  });
  const events: RegionEvent[] = [];
  let completed = false;
  r.events$.subscribe({ next: (e) => events.push(e), complete: () => (completed = true) });
  return { r, provider, events, isCompleted: () => completed };
}

/** Allocates n pages, writing i into the first content word of page i. */
function fill(r: DataRegion, n: number, first = 0): number[] {
  const pm = r.pageMemory;
  const v = new PageView();
  const ids: number[] = [];
  for (let i = first; i < first + n; i++) {
    const id = pm.allocatePage(3, 0, FLAG_DATA);
    pm.acquireWrite(3, id, v);
    v.dv.setUint32(v.off + COMMON_HEADER_END, i, true);
    pm.release(v);
    ids.push(id);
  }
  return ids;
}

function readAll(r: DataRegion, ids: readonly number[]): number[] {
  const v = new PageView();
  return ids.map((id) => {
    r.pageMemory.acquireRead(3, id, v);
    const x = v.dv.getUint32(v.off + COMMON_HEADER_END, true);
    r.pageMemory.release(v);
    return x;
  });
}

describe('DataRegion', () => {
  it('allocates segment 0 at construction without an event and reports it in stats', () => {
    const { r, provider, events } = region();
    expect(provider.allocated).toEqual([4 * SLOT_1K]);
    expect(events).toEqual([]);
    expect([r.name, r.pageSize, r.initSizeBytes, r.maxSizeBytes]).toEqual(['cache_profile', 1024, 4 * SLOT_1K, 10 * SLOT_1K]);
    expect(r.stats()).toMatchObject({
      name: 'cache_profile', initSizeBytes: 4 * SLOT_1K, maxSizeBytes: 10 * SLOT_1K, pageSize: 1024, slotSize: SLOT_1K,
      segments: 1, plannedSegments: 2, segmentSizes: [4 * SLOT_1K], totalPages: 4, maxPages: 10, allocatedPages: 0,
      totalBytes: 4 * SLOT_1K,
    });
    r.close();
  });

  it('sizes segments by the plan: init = max is one segment; bytes short of a page slot are not used', () => {
    const one = region({ initSizeBytes: 3 * SLOT_1K + 500, maxSizeBytes: 3 * SLOT_1K + 500 });
    fill(one.r, 3);
    expect(() => fill(one.r, 1)).toThrow(OutOfMemoryError);
    expect(one.provider.requests).toEqual([3 * SLOT_1K]);
    expect(one.r.stats()).toMatchObject({ plannedSegments: 1, segments: 1, maxPages: 3 });
    one.r.close();
    const two = region({ initSizeBytes: 2 * SLOT_1K, maxSizeBytes: 7 * SLOT_1K + SLOT_1K - 1 });
    fill(two.r, 7);
    expect(() => fill(two.r, 1)).toThrow(OutOfMemoryError);
    expect(two.provider.requests).toEqual([2 * SLOT_1K, 5 * SLOT_1K]);
    expect(two.events.map((e) => e.type)).toEqual(['region.segmentAllocated', 'region.outOfMemory']);
    two.r.close();
  });

  it('emits region.segmentAllocated when an allocation crosses into the next segment', () => {
    const { r, events } = region();
    fill(r, 4);
    expect(events).toEqual([]);
    fill(r, 1, 4);
    expect(events).toEqual([
      { type: 'region.segmentAllocated', region: 'cache_profile', segmentIndex: 1, bytes: 6 * SLOT_1K, totalBytes: 10 * SLOT_1K },
    ]);
    expect(r.stats()).toMatchObject({ segments: 2, segmentSizes: [4 * SLOT_1K, 6 * SLOT_1K], allocatedPages: 5, unusedPages: 5 });
    r.checkInvariants();
    r.close();
  });

  it('throws OutOfMemoryError at exactly the page that no longer fits, emits region.outOfMemory, and recovers after a free', () => {
    const { r, events } = region();
    const fits = Math.floor((4 * SLOT_1K) / SLOT_1K) + Math.floor((6 * SLOT_1K) / SLOT_1K);
    const ids = fill(r, fits);
    expect(() => r.pageMemory.allocatePage(3, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    expect(() => r.pageMemory.allocatePage(3, 0, FLAG_DATA)).toThrow(/Data region 'cache_profile' is out of memory \(initSizeBytes=4224, maxSizeBytes=10560\)/);
    const oom = { type: 'region.outOfMemory', region: 'cache_profile', initSizeBytes: 4 * SLOT_1K, maxSizeBytes: 10 * SLOT_1K };
    expect(events.map((e) => e.type)).toEqual(['region.segmentAllocated', 'region.outOfMemory', 'region.outOfMemory']);
    expect(events[1]).toEqual(oom);
    expect(readAll(r, ids)).toEqual([...Array(fits).keys()]);
    r.pageMemory.freePage(3, ids[7]!);
    const [again] = fill(r, 1, 100);
    expect(readAll(r, [again!, ids[6]!, ids[8]!])).toEqual([100, 6, 8]);
    expect(r.stats()).toMatchObject({ allocatedPages: fits, freePages: 0, unusedPages: 0 });
    r.checkInvariants();
    r.close();
  });

  it('reports the refused segment size when the memory provider fails', () => {
    const { r, provider, events } = region();
    const ids = fill(r, 4);
    provider.refuse = true;
    expect(() => fill(r, 1)).toThrow(/could not allocate segment 1 of 6336 bytes/);
    expect(events).toEqual([
      { type: 'region.outOfMemory', region: 'cache_profile', initSizeBytes: 4 * SLOT_1K, maxSizeBytes: 10 * SLOT_1K, requestedBytes: 6 * SLOT_1K },
    ]);
    provider.refuse = false;
    fill(r, 1, 4);
    expect(events.map((e) => e.type)).toEqual(['region.outOfMemory', 'region.segmentAllocated']);
    expect(readAll(r, ids)).toEqual([0, 1, 2, 3]);
    r.close();
  });

  it('grows through several 256 MiB segments with events in order (16 KiB pages)', () => {
    const slot = slotSizeOf(16384);
    const big = Math.floor(MIN_EXPANSION_BYTES / slot) * slot;
    const { r, events, provider } = region({
      pageSize: 16384, initSizeBytes: slot, maxSizeBytes: slot + 2 * big + 3 * slot, maxBufferBytes: 64 * 1024 * 1024,
    });
    expect(r.stats().plannedSegments).toBe(4);
    const perSegment = [1, big / slot, big / slot, 3];
    const total = perSegment.reduce((a, b) => a + b, 0);
    const pm = r.pageMemory;
    const v = new PageView();
    let last = 0;
    for (let i = 0; i < total; i++) {
      last = pm.allocatePage(1, i & 0xffff, FLAG_DATA);
      if (i % 4096 === 0) {
        pm.acquireWrite(1, last, v);
        v.dv.setUint32(v.contentOff, i, true);
        pm.release(v);
      }
    }
    expect(() => pm.allocatePage(1, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    expect(events).toEqual([
      { type: 'region.segmentAllocated', region: 'cache_profile', segmentIndex: 1, bytes: big, totalBytes: slot + big },
      { type: 'region.segmentAllocated', region: 'cache_profile', segmentIndex: 2, bytes: big, totalBytes: slot + 2 * big },
      { type: 'region.segmentAllocated', region: 'cache_profile', segmentIndex: 3, bytes: 3 * slot, totalBytes: slot + 2 * big + 3 * slot },
      { type: 'region.outOfMemory', region: 'cache_profile', initSizeBytes: slot, maxSizeBytes: slot + 2 * big + 3 * slot },
    ]);
    expect(provider.allocated.every((b) => b <= 64 * 1024 * 1024)).toBe(true);
    expect(r.stats()).toMatchObject({ segments: 4, allocatedPages: total, totalPages: total, segmentSizes: [slot, big, big, 3 * slot] });
    pm.acquireRead(1, last, v);
    pm.release(v);
    r.checkInvariants();
    r.close();
    expect(provider.liveBytes).toBe(0);
  });

  it('close() completes events$, releases every buffer, and refuses later page access', () => {
    const { r, provider, isCompleted } = region();
    const ids = fill(r, 6);
    r.close();
    expect(isCompleted()).toBe(true);
    expect(r.closed).toBe(true);
    expect(provider.released.map((b) => b.byteLength)).toEqual([4 * SLOT_1K, 6 * SLOT_1K]);
    expect(() => r.pageMemory.acquireRead(3, ids[0]!, new PageView())).toThrow(StorageClosedError);
    expect(() => r.pageMemory.allocatePage(3, 0, FLAG_DATA)).toThrow(StorageClosedError);
    let lateCompleted = false;
    r.events$.subscribe({ complete: () => (lateCompleted = true) });
    expect(lateCompleted).toBe(true);
    r.close();
    expect(provider.released).toHaveLength(2);
    expect(r.stats()).toMatchObject({ segments: 0, allocatedPages: 0 });
  });

  it('rejects foreign and freed page ids through its page memory', () => {
    const { r } = region();
    const [a] = fill(r, 1);
    r.pageMemory.freePage(3, a!);
    expect(() => r.pageMemory.acquireRead(3, a!, new PageView())).toThrow(IllegalPageAccessError);
    expect(() => r.pageMemory.acquireRead(4, fill(r, 1)[0]!, new PageView())).toThrow(IllegalPageAccessError);
    r.close();
  });

  it('refuses bad options: page size, sizes; and fails construction when segment 0 cannot be had', () => {
    expect(() => region({ pageSize: 1000 })).toThrow(InvalidArgumentError);
    expect(() => region({ initSizeBytes: 11 * SLOT_1K })).toThrow(/maxSizeBytes must be an integer not below initSizeBytes/);
    expect(() => region({ initSizeBytes: 100 })).toThrow(/initSizeBytes must be an integer of at least one page slot/);
    const provider = new FakeMemoryProvider();
    provider.refuse = true;
    expect(() => new DataRegion({ name: 'p', pageSize: 1024, initSizeBytes: SLOT_1K, maxSizeBytes: SLOT_1K, memory: provider }))
      .toThrow(OutOfMemoryError);
  });

  it('events$ is hot: without subscribers nothing is kept, a late subscriber sees no earlier event', () => {
    const provider = new FakeMemoryProvider();
    const r = new DataRegion({ name: 'quiet', pageSize: 1024, initSizeBytes: SLOT_1K, maxSizeBytes: 2 * SLOT_1K, memory: provider });
    r.pageMemory.allocatePage(0, 0, FLAG_DATA);
    r.pageMemory.allocatePage(0, 0, FLAG_DATA);
    expect(() => r.pageMemory.allocatePage(0, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    const seen: RegionEvent[] = [];
    r.events$.subscribe((e) => seen.push(e));
    expect(seen).toEqual([]);
    expect(r.stats().segments).toBe(2);
    r.close();
  });
});
