/**
 * A running storage node (level 1 of the API): configuration, storage profiles and their regions, events, stats.
 * Open with `openNode` (which starts every engine); close with `close()` (stops every engine in reverse start
 * order: completes every event stream, frees every region).
 */
import { merge, type Observable } from 'rxjs';
import type { ConfigService } from '../../application/config/config-service';
import type { ConfigUpdateResult } from '../../application/config/config-service';
import type { StorageProfileConfig } from '../../application/config/config.model';
import type { ProfileEngine } from '../../application/engine/profile-engine';
import type { Region } from '../../domain/region/region';
import type { RegionEvent, RegionStats } from '../../domain/region/data-region.events';
import type { Clock } from '../../domain/ports/clock.port';
import { InvalidArgumentError, StorageClosedError } from '../../domain/shared/errors';
import { HybridClock } from '../../domain/storage/hybrid-timestamp';
import type { EngineName, StorageEngine } from '../../domain/storage/storage-engine.api';

export type NodeEvent = RegionEvent;

export interface ProfileInfo {
  readonly name: string;
  readonly engine: EngineName;
  /** The profile as configured, with dynamic defaults resolved. */
  readonly config: StorageProfileConfig;
  /** Stats of its data region, when the region has been created in this process. */
  readonly region: RegionStats | null;
}

export interface NodeStats {
  readonly workDir: string | null;
  readonly pageSizeBytes: { readonly aimem: number; readonly aipersist: number };
  readonly profiles: readonly ProfileInfo[];
}

export interface NodeConfig {
  /** The configuration (resolved, in the spec's JSON shape) or the part of it at `path`. */
  show(path?: string): unknown;
  /** Applies an update string; validates first, persists atomically, changes nothing when invalid. */
  update(text: string): ConfigUpdateResult;
}

export class StorageNode {
  readonly config: NodeConfig;
  /** Strictly increasing hybrid timestamps from the node's clock (the Clock adapter; tests swap in a manual one). */
  readonly clock: HybridClock;
  /** Coarse facts of every engine: segment allocated, out of memory, ... Completes on close(). */
  readonly events$: Observable<NodeEvent>;
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(
    readonly workDir: string | null,
    private readonly configService: ConfigService,
    private readonly engineFor: (engine: EngineName) => ProfileEngine,
    /** Every engine, in the order openNode started them. */
    private readonly engines: readonly ProfileEngine[],
    wallClock: Clock,
  ) {
    this.clock = new HybridClock(() => wallClock.nowMillis());
    this.config = {
      show: (path) => configService.show(path),
      update: (text) => {
        this.#checkOpen();
        return configService.update(text);
      },
    };
    this.events$ = merge(...engines.map((e) => e.events$));
  }

  /** Every storage profile (the `default` aipersist profile always exists). */
  profiles(): ProfileInfo[] {
    return this.configService.profiles().map((p) => this.#info(p));
  }

  /**
   * The storage engine SPI (level 3) of an engine: MV tables in the regions of that engine's profiles. aipersist's
   * storage is not available yet: its createMvTable throws EngineNotAvailableError.
   */
  engine(name: EngineName): StorageEngine {
    this.#checkOpen();
    if (name !== 'aimem' && name !== 'aipersist') {
      throw new InvalidArgumentError(`unknown engine '${String(name)}'; engines are 'aimem' and 'aipersist'`);
    }
    return this.engineFor(name);
  }

  /**
   * The region of a storage profile (its page memory, events and stats), created on first use. Throws
   * UnknownProfileError for an unknown profile, EngineNotAvailableError while the profile's engine cannot serve it.
   */
  region(profileName: string): Region {
    this.#checkOpen();
    const profile = this.configService.profile(profileName);
    return this.engineFor(profile.engine).region(profile);
  }

  stats(): NodeStats {
    const engines = this.configService.atOpen.engines;
    return {
      workDir: this.workDir,
      pageSizeBytes: { aimem: engines.aimem.pageSizeBytes, aipersist: engines.aipersist.pageSizeBytes },
      profiles: this.profiles(),
    };
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Stops every engine, in reverse of the order `openNode` started them, each after the previous one finished. A
   * failing stop does not keep the others from stopping; the first failure is thrown at the end. Idempotent: a
   * second call returns the first call's promise. The node refuses further use from the moment close() is called.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#stopEngines();
    return this.#closing;
  }

  async #stopEngines(): Promise<void> {
    let failure: { error: unknown } | null = null;
    for (let i = this.engines.length - 1; i >= 0; i--) {
      try {
        await this.engines[i]!.stop();
      } catch (e) {
        failure ??= { error: e };
      }
    }
    if (failure) throw failure.error;
  }

  #info(profile: StorageProfileConfig): ProfileInfo {
    const region = this.#closed ? null : (this.engineFor(profile.engine).regionStats().get(profile.name) ?? null);
    return { name: profile.name, engine: profile.engine, config: profile, region };
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageClosedError('the node is closed; open it again with openNode()');
  }
}
