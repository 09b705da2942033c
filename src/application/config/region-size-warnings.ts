import type { SystemInfo } from '../../domain/ports/system-info.port';
import type { StorageConfig } from './config.model';
import { profilePath } from './config-schema';

/**
 * Profiles whose region could never reach its configured size on this machine (more than its physical memory).
 * Valid configuration — a work dir may move to a bigger machine — but worth telling at open: such a region fails
 * with OUT_OF_MEMORY (or the process is killed by the OS) long before the size it promises.
 */
export function regionSizeWarnings(config: StorageConfig, system: SystemInfo): string[] {
  const ram = system.totalMemoryBytes();
  if (!Number.isFinite(ram) || ram <= 0) return [];
  const warnings: string[] = [];
  for (const profile of config.profiles) {
    const [key, size] = profile.engine === 'aimem' ? ['maxSizeBytes', profile.maxSizeBytes] : ['sizeBytes', profile.sizeBytes];
    if (size <= ram) continue;
    warnings.push(
      `${profilePath(profile.name, key)} is ${size} bytes, more than this machine's physical memory (${ram} bytes): ` +
        `the region can never grow that large. Lower it, e.g. config update ${profilePath(profile.name, key)}=${Math.floor(ram / 2 ** 30 / 2) || 1}GB`,
    );
  }
  return warnings;
}
