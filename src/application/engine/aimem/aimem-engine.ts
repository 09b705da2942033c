/**
 * The aimem engine: one volatile DataRegion per aimem storage profile, created on first use with the engine-level
 * page size in force since the node was opened, and MV tables whose pages live in their profile's region.
 * Everything is lost on stop, as the spec says. `start()` has nothing to recover: it only marks the engine started.
 */
import { Subject, type Observable } from 'rxjs';
import type { ConfigService } from '../../config/config-service';
import type { StorageProfileConfig } from '../../config/config.model';
import { DataRegion } from '../../../domain/region/data-region';
import type { Region } from '../../../domain/region/region';
import type { RegionEvent, RegionStats } from '../../../domain/region/data-region.events';
import type { MemoryProvider } from '../../../domain/ports/memory-provider.port';
import { DISCARDING_DELTA_LOG } from '../../../domain/ports/delta-log.port';
import { InvalidArgumentError, TableExistsError } from '../../../domain/shared/errors';
import type { MvTableStorage, StorageEngine } from '../../../domain/storage/storage-engine.api';
import { EngineLifecycle } from '../engine-lifecycle';
import { regionStatsOf, tableMetricsOf, tablesUsing } from '../engine-tables';
import { checkTableDescriptor, checkTableId } from '../mv/mv-arguments';
import { WriteCounter } from '../../../domain/throttling/write-gate';
import { PageMvTableStorage } from '../mv/page-mv-table-storage';
import type { TableMetrics } from '../node-metrics';
import type { ProfileEngine } from '../profile-engine';

export class AimemEngine implements ProfileEngine, StorageEngine {
  readonly name = 'aimem' as const;
  readonly isVolatile = true;
  readonly #events = new Subject<RegionEvent>();
  readonly events$: Observable<RegionEvent> = this.#events.asObservable();
  readonly #regions = new Map<string, DataRegion>();
  readonly #tables = new Map<number, PageMvTableStorage>();
  /** The storage profile of each table in #tables. */
  readonly #tableProfiles = new WeakMap<PageMvTableStorage, string>();
  /** Page groups are never reused, so a re-created table can never read a stale page of its predecessor. */
  #nextGroupId = 1;
  readonly #lifecycle = new EngineLifecycle('aimem');

  constructor(
    private readonly config: ConfigService,
    private readonly memory: MemoryProvider,
  ) {}

  get pageSize(): number {
    return this.config.atOpen.engines.aimem.pageSizeBytes;
  }

  start(): Promise<void> {
    return this.#lifecycle.start(() => undefined);
  }

  /** Closes every table (freeing its pages), then every region; completes `events$`. */
  stop(): Promise<void> {
    return this.#lifecycle.stop(async () => {
      for (const table of this.#tables.values()) await table.close();
      this.#tables.clear();
      for (const region of this.#regions.values()) region.close();
      this.#regions.clear();
      this.#events.complete();
    });
  }

  region(profile: StorageProfileConfig): Region {
    this.#lifecycle.check();
    if (profile.engine !== 'aimem') {
      throw new InvalidArgumentError(`Storage profile '${profile.name}' uses engine '${profile.engine}', not aimem`);
    }
    let region = this.#regions.get(profile.name);
    if (!region) {
      region = new DataRegion({
        name: profile.name,
        pageSize: this.pageSize,
        initSizeBytes: profile.initSizeBytes,
        maxSizeBytes: profile.maxSizeBytes,
        memory: this.memory,
      });
      // Forwarding is observation only: nothing waits on these events.
      region.events$.subscribe((e) => this.#events.next(e));
      this.#regions.set(profile.name, region);
    }
    return region;
  }

  /**
   * A new, empty MV table in the region of `storageProfile` (an aimem profile). An id whose table is open here is
   * refused with TableExistsError and that table is left as it is; once it is closed or destroyed the id can be
   * created again, empty (volatile data does not outlive its table storage).
   */
  readonly #writes = new WriteCounter();

  /** Write closures run on this engine's tables since open. */
  writeClosures(): number {
    return this.#writes.closures;
  }

  createMvTable(desc: { tableId: number; partitions: number; storageProfile: string }): MvTableStorage {
    this.#lifecycle.check();
    checkTableDescriptor(desc);
    const old = this.#tables.get(desc.tableId);
    if (old?.isOpen) throw new TableExistsError(desc.tableId);
    const region = this.region(this.config.profile(desc.storageProfile));
    const table = new PageMvTableStorage({
      tableId: desc.tableId,
      partitions: desc.partitions,
      groupId: this.#nextGroupId++,
      pageMemory: region.pageMemory,
      deltaLog: DISCARDING_DELTA_LOG,
      volatile: true,
      writes: this.#writes,
      onDestroyed: (t) => {
        if (this.#tables.get(t.tableId) === t) this.#tables.delete(t.tableId);
      },
    });
    this.#tables.set(desc.tableId, table);
    this.#tableProfiles.set(table, desc.storageProfile);
    return table;
  }

  async destroyMvTable(tableId: number): Promise<void> {
    this.#lifecycle.check();
    checkTableId(tableId);
    await this.#tables.get(tableId)?.destroy();
  }

  tablesUsing(profileName: string): readonly number[] {
    this.#lifecycle.check();
    return tablesUsing(this.#tables, (t) => this.#tableProfiles.get(t), profileName);
  }

  dropRegion(profileName: string): void {
    this.#lifecycle.check();
    const region = this.#regions.get(profileName);
    if (region === undefined) return;
    this.#regions.delete(profileName);
    region.close();
  }

  tableMetrics(): TableMetrics[] {
    this.#lifecycle.check();
    return tableMetricsOf('aimem', this.#tables, (t) => this.#tableProfiles.get(t));
  }

  regionStats(): ReadonlyMap<string, RegionStats> {
    this.#lifecycle.check();
    return regionStatsOf(this.#regions);
  }
}
