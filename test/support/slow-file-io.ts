/**
 * A slow disk on top of the power-loss file adapter: while `slow`, every write and sync off the calling thread
 * (`writeAsync`, `syncAsync` — a checkpoint's page writes, the delta log's syncs) waits in one queue until the test
 * lets it through with `release(units)`, so a test sets the disk's speed per tick of its manual clock. A sync costs
 * one unit, a write one unit per started KiB; an operation starts once the disk has credit, and a large one leaves
 * the credit negative (later ticks pay for it). `slowFiles` picks the files on the slow disk (default: all) — e.g. the
 * page files only, the write-ahead log on a device of its own.
 * Synchronous calls pass at once. `crash(...)` (inherited) still gives the disk after a power loss.
 */
import type { FileHandle, OpenMode } from '../../src/domain/ports/file-io.port';
import { PowerLossFileIo } from './power-loss-file-io';

export class SlowFileIo extends PowerLossFileIo {
  slow = false;
  readonly #paths = new Map<FileHandle, string>();

  constructor(private readonly slowFiles: (path: string) => boolean = () => true) {
    super();
  }

  override open(path: string, mode: OpenMode): FileHandle {
    const h = super.open(path, mode);
    this.#paths.set(h, path);
    return h;
  }
  readonly #queue: Array<{ cost: number; run: () => void }> = [];
  #credit = 0;
  /** Operations let through so far (while slow). */
  released = 0;

  /** Operations waiting for the disk. */
  get queued(): number {
    return this.#queue.length;
  }

  /** The disk works `units` more: queued operations run in order while it has credit. */
  release(units: number): void {
    this.#credit = Math.min(this.#credit + units, units); // an idle disk saves no credit for later (a debt stays)
    while (this.#credit > 0 && this.#queue.length > 0) {
      const op = this.#queue.shift()!;
      this.#credit -= op.cost;
      this.released++;
      op.run();
    }
  }

  /** Lets everything through, now and from now on. */
  fast(): void {
    this.slow = false;
    for (const op of this.#queue.splice(0)) op.run();
  }

  override writeAsync(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<void> {
    return this.#later(handle, Math.max(1, Math.ceil(length / 1024)), () => super.writeAsync(handle, buffer, offset, length, position));
  }

  override syncAsync(handle: FileHandle): Promise<void> {
    return this.#later(handle, 1, () => super.syncAsync(handle));
  }

  #later(handle: FileHandle, cost: number, op: () => Promise<void>): Promise<void> {
    if (!this.slow || !this.slowFiles(this.#paths.get(handle) ?? '')) return op();
    return new Promise((resolve, reject) => this.#queue.push({ cost, run: () => void op().then(resolve, reject) }));
  }
}
