/**
 * Stand-in adapter for an engine whose storage is not built yet (aipersist until its issue lands): its profiles
 * are validated and listed, and asking for their storage fails with EngineNotAvailableError.
 */
import { EMPTY, type Observable } from 'rxjs';
import type { StorageProfileConfig } from '../config/config.model';
import type { DataRegion } from '../../domain/region/data-region';
import type { RegionEvent, RegionStats } from '../../domain/region/data-region.events';
import { EngineNotAvailableError } from '../../domain/shared/errors';
import type { EngineName, MvTableStorage } from '../../domain/storage/storage-engine.api';
import type { ProfileEngine } from './profile-engine';

export class UnavailableEngine implements ProfileEngine {
  readonly events$: Observable<RegionEvent> = EMPTY;
  readonly isVolatile = false;

  constructor(readonly name: EngineName) {}

  region(profile: StorageProfileConfig): DataRegion {
    throw this.#unavailable(`Storage profile '${profile.name}' uses engine '${this.name}'`);
  }

  createMvTable(desc: { tableId: number; storageProfile: string }): MvTableStorage {
    throw this.#unavailable(`Table ${desc.tableId} (profile '${desc.storageProfile}') needs engine '${this.name}'`);
  }

  async destroyMvTable(tableId: number): Promise<void> {
    throw this.#unavailable(`Destroying table ${tableId} needs engine '${this.name}'`);
  }

  #unavailable(what: string): EngineNotAvailableError {
    return new EngineNotAvailableError(
      `${what}, which is not available in this version yet (its profiles are validated and listed only). ` +
        `Use a profile with engine 'aimem' for now.`,
    );
  }

  regionStats(): ReadonlyMap<string, RegionStats> {
    return new Map();
  }

  async close(): Promise<void> {}
}
