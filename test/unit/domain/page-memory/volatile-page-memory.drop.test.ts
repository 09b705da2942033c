/**
 * dropPages: all pages of one (group, partition, flags) go at once — refused immediately, counted free at once,
 * reclaimed lazily (after the free stack, before fresh slots) — while other owners' pages stay untouched, and the
 * self-check follows the owner lists through it all.
 */
import { describe, expect, it } from 'vitest';
import { VolatilePageMemory } from '../../../../src/domain/page-memory/volatile-page-memory';
import { PageView } from '../../../../src/domain/page-memory/page-memory.port';
import { slotSizeOf } from '../../../../src/domain/page-memory/volatile-page.layout';
import { FLAG_AUX, FLAG_DATA } from '../../../../src/domain/page/page-id';
import { COMMON_HEADER_END } from '../../../../src/domain/page/page-header.layout';
import { IllegalPageAccessError } from '../../../../src/domain/shared/errors';
import { SeededRandom } from '../../../contract/support/seeded-random';

const PAGE = 1024;

function memory(slots = 2000): VolatilePageMemory {
  return new VolatilePageMemory({
    name: 'drop', pageSize: PAGE, initSizeBytes: slots * slotSizeOf(PAGE), maxSizeBytes: slots * slotSizeOf(PAGE),
    memory: { allocate: (n) => new ArrayBuffer(n), release: () => undefined },
  });
}

function stamp(pm: VolatilePageMemory, group: number, id: number, value: number): void {
  const v = new PageView();
  pm.acquireWrite(group, id, v);
  v.dv.setUint32(v.off + COMMON_HEADER_END, value, true);
  pm.release(v);
}

function readStamp(pm: VolatilePageMemory, group: number, id: number): number {
  const v = new PageView();
  pm.acquireRead(group, id, v);
  const value = v.dv.getUint32(v.off + COMMON_HEADER_END, true);
  pm.release(v);
  return value;
}

describe('VolatilePageMemory.dropPages', () => {
  it('frees one owner\'s pages at once: refused, counted, reclaimed before fresh memory; others untouched', () => {
    const pm = memory();
    const dropped = Array.from({ length: 300 }, () => pm.allocatePage(1, 2, FLAG_DATA));
    const otherFlags = Array.from({ length: 10 }, () => pm.allocatePage(1, 2, FLAG_AUX));
    const otherPartition = Array.from({ length: 10 }, () => pm.allocatePage(1, 3, FLAG_DATA));
    [...otherFlags, ...otherPartition].forEach((id, i) => stamp(pm, 1, id, 1000 + i));
    pm.freePage(1, dropped[5]!);
    pm.checkInvariants();
    const before = pm.stats();
    expect(pm.dropPages(1, 2, FLAG_DATA)).toBe(299);
    expect(pm.dropPages(1, 2, FLAG_DATA)).toBe(0);
    const after = pm.stats();
    expect([after.allocatedPages, after.droppedPages, after.freePages]).toEqual([before.allocatedPages - 299, 299, 1]);
    pm.checkInvariants();
    expect(() => readStamp(pm, 1, dropped[0]!)).toThrow(IllegalPageAccessError);
    expect(() => readStamp(pm, 1, dropped[0]!)).toThrow(/dropped/);
    expect(() => pm.freePage(1, dropped[1]!)).toThrow(IllegalPageAccessError);
    [...otherFlags, ...otherPartition].forEach((id, i) => expect(readStamp(pm, 1, id)).toBe(1000 + i));
    // Reuse: the free stack first, then the dropped slots, before any fresh slot.
    const unused = after.unusedPages;
    const again = Array.from({ length: 300 }, () => pm.allocatePage(1, 2, FLAG_DATA));
    expect(pm.stats().unusedPages).toBe(unused);
    expect(pm.stats().droppedPages).toBe(0);
    for (const id of again) expect(readStamp(pm, 1, id)).toBe(0);
    for (const id of dropped) expect(() => readStamp(pm, 1, id)).toThrow(IllegalPageAccessError);
    pm.checkInvariants();
  });

  it('matches a model over random allocations, frees and drops of several owners', () => {
    const pm = memory(600);
    const rnd = new SeededRandom(5);
    const live = new Map<number, { group: number; part: number; value: number }>();
    const dead: Array<[number, number]> = [];
    for (let step = 0; step < 3000; step++) {
      const group = 1 + rnd.int(2);
      const part = rnd.int(3);
      const p = rnd.next();
      if (p < 0.5 && live.size < 500) {
        const id = pm.allocatePage(group, part, FLAG_DATA);
        const value = rnd.int(1e9);
        stamp(pm, group, id, value);
        live.set(id, { group, part, value });
      } else if (p < 0.9 && live.size > 0) {
        const id = rnd.pick([...live.keys()]);
        const e = live.get(id)!;
        pm.freePage(e.group, id);
        live.delete(id);
        dead.push([e.group, id]);
      } else {
        const n = [...live.values()].filter((e) => e.group === group && e.part === part).length;
        expect(pm.dropPages(group, part, FLAG_DATA)).toBe(n);
        for (const [id, e] of [...live.entries()]) {
          if (e.group === group && e.part === part) {
            live.delete(id);
            dead.push([group, id]);
          }
        }
      }
      if (step % 100 === 0) {
        pm.checkInvariants();
        expect(pm.stats().allocatedPages).toBe(live.size);
        for (const [id, e] of live) expect(readStamp(pm, e.group, id)).toBe(e.value);
        for (const [g, id] of dead.slice(-20)) expect(() => readStamp(pm, g, id)).toThrow(IllegalPageAccessError);
      }
    }
    pm.checkInvariants();
  });
});

describe('VolatilePageMemory.dropPages refusals', () => {
  it('refuses to drop an owner with a pinned page and changes nothing', () => {
    const pm = memory(16);
    const a = pm.allocatePage(1, 2, FLAG_DATA);
    const b = pm.allocatePage(1, 2, FLAG_DATA);
    const v = new PageView();
    pm.acquireWrite(1, a, v);
    expect(() => pm.dropPages(1, 2, FLAG_DATA)).toThrow(/pinned/);
    expect(pm.stats().allocatedPages).toBe(2);
    pm.release(v);
    stamp(pm, 1, b, 7);
    expect(readStamp(pm, 1, b)).toBe(7);
    expect(pm.dropPages(1, 2, FLAG_DATA)).toBe(2);
    pm.checkInvariants();
  });
});
