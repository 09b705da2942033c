/**
 * Stand-in adapter for an engine whose storage is not built yet (aipersist until its issue lands): its profiles
 * are validated and listed, and asking for their storage fails with EngineNotAvailableError.
 */
import { EMPTY, type Observable } from 'rxjs';
import type { StorageProfileConfig } from '../config/config.model';
import type { DataRegion } from '../../domain/region/data-region';
import type { RegionEvent, RegionStats } from '../../domain/region/data-region.events';
import { EngineNotAvailableError } from '../../domain/shared/errors';
import type { EngineName } from '../../domain/storage/storage-engine.api';
import type { ProfileEngine } from './profile-engine';

export class UnavailableEngine implements ProfileEngine {
  readonly events$: Observable<RegionEvent> = EMPTY;

  constructor(readonly name: EngineName) {}

  region(profile: StorageProfileConfig): DataRegion {
    throw new EngineNotAvailableError(
      `Storage profile '${profile.name}' uses engine '${this.name}', which is not available in this version yet ` +
        `(its profiles are validated and listed only). Use a profile with engine 'aimem' for now.`,
    );
  }

  regionStats(): ReadonlyMap<string, RegionStats> {
    return new Map();
  }

  async close(): Promise<void> {}
}
