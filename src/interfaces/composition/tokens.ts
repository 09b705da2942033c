/**
 * Service identifiers of a node's container. Tests swap adapters by rebinding these
 * (`container.rebind(TOKENS.MemoryProvider).toConstantValue(fake)`) in `openNode`'s `configure` hook.
 */
import type { ServiceIdentifier } from 'inversify';
import type { ConfigService } from '../../application/config/config-service';
import type { ConfigStore } from '../../application/config/config-store.port';
import type { ProfileEngine } from '../../application/engine/profile-engine';
import type { Clock } from '../../domain/ports/clock.port';
import type { MemoryProvider } from '../../domain/ports/memory-provider.port';
import type { SystemInfo } from '../../domain/ports/system-info.port';
import type { WorkDirLock } from '../../domain/ports/work-dir-lock.port';
import type { FileIo } from '../../domain/ports/file-io.port';
import type { CatalogStore } from '../../application/catalog/catalog-store.port';
import type { ClockLeaseStore } from '../../application/tables/clock-lease';

export interface NodeOptions {
  /** Directory of the node's files (config file, aipersist data). Without it the node keeps its config in memory. */
  readonly workDir?: string;
  /** Configuration in the spec's JSON shape, merged over the work dir's config file. */
  readonly config?: unknown;
  /** Read the work dir, never write it (no lock, no config save). */
  readonly readOnly?: boolean;
}

export const TOKENS = {
  NodeOptions: Symbol.for('aistorage.NodeOptions') as ServiceIdentifier<NodeOptions>,
  SystemInfo: Symbol.for('aistorage.SystemInfo') as ServiceIdentifier<SystemInfo>,
  ConfigStore: Symbol.for('aistorage.ConfigStore') as ServiceIdentifier<ConfigStore>,
  ConfigService: Symbol.for('aistorage.ConfigService') as ServiceIdentifier<ConfigService>,
  MemoryProvider: Symbol.for('aistorage.MemoryProvider') as ServiceIdentifier<MemoryProvider>,
  Clock: Symbol.for('aistorage.Clock') as ServiceIdentifier<Clock>,
  WorkDirLock: Symbol.for('aistorage.WorkDirLock') as ServiceIdentifier<WorkDirLock>,
  FileIo: Symbol.for('aistorage.FileIo') as ServiceIdentifier<FileIo>,
  CatalogStore: Symbol.for('aistorage.CatalogStore') as ServiceIdentifier<CatalogStore>,
  /** null without a work dir (nothing outlives the process) and on a read-only node. */
  ClockLeaseStore: Symbol.for('aistorage.ClockLeaseStore') as ServiceIdentifier<ClockLeaseStore | null>,
  AimemEngine: Symbol.for('aistorage.engine.aimem') as ServiceIdentifier<ProfileEngine>,
  AipersistEngine: Symbol.for('aistorage.engine.aipersist') as ServiceIdentifier<ProfileEngine>,
} as const;
