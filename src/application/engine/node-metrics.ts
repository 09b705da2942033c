/**
 * One typed snapshot of what a node holds (`node.metrics()`), the same shape for every engine. This build fills the
 * parts both engines have today — regions and tables; the aipersist issues add page-cache, checkpoint, compaction,
 * delta-log and throttling sections beside them. Values are read from counters when asked (nothing is counted per
 * operation for it), so taking a snapshot costs nothing on the hot paths.
 */
import type { DeltaLogMetrics } from '../../domain/ports/delta-log.port';
import type { RegionStats } from '../../domain/region/data-region.events';
import type { EngineName } from '../../domain/storage/storage-engine.api';
import type { CheckpointFinishedEvent } from '../../domain/checkpoint/checkpoint.events';
import type { ThrottlingPolicyName, ThrottlingReason } from '../../domain/throttling/throttling.events';

export interface NodeMetrics {
  /** Wall-clock milliseconds when the snapshot was taken. */
  readonly takenAtMillis: number;
  /** Every region created so far, in profile order. */
  readonly regions: readonly RegionMetrics[];
  /** Every open table of every engine. */
  readonly tables: readonly TableMetrics[];
  /**
   * aipersist: page-cache counters per region (hits, misses, replacements, pages read, spill writes), checkpoint
   * totals and the last checkpoint (reason, pages to main / delta files, phase durations), compaction, bytes on disk.
   */
  readonly aipersist: DurabilityMetrics | null;
  /** Write closures (outermost runConsistently / runDurably calls) run since the node opened, every engine. */
  readonly writes: { readonly closures: number };
}

export interface RegionMetrics {
  readonly profile: string;
  readonly engine: EngineName;
  /** True for aimem: nothing is ever written to disk, so there are no dirty pages to checkpoint. */
  readonly volatile: boolean;
  readonly pageSizeBytes: number;
  readonly segments: { readonly allocated: number; readonly max: number };
  /** Pages: in use, free for reuse, the most the region can hold, pinned now, changed since their last checkpoint. */
  readonly pages: { readonly allocated: number; readonly free: number; readonly max: number; readonly pinned: number; readonly dirty: number };
  /** Bytes: reserved from the machine (allocated segments), in use by pages, and the profile's maximum. */
  readonly bytes: { readonly reserved: number; readonly used: number; readonly max: number };
}

export interface TableMetrics {
  readonly tableId: number;
  readonly engine: EngineName;
  readonly profile: string;
  /** Open partitions with their estimated number of live committed rows (null while the partition is being rebalanced or cleared). */
  readonly partitions: readonly { readonly partitionId: number; readonly estimatedRows: number | null }[];
  /** aipersist: bytes of the table's files on disk (partition, delta and index descriptor files); null on aimem. */
  readonly diskBytes: number | null;
}

/** A region's metrics from its stats. */
export function regionMetrics(engine: EngineName, volatile: boolean, s: RegionStats): RegionMetrics {
  return {
    profile: s.name,
    engine,
    volatile,
    pageSizeBytes: s.pageSize,
    segments: { allocated: s.segments, max: s.plannedSegments },
    pages: { allocated: s.allocatedPages, free: s.freePages + s.droppedPages + s.unusedPages, max: s.maxPages, pinned: s.pinnedPages, dirty: volatile ? 0 : s.dirtyPages },
    bytes: { reserved: s.totalBytes, used: s.allocatedBytes, max: s.maxSizeBytes },
  };
}

/** What node.metrics() shows of aipersist beside its regions. */
export interface DurabilityMetrics {
  readonly caches: ReadonlyArray<{
    readonly profile: string; readonly hits: number; readonly misses: number; readonly replacements: number; readonly pagesRead: number;
    readonly spillWrites: number; readonly loadedPages: number; readonly spilledPages: number;
    /** Pages copied before a running checkpoint wrote them (changed or evicted meanwhile); of those, into the spill area. */
    readonly copyOnWritePages: number; readonly copyOnWriteToSpill: number;
    /** The checkpoint buffer (DESIGN §3) now. */
    readonly checkpointBuffer: { readonly usedPages: number; readonly capacityPages: number };
  }>;
  readonly checkpoints: {
    readonly count: number; readonly pagesWritten: number; readonly bytesWritten: number; readonly last: CheckpointFinishedEvent | null;
    /** Bytes per second of the last checkpoint's write phase (fsyncs included); 0 before the first. */
    readonly lastBandwidthBytesPerSec: number;
  };
  readonly compaction: { readonly deltaFilesMerged: number };
  /** The write-ahead delta log (null without a work dir). */
  readonly deltaLog: DeltaLogMetrics | null;
  /** Bytes of every partition and delta file on disk. */
  readonly diskBytes: number;
  /** Write throttling, per region (README "Write throttling"). */
  readonly throttling: readonly ThrottlingMetrics[];
}

/** One region's write throttling (DESIGN.md §5): the policy's view now and its totals since open. */
export interface ThrottlingMetrics {
  readonly profile: string;
  readonly policy: ThrottlingPolicyName;
  /** True while writers are being delayed (between throttling.started and throttling.stopped). */
  readonly active: boolean;
  /** Why, while active: the checkpoint buffer past 2/3, or dirty pages ahead of the running checkpoint. */
  readonly reason: ThrottlingReason | null;
  /**
   * Write closures paced by the gate (each took the next slot of the throttling schedule; those whose slot was 1 ms
   * or more away slept), and the time they slept in all (ms), since open.
   */
  readonly throttledWrites: number;
  readonly totalThrottleMillis: number;
  /** Time writers waited in the current throttling period (0 when not active). */
  readonly currentThrottleMillis: number;
  /** Dirty pages / cache pages now, and the ratio the policy allows at this point of the running checkpoint. */
  readonly dirtyRatio: number;
  readonly targetDirtyRatio: number;
  /** Pages per second the checkpoints write (measured), and pages marked dirty per second (measured). */
  readonly checkpointPagesPerSec: number;
  readonly markDirtyPagesPerSec: number;
  /** Checkpoint buffer pages in use / capacity now. */
  readonly bufferFill: number;
  /**
   * The fallback of a writer that met a full checkpoint buffer: the page's snapshot image went to the spill area
   * (a scratch file) instead — never a blocked writer, never a damaged checkpoint. Pages, since open.
   */
  readonly bufferFullFallbacks: number;
}


