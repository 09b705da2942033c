/**
 * The loaded-page table of the persistent page cache: slots of (frame + 1, index, generation, hash), linear probing,
 * backward-shift removal. Hashes are chosen here to force collisions, wrap-around and long probe runs.
 */
import { describe, expect, it } from 'vitest';
import { LoadedPageTable, pageHash } from '../../../../src/domain/page-memory/loaded-page-table';

/** 8 frames: 16 slots (mask 15). */
const FRAMES = 8;

describe('LoadedPageTable', () => {
  it('finds colliding keys by index, generation and hash, and nothing else', () => {
    const t = new LoadedPageTable(FRAMES);
    // Same home slot (hash & 15 = 3) for all: one probe run 3, 4, 5, 6.
    t.insert(0, 3, 10, 1);
    t.insert(1, 3, 11, 1);
    t.insert(2, 3, 10, 2); // same index and hash, other generation
    t.insert(3, 19, 10, 1); // same home and index, other full hash
    expect(t.find(3, 10, 1)).toBe(0);
    expect(t.find(3, 11, 1)).toBe(1);
    expect(t.find(3, 10, 2)).toBe(2);
    expect(t.find(19, 10, 1)).toBe(3);
    expect(t.find(3, 12, 1)).toBe(-1);
    expect(t.find(3, 10, 3)).toBe(-1);
    expect(t.find(35, 10, 1)).toBe(-1);
    expect(t.find(7, 10, 1)).toBe(-1); // an empty slot ends the probe
  });

  it('keeps page indexes above 2^31 and hashes above 2^31 distinct', () => {
    const t = new LoadedPageTable(FRAMES);
    const big = 0xffff_fff0;
    t.insert(5, 0x8000_0003, big, 7);
    t.insert(6, 3, big - 1, 7);
    expect(t.find(0x8000_0003, big, 7)).toBe(5);
    expect(t.find(3, big - 1, 7)).toBe(6);
    expect(t.find(3, big, 7)).toBe(-1);
  });

  it('removal shifts later entries of the probe run back, across the end of the slots', () => {
    const t = new LoadedPageTable(FRAMES);
    // Homes 14, 14, 15, 14, 0: the run is 14, 15, 0, 1, 2 (wrapping).
    t.insert(0, 14, 1, 1);
    t.insert(1, 14, 2, 1);
    t.insert(2, 15, 3, 1);
    t.insert(3, 14, 4, 1);
    t.insert(4, 16, 5, 1); // home 0, pushed to slot 2
    t.remove(0, 14);
    expect(t.find(14, 1, 1)).toBe(-1);
    expect(t.find(14, 2, 1)).toBe(1);
    expect(t.find(15, 3, 1)).toBe(2);
    expect(t.find(14, 4, 1)).toBe(3);
    expect(t.find(16, 5, 1)).toBe(4);
    t.remove(2, 15);
    t.remove(1, 14);
    expect(t.find(14, 4, 1)).toBe(3);
    expect(t.find(16, 5, 1)).toBe(4);
    t.remove(3, 14);
    expect(t.find(16, 5, 1)).toBe(4);
    t.remove(4, 16);
    for (let h = 0; h < 32; h++) expect(t.find(h, 5, 1)).toBe(-1);
  });

  it('ignores the removal of a frame it does not hold', () => {
    const t = new LoadedPageTable(FRAMES);
    t.insert(1, 4, 9, 1);
    t.remove(2, 4);
    t.remove(3, 9);
    expect(t.find(4, 9, 1)).toBe(1);
  });

  it('agrees with a model under random inserts and removals at full load', () => {
    let seed = 0x1234567;
    const rand = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const t = new LoadedPageTable(FRAMES);
    /** frame → [hash, index, gen]; few distinct homes, so probe runs are long and wrap. */
    const model = new Map<number, [number, number, number]>();
    for (let step = 0; step < 20_000; step++) {
      const frame = rand(FRAMES);
      const held = model.get(frame);
      if (held !== undefined) {
        t.remove(frame, held[0]);
        model.delete(frame);
        expect(t.find(held[0], held[1], held[2])).toBe(-1);
      } else {
        const key: [number, number, number] = [[1, 2, 15, 17, 0x8000_000f][rand(5)]!, rand(4), 1 + rand(2)];
        if ([...model.values()].some((k) => k[0] === key[0] && k[1] === key[1] && k[2] === key[2])) continue;
        t.insert(frame, key[0], key[1], key[2]);
        model.set(frame, key);
      }
      for (const [f, k] of model) expect(t.find(k[0], k[1], k[2])).toBe(f);
    }
  });

  it('pageHash spreads group, partition and index', () => {
    const seen = new Set<number>();
    for (let g = 0; g < 4; g++) for (let p = 0; p < 4; p++) for (let i = 0; i < 64; i++) seen.add(pageHash(g, p, i));
    expect(seen.size).toBe(4 * 4 * 64);
    expect(pageHash(1, 2, 3)).toBe(pageHash(1, 2, 3));
  });
});
