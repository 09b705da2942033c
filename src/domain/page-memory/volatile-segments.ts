/**
 * The buffers behind a volatile page memory: segments of the plan, each backed by one or more buffers from the
 * MemoryProvider, with one Uint8Array, DataView and Uint32Array (system headers) per buffer, created once.
 *
 * Lifetime: buffers are added a whole segment at a time and all given back by `releaseAll()`; the arrays below are
 * shared with the page memory (it reads them on every page access) and only ever appended to or emptied.
 */
import type { MemoryProvider } from '../ports/memory-provider.port';
import type { SegmentPlan } from './segment-plan';

export class VolatileSegments {
  readonly u8: Uint8Array[] = [];
  readonly dv: DataView[] = [];
  readonly words: Uint32Array[] = [];
  readonly #buffers: ArrayBuffer[] = [];
  /** Segments allocated so far. */
  count = 0;
  /** Bytes of the allocated segments. */
  totalBytes = 0;

  constructor(
    readonly plan: SegmentPlan,
    private readonly memory: MemoryProvider,
  ) {}

  get bufferCount(): number {
    return this.#buffers.length;
  }

  get isFull(): boolean {
    return this.count === this.plan.segmentBytes.length;
  }

  /**
   * Allocates the next planned segment, all its buffers or none: when the provider throws (or hands back a buffer
   * of the wrong size) the buffers already obtained are given back and the provider's error is rethrown.
   */
  grow(): void {
    const seg = this.count;
    const { segmentBytes, segmentFirstBuffer, bufferSlots, slotSize } = this.plan;
    const end = seg + 1 < segmentBytes.length ? segmentFirstBuffer[seg + 1]! : bufferSlots.length;
    const got: ArrayBuffer[] = [];
    try {
      for (let b = segmentFirstBuffer[seg]!; b < end; b++) {
        const want = bufferSlots[b]! * slotSize;
        const buffer = this.memory.allocate(want);
        got.push(buffer);
        if (buffer.byteLength !== want) throw new Error(`the memory provider returned ${buffer.byteLength} bytes instead of ${want}`);
      }
    } catch (e) {
      for (const buffer of got) this.memory.release(buffer);
      throw e;
    }
    for (const buffer of got) {
      this.#buffers.push(buffer);
      this.u8.push(new Uint8Array(buffer));
      this.dv.push(new DataView(buffer));
      this.words.push(new Uint32Array(buffer));
    }
    this.count++;
    this.totalBytes += segmentBytes[seg]!;
  }

  releaseAll(): void {
    const buffers = this.#buffers.splice(0);
    this.u8.length = this.dv.length = this.words.length = 0;
    this.count = this.totalBytes = 0;
    for (const buffer of buffers) this.memory.release(buffer);
  }
}
