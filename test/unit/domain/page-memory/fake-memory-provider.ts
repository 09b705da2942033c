/**
 * A MemoryProvider fake for page memory and region tests: hands out real zero-filled ArrayBuffers, records every
 * request and release, and refuses requests on demand (`refuse`, or `refuseAfter` successful calls).
 */
import type { MemoryProvider } from '../../../../src/domain/ports/memory-provider.port';

export class FakeMemoryProvider implements MemoryProvider {
  /** Sizes of the buffers handed out, in order. */
  readonly allocated: number[] = [];
  readonly released: ArrayBuffer[] = [];
  /** Every allocate call, including refused ones. */
  readonly requests: number[] = [];
  refuse = false;
  /** Refuse once this many buffers have been handed out (null: no limit). */
  refuseAfter: number | null = null;

  allocate(bytes: number): ArrayBuffer {
    this.requests.push(bytes);
    if (this.refuse || (this.refuseAfter !== null && this.allocated.length >= this.refuseAfter)) {
      throw new RangeError(`fake provider refused ${bytes} bytes`);
    }
    this.allocated.push(bytes);
    return new ArrayBuffer(bytes);
  }

  release(buffer: ArrayBuffer): void {
    this.released.push(buffer);
  }

  /** Bytes handed out and not given back. */
  get liveBytes(): number {
    let n = 0;
    for (const b of this.allocated) n += b;
    for (const b of this.released) n -= b.byteLength;
    return n;
  }
}
