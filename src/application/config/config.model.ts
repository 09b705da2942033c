/**
 * The fully resolved storage configuration: every key has a value (user-set or default). Resolved objects are
 * immutable snapshots; a config update produces a new one. What users set is kept apart (raw-config.ts) and is
 * what gets persisted, so dynamic defaults (sizes derived from physical RAM) stay dynamic across machines.
 */

/** When the write-ahead delta log acknowledges a write: after its fsync, after a timer fsync, or never synced. */
export type SyncMode = 'fsync' | 'background' | 'none';
/** Page replacement policy of an aipersist page cache. */
export type ReplacementMode = 'CLOCK' | 'SEGMENTED_LRU' | 'RANDOM_LRU';
export type EngineName = 'aimem' | 'aipersist';
export type { ThrottlingPolicyName } from '../../domain/throttling/throttling.events';
import { THROTTLING_POLICIES, type ThrottlingPolicyName } from '../../domain/throttling/throttling.events';
export { THROTTLING_POLICIES };

export const ENGINE_NAMES: readonly EngineName[] = ['aimem', 'aipersist'];
export const SYNC_MODES: readonly SyncMode[] = ['fsync', 'background', 'none'];
export const REPLACEMENT_MODES: readonly ReplacementMode[] = ['CLOCK', 'SEGMENTED_LRU', 'RANDOM_LRU'];

export interface AimemProfile {
  readonly engine: 'aimem';
  readonly name: string;
  readonly initSizeBytes: number;
  readonly maxSizeBytes: number;
}

export interface AipersistProfile {
  readonly engine: 'aipersist';
  readonly name: string;
  readonly sizeBytes: number;
  readonly replacementMode: ReplacementMode;
}

export type StorageProfileConfig = AimemProfile | AipersistProfile;

export interface CheckpointConfig {
  readonly intervalMillis: number;
  readonly intervalDeviationPercent: number;
  readonly checkpointThreads: number;
  readonly compactionThreads: number;
  readonly readLockTimeoutMillis: number;
  readonly logReadLockThresholdTimeoutMillis: number;
}

export interface DeltaLogConfig {
  readonly syncMode: SyncMode;
  readonly backgroundSyncIntervalMillis: number;
  readonly segmentSizeBytes: number;
}

/**
 * Write throttling of aipersist (DESIGN.md §5): the policy that paces writers while a checkpoint runs, and the
 * dirty-page ratios it works between (README "Write throttling").
 */
export interface ThrottlingConfig {
  readonly policy: ThrottlingPolicyName;
  /** SPEED_BASED: the dirty ratio below which a checkpoint never slows writers. */
  readonly minDirtyRatio: number;
  /** SPEED_BASED: the dirty ratio writers must not reach before the running checkpoint ends. */
  readonly maxDirtyRatio: number;
}

export interface StorageConfig {
  readonly engines: {
    readonly aimem: { readonly pageSizeBytes: number };
    readonly aipersist: {
      readonly pageSizeBytes: number;
      readonly checkpoint: CheckpointConfig;
      readonly deltaLog: DeltaLogConfig;
      readonly throttling: ThrottlingConfig;
    };
  };
  /** Always contains the aipersist profile named `default` (first). */
  readonly profiles: readonly StorageProfileConfig[];
}

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

export const DEFAULT_PROFILE_NAME = 'default';
/** Smallest accepted initSizeBytes / maxSizeBytes / sizeBytes: a region must hold a useful number of pages. */
export const MIN_REGION_SIZE_BYTES = 10 * MiB;
/** Floor of the dynamic region size default `max(256 MiB, 20% of physical RAM)`. */
export const MIN_DYNAMIC_REGION_SIZE_BYTES = 256 * MiB;
/**
 * Largest accepted region size: 2 TiB. A page index has 32 bits, of which at most 31 number page slots (at
 * least one is the slot's generation); with 1 KiB pages, 2^31 slots hold 2 TiB.
 */
export const MAX_REGION_SIZE_BYTES = 2 * 1024 * GiB;
/** Smallest accepted delta log segment size. */
export const MIN_LOG_SEGMENT_BYTES = 1 * MiB;

/** Static defaults of the engine-level keys (profile sizes are dynamic, see config-resolver.ts). */
export const ENGINE_DEFAULTS: StorageConfig['engines'] = {
  aimem: { pageSizeBytes: 16384 },
  aipersist: {
    pageSizeBytes: 16384,
    checkpoint: {
      intervalMillis: 180_000,
      intervalDeviationPercent: 40,
      checkpointThreads: 4,
      compactionThreads: 4,
      readLockTimeoutMillis: 10_000,
      logReadLockThresholdTimeoutMillis: 0,
    },
    deltaLog: {
      syncMode: 'fsync',
      // With syncMode 'background', a write may be lost if the process dies within this window.
      backgroundSyncIntervalMillis: 100,
      segmentSizeBytes: 64 * MiB,
    },
    throttling: { policy: 'SPEED_BASED', minDirtyRatio: 0.5, maxDirtyRatio: 0.9 },
  },
};

export const DEFAULT_REPLACEMENT_MODE: ReplacementMode = 'CLOCK';

/**
 * What users write (in `openNode({ config })` and the work dir's aistorage.json): the spec's JSON shape, every key
 * optional; sizes in bytes. Unset keys take their defaults (see the README's configuration reference).
 */
export interface StorageConfigInput {
  readonly ignite?: {
    readonly storage?: {
      readonly engines?: {
        readonly aimem?: { readonly pageSizeBytes?: number };
        readonly aipersist?: {
          readonly pageSizeBytes?: number;
          readonly checkpoint?: Partial<CheckpointConfig>;
          readonly deltaLog?: Partial<DeltaLogConfig>;
          readonly throttling?: Partial<ThrottlingConfig>;
        };
      };
      readonly profiles?: readonly StorageProfileInput[];
    };
  };
}

/** A profile as users write it: `name` and (except for `default`, always aipersist) `engine` required, sizes optional. */
export type StorageProfileInput =
  | { readonly engine: 'aimem'; readonly name: string; readonly initSizeBytes?: number; readonly maxSizeBytes?: number }
  | { readonly engine: 'aipersist'; readonly name: string; readonly sizeBytes?: number; readonly replacementMode?: ReplacementMode }
  | { readonly engine?: 'aipersist'; readonly name: 'default'; readonly sizeBytes?: number; readonly replacementMode?: ReplacementMode };
