/**
 * A running storage node (level 1 of the API): configuration, storage profiles and their regions, events, stats.
 * Open with `openNode` (which starts every engine); close with `close()` (stops every engine in reverse start
 * order: completes every event stream, frees every region).
 */
import { merge, type Observable, type Subscription } from 'rxjs';
import type { ConfigService } from '../../application/config/config-service';
import type { ConfigUpdateResult } from '../../application/config/config-service';
import type { StorageProfileConfig } from '../../application/config/config.model';
import type { ProfileEngine } from '../../application/engine/profile-engine';
import type { LogRecoveryResult } from '../../application/engine/aipersist/log-recovery-run';
import { regionMetrics, type NodeMetrics, type RegionMetrics } from '../../application/engine/node-metrics';
import { metricsText } from '../../application/engine/metrics-text';
import type { Region } from '../../domain/region/region';
import type { RegionEvent, RegionStats } from '../../domain/region/data-region.events';
import type { ThrottlingEvent } from '../../domain/throttling/throttling.events';
import type { CheckpointEvent } from '../../domain/checkpoint/checkpoint.events';
import type { Clock } from '../../domain/ports/clock.port';
import type { WorkDirLease } from '../../domain/ports/work-dir-lock.port';
import { describeValue } from '../../domain/shared/describe-value';
import { InvalidArgumentError, StorageClosedError, StorageError } from '../../domain/shared/errors';
import { HybridClock } from '../../domain/storage/hybrid-timestamp';
import type { EngineName, StorageEngine } from '../../domain/storage/storage-engine.api';
import { logNodeEvents, type NodeLogger } from './node-logger';
import { DashboardSet, type DashboardHandle, type DashboardOptions } from '../dashboard/dashboard-server';
import type { TableService } from '../../application/tables/table-service';
import { readOnlyTables } from './node-tables';
import { NodeSql } from './node-sql';

/** What `node.events$` carries: the region events of every engine (region.segmentAllocated, region.outOfMemory). */
export type NodeEvent = RegionEvent | CheckpointEvent | ThrottlingEvent;

/** A storage profile as `profiles()` and `stats()` report it. */
export interface ProfileInfo {
  /** The profile's name (`default`, or a configured one). */
  readonly name: string;
  /** The engine that stores the profile's tables. */
  readonly engine: EngineName;
  /** The profile as configured, with dynamic defaults resolved. */
  readonly config: StorageProfileConfig;
  /** Stats of its data region, when the region has been created in this process. */
  readonly region: RegionStats | null;
}

/**
 * A snapshot of the node (plain data, JSON-friendly): `node.stats()`, `aistorage stats --json`.
 */
export interface NodeStats {
  /** The node's work dir (absolute), or null for a node that keeps nothing on disk. */
  readonly workDir: string | null;
  /** The page size of each engine in force since the node was opened (a changed setting applies on the next open). */
  readonly pageSizeBytes: { readonly aimem: number; readonly aipersist: number };
  /** Every storage profile, with its region's stats where the region exists. */
  readonly profiles: readonly ProfileInfo[];
}

/** The node's configuration (`node.config`): the spec's keys (README "Configuration reference"). */
export interface NodeConfig {
  /**
   * The configuration (resolved, in the spec's JSON shape) or the part of it at `path` (a dotted key such as
   * `ignite.storage.profiles`). Works on a closed node too.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a path that is not a string.
   */
  show(path?: string): unknown;
  /**
   * Applies an update string (README "Update strings"); validates first, persists atomically, changes nothing when
   * invalid. The result's message says when a change takes effect (engine-level keys: on the next open).
   * @throws ConfigParseError (CONFIG_PARSE) for a string that does not parse, naming the column and what was expected.
   * @throws ConfigValidationError (CONFIG_INVALID) when the result would break a rule (`problems` lists each).
   * @throws StorageIoError (STORAGE_IO) when the configuration file cannot be written.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a text that is not a string; StorageClosedError
   *   (STORAGE_CLOSED) on a closed node.
   */
  update(text: string): ConfigUpdateResult;
  /**
   * Removes a storage profile: persisted atomically like update, and its region (if created) is freed. Refused
   * while an open table uses the profile (StorageError PROFILE_IN_USE, naming the tables); the `default` profile
   * always exists (ConfigValidationError CONFIG_INVALID); an unknown name is UnknownProfileError (PROFILE_NOT_FOUND).
   */
  remove(profileName: string): ConfigUpdateResult;
}

/** What openNode hands the node it built. */
export interface StorageNodeParts {
  readonly workDir: string | null;
  readonly config: ConfigService;
  readonly engineFor: (engine: EngineName) => ProfileEngine;
  /** Every engine, in the order openNode started them. */
  readonly engines: readonly ProfileEngine[];
  readonly clock: Clock;
  /** The work dir's lock, released by close() after the last engine stopped; null without a work dir or read-only. */
  readonly lease: WorkDirLease | null;
  readonly warnings: readonly string[];
  /** openNode's `logger`: subscribed to events$ from construction until close() finished. */
  readonly logger?: NodeLogger;
  /** The node's hybrid clock (over `clock`); made here when absent. */
  readonly hybridClock?: HybridClock;
  /** Zones, tables and transactions; null on a read-only node. */
  readonly tables?: TableService | null;
}

/**
 * A running storage node: open it with `openNode`, use its engines, profiles, regions, events and stats, and close it
 * with `close()`. Every method but `config.show`, `profiles`, `stats` and `close` throws StorageClosedError
 * (STORAGE_CLOSED) once close() was called.
 */
export class StorageNode extends NodeSql {
  /** Show and change the configuration (see NodeConfig). */
  readonly config: NodeConfig;
  /** Strictly increasing hybrid timestamps from the node's clock (the Clock adapter; tests swap in a manual one). */
  readonly clock: HybridClock;
  /**
   * Coarse facts of every engine: segment allocated, out of memory, ... Hot: subscribe before the work you want to
   * see (nothing is replayed). Completes on close(); never errors.
   */
  readonly events$: Observable<NodeEvent>;
  /** The node's work dir (absolute), or null for a node that keeps nothing on disk. */
  readonly workDir: string | null;
  /** Problems found at open that do not stop the node (e.g. a region size beyond the machine's memory). */
  readonly warnings: readonly string[];
  #closed = false;
  #closing: Promise<void> | null = null;
  private readonly configService: ConfigService;
  private readonly engineFor: (engine: EngineName) => ProfileEngine;
  private readonly engines: readonly ProfileEngine[];
  readonly #lease: WorkDirLease | null;
  readonly #wallClock: Clock;
  readonly #logging: Subscription | null;
  readonly #dashboards = new DashboardSet();
  readonly #tables: TableService | null;

  constructor(parts: StorageNodeParts) {
    super();
    this.#tables = parts.tables ?? null;
    this.workDir = parts.workDir;
    this.warnings = parts.warnings;
    this.configService = parts.config;
    this.engineFor = parts.engineFor;
    this.engines = parts.engines;
    this.#lease = parts.lease;
    const configService = parts.config;
    const wallClock = parts.clock;
    this.#wallClock = wallClock;
    this.clock = parts.hybridClock ?? new HybridClock(() => wallClock.nowMillis());
    this.config = {
      remove: (profileName) => this.#removeProfile(profileName),
      show: (path) => {
        if (path !== undefined && typeof path !== 'string') {
          throw new InvalidArgumentError(`config.show(path): path must be a dotted key string or omitted, got ${describeValue(path)}`);
        }
        return configService.show(path);
      },
      update: (text) => {
        this.#checkOpen();
        if (typeof text !== 'string') {
          throw new InvalidArgumentError(
            `config.update(text): text must be an update string such as "ignite.storage.profiles:{p{engine:aimem}}", got ${describeValue(text)}`);
        }
        return configService.update(text);
      },
    };
    this.events$ = merge(...this.engines.map((e) => e.events$));
    this.#logging = parts.logger === undefined ? null : logNodeEvents(this.events$, parts.logger);
  }

  /** Every storage profile (the `default` aipersist profile always exists). */
  profiles(): ProfileInfo[] {
    const stats = this.#closed ? null : this.#regionStats();
    return this.configService.profiles().map((p) => ({
      name: p.name,
      engine: p.engine,
      config: p,
      region: stats?.get(p.engine)?.get(p.name) ?? null,
    }));
  }

  /** Every engine's region stats, built once per call (each engine's regionStats() builds all of its regions). */
  #regionStats(): Map<EngineName, ReadonlyMap<string, RegionStats>> {
    return new Map(this.engines.map((e) => [e.name, e.regionStats()]));
  }

  /**
   * The storage engine SPI (level 3) of an engine: MV tables in the regions of that engine's profiles. aipersist's
   * storage is not available yet: its createMvTable throws EngineNotAvailableError (ENGINE_NOT_AVAILABLE).
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a name other than `aimem` and `aipersist`.
   * @throws StorageClosedError (STORAGE_CLOSED) on a closed node.
   */
  engine(name: EngineName): StorageEngine {
    this.#checkOpen();
    if (name !== 'aimem' && name !== 'aipersist') {
      throw new InvalidArgumentError(`unknown engine ${describeValue(name)}; engines are 'aimem' and 'aipersist'`);
    }
    return this.engineFor(name);
  }

  /**
   * The region of a storage profile (its page memory, events and stats), created on first use. Throws
   * UnknownProfileError for an unknown profile, EngineNotAvailableError while the profile's engine cannot serve it.
   * @throws UnknownProfileError (PROFILE_NOT_FOUND) for a profile that is not configured.
   * @throws EngineNotAvailableError (ENGINE_NOT_AVAILABLE) for an aipersist profile until its engine lands.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a name that is not a string; StorageClosedError
   *   (STORAGE_CLOSED) on a closed node.
   */
  region(profileName: string): Region {
    this.#checkOpen();
    if (typeof profileName !== 'string') {
      throw new InvalidArgumentError(`region(profileName): the profile name must be a string, got ${describeValue(profileName)}`);
    }
    const profile = this.configService.profile(profileName);
    return this.engineFor(profile.engine).region(profile);
  }

  /**
   * A typed snapshot of the node: every region created so far (pages, segments, bytes) and every open table with its
   * partitions' estimated row counts. Cheap: read from counters, nothing is counted per operation for it.
   * @throws StorageClosedError (STORAGE_CLOSED) after close().
   */
  metrics(): NodeMetrics {
    this.#checkOpen();
    const regions: RegionMetrics[] = [];
    const byEngine = this.#regionStats();
    for (const profile of this.configService.profiles()) {
      const stats = byEngine.get(profile.engine)?.get(profile.name);
      if (stats !== undefined) regions.push(regionMetrics(profile.engine, this.engineFor(profile.engine).isVolatile, stats));
    }
    const durable = this.engines.find((e) => e.durabilityMetrics !== undefined)?.durabilityMetrics?.() ?? null;
    let closures = 0;
    for (const e of this.engines) closures += e.writeClosures();
    return {
      takenAtMillis: this.#wallClock.nowMillis(), regions, tables: this.engines.flatMap((e) => e.tableMetrics()), aipersist: durable,
      writes: { closures },
    };
  }

  /**
   * The metrics() snapshot in the Prometheus text exposition format 0.0.4 (`aistorage_*` families, each with its
   * `# HELP` and `# TYPE` even before it has a sample; README "Metrics and logging"), for a `/metrics` endpoint.
   * `aistorage stats --prometheus` prints it.
   * @throws StorageClosedError (STORAGE_CLOSED) after close().
   */
  metricsText(): string {
    return metricsText(this.metrics());
  }

  /**
   * Writes a checkpoint of every durable engine now (after the running closure, if any) and resolves when it has
   * finished: every change made before the call is then on disk. Nothing to do without aipersist data.
   * @throws StorageClosedError (STORAGE_CLOSED) after close().
   */
  async checkpoint(): Promise<void> {
    this.#checkOpen();
    for (const e of this.engines) await e.checkpoint?.();
  }

  /**
   * After a crash: replays now everything the write-ahead delta log holds for aipersist tables not open yet (each
   * partition's replay otherwise runs when the application first opens it), on the default profile's cache, then
   * checkpoints, so that the next opens replay nothing. Subscribe to `events$` first for `log.replayProgress` and
   * `log.recovered`. Zeros on a read-only node or one without a log (`aistorage recover` runs this).
   * @throws StorageClosedError (STORAGE_CLOSED) after close(); DataCorruptionError (DATA_CORRUPTION) for a log or
   *   page that cannot be read (nothing is changed on disk then).
   */
  async recoverLog(): Promise<LogRecoveryResult> {
    this.#checkOpen();
    const result = { tables: 0, partitions: 0, batches: 0, millis: 0 };
    for (const e of this.engines) {
      const r = await e.recoverLog?.();
      if (r === undefined) continue;
      result.tables += r.tables;
      result.partitions += r.partitions;
      result.batches += r.batches;
      result.millis += r.millis;
    }
    return result;
  }

  /**
   * A snapshot of the node: work dir, page sizes, every profile with its region's stats (regions are reported only
   * while the node is open). Not meant for per-operation paths.
   */
  stats(): NodeStats {
    const engines = this.configService.atOpen.engines;
    return {
      workDir: this.workDir,
      pageSizeBytes: { aimem: engines.aimem.pageSizeBytes, aipersist: engines.aipersist.pageSizeBytes },
      profiles: this.profiles(),
    };
  }

  /**
   * Serves the live dashboard (README "Live dashboard"): a page of live charts — write throughput, dirty pages,
   * checkpoint buffer, throttling, cache hit ratio, checkpoint phases — fed by server-sent events, and `/metrics`.
   * Opt-in: until a page is open the node pays nothing for it. Listens on 127.0.0.1 unless `host` says otherwise (a
   * non-loopback host shows the node's metrics to anyone who can reach it). close() of the node closes it first.
   * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad option; StorageError (DASHBOARD_PORT_IN_USE) when the
   *   port is taken, (DASHBOARD_LISTEN_FAILED) when the address cannot be listened on; StorageClosedError
   *   (STORAGE_CLOSED) on a closed node. All as a rejected promise, nothing left listening.
   */
  async serveDashboard(options?: DashboardOptions): Promise<DashboardHandle> {
    this.#checkOpen();
    return this.#dashboards.serve(this, options);
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Stops every engine, in reverse of the order `openNode` started them, each after the previous one finished. A
   * failing stop does not keep the others from stopping; the first failure is thrown at the end. Idempotent: a
   * second call returns the first call's promise. The node refuses further use from the moment close() is called.
   * Its dashboards (serveDashboard) are closed first, so no page samples a node that is stopping.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.closeSql();
    this.#closing ??= this.#dashboards.closeAll().then(() => this.#closeTables()).then(() => this.#stopEngines());
    return this.#closing;
  }

  protected tableService(): TableService {
    this.#checkOpen();
    return this.#tables ?? readOnlyTables();
  }

  async #closeTables(): Promise<void> {
    try {
      await this.#tables?.close();
    } catch {
      // the engines still stop; a table service failing to close loses nothing stored
    }
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
    this.#lease?.release();
    this.#logging?.unsubscribe(); // after the engines' last events (a close checkpoint) were logged
    if (failure) throw failure.error;
  }

  #removeProfile(profileName: string): ConfigUpdateResult {
    this.#checkOpen();
    if (typeof profileName !== 'string') {
      throw new InvalidArgumentError(`config.remove(profileName): the profile name must be a string, got ${describeValue(profileName)}`);
    }
    const profile = this.configService.profiles().find((p) => p.name === profileName);
    const engine = profile === undefined ? null : this.engineFor(profile.engine);
    const tables = engine?.tablesUsing(profileName) ?? [];
    if (tables.length > 0) {
      throw new StorageError(
        `Storage profile '${profileName}' is used by table(s) ${tables.join(', ')}; destroy or close them first, then remove it`,
        'PROFILE_IN_USE',
      );
    }
    engine?.checkDropRegion?.(profileName); // refusals before the configuration changes
    const result = this.configService.remove(profileName);
    engine?.dropRegion(profileName);
    return result;
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageClosedError('the node is closed; open it again with openNode()');
  }
}
