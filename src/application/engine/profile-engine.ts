/**
 * What every engine adapter offers the node for its storage profiles. One adapter per engine name; the
 * composition root picks the adapter for a profile by an exhaustive switch on the profile's `engine`.
 */
import type { Observable } from 'rxjs';
import type { StorageProfileConfig } from '../config/config.model';
import type { DataRegion } from '../../domain/region/data-region';
import type { RegionStats } from '../../domain/region/data-region.events';
import type { RegionEvent } from '../../domain/region/data-region.events';
import type { EngineName, StorageEngine } from '../../domain/storage/storage-engine.api';

export interface ProfileEngine extends StorageEngine {
  readonly name: EngineName;
  /** Coarse facts of every region of this engine (hot; completes on close). */
  readonly events$: Observable<RegionEvent>;
  /** The data region of a profile of this engine, created on first use (throws EngineNotAvailableError if the engine cannot serve it). */
  region(profile: StorageProfileConfig): DataRegion;
  /** Regions created so far, by profile name. */
  regionStats(): ReadonlyMap<string, RegionStats>;
  close(): Promise<void>;
}
