import type { MemoryProvider } from '../../src/domain/ports/memory-provider.port';

/** A MemoryProvider fake that records every allocation and can refuse past a byte budget. */
export class CountingMemoryProvider implements MemoryProvider {
  readonly allocations: number[] = [];
  released = 0;

  constructor(private readonly budgetBytes = Number.POSITIVE_INFINITY) {}

  get allocatedBytes(): number {
    return this.allocations.reduce((a, b) => a + b, 0);
  }

  allocate(bytes: number): ArrayBuffer {
    if (this.allocatedBytes + bytes > this.budgetBytes) throw new RangeError(`fake budget of ${this.budgetBytes} bytes exceeded`);
    this.allocations.push(bytes);
    return new ArrayBuffer(bytes);
  }

  release(): void {
    this.released++;
  }
}
