/**
 * aipersist's part of `node.metrics()` (DurabilityMetrics): page-cache counters per region, checkpoint and compaction
 * totals, the delta log, bytes on disk and write throttling — read from counters when asked, never per operation.
 */
import type { DurablePageStore } from '../../../domain/ports/page-store.port';
import type { DurableDeltaLog } from '../../../domain/ports/delta-log.port';
import type { PersistentRegion } from '../../../domain/region/persistent-region';
import type { DurabilityMetrics } from '../node-metrics';
import type { CheckpointTotals } from './checkpointer';
import type { WriteThrottle } from './write-throttle';

export interface DurabilitySources {
  readonly regions: readonly PersistentRegion[];
  readonly totals: CheckpointTotals | null;
  readonly log: DurableDeltaLog | null;
  readonly store: DurablePageStore | null;
  readonly throttles: readonly WriteThrottle[];
}

export function durabilityMetricsOf(o: DurabilitySources): DurabilityMetrics {
  const { totals } = o;
  const caches = o.regions.map((r) => {
    const cow = r.pageMemory.checkpointImages();
    return {
      profile: r.name, ...r.pageMemory.counters(), loadedPages: r.pageMemory.loadedPages, spilledPages: r.pageMemory.spilledPages,
      copyOnWritePages: cow.copiedPages, copyOnWriteToSpill: cow.copiedToSpill,
      checkpointBuffer: { usedPages: cow.bufferUsedPages, capacityPages: cow.bufferCapacityPages },
    };
  });
  return {
    caches,
    checkpoints: {
      count: totals?.checkpoints ?? 0,
      pagesWritten: totals?.pagesWritten ?? 0,
      bytesWritten: totals?.bytesWritten ?? 0,
      last: totals?.last ?? null,
      lastBandwidthBytesPerSec: bandwidth(totals?.last ?? null),
    },
    compaction: { deltaFilesMerged: totals?.compactions ?? 0 },
    deltaLog: o.log?.metrics() ?? null,
    diskBytes: o.store?.diskBytes() ?? 0,
    throttling: o.throttles.map((t) => t.metrics()),
  };
}

/** Bytes per second of a checkpoint's write phase. */
function bandwidth(last: { readonly bytesWritten: number; readonly durations: { readonly write: number } } | null): number {
  return last === null || last.durations.write <= 0 ? 0 : Math.round((last.bytesWritten * 1000) / last.durations.write);
}
