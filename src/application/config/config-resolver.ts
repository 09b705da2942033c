/**
 * Raw (user-set) configuration + defaults → the resolved StorageConfig. Dynamic defaults are computed here on
 * every resolution from SystemInfo, never stored:
 *   aimem      maxSizeBytes  = max(256 MiB, floor(20% of physical RAM)); initSizeBytes = the profile's maxSizeBytes
 *   aipersist  sizeBytes     = max(256 MiB, floor(20% of physical RAM)); replacementMode = CLOCK
 * Runs after config-validator.ts; with invalid values the result is meaningless and the caller discards it.
 */
import type { SystemInfo } from '../../domain/ports/system-info.port';
import {
  DEFAULT_PROFILE_NAME,
  DEFAULT_REPLACEMENT_MODE,
  ENGINE_DEFAULTS,
  MIN_DYNAMIC_REGION_SIZE_BYTES,
  type ReplacementMode,
  type StorageConfig,
  type StorageProfileConfig,
} from './config.model';
import { profilePath } from './config-schema';
import type { RawConfig } from './raw-config';

/** `max(256 MiB, 20% of physical RAM)`; an implausible RAM figure (0, NaN) yields the 256 MiB floor. */
export function dynamicRegionSizeBytes(system: SystemInfo): number {
  const total = system.totalMemoryBytes();
  const share = Number.isFinite(total) && total > 0 ? Math.floor(total / 5) : 0;
  return Math.max(MIN_DYNAMIC_REGION_SIZE_BYTES, share);
}

export function resolveConfig(raw: RawConfig, system: SystemInfo, problems: string[]): StorageConfig {
  const engines = overlay(ENGINE_DEFAULTS, '', raw.engines) as StorageConfig['engines'];
  const { minDirtyRatio, maxDirtyRatio } = engines.aipersist.throttling;
  if (typeof minDirtyRatio === 'number' && typeof maxDirtyRatio === 'number' && minDirtyRatio >= maxDirtyRatio) {
    problems.push(
      `ignite.storage.engines.aipersist.throttling.minDirtyRatio must be below maxDirtyRatio (${maxDirtyRatio}), got ${minDirtyRatio}`,
    );
  }
  const dynamicSize = dynamicRegionSizeBytes(system);
  const profiles: StorageProfileConfig[] = [];
  const defaults = raw.profiles.get(DEFAULT_PROFILE_NAME);
  profiles.push(resolveProfile(DEFAULT_PROFILE_NAME, defaults ?? new Map(), dynamicSize, problems));
  for (const [name, values] of raw.profiles) {
    if (name !== DEFAULT_PROFILE_NAME) profiles.push(resolveProfile(name, values, dynamicSize, problems));
  }
  return { engines, profiles };
}

/** A copy of the defaults tree with every user-set leaf replaced by its raw value. */
function overlay(defaults: object, prefix: string, values: ReadonlyMap<string, unknown>): object {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) {
    const rel = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'object' && value !== null) out[key] = overlay(value as object, rel, values);
    else out[key] = values.has(rel) ? values.get(rel) : value;
  }
  return out;
}

function resolveProfile(
  name: string,
  values: ReadonlyMap<string, unknown>,
  dynamicSize: number,
  problems: string[],
): StorageProfileConfig {
  const engine = values.get('engine') ?? 'aipersist';
  if (engine === 'aimem') {
    const maxSet = values.has('maxSizeBytes');
    const maxSizeBytes = (maxSet ? values.get('maxSizeBytes') : dynamicSize) as number;
    const initSizeBytes = (values.has('initSizeBytes') ? values.get('initSizeBytes') : maxSizeBytes) as number;
    if (Number.isSafeInteger(initSizeBytes) && Number.isSafeInteger(maxSizeBytes) && initSizeBytes > maxSizeBytes) {
      const source = maxSet ? '' : ', its default max(256 MiB, 20% of physical RAM)';
      problems.push(
        `${profilePath(name, 'initSizeBytes')} must not exceed maxSizeBytes (${maxSizeBytes}${source}), got ${initSizeBytes}`,
      );
    }
    return { engine, name, initSizeBytes, maxSizeBytes };
  }
  return {
    engine: 'aipersist',
    name,
    sizeBytes: (values.has('sizeBytes') ? values.get('sizeBytes') : dynamicSize) as number,
    replacementMode: (values.get('replacementMode') ?? DEFAULT_REPLACEMENT_MODE) as ReplacementMode,
  };
}
