/**
 * What every engine adapter offers the node for its storage profiles. One adapter per engine name; the
 * composition root picks the adapter for a profile by an exhaustive switch on the profile's `engine`.
 *
 * Lifecycle: `openNode` awaits `start()` of every engine, one after the other, before it returns the node (a
 * persistent engine recovers there: it finishes interrupted destructions, deletes temporary files and replays its
 * log); the node's `close()` awaits `stop()` of every engine in reverse start order. Every other call made before
 * `start()` finished or after `stop()` was called throws StorageClosedError (EngineLifecycle).
 *
 * Read-only nodes (`openNode({ readOnly: true })`, NodeOptions.readOnly): the work dir may be held by another
 * process, so an engine must not write to it — no recovery writes, no checkpoints, no files created.
 */
import type { Observable } from 'rxjs';
import type { StorageProfileConfig } from '../config/config.model';
import type { Region } from '../../domain/region/region';
import type { RegionEvent, RegionStats } from '../../domain/region/data-region.events';
import type { EngineName, StorageEngine } from '../../domain/storage/storage-engine.api';
import type { DurabilityMetrics, TableMetrics } from './node-metrics';
import type { CheckpointEvent } from '../../domain/checkpoint/checkpoint.events';
import type { ThrottlingEvent } from '../../domain/throttling/throttling.events';
import type { LogRecoveryResult } from './aipersist/log-recovery-run';

/** What an engine's events$ carries: region facts, and a durable engine's checkpoint facts. */
export type EngineEvent = RegionEvent | CheckpointEvent | ThrottlingEvent;

export interface ProfileEngine extends StorageEngine {
  readonly name: EngineName;
  /** Coarse facts of every region of this engine (hot; completes when the engine stops). */
  readonly events$: Observable<EngineEvent>;
  /** Makes the engine usable (recovery for a persistent engine). Runs once; a second call returns the same promise. */
  start(): Promise<void>;
  /**
   * Closes every table and region of the engine (a persistent engine first writes what must survive) and completes
   * `events$`. Idempotent; refuses further calls from the moment it is called.
   */
  stop(): Promise<void>;
  /** The region of a profile of this engine, created on first use (throws EngineNotAvailableError if the engine cannot serve it). */
  region(profile: StorageProfileConfig): Region;
  /** Regions created so far, by profile name. */
  regionStats(): ReadonlyMap<string, RegionStats>;
  /** Ids of the open tables whose storage profile is `profileName` (a profile in use cannot be removed). */
  tablesUsing(profileName: string): readonly number[];
  /** Throws (a typed error) when `dropRegion(profileName)` cannot run now; called before the profile is removed. */
  checkDropRegion?(profileName: string): void;
  /** Frees the region of a removed profile, if it was created; the caller made sure no table uses it. */
  dropRegion(profileName: string): void;
  /** Write closures (outermost runConsistently / runDurably calls) run on the engine's tables since open. */
  writeClosures(): number;
  /** Metrics of the engine's open tables (node.metrics()). */
  tableMetrics(): TableMetrics[];
  /** A durable engine: a checkpoint now (after the current closure), resolved when it finished. */
  checkpoint?(): Promise<void>;
  /** A durable engine: replays what its write-ahead log holds for tables not open, then checkpoints (node.recoverLog()). */
  recoverLog?(): Promise<LogRecoveryResult>;
  /** A durable engine: its page caches, checkpoints and files (node.metrics()). */
  durabilityMetrics?(): DurabilityMetrics;
}
