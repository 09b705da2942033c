/**
 * 256 stacks of page ids with O(1) push, pop and removal of any page (an index map page id → position), and a
 * bitmap of non-empty buckets so the first non-empty bucket at or above a given one is found in a few word
 * tests. Each page is in at most one bucket. Pure bookkeeping: it never touches page memory.
 */
export const BUCKET_COUNT = 256;

/** Absent page (page ids are never 0). */
const NONE = 0;

export class PageBuckets {
  readonly #stacks: number[][] = [];
  /** pageId → position * BUCKET_COUNT + bucket. */
  readonly #where = new Map<number, number>();
  readonly #nonEmpty = new Uint32Array(BUCKET_COUNT / 32);

  constructor() {
    for (let b = 0; b < BUCKET_COUNT; b++) this.#stacks.push([]);
  }

  /** Pages in all buckets. */
  get size(): number {
    return this.#where.size;
  }

  bucketSize(bucket: number): number {
    return this.#stacks[bucket]!.length;
  }

  /** The bucket holding `pageId`, or -1. */
  bucketOf(pageId: number): number {
    const code = this.#where.get(pageId);
    return code === undefined ? -1 : code % BUCKET_COUNT;
  }

  /** Page at `index` of a bucket (0 = bottom of the stack); for iteration in checks. */
  pageAt(bucket: number, index: number): number {
    return this.#stacks[bucket]![index]!;
  }

  /** The most recently added page of a bucket, or 0 when it is empty. */
  top(bucket: number): number {
    const s = this.#stacks[bucket]!;
    return s.length === 0 ? NONE : s[s.length - 1]!;
  }

  /** Adds a page that is in no bucket. */
  push(bucket: number, pageId: number): void {
    const s = this.#stacks[bucket]!;
    this.#where.set(pageId, s.length * BUCKET_COUNT + bucket);
    s.push(pageId);
    this.#nonEmpty[bucket >>> 5]! |= 1 << (bucket & 31);
  }

  /** Removes a page from its bucket; false when it is in none. */
  remove(pageId: number): boolean {
    const code = this.#where.get(pageId);
    if (code === undefined) return false;
    const bucket = code % BUCKET_COUNT;
    const pos = (code - bucket) / BUCKET_COUNT;
    const s = this.#stacks[bucket]!;
    const last = s.pop()!;
    if (last !== pageId) {
      s[pos] = last;
      this.#where.set(last, pos * BUCKET_COUNT + bucket);
    }
    this.#where.delete(pageId);
    if (s.length === 0) this.#nonEmpty[bucket >>> 5]! &= ~(1 << (bucket & 31));
    return true;
  }

  /** Removes and returns the top page of a bucket, or 0 when it is empty. */
  pop(bucket: number): number {
    const id = this.top(bucket);
    if (id !== NONE) this.remove(id);
    return id;
  }

  /**
   * A description of the first broken bookkeeping invariant, or null: every stacked page is indexed at its
   * position (so no page is in two buckets or twice in one), the index has no other pages, and the bitmap marks
   * exactly the non-empty buckets.
   */
  check(): string | null {
    let total = 0;
    for (let b = 0; b < BUCKET_COUNT; b++) {
      const s = this.#stacks[b]!;
      total += s.length;
      for (let i = 0; i < s.length; i++) {
        if (this.#where.get(s[i]!) !== i * BUCKET_COUNT + b) return `page ${s[i]} at bucket ${b}[${i}] is indexed elsewhere`;
      }
      const marked = (this.#nonEmpty[b >>> 5]! & (1 << (b & 31))) !== 0;
      if (marked !== s.length > 0) return `bitmap of bucket ${b} says ${marked ? 'non-empty' : 'empty'}`;
    }
    return total === this.#where.size ? null : `${this.#where.size} pages indexed, ${total} in buckets`;
  }

  /** The lowest non-empty bucket >= `from`, or -1. */
  firstNonEmpty(from: number): number {
    let w = from >>> 5;
    if (w >= this.#nonEmpty.length) return -1;
    let bits = this.#nonEmpty[w]! & (~0 << (from & 31));
    while (bits === 0) {
      if (++w === this.#nonEmpty.length) return -1;
      bits = this.#nonEmpty[w]!;
    }
    return w * 32 + (31 - Math.clz32(bits & -bits));
  }
}
