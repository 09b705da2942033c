/**
 * Stand-in adapter for an engine whose storage is not built yet (aipersist until its issue lands): its profiles
 * are validated and listed, and asking for their storage fails with EngineNotAvailableError. It has the lifecycle
 * of a real engine (start/stop, StorageClosedError outside it), so the node treats every engine alike.
 */
import { EMPTY, type Observable } from 'rxjs';
import type { StorageProfileConfig } from '../config/config.model';
import type { Region } from '../../domain/region/region';
import type { RegionEvent, RegionStats } from '../../domain/region/data-region.events';
import { EngineNotAvailableError } from '../../domain/shared/errors';
import type { EngineName, MvTableStorage } from '../../domain/storage/storage-engine.api';
import { EngineLifecycle } from './engine-lifecycle';
import type { TableMetrics } from './node-metrics';
import type { ProfileEngine } from './profile-engine';

export class UnavailableEngine implements ProfileEngine {
  readonly events$: Observable<RegionEvent> = EMPTY;
  readonly isVolatile = false;
  readonly #lifecycle: EngineLifecycle;

  constructor(readonly name: EngineName) {
    this.#lifecycle = new EngineLifecycle(name);
  }

  start(): Promise<void> {
    return this.#lifecycle.start(() => undefined);
  }

  stop(): Promise<void> {
    return this.#lifecycle.stop(() => undefined);
  }

  region(profile: StorageProfileConfig): Region {
    this.#lifecycle.check();
    throw this.#unavailable(`Storage profile '${profile.name}' uses engine '${this.name}'`);
  }

  createMvTable(desc: { tableId: number; storageProfile: string }): MvTableStorage {
    this.#lifecycle.check();
    throw this.#unavailable(`Table ${desc.tableId} (profile '${desc.storageProfile}') needs engine '${this.name}'`);
  }

  async destroyMvTable(tableId: number): Promise<void> {
    this.#lifecycle.check();
    throw this.#unavailable(`Destroying table ${tableId} needs engine '${this.name}'`);
  }

  regionStats(): ReadonlyMap<string, RegionStats> {
    this.#lifecycle.check();
    return new Map();
  }

  tablesUsing(): readonly number[] {
    this.#lifecycle.check();
    return [];
  }

  dropRegion(): void {
    this.#lifecycle.check();
  }

  writeClosures(): number {
    return 0;
  }

  tableMetrics(): TableMetrics[] {
    this.#lifecycle.check();
    return [];
  }

  #unavailable(what: string): EngineNotAvailableError {
    return new EngineNotAvailableError(
      `${what}, which is not available in this version yet (its profiles are validated and listed only). ` +
        `Use a profile with engine 'aimem' for now.`,
    );
  }
}
