/**
 * Where volatile page memory gets its backing buffers from (off the JS heap: ArrayBuffer backing stores). The
 * infrastructure adapter is ArrayBufferMemoryProvider; tests use fakes that count or refuse allocations.
 *
 * Called only when a data region grows by a segment (at most 16 times per region), never on the page hot path.
 */
export interface MemoryProvider {
  /**
   * A zero-filled buffer of exactly `bytes` bytes. The volatile memory relies on the zero fill: a fresh slot's
   * system header reads as "never allocated" and its content as an empty page. May throw when the memory cannot
   * be had; the data region turns any failure into an OutOfMemoryError naming itself, and stays usable.
   */
  allocate(bytes: number): ArrayBuffer;

  /** Gives back a buffer obtained from `allocate`. The caller holds no views on it any more. */
  release(buffer: ArrayBuffer): void;
}
