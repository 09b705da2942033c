/**
 * The DataRegion aggregate: the memory of one aimem storage profile (spec: aimem.md, "AIMemory Data Region") — the
 * volatile implementation of the Region interface (region.ts) that engines and the node speak.
 *
 * How it maps to the spec:
 * - `initSizeBytes` / `maxSizeBytes` are the profile's; segment 0 (`initSizeBytes`) is allocated by the
 *   constructor, further segments of max((max − init) / 15, 256 MiB) on demand, at most 16 (segment-plan.ts).
 * - Pages of `pageSize` bytes (the engine's `pageSizeBytes`) with a 32-byte system header each
 *   (volatile-page.layout.ts); freed pages are reused first (the spec's free list of the region).
 * - Past `maxSizeBytes` an allocation throws OutOfMemoryError naming the region, init and max; data already
 *   stored is intact and the region stays usable.
 *
 * Events: `events$` is hot and tells about segments 1..15 and about out-of-memory refusals. Segment 0 has no event
 * (it exists before anyone can subscribe); read it from `stats()`. Events are delivered synchronously inside the
 * `allocatePage` call that caused them. `close()` completes the stream; the stream never errors.
 */
import { Subject, type Observable } from 'rxjs';
import type { PageMemory } from '../page-memory/page-memory.port';
import { VolatilePageMemory } from '../page-memory/volatile-page-memory';
import type { MemoryProvider } from '../ports/memory-provider.port';
import type { RegionEvent, RegionStats } from './data-region.events';
import type { Region } from './region';

export interface DataRegionOptions {
  name: string;
  pageSize: number;
  initSizeBytes: number;
  maxSizeBytes: number;
  memory: MemoryProvider;
  /** Largest single backing buffer (default 1 GiB, V8 allows up to 4 GiB on 64-bit). */
  maxBufferBytes?: number;
}

export class DataRegion implements Region {
  readonly name: string;
  readonly pageSize: number;
  readonly isVolatile = true;
  readonly initSizeBytes: number;
  readonly maxSizeBytes: number;
  /** The region's VolatilePageMemory. Valid until close(); afterwards every page call throws StorageClosedError. */
  readonly pageMemory: PageMemory;
  readonly #events = new Subject<RegionEvent>();
  readonly events$: Observable<RegionEvent> = this.#events.asObservable();
  readonly #memory: VolatilePageMemory;

  /** Throws InvalidArgumentError for bad sizes, OutOfMemoryError when segment 0 cannot be allocated. */
  constructor(opts: DataRegionOptions) {
    this.name = opts.name;
    this.pageSize = opts.pageSize;
    this.initSizeBytes = opts.initSizeBytes;
    this.maxSizeBytes = opts.maxSizeBytes;
    this.#memory = new VolatilePageMemory({
      ...opts,
      listener: {
        onSegmentAllocated: (segmentIndex, bytes, totalBytes) => this.#segmentAllocated(segmentIndex, bytes, totalBytes),
        onOutOfMemory: (requestedBytes) => this.#outOfMemory(requestedBytes),
      },
    });
    this.pageMemory = this.#memory;
  }

  get closed(): boolean {
    return this.#memory.closed;
  }

  stats(): RegionStats {
    return { name: this.name, initSizeBytes: this.initSizeBytes, maxSizeBytes: this.maxSizeBytes, ...this.#memory.stats() };
  }

  /** Checks the page memory's structure (slot states, free stack, counters); throws on the first broken one. */
  checkInvariants(): void {
    this.#memory.checkInvariants();
  }

  /** Releases every buffer and completes `events$`. Idempotent. Views still held must not be read afterwards. */
  close(): void {
    if (this.#memory.closed) return;
    this.#memory.close();
    this.#events.complete();
  }

  #segmentAllocated(segmentIndex: number, bytes: number, totalBytes: number): void {
    if (!this.#events.observed) return;
    this.#events.next({ type: 'region.segmentAllocated', region: this.name, segmentIndex, bytes, totalBytes });
  }

  #outOfMemory(requestedBytes: number | undefined): void {
    if (!this.#events.observed) return;
    const base = { type: 'region.outOfMemory', region: this.name, initSizeBytes: this.initSizeBytes, maxSizeBytes: this.maxSizeBytes } as const;
    this.#events.next(requestedBytes === undefined ? base : { ...base, requestedBytes });
  }
}
