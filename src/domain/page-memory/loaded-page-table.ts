/**
 * The loaded-page table of the persistent page cache: (group, partition, page index, generation) → frame, an
 * open-addressing hash table with linear probing and backward-shift deletion (no tombstones).
 *
 * A slot is four interleaved Int32 — frame + 1 (0 = empty), page index, generation, the key's hash (`pageHash`) — in
 * one Int32Array, so a lookup reads one cache line and never the frames' arrays (the hot path of every page acquire
 * of a cache larger than the CPU caches), and a removal's backward shift finds each entry's home slot in the slot.
 * The generation names its partition: the cache gives every partition state a generation no other partition ever
 * had (persistent-page-memory.ts), so (index, generation) is the whole key; the hash, of group, partition and index,
 * is compared too and keeps mismatching probes cheap. No allocation per call.
 */
export function pageHash(groupId: number, partitionId: number, index: number): number {
  let h = Math.imul(index ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(partitionId + 0x632be5ab, 0xc2b2ae35);
  h ^= Math.imul(groupId ^ 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/** Int32 per slot: frame + 1, index, generation, hash. */
const STRIDE = 4;

export class LoadedPageTable {
  readonly #slots: Int32Array;
  /** The same slots as Uint32: page indexes compare as the numbers they are (any index, even one of a bad id). */
  readonly #u32: Uint32Array;
  /** Slot count − 1 (a power of two, at least twice the frames: probe runs stay short). */
  readonly #mask: number;

  constructor(frames: number) {
    let size = 16;
    while (size < frames * 2) size *= 2;
    this.#slots = new Int32Array(size * STRIDE);
    this.#u32 = new Uint32Array(this.#slots.buffer);
    this.#mask = size - 1;
  }

  /** The frame holding page `index` of generation `gen` whose key hashes to `hash` (`pageHash`), or −1. */
  find(hash: number, index: number, gen: number): number {
    const slots = this.#slots;
    const u32 = this.#u32;
    const mask = this.#mask;
    const h = hash | 0;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const b = i * STRIDE;
      const s = slots[b]!;
      if (s === 0) return -1;
      if (slots[b + 3] === h && u32[b + 1] === index && slots[b + 2] === gen) return s - 1;
    }
  }

  /** Adds the frame under its key (it is not in the table). */
  insert(frame: number, hash: number, index: number, gen: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = hash & mask;
    while (slots[i * STRIDE] !== 0) i = (i + 1) & mask;
    const b = i * STRIDE;
    slots[b] = frame + 1;
    slots[b + 1] = index;
    slots[b + 2] = gen;
    slots[b + 3] = hash;
  }

  /** Removes the frame, inserted with key hash `hash` (nothing when it is not in the table). */
  remove(frame: number, hash: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = hash & mask;
    while (slots[i * STRIDE] !== frame + 1) {
      if (slots[i * STRIDE] === 0) return;
      i = (i + 1) & mask;
    }
    // Backward shift: move later entries of the probe run into the hole when their home allows it.
    let hole = i;
    for (let j = (i + 1) & mask; slots[j * STRIDE] !== 0; j = (j + 1) & mask) {
      const home = slots[j * STRIDE + 3]! & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        const to = hole * STRIDE;
        const from = j * STRIDE;
        slots[to] = slots[from]!;
        slots[to + 1] = slots[from + 1]!;
        slots[to + 2] = slots[from + 2]!;
        slots[to + 3] = slots[from + 3]!;
        hole = j;
      }
    }
    slots[hole * STRIDE] = 0;
  }
}
