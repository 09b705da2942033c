/**
 * The loaded-page table of the persistent page cache: (group, partition, page index, generation) → frame, an
 * open-addressing hash table with linear probing in one Int32Array (slot = frame + 1, 0 = empty) and backward-shift
 * deletion (no tombstones). The keys live in the cache's frame arrays; the table asks `matches` to compare. No
 * allocation per call.
 */
export interface FrameKeys {
  matches(frame: number, groupId: number, partitionId: number, index: number, gen: number): boolean;
  hashOf(frame: number): number;
}

export function pageHash(groupId: number, partitionId: number, index: number): number {
  let h = Math.imul(index ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(partitionId + 0x632be5ab, 0xc2b2ae35);
  h ^= Math.imul(groupId ^ 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

export class LoadedPageTable {
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(frames: number, private readonly keys: FrameKeys) {
    let size = 16;
    while (size < frames * 2) size *= 2;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
  }

  find(groupId: number, partitionId: number, index: number, gen: number): number {
    const slots = this.#slots;
    for (let i = pageHash(groupId, partitionId, index) & this.#mask; ; i = (i + 1) & this.#mask) {
      const s = slots[i]!;
      if (s === 0) return -1;
      if (this.keys.matches(s - 1, groupId, partitionId, index, gen)) return s - 1;
    }
  }

  insert(frame: number): void {
    const slots = this.#slots;
    let i = this.keys.hashOf(frame) & this.#mask;
    while (slots[i] !== 0) i = (i + 1) & this.#mask;
    slots[i] = frame + 1;
  }

  remove(frame: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = this.keys.hashOf(frame) & mask;
    while (slots[i] !== frame + 1) {
      if (slots[i] === 0) return;
      i = (i + 1) & mask;
    }
    // Backward shift: move later entries of the probe run into the hole when their home allows it.
    let hole = i;
    for (let j = (i + 1) & mask; slots[j] !== 0; j = (j + 1) & mask) {
      const home = this.keys.hashOf(slots[j]! - 1) & mask;
      const dist = (j - home) & mask;
      if (dist >= ((j - hole) & mask)) {
        slots[hole] = slots[j]!;
        hole = j;
      }
    }
    slots[hole] = 0;
  }
}
