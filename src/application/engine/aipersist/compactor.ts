/**
 * aipersist's compactor: after each checkpoint, in the background, merges every partition's older delta files into
 * its main file (FilePageStore.compactOldest: crash-safe and idempotent at every step), `compactionThreads`
 * partitions at a time, until each has one delta file left (the newest, which holds the committed state) — in a round,
 * at most the files a partition had when its turn came (the next checkpoint's kick starts the next round).
 *
 * It yields to a running checkpoint — the disk is the checkpoint's first — unless a partition has piled up
 * PILE_UP delta files: that one is merged meanwhile. A failure (disk full, I/O error) does not touch any checkpoint,
 * which is committed already: it is counted, and the compaction after the next checkpoint tries again.
 */
import type { DurablePageStore } from '../../../domain/ports/page-store.port';
import type { CompactionFinishedEvent } from '../../../domain/checkpoint/checkpoint.events';

/** Delta files of one partition at which compaction no longer waits for a running checkpoint. */
export const PILE_UP = 3;

export interface CompactorOptions {
  readonly store: DurablePageStore;
  readonly threads: number;
  /** The running checkpoint (settles when it finished), or null. */
  readonly runningCheckpoint: () => Promise<void> | null;
  readonly now: () => number;
  readonly finished: (e: CompactionFinishedEvent) => void;
  /** A round failed with an I/O error (the next round retries). */
  readonly failed: (e: unknown) => void;
}

export class Compactor {
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  /** A failure that is not an I/O error (a bug): thrown by stop(). */
  #fatal: unknown = null;

  constructor(private readonly opts: CompactorOptions) {}

  /** True while a compaction round runs. */
  get busy(): boolean {
    return this.#running !== null;
  }

  /** A checkpoint finished: compact (now, or after the round that runs). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    const run = this.#rounds()
      .catch((e: unknown) => {
        this.#fatal ??= e;
      })
      .finally(() => {
        this.#running = null;
      });
    this.#running = run;
  }

  /** Resolves once no round runs (the one running, and any a kick meanwhile asked for, finished). */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  /** No more rounds after the one running (and what it was asked for) finished. */
  async stop(): Promise<void> {
    await this.idle();
    this.#stopped = true;
    if (this.#fatal !== null) throw this.#fatal;
  }

  async #rounds(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.#round();
      } catch (e) {
        // An I/O failure (errno code: ENOSPC, EIO, ...) is counted and retried; anything else is a bug: kept visible.
        if (typeof (e as { code?: unknown }).code !== 'string') throw e;
        this.opts.failed(e);
      }
    } while (this.#again && !this.#stopped);
  }

  async #round(): Promise<void> {
    const { store } = this.opts;
    const t0 = this.opts.now();
    const queue = store.compactable();
    if (queue.length === 0) return;
    let files = 0;
    let pages = 0;
    let next = 0;
    let failure: unknown = null;
    const worker = async (): Promise<void> => {
      while (next < queue.length && failure === null) {
        const { tableId, partitionId } = queue[next++]!;
        try {
          // At most the files there were when the partition's turn came: checkpoints that keep adding delta files
          // (a steady overload) must not keep a round from ending — its event and counters come per round.
          let left = store.deltaCount(tableId, partitionId) - 1;
          while (left > 0 && store.deltaCount(tableId, partitionId) > 1 && failure === null) {
            const checkpoint = this.opts.runningCheckpoint();
            if (checkpoint !== null && store.deltaCount(tableId, partitionId) < PILE_UP) {
              await checkpoint.catch(() => undefined);
              continue;
            }
            const merged = await store.compactOldest(tableId, partitionId); // not `pages += await`: workers interleave
            pages += merged;
            files++;
            left--;
          }
        } catch (e) {
          failure ??= e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.threads, queue.length) }, worker));
    if (files > 0) this.opts.finished({ type: 'compaction.finished', deltaFilesMerged: files, pagesMerged: pages, millis: this.opts.now() - t0 });
    if (failure !== null) throw failure;
  }
}
