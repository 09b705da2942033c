import { describe, expect, it } from 'vitest';
import {
  FLAG_AUX, FLAG_DATA, NULL_PAGE_ID, pageIndex, partitionIdOf, flagsOf, readPageId,
} from '../../../../src/domain/page/page-id';
import { COMMON_HEADER_END, PAGE_ID_OFFSET, PAGE_TYPE_OFFSET } from '../../../../src/domain/page/page-header.layout';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import {
  VolatilePageMemory, type VolatilePageMemoryListener, type VolatilePageMemoryOptions,
} from '../../../../src/domain/page-memory/volatile-page-memory';
import { slotSizeOf } from '../../../../src/domain/page-memory/volatile-page.layout';
import {
  IllegalPageAccessError, InvalidArgumentError, OutOfMemoryError,
} from '../../../../src/domain/shared/errors';
import { FakeMemoryProvider } from './fake-memory-provider';

const PAGE = 1024;
const SLOT = slotSizeOf(PAGE);

class RecordingListener implements VolatilePageMemoryListener {
  readonly calls: string[] = [];
  onSegmentAllocated(segmentIndex: number, bytes: number, totalBytes: number): void {
    this.calls.push(`segment ${segmentIndex} ${bytes} ${totalBytes}`);
  }
  onOutOfMemory(requestedBytes: number | undefined): void {
    this.calls.push(`oom ${requestedBytes}`);
  }
}

function memory(overrides: Partial<VolatilePageMemoryOptions> = {}) {
  const provider = new FakeMemoryProvider();
  const listener = new RecordingListener();
  const pm = new VolatilePageMemory({
    name: 'r1', pageSize: PAGE, initSizeBytes: 4 * SLOT, maxSizeBytes: 10 * SLOT, memory: provider, listener, ...overrides,
  });
  return { pm, provider, listener };
}

/** Stamps every 4-byte word of the page content after the common header with `seed + i`. */
function stamp(pm: VolatilePageMemory, groupId: number, id: number, seed: number): void {
  const v = new PageView();
  pm.acquireWrite(groupId, id, v);
  for (let o = COMMON_HEADER_END; o < pm.pageSize; o += 4) v.dv.setUint32(v.off + o, seed + o, true);
  pm.release(v);
}

function stampHolds(pm: VolatilePageMemory, groupId: number, id: number, seed: number): boolean {
  const v = new PageView();
  pm.acquireRead(groupId, id, v);
  let ok = readPageId(v.dv, v.off + PAGE_ID_OFFSET) === id;
  for (let o = COMMON_HEADER_END; o < pm.pageSize; o += 4) ok &&= v.dv.getUint32(v.off + o, true) === seed + o;
  pm.release(v);
  return ok;
}

function fill(pm: VolatilePageMemory, n: number, groupId = 1): number[] {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = pm.allocatePage(groupId, i % 3, FLAG_DATA);
    stamp(pm, groupId, id, i * 7919);
    ids.push(id);
  }
  return ids;
}

describe('VolatilePageMemory: allocation', () => {
  it('hands out zeroed pages whose header carries their id, never the null page id', () => {
    const { pm } = memory();
    const id = pm.allocatePage(7, 3, FLAG_AUX);
    expect(id).not.toBe(NULL_PAGE_ID);
    expect([partitionIdOf(id), flagsOf(id)]).toEqual([3, FLAG_AUX]);
    const v = new PageView();
    pm.acquireRead(7, id, v);
    expect(v.dv.getUint16(v.off + PAGE_TYPE_OFFSET, true)).toBe(0);
    expect(readPageId(v.dv, v.off + PAGE_ID_OFFSET)).toBe(id);
    expect(v.buf.subarray(v.off + COMMON_HEADER_END, v.off + PAGE).every((b) => b === 0)).toBe(true);
    expect([v.groupId, v.pageId, v.writable]).toEqual([7, id, false]);
    pm.release(v);
    expect(v.slot).toBe(-1);
    pm.checkInvariants();
  });

  it('keeps pages apart: every page holds what was written to it', () => {
    const { pm } = memory();
    const ids = fill(pm, 10);
    expect(new Set(ids).size).toBe(10);
    ids.forEach((id, i) => expect(stampHolds(pm, 1, id, i * 7919)).toBe(true));
    pm.checkInvariants();
  });

  it('allocates the next segment only when the previous ones are full, and tells the listener', () => {
    const { pm, provider, listener } = memory();
    expect(provider.allocated).toEqual([4 * SLOT]);
    fill(pm, 4);
    expect(provider.allocated).toEqual([4 * SLOT]);
    expect(listener.calls).toEqual([]);
    fill(pm, 1);
    expect(provider.allocated).toEqual([4 * SLOT, 6 * SLOT]);
    expect(listener.calls).toEqual([`segment 1 ${6 * SLOT} ${10 * SLOT}`]);
    expect(pm.stats().segmentSizes).toEqual([4 * SLOT, 6 * SLOT]);
  });

  it('backs a segment by several buffers when it exceeds maxBufferBytes', () => {
    const { pm, provider } = memory({ maxBufferBytes: 3 * SLOT });
    expect(provider.allocated).toEqual([2 * SLOT, 2 * SLOT]);
    const ids = fill(pm, 10);
    expect(provider.allocated).toEqual([2 * SLOT, 2 * SLOT, 2 * SLOT, 2 * SLOT, 2 * SLOT]);
    expect(pm.stats()).toMatchObject({ segments: 2, buffers: 5, segmentSizes: [4 * SLOT, 6 * SLOT] });
    ids.forEach((id, i) => expect(stampHolds(pm, 1, id, i * 7919)).toBe(true));
    pm.checkInvariants();
  });

  it('works with 16 KiB pages', () => {
    const slot = slotSizeOf(16384);
    const { pm, provider, listener } = memory({ pageSize: 16384, initSizeBytes: 2 * slot, maxSizeBytes: 5 * slot });
    const ids = fill(pm, 5);
    expect(provider.allocated).toEqual([2 * slot, 3 * slot]);
    expect(listener.calls).toEqual([`segment 1 ${3 * slot} ${5 * slot}`]);
    ids.forEach((id, i) => expect(stampHolds(pm, 1, id, i * 7919)).toBe(true));
    expect(() => pm.allocatePage(1, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    pm.checkInvariants();
  });

  it('rejects bad page sizes and ids', () => {
    expect(() => memory({ pageSize: 3000 })).toThrow(InvalidArgumentError);
    expect(() => memory({ pageSize: 512 })).toThrow(/power of two between 1024 and 16384/);
    expect(() => memory({ pageSize: 32768 })).toThrow(InvalidArgumentError);
    const { pm } = memory();
    expect(() => pm.allocatePage(-1, 0, 0)).toThrow(InvalidArgumentError);
    expect(() => pm.allocatePage(0, 0x10000, 0)).toThrow(InvalidArgumentError);
    expect(() => pm.allocatePage(0, 0, 16)).toThrow(InvalidArgumentError);
    expect(() => pm.allocatePage(0.5, 0, 0)).toThrow(InvalidArgumentError);
    expect(pm.stats().allocatedPages).toBe(0);
  });
});

describe('VolatilePageMemory: reuse of freed pages', () => {
  it('gives the freed slot back, zeroed, under a new id; the old id is rejected', () => {
    const { pm } = memory();
    const [a, b] = fill(pm, 2);
    const v = new PageView();
    pm.acquireRead(1, a!, v);
    const { buf, off } = v;
    pm.release(v);
    pm.freePage(1, a!);
    const c = pm.allocatePage(1, partitionIdOf(a!), FLAG_DATA);
    expect(c).not.toBe(a);
    expect(partitionIdOf(c)).toBe(partitionIdOf(a!));
    pm.acquireRead(1, c, v);
    expect([v.buf, v.off]).toEqual([buf, off]);
    expect(readPageId(v.dv, v.off + PAGE_ID_OFFSET)).toBe(c);
    expect(v.buf.subarray(v.off + COMMON_HEADER_END, v.off + PAGE).every((x) => x === 0)).toBe(true);
    pm.release(v);
    expect(() => pm.acquireRead(1, a!, v)).toThrow(/stale page id/);
    expect(() => pm.freePage(1, a!)).toThrow(IllegalPageAccessError);
    expect(stampHolds(pm, 1, b!, 7919)).toBe(true);
    expect(pm.stats()).toMatchObject({ allocatedPages: 2, freePages: 0, totalPages: 4, unusedPages: 2 });
    pm.checkInvariants();
  });

  it('reuses the last freed page first and bumps only when the free stack is empty', () => {
    const { pm } = memory();
    const ids = fill(pm, 3);
    const slotOf = (g: number, id: number) => {
      const v = new PageView();
      pm.acquireRead(g, id, v);
      const s = v.slot;
      pm.release(v);
      return s;
    };
    const slots = ids.map((id) => slotOf(1, id));
    pm.freePage(1, ids[0]!);
    pm.freePage(1, ids[2]!);
    expect(pm.stats().freePages).toBe(2);
    const x = pm.allocatePage(2, 0, FLAG_DATA);
    const y = pm.allocatePage(2, 0, FLAG_DATA);
    const z = pm.allocatePage(2, 0, FLAG_DATA);
    expect([slotOf(2, x), slotOf(2, y)]).toEqual([slots[2], slots[0]]);
    expect(slots).not.toContain(slotOf(2, z));
    pm.checkInvariants();
  });

  it('advances the generation on every reuse of the same slot', () => {
    const { pm } = memory({ initSizeBytes: SLOT, maxSizeBytes: SLOT });
    const seen = new Set<number>();
    let id = pm.allocatePage(0, 0, FLAG_DATA);
    for (let i = 0; i < 50; i++) {
      seen.add(id);
      pm.freePage(0, id);
      const next = pm.allocatePage(0, 0, FLAG_DATA);
      expect(() => pm.acquireRead(0, id, new PageView())).toThrow(IllegalPageAccessError);
      id = next;
    }
    expect(seen.size).toBe(50);
    expect(pageIndex(id)).toBeGreaterThan(0);
  });
});

describe('VolatilePageMemory: out of memory', () => {
  it('throws at exactly the page that no longer fits, keeps every page, and recovers after a free', () => {
    const { pm, listener } = memory();
    const expected = Math.floor((4 * SLOT) / SLOT) + Math.floor((6 * SLOT) / SLOT);
    const ids = fill(pm, expected);
    let err: unknown;
    try {
      pm.allocatePage(1, 0, FLAG_DATA);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutOfMemoryError);
    expect(err).toMatchObject({ code: 'OUT_OF_MEMORY', region: 'r1', initSizeBytes: 4 * SLOT, maxSizeBytes: 10 * SLOT });
    expect((err as Error).message).toMatch(/all 2 segments/);
    expect(listener.calls).toEqual([`segment 1 ${6 * SLOT} ${10 * SLOT}`, 'oom undefined']);
    ids.forEach((id, i) => expect(stampHolds(pm, 1, id, i * 7919)).toBe(true));
    pm.checkInvariants();
    pm.freePage(1, ids[4]!);
    const again = pm.allocatePage(1, 0, FLAG_DATA);
    expect(stampHolds(pm, 1, ids[5]!, 5 * 7919)).toBe(true);
    expect(() => pm.allocatePage(1, 0, FLAG_DATA)).toThrow(OutOfMemoryError);
    pm.freePage(1, again);
    expect(pm.stats()).toMatchObject({ allocatedPages: expected - 1, freePages: 1, unusedPages: 0 });
    pm.checkInvariants();
  });

  it('turns a provider failure into OutOfMemoryError, gives back partial segments, and retries later', () => {
    const { pm, provider, listener } = memory({ maxBufferBytes: 3 * SLOT });
    const ids = fill(pm, 4);
    provider.refuseAfter = 3; // segment 1 needs three buffers: the second one is refused
    let err: unknown;
    try {
      pm.allocatePage(1, 0, FLAG_DATA);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutOfMemoryError);
    expect((err as Error).message).toMatch(/could not allocate segment 1 of 6336 bytes: fake provider refused/);
    expect((err as Error).cause).toBeInstanceOf(RangeError);
    expect(listener.calls).toEqual([`oom ${6 * SLOT}`]);
    expect(provider.released.map((b) => b.byteLength)).toEqual([2 * SLOT]);
    expect(pm.stats()).toMatchObject({ segments: 1, buffers: 2, allocatedPages: 4 });
    pm.checkInvariants();
    provider.refuseAfter = null;
    fill(pm, 1);
    expect(pm.stats()).toMatchObject({ segments: 2, buffers: 5, allocatedPages: 5 });
    ids.forEach((id, i) => expect(stampHolds(pm, 1, id, i * 7919)).toBe(true));
    pm.checkInvariants();
  });

  it('fails construction with OutOfMemoryError when segment 0 cannot be had', () => {
    const provider = new FakeMemoryProvider();
    provider.refuse = true;
    const make = () => new VolatilePageMemory({ name: 'x', pageSize: PAGE, initSizeBytes: SLOT, maxSizeBytes: SLOT, memory: provider });
    expect(make).toThrow(OutOfMemoryError);
    expect(make).toThrow(/Data region 'x' is out of memory.*segment 0/);
  });
});
