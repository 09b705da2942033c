/**
 * Opens nodes whose aipersist engine is tuned for a test, through the container (an adapter swap): a page cache
 * smaller than any profile may configure (so pages are evicted all the time), a small checkpoint buffer (so
 * copy-on-write overflows into the spill area), and optionally another FileIo (power loss, a filling disk).
 */
import type { ConfigService } from '../../src/application/config/config-service';
import { AipersistEngine } from '../../src/application/engine/aipersist/aipersist-engine';
import type { FileIo } from '../../src/domain/ports/file-io.port';
import type { ThrottleClock } from '../../src/domain/throttling/write-gate';
import { FilePageStore } from '../../src/infrastructure/store/file-page-store';
import { FileDeltaLog } from '../../src/infrastructure/log/file-delta-log';
import type { ContainerConfigurer } from '../../src/interfaces/composition/container';
import { TOKENS } from '../../src/interfaces/composition/tokens';

export interface AipersistTuning {
  /** Every region's cache, in bytes, instead of its profile's sizeBytes. */
  readonly cacheSizeBytes?: number;
  /** Every region's checkpoint buffer, in bytes. */
  readonly checkpointBufferBytes?: number;
  /** The file system adapter (TOKENS.FileIo) instead of the real one. */
  readonly io?: FileIo;
  /** Write throttling's clock and timers (and the checkpoints' clock): a manual one. */
  readonly throttleClock?: ThrottleClock;
  /** The delta log's inline-sync threshold (0: every sync goes through the async FileIo calls a SlowFileIo can hold). */
  readonly inlineSyncRecords?: number;
}

/** The `configure` hook of `openNode(options, { configure })` for a node on `workDir` with `tuning`. */
export function tuneAipersist(workDir: string, tuning: AipersistTuning): ContainerConfigurer {
  return (c) => {
    if (tuning.io !== undefined) c.rebind(TOKENS.FileIo).toConstantValue(tuning.io);
    if (tuning.cacheSizeBytes === undefined && tuning.checkpointBufferBytes === undefined && tuning.throttleClock === undefined
      && tuning.inlineSyncRecords === undefined) return;
    c.rebind(TOKENS.AipersistEngine).toResolvedValue(
      (config: ConfigService, io: FileIo) => new AipersistEngine({
        config, workDir, readOnly: false,
        ...(tuning.cacheSizeBytes === undefined ? {} : { cacheSizeBytes: tuning.cacheSizeBytes }),
        ...(tuning.checkpointBufferBytes === undefined ? {} : { checkpointBufferBytes: tuning.checkpointBufferBytes }),
        ...(tuning.throttleClock === undefined ? {} : { throttleClock: tuning.throttleClock }),
        storeFactory: (dbDir, pageSize, writers) => new FilePageStore(io, dbDir, pageSize, writers),
        logFactory: (logDir, settings, readOnly) => new FileDeltaLog(io, logDir, {
          ...settings, readOnly, ...(tuning.inlineSyncRecords === undefined ? {} : { inlineSyncRecords: tuning.inlineSyncRecords }),
        }),
      }),
      [TOKENS.ConfigService, TOKENS.FileIo],
    ).inSingletonScope();
  };
}
