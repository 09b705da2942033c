/**
 * A region: the memory of one storage profile, as the engines and the node see it, whatever the engine. The volatile
 * region (aimem's DataRegion: ArrayBuffer segments) implements it today; the persistent region (aipersist's page
 * cache over partition files) will implement it unchanged for its callers.
 *
 * Lifetime: a region is created by its engine on first use of its profile and lives until the engine stops (which
 * closes it) or until `close()`. Work that must finish before a region goes away (a persistent region's last
 * checkpoint) is the engine's awaited `stop()`, done before it calls `close()`; `close()` itself only releases.
 */
import type { Observable } from 'rxjs';
import type { PageMemory } from '../page-memory/page-memory.port';
import type { RegionEvent, RegionStats } from './data-region.events';

/** The memory of one storage profile (`node.region(profile)`): see the file comment for its lifetime. */
export interface Region {
  /** The storage profile's name. */
  readonly name: string;
  /** Page content size in bytes: the engine-level `pageSizeBytes` in force since the node was opened. */
  readonly pageSize: number;
  /** True for a volatile region (aimem: lost on close), false for a persistent one (aipersist). */
  readonly isVolatile: boolean;
  /**
   * The pages of this region (the PageMemory port every page structure runs on). Valid until the region closes;
   * afterwards every page call throws StorageClosedError (STORAGE_CLOSED). A page id that is freed, foreign or never
   * allocated throws IllegalPageAccessError (PAGE_ACCESS); an allocation that does not fit in `maxSizeBytes` throws
   * OutOfMemoryError (OUT_OF_MEMORY) and emits `region.outOfMemory`.
   */
  readonly pageMemory: PageMemory;
  /** Hot stream of coarse facts (a segment allocated, an allocation refused); completes on close, never errors. */
  readonly events$: Observable<RegionEvent>;
  /** True once `close()` ran (directly or through the engine's stop). */
  readonly closed: boolean;
  /** A snapshot of the region's sizes and counters (plain data, JSON-friendly). Not meant for per-page paths. */
  stats(): RegionStats;
  /**
   * Checks the region's page memory structure (STYLE rule 6); throws a plain Error naming the first broken invariant
   * (a bug, not a user error: no code). Slow: for tests.
   */
  checkInvariants(): void;
  /** Releases the region's memory and completes `events$`. Idempotent. Page views still held must not be read. */
  close(): void;
}
