/**
 * Page replacement policies of the persistent page cache (persistent-page-memory.ts), one per `replacementMode` of
 * an aipersist profile. A policy sees frame numbers only: `loaded` when a frame takes a page, `touched` on every
 * acquire (a few typed-array writes, no allocation), `removed` when the frame gives its page up, and `victim`,
 * which proposes frames to the cache's `evictable` test (free, pinned, dirty frames are refused there) and returns
 * the first accepted one, or −1 when a bounded search found none.
 *
 * - CLOCK (default): a reference bit per frame and a sweeping hand; a referenced frame gets a second chance.
 * - SEGMENTED_LRU: a probationary and a protected LRU list (intrusive, in typed arrays); a page touched again while
 *   probationary is promoted, the protected segment keeps at most 80% of the frames; victims come from the
 *   probationary tail first. One-off scans cannot push out the pages that are used again.
 * - RANDOM_LRU: the least recently touched of a few randomly sampled frames (no list to maintain on hits).
 */
/** The profile's `replacementMode` (the configuration's ReplacementMode). */
export type ReplacementMode = 'CLOCK' | 'SEGMENTED_LRU' | 'RANDOM_LRU';

export type Evictable = (frame: number) => boolean;

/**
 * Frames a miss of the persistent cache looks at for a clean page before it spills a dirty one instead. When nearly
 * every frame is dirty (writes outrunning checkpoints) a complete sweep per miss took half the CPU (overload
 * benchmark); a bounded one, with the spill write, is ~6× faster there. 512: the frames of an 8 MiB cache of 16 KiB pages.
 */
export const CLEAN_SCAN_STEPS = 512;

export interface ReplacementPolicy {
  loaded(frame: number): void;
  touched(frame: number): void;
  removed(frame: number): void;
  /** At most about `maxSteps` frames are proposed (default: a complete search). */
  victim(evictable: Evictable, maxSteps?: number): number;
}

export function replacementPolicy(mode: ReplacementMode, frames: number): ReplacementPolicy {
  switch (mode) {
    case 'CLOCK':
      return new ClockPolicy(frames);
    case 'SEGMENTED_LRU':
      return new SegmentedLruPolicy(frames);
    case 'RANDOM_LRU':
      return new RandomLruPolicy(frames);
  }
}

class ClockPolicy implements ReplacementPolicy {
  readonly #ref: Uint8Array;
  #hand = 0;

  constructor(readonly frames: number) {
    this.#ref = new Uint8Array(frames);
  }

  loaded(frame: number): void {
    this.#ref[frame] = 1;
  }

  touched(frame: number): void {
    this.#ref[frame] = 1;
  }

  removed(frame: number): void {
    this.#ref[frame] = 0;
  }

  victim(evictable: Evictable, maxSteps = Infinity): number {
    const n = this.frames;
    const steps = Math.min(2 * n, maxSteps);
    for (let step = 0; step < steps; step++) {
      const f = this.#hand;
      this.#hand = f + 1 === n ? 0 : f + 1;
      if (this.#ref[f] === 1) {
        this.#ref[f] = 0;
        continue;
      }
      if (evictable(f)) return f;
    }
    return -1;
  }
}

const NONE = -1;
const SEG_OUT = 0;
const SEG_PROBATION = 1;
const SEG_PROTECTED = 2;

class SegmentedLruPolicy implements ReplacementPolicy {
  readonly #prev: Int32Array;
  readonly #next: Int32Array;
  readonly #seg: Uint8Array;
  /** Heads (most recent) and tails (least recent) of the two lists, by segment. */
  readonly #head = new Int32Array([NONE, NONE, NONE]);
  readonly #tail = new Int32Array([NONE, NONE, NONE]);
  #protected = 0;
  readonly #maxProtected: number;

  constructor(readonly frames: number) {
    this.#prev = new Int32Array(frames).fill(NONE);
    this.#next = new Int32Array(frames).fill(NONE);
    this.#seg = new Uint8Array(frames);
    this.#maxProtected = Math.max(1, Math.floor(frames * 0.8));
  }

  loaded(frame: number): void {
    if (this.#seg[frame] !== SEG_OUT) this.removed(frame);
    this.#pushHead(frame, SEG_PROBATION);
  }

  touched(frame: number): void {
    const seg = this.#seg[frame]!;
    if (seg === SEG_OUT) return;
    this.#unlink(frame);
    this.#pushHead(frame, SEG_PROTECTED);
    if (seg === SEG_PROBATION && this.#protected > this.#maxProtected) {
      const demoted = this.#tail[SEG_PROTECTED]!;
      this.#unlink(demoted);
      this.#pushHead(demoted, SEG_PROBATION);
    }
  }

  removed(frame: number): void {
    if (this.#seg[frame] !== SEG_OUT) this.#unlink(frame);
  }

  victim(evictable: Evictable, maxSteps = Infinity): number {
    let steps = 0;
    for (let f = this.#tail[SEG_PROBATION]!; f !== NONE && steps++ < maxSteps; f = this.#prev[f]!) if (evictable(f)) return f;
    for (let f = this.#tail[SEG_PROTECTED]!; f !== NONE && steps++ < maxSteps; f = this.#prev[f]!) if (evictable(f)) return f;
    return -1;
  }

  #pushHead(frame: number, seg: number): void {
    const head = this.#head[seg]!;
    this.#prev[frame] = NONE;
    this.#next[frame] = head;
    if (head !== NONE) this.#prev[head] = frame;
    else this.#tail[seg] = frame;
    this.#head[seg] = frame;
    this.#seg[frame] = seg;
    if (seg === SEG_PROTECTED) this.#protected++;
  }

  #unlink(frame: number): void {
    const seg = this.#seg[frame]!;
    const p = this.#prev[frame]!;
    const n = this.#next[frame]!;
    if (p !== NONE) this.#next[p] = n;
    else this.#head[seg] = n;
    if (n !== NONE) this.#prev[n] = p;
    else this.#tail[seg] = p;
    this.#prev[frame] = NONE;
    this.#next[frame] = NONE;
    this.#seg[frame] = SEG_OUT;
    if (seg === SEG_PROTECTED) this.#protected--;
  }
}

/** Frames sampled per victim search round, and rounds before the full sweep. */
const SAMPLES = 8;
const ROUNDS = 4;

class RandomLruPolicy implements ReplacementPolicy {
  readonly #stamp: Float64Array;
  #clock = 0;
  #seed = 0x2545f491;

  constructor(readonly frames: number) {
    this.#stamp = new Float64Array(frames);
  }

  loaded(frame: number): void {
    this.#stamp[frame] = ++this.#clock;
  }

  touched(frame: number): void {
    this.#stamp[frame] = ++this.#clock;
  }

  removed(frame: number): void {
    this.#stamp[frame] = 0;
  }

  victim(evictable: Evictable, maxSteps = Infinity): number {
    const n = this.frames;
    for (let round = 0; round < ROUNDS; round++) {
      let best = -1;
      for (let s = 0; s < SAMPLES; s++) {
        const f = this.#random() % n;
        if ((best < 0 || this.#stamp[f]! < this.#stamp[best]!) && evictable(f)) best = f;
      }
      if (best >= 0) return best;
    }
    // Few evictable frames left: find the least recent one among all (unless the search is bounded).
    if (maxSteps < n) return -1;
    let best = -1;
    for (let f = 0; f < n; f++) if ((best < 0 || this.#stamp[f]! < this.#stamp[best]!) && evictable(f)) best = f;
    return best;
  }

  /** xorshift32. */
  #random(): number {
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    return this.#seed;
  }
}
