/**
 * The aipersist engine: persistent regions (page caches) over partition and delta files and the write-ahead delta
 * log in the work dir, written through the FileIo port (tests rebind TOKENS.FileIo to a fault-injecting adapter).
 */
import { ContainerModule } from 'inversify';
import type { ConfigService } from '../../application/config/config-service';
import { AipersistEngine } from '../../application/engine/aipersist/aipersist-engine';
import type { FileIo } from '../../domain/ports/file-io.port';
import { FilePageStore } from '../../infrastructure/store/file-page-store';
import { FileDeltaLog } from '../../infrastructure/log/file-delta-log';
import { TOKENS, type NodeOptions } from './tokens';

export const aipersistModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.AipersistEngine)
    .toResolvedValue(
      (config: ConfigService, io: FileIo, options: NodeOptions) =>
        new AipersistEngine({
          config,
          workDir: options.workDir ?? null,
          readOnly: options.readOnly === true,
          storeFactory: (dbDir, pageSize, writers) => new FilePageStore(io, dbDir, pageSize, writers),
          logFactory: (logDir, settings, readOnly) => new FileDeltaLog(io, logDir, { ...settings, readOnly }),
        }),
      [TOKENS.ConfigService, TOKENS.FileIo, TOKENS.NodeOptions],
    )
    .inSingletonScope();
});
