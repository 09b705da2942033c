/** Bindings every node has, whatever its engines: config, system facts, clock, memory. */
import { ContainerModule } from 'inversify';
import { join } from 'node:path';
import { ConfigService } from '../../application/config/config-service';
import { InMemoryConfigStore } from '../../application/config/in-memory-config-store';
import type { ConfigStore } from '../../application/config/config-store.port';
import { JsonFileConfigStore } from '../../infrastructure/config/json-file-config-store';
import { OsSystemInfo } from '../../infrastructure/config/os-system-info';
import { ArrayBufferMemoryProvider } from '../../infrastructure/memory/array-buffer-memory-provider';
import { SystemClock } from '../../infrastructure/time/system-clock';
import { FileClockLeaseStore } from '../../infrastructure/time/file-clock-lease-store';
import type { ClockLeaseStore } from '../../application/tables/clock-lease';
import { FileWorkDirLock } from '../../infrastructure/workdir/file-work-dir-lock';
import { NodeFileIo } from '../../infrastructure/fs/node-file-io';
import type { FileIo } from '../../domain/ports/file-io.port';
import type { SystemInfo } from '../../domain/ports/system-info.port';
import { InMemoryCatalogStore } from '../../application/catalog/in-memory-catalog-store';
import type { CatalogStore } from '../../application/catalog/catalog-store.port';
import { FileCatalogStore } from '../../infrastructure/catalog/file-catalog-store';
import { ReadOnlyFileIo } from '../../infrastructure/fs/read-only-file-io';
import { TOKENS, type NodeOptions } from './tokens';

/** The config file of a work dir. */
export const CONFIG_FILE_NAME = 'aistorage.json';
/** The catalog's directory in a work dir (zones, tables, indexes). */
export const CATALOG_DIR_NAME = 'catalog';

/** The clock lease of a work dir (timestamps stay increasing across restarts). */
export const CLOCK_LEASE_FILE_NAME = 'clock';

export const coreModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.SystemInfo).toResolvedValue(() => new OsSystemInfo()).inSingletonScope();
  bind(TOKENS.Clock).toResolvedValue(() => new SystemClock()).inSingletonScope();
  bind(TOKENS.WorkDirLock).toResolvedValue(() => new FileWorkDirLock()).inSingletonScope();
  bind(TOKENS.FileIo).toResolvedValue(() => new NodeFileIo()).inSingletonScope();
  bind(TOKENS.MemoryProvider).toResolvedValue(() => new ArrayBufferMemoryProvider()).inSingletonScope();
  bind(TOKENS.ConfigStore)
    .toResolvedValue(
      (opts: NodeOptions, io: FileIo): ConfigStore =>
        opts.workDir ? new JsonFileConfigStore(join(opts.workDir, CONFIG_FILE_NAME), io) : new InMemoryConfigStore(),
      [TOKENS.NodeOptions, TOKENS.FileIo],
    )
    .inSingletonScope();
  bind(TOKENS.CatalogStore)
    .toResolvedValue(
      (opts: NodeOptions, io: FileIo): CatalogStore => {
        if (!opts.workDir) return new InMemoryCatalogStore();
        return new FileCatalogStore(opts.readOnly === true ? new ReadOnlyFileIo(io) : io, join(opts.workDir, CATALOG_DIR_NAME));
      },
      [TOKENS.NodeOptions, TOKENS.FileIo],
    )
    .inSingletonScope();
  bind(TOKENS.ClockLeaseStore)
    .toResolvedValue(
      (opts: NodeOptions, io: FileIo): ClockLeaseStore | null =>
        opts.workDir && opts.readOnly !== true ? new FileClockLeaseStore(io, join(opts.workDir, CLOCK_LEASE_FILE_NAME)) : null,
      [TOKENS.NodeOptions, TOKENS.FileIo],
    )
    .inSingletonScope();
  bind(TOKENS.ConfigService)
    .toResolvedValue(
      (store: ConfigStore, system: SystemInfo, opts: NodeOptions) =>
        new ConfigService(store, system, opts.config, { readOnly: opts.readOnly === true }),
      [TOKENS.ConfigStore, TOKENS.SystemInfo, TOKENS.NodeOptions],
    )
    .inSingletonScope();
});
