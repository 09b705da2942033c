/**
 * The running checkpoint's progress as write throttling sees it (DESIGN.md §5): its pages in all, written so far and
 * committed (synced) so far, and the speed at which checkpoints write. The checkpointer updates it (a few field
 * writes per page, no allocation); the throttle reads it when it decides.
 */
import { checkpointDone, INITIAL_WRITE_VS_FSYNC } from './speed-based-policy';

/** The running checkpoint's own speed is used once it has written this many pages; before, the last ones'. */
const MIN_PAGES_FOR_SPEED = 16;

export class CheckpointProgress {
  /** True from the snapshot to the end of the checkpoint (its pages written, synced and committed). */
  running = false;
  totalPages = 0;
  writtenPages = 0;
  syncedPages = 0;
  #startedAt = 0;
  /** Pages per second of the checkpoints so far (a moving average, half weight to the newest). */
  #lastSpeed = 0;

  readonly #ended: Array<() => void> = [];

  constructor(private readonly now: () => number) {}

  /** Calls `listener` at the end of every checkpoint (finished or failed). */
  onEnd(listener: () => void): void {
    this.#ended.push(listener);
  }

  begin(totalPages: number): void {
    this.running = true;
    this.totalPages = totalPages;
    this.writtenPages = 0;
    this.syncedPages = 0;
    this.#startedAt = this.now();
  }

  wrote(): void {
    this.writtenPages++;
  }

  /** A partition of `pages` pages committed (its files synced). */
  synced(pages: number): void {
    this.syncedPages += pages;
  }

  end(): void {
    if (!this.running) return;
    this.running = false;
    const ms = this.now() - this.#startedAt;
    if (this.writtenPages >= MIN_PAGES_FOR_SPEED && ms > 0) {
      const speed = (this.writtenPages * 1000) / ms;
      this.#lastSpeed = this.#lastSpeed === 0 ? speed : (this.#lastSpeed + speed) / 2;
    }
    this.totalPages = 0;
    this.writtenPages = 0;
    this.syncedPages = 0;
    for (const listener of this.#ended) listener();
  }

  /** Pages per second: the running checkpoint's so far once it wrote enough to tell, else the last checkpoints' (0: none yet). */
  pagesPerSec(): number {
    if (this.running && this.writtenPages >= MIN_PAGES_FOR_SPEED) {
      const ms = this.now() - this.#startedAt;
      if (ms > 0) return (this.writtenPages * 1000) / ms;
    }
    return this.#lastSpeed;
  }

  /** Progress in pages, page writes weighing 5/6 and syncs 1/6 (the speed-based policy's `checkpointDone`). */
  donePages(): number {
    return checkpointDone(this.writtenPages, this.syncedPages, INITIAL_WRITE_VS_FSYNC);
  }
}
