/**
 * The persistent region: the page cache of one aipersist storage profile (persistent-page-memory.ts), as the Region
 * interface shows it. `sizeBytes` is both its initial and its maximum size: the cache is allocated whole when the
 * profile is first used and never grows; what does not fit stays in the partition files.
 */
import { Subject, type Observable } from 'rxjs';
import { PersistentPageMemory, type PersistentPageMemoryOptions } from '../page-memory/persistent-page-memory';
import type { RegionEvent, RegionStats } from './data-region.events';
import type { Region } from './region';

export class PersistentRegion implements Region {
  readonly name: string;
  readonly pageSize: number;
  readonly isVolatile = false;
  readonly sizeBytes: number;
  readonly pageMemory: PersistentPageMemory;
  readonly #events = new Subject<RegionEvent>();
  readonly events$: Observable<RegionEvent> = this.#events.asObservable();

  constructor(opts: PersistentPageMemoryOptions) {
    this.name = opts.name;
    this.pageSize = opts.pageSize;
    this.sizeBytes = opts.sizeBytes;
    this.pageMemory = new PersistentPageMemory(opts);
    this.pageMemory.onReplacementStarted = () => {
      if (this.#events.observed) this.#events.next({ type: 'pageReplacement.started', region: this.name, sizeBytes: this.sizeBytes });
    };
  }

  get closed(): boolean {
    return this.pageMemory.closed;
  }

  stats(): RegionStats {
    const pm = this.pageMemory;
    const totalBytes = pm.frames * this.pageSize;
    const loaded = pm.loadedPages;
    return {
      name: this.name, initSizeBytes: this.sizeBytes, maxSizeBytes: this.sizeBytes,
      pageSize: this.pageSize, slotSize: this.pageSize, segments: 1, plannedSegments: 1, segmentSizes: [totalBytes],
      buffers: Math.ceil(totalBytes / (1024 * 1024 * 1024)), totalPages: pm.frames, maxPages: pm.frames,
      // A frame holds a page or is free: none is "unused" (that is for aimem slots never handed out).
      allocatedPages: loaded, freePages: pm.frames - loaded, droppedPages: 0, unusedPages: 0,
      pinnedPages: pm.pinnedPages, dirtyPages: pm.dirtyPages, totalBytes, allocatedBytes: loaded * this.pageSize,
      freeBytes: (pm.frames - loaded) * this.pageSize,
    };
  }

  checkInvariants(): void {
    this.pageMemory.checkInvariants();
  }

  close(): void {
    if (this.pageMemory.closed) return;
    this.pageMemory.close();
    this.#events.complete();
  }
}
