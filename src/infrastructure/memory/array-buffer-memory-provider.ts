/**
 * MemoryProvider over plain ArrayBuffers: their backing stores live outside the V8 heap, come zero-filled, and
 * are committed by the OS page by page as they are touched.
 */
import { constants } from 'node:buffer';
import type { MemoryProvider } from '../../domain/ports/memory-provider.port';
import { InvalidArgumentError } from '../../domain/shared/errors';

export class ArrayBufferMemoryProvider implements MemoryProvider {
  /** V8's cap on one ArrayBuffer in this process (4 GiB on 64-bit Node 20): the largest usable maxBufferBytes. */
  static readonly MAX_BUFFER_BYTES: number = constants.MAX_LENGTH;

  /**
   * Throws a RangeError that says the process is short of memory when V8 refuses the buffer; the data region
   * wraps it into an OutOfMemoryError naming the region.
   */
  allocate(bytes: number): ArrayBuffer {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new InvalidArgumentError(`buffer size must be a non-negative integer, got ${bytes}`);
    const max = ArrayBufferMemoryProvider.MAX_BUFFER_BYTES;
    if (bytes > max) {
      throw new RangeError(`a single buffer of ${bytes} bytes exceeds the limit of this Node.js process (${max} bytes); use a smaller maxBufferBytes`);
    }
    try {
      return new ArrayBuffer(bytes);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new RangeError(
        `the Node.js process could not get ${bytes} bytes of memory (${e.message}); free memory on the machine, ` +
          `or lower maxSizeBytes of the profile`,
        { cause: e },
      );
    }
  }

  /**
   * Detaches the buffer (its backing store goes to an unreferenced clone that the GC frees), so a view kept by
   * mistake reads nothing instead of stale pages.
   */
  release(buffer: ArrayBuffer): void {
    if (buffer.byteLength > 0) structuredClone(buffer, { transfer: [buffer] });
  }
}
