/**
 * Events and stats of the DataRegion aggregate. Events are coarse facts (a region grows by a segment at most 15
 * times in its life), never one per page.
 */
import type { VolatilePageMemoryStats } from '../page-memory/volatile-diagnostics';

/** The region grew by segment `segmentIndex` (1..15) of `bytes` bytes; `totalBytes` = all its segments now. */
export interface RegionSegmentAllocatedEvent {
  readonly type: 'region.segmentAllocated';
  readonly region: string;
  readonly segmentIndex: number;
  readonly bytes: number;
  readonly totalBytes: number;
}

/**
 * A page allocation failed with OutOfMemoryError (the region stays usable; freeing pages makes room again).
 * `requestedBytes` is present when the memory provider refused the next segment of that size, absent when every
 * planned segment is in use (the region reached maxSizeBytes).
 */
export interface RegionOutOfMemoryEvent {
  readonly type: 'region.outOfMemory';
  readonly region: string;
  readonly initSizeBytes: number;
  readonly maxSizeBytes: number;
  readonly requestedBytes?: number;
}

/**
 * A persistent region's cache evicted its first page to make room (the spec's "page replacement started"): from now
 * on reads of evicted pages go to disk. Emitted once per region. Raise `sizeBytes` if this comes sooner than expected.
 */
export interface RegionPageReplacementStartedEvent {
  readonly type: 'pageReplacement.started';
  readonly region: string;
  readonly sizeBytes: number;
}

export type RegionEvent = RegionSegmentAllocatedEvent | RegionOutOfMemoryEvent | RegionPageReplacementStartedEvent;

/** A snapshot of a region: its profile sizes and its page memory's counters (plain data, JSON-friendly). */
export interface RegionStats extends VolatilePageMemoryStats {
  readonly name: string;
  readonly initSizeBytes: number;
  readonly maxSizeBytes: number;
}
