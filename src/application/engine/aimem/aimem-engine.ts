/**
 * The aimem engine adapter: one volatile DataRegion per aimem storage profile, created on first use with the
 * engine-level page size in force since the node was opened. Everything is lost on close, as the spec says.
 */
import { Subject, type Observable } from 'rxjs';
import type { ConfigService } from '../../config/config-service';
import type { StorageProfileConfig } from '../../config/config.model';
import { DataRegion } from '../../../domain/region/data-region';
import type { RegionEvent, RegionStats } from '../../../domain/region/data-region.events';
import type { MemoryProvider } from '../../../domain/ports/memory-provider.port';
import { InvalidArgumentError, StorageClosedError } from '../../../domain/shared/errors';
import type { ProfileEngine } from '../profile-engine';

export class AimemEngine implements ProfileEngine {
  readonly name = 'aimem' as const;
  readonly #events = new Subject<RegionEvent>();
  readonly events$: Observable<RegionEvent> = this.#events.asObservable();
  readonly #regions = new Map<string, DataRegion>();
  #closed = false;

  constructor(
    private readonly config: ConfigService,
    private readonly memory: MemoryProvider,
  ) {}

  get pageSize(): number {
    return this.config.atOpen.engines.aimem.pageSizeBytes;
  }

  region(profile: StorageProfileConfig): DataRegion {
    if (this.#closed) throw new StorageClosedError('the aimem engine is closed; open the node again');
    if (profile.engine !== 'aimem') {
      throw new InvalidArgumentError(`profile '${profile.name}' uses engine '${profile.engine}', not aimem`);
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

  regionStats(): ReadonlyMap<string, RegionStats> {
    const out = new Map<string, RegionStats>();
    for (const [name, region] of this.#regions) out.set(name, region.stats());
    return out;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const region of this.#regions.values()) region.close();
    this.#regions.clear();
    this.#events.complete();
  }
}
