/**
 * `node.metricsText()` / `aistorage stats --prometheus`: a NodeMetrics snapshot in the Prometheus text exposition
 * format 0.0.4. Names are `aistorage_*` in snake_case with the unit last (`_bytes`, `_seconds`, `_pages`,
 * `_records`) and `_total` on counters; durations, kept in ms by the snapshot, are written in seconds.
 *
 * Every family is written (its `# HELP` and `# TYPE` lines, once) even when it has no sample yet — a region not
 * created, no checkpoint so far, no delta log without a work dir — so the set of families does not depend on what
 * the node has done; samples follow their family's header. A partition whose row estimate is unknown (being
 * rebalanced or cleared) has no sample. Pure: no I/O, nothing read but the snapshot.
 */
import type { DeltaLogMetrics } from '../../domain/ports/delta-log.port';
import type { CheckpointFinishedEvent } from '../../domain/checkpoint/checkpoint.events';
import type { DurabilityMetrics, NodeMetrics, RegionMetrics, TableMetrics } from './node-metrics';

/** The two metric types aistorage writes. */
export type MetricType = 'counter' | 'gauge';

/** Label name and value pairs, in the order they are written. */
type Labels = readonly (readonly [string, string])[];

interface Family<T> {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** The sample's value for one item; null: the item has no sample in this family. */
  readonly value: (item: T) => number | null;
}

type CacheMetrics = DurabilityMetrics['caches'][number];
type PartitionRow = { readonly table: TableMetrics; readonly partitionId: number; readonly estimatedRows: number | null };
type Phase = { readonly phase: string; readonly millis: number };
type LastPages = { readonly file: string; readonly pages: number };

/** Milliseconds as seconds, to the microsecond (the clocks' float noise left out). */
const seconds = (millis: number): number => Math.round(millis * 1000) / 1e6;

const REGION: readonly Family<RegionMetrics>[] = [
  { name: 'aistorage_region_allocated_pages', type: 'gauge', help: 'Pages in use in the region.', value: (r) => r.pages.allocated },
  { name: 'aistorage_region_free_pages', type: 'gauge', help: 'Pages free for reuse in the region.', value: (r) => r.pages.free },
  { name: 'aistorage_region_max_pages', type: 'gauge', help: 'The most pages the region can hold.', value: (r) => r.pages.max },
  { name: 'aistorage_region_pinned_pages', type: 'gauge', help: 'Pages pinned now.', value: (r) => r.pages.pinned },
  { name: 'aistorage_region_dirty_pages', type: 'gauge', help: 'Pages changed since their last checkpoint (0 for a volatile region).', value: (r) => r.pages.dirty },
  { name: 'aistorage_region_segments', type: 'gauge', help: 'Segments allocated.', value: (r) => r.segments.allocated },
  { name: 'aistorage_region_max_segments', type: 'gauge', help: 'Segments the region may allocate.', value: (r) => r.segments.max },
  { name: 'aistorage_region_page_size_bytes', type: 'gauge', help: 'Page size of the region.', value: (r) => r.pageSizeBytes },
  { name: 'aistorage_region_reserved_bytes', type: 'gauge', help: 'Bytes reserved from the machine (allocated segments).', value: (r) => r.bytes.reserved },
  { name: 'aistorage_region_used_bytes', type: 'gauge', help: 'Bytes in use by pages.', value: (r) => r.bytes.used },
  { name: 'aistorage_region_max_bytes', type: 'gauge', help: "The profile's maximum size.", value: (r) => r.bytes.max },
];

const TABLE: readonly Family<TableMetrics>[] = [
  { name: 'aistorage_table_disk_bytes', type: 'gauge', help: "Bytes of an open aipersist table's files on disk.", value: (t) => t.diskBytes },
];

const PARTITION: readonly Family<PartitionRow>[] = [
  { name: 'aistorage_partition_estimated_rows', type: 'gauge', help: 'Estimated live committed rows of an open partition.', value: (p) => p.estimatedRows },
];

const CACHE: readonly Family<CacheMetrics>[] = [
  { name: 'aistorage_cache_hits_total', type: 'counter', help: 'Page reads served by the page cache.', value: (c) => c.hits },
  { name: 'aistorage_cache_misses_total', type: 'counter', help: 'Page reads that missed the page cache.', value: (c) => c.misses },
  { name: 'aistorage_cache_replacements_total', type: 'counter', help: 'Pages evicted to make room.', value: (c) => c.replacements },
  { name: 'aistorage_cache_read_pages_total', type: 'counter', help: 'Pages read from disk.', value: (c) => c.pagesRead },
  { name: 'aistorage_cache_spill_writes_total', type: 'counter', help: 'Pages written to the spill area.', value: (c) => c.spillWrites },
  { name: 'aistorage_cache_loaded_pages', type: 'gauge', help: 'Pages in the cache now.', value: (c) => c.loadedPages },
  { name: 'aistorage_cache_spilled_pages', type: 'gauge', help: 'Dirty pages evicted to the spill area, not yet checkpointed.', value: (c) => c.spilledPages },
  { name: 'aistorage_cache_copy_on_write_pages_total', type: 'counter', help: 'Pages copied before a running checkpoint wrote them.', value: (c) => c.copyOnWritePages },
  { name: 'aistorage_cache_copy_on_write_spilled_pages_total', type: 'counter', help: 'Of those, pages copied into the spill area (checkpoint buffer full).', value: (c) => c.copyOnWriteToSpill },
  { name: 'aistorage_checkpoint_buffer_used_pages', type: 'gauge', help: 'Pages of the checkpoint buffer in use.', value: (c) => c.checkpointBuffer.usedPages },
  { name: 'aistorage_checkpoint_buffer_capacity_pages', type: 'gauge', help: 'Pages the checkpoint buffer holds.', value: (c) => c.checkpointBuffer.capacityPages },
];

const DURABLE: readonly Family<DurabilityMetrics>[] = [
  { name: 'aistorage_checkpoints_total', type: 'counter', help: 'Checkpoints written.', value: (d) => d.checkpoints.count },
  { name: 'aistorage_checkpoint_written_pages_total', type: 'counter', help: 'Pages written by checkpoints.', value: (d) => d.checkpoints.pagesWritten },
  { name: 'aistorage_checkpoint_written_bytes_total', type: 'counter', help: 'Bytes written by checkpoints.', value: (d) => d.checkpoints.bytesWritten },
  { name: 'aistorage_compaction_merged_delta_files_total', type: 'counter', help: 'Delta files merged into main files by compaction.', value: (d) => d.compaction.deltaFilesMerged },
  { name: 'aistorage_disk_used_bytes', type: 'gauge', help: 'Bytes of every partition and delta file on disk.', value: (d) => d.diskBytes },
];

const LAST_NUMBER: readonly Family<CheckpointFinishedEvent>[] = [
  { name: 'aistorage_checkpoint_last_number', type: 'gauge', help: 'Number of the last checkpoint (label: its reason).', value: (c) => c.checkpoint },
];

const LAST_CHECKPOINT: readonly Family<CheckpointFinishedEvent>[] = [
  { name: 'aistorage_checkpoint_last_partitions', type: 'gauge', help: 'Partitions written by the last checkpoint.', value: (c) => c.partitions },
  { name: 'aistorage_checkpoint_last_written_bytes', type: 'gauge', help: 'Bytes written by the last checkpoint.', value: (c) => c.bytesWritten },
  {
    name: 'aistorage_checkpoint_last_bandwidth_bytes_per_second', type: 'gauge', help: "Bytes per second of the last checkpoint's write phase.",
    value: (c) => (c.durations.write > 0 ? Math.round((c.bytesWritten * 1000) / c.durations.write) : 0),
  },
];

const LAST_PAGES: readonly Family<LastPages>[] = [
  { name: 'aistorage_checkpoint_last_written_pages', type: 'gauge', help: 'Pages written by the last checkpoint, to main and to delta files.', value: (p) => p.pages },
];

const LAST_PHASES: readonly Family<Phase>[] = [
  { name: 'aistorage_checkpoint_last_duration_seconds', type: 'gauge', help: 'Phase durations of the last checkpoint.', value: (p) => seconds(p.millis) },
];

const DELTA_LOG: readonly Family<DeltaLogMetrics>[] = [
  { name: 'aistorage_log_appended_records_total', type: 'counter', help: 'Records appended to the write-ahead delta log.', value: (l) => l.recordsAppended },
  { name: 'aistorage_log_appended_bytes_total', type: 'counter', help: 'Bytes appended to the write-ahead delta log.', value: (l) => l.bytesAppended },
  { name: 'aistorage_log_syncs_total', type: 'counter', help: 'Sync rounds of the delta log.', value: (l) => l.syncs },
  { name: 'aistorage_log_records_per_sync', type: 'gauge', help: 'Records made durable per sync, on average (group-commit size).', value: (l) => l.recordsPerSync },
  { name: 'aistorage_log_sync_p50_seconds', type: 'gauge', help: 'Median latency of a sync round (write + fdatasync) over the last rounds.', value: (l) => seconds(l.syncP50Ms) },
  { name: 'aistorage_log_sync_p99_seconds', type: 'gauge', help: '99th percentile latency of a sync round over the last rounds.', value: (l) => seconds(l.syncP99Ms) },
  { name: 'aistorage_log_size_bytes', type: 'gauge', help: 'Bytes of the delta log segment files.', value: (l) => l.sizeBytes },
  { name: 'aistorage_log_segments', type: 'gauge', help: 'Delta log segment files.', value: (l) => l.segments },
  { name: 'aistorage_log_recovered_records', type: 'gauge', help: 'Records found in the delta log at open.', value: (l) => l.recoveredRecords },
  { name: 'aistorage_log_replayed_records_total', type: 'counter', help: 'Recovered records replayed into partitions.', value: (l) => l.replayedRecords },
  { name: 'aistorage_log_replay_seconds_total', type: 'counter', help: 'Time spent replaying recovered records.', value: (l) => seconds(l.replayMillis) },
];

type Throttling = DurabilityMetrics['throttling'][number];
const THROTTLING: readonly Family<Throttling>[] = [
  { name: 'aistorage_throttling_active', type: 'gauge', help: 'Whether writers are being delayed now (1) or not (0).', value: (t) => (t.active ? 1 : 0) },
  { name: 'aistorage_throttling_writes_total', type: 'counter', help: 'Write closures delayed by throttling.', value: (t) => t.throttledWrites },
  { name: 'aistorage_throttling_seconds_total', type: 'counter', help: 'Time write closures waited for throttling.', value: (t) => seconds(t.totalThrottleMillis) },
  { name: 'aistorage_throttling_current_seconds', type: 'gauge', help: 'Time writers waited in the current throttling period.', value: (t) => seconds(t.currentThrottleMillis) },
  { name: 'aistorage_throttling_dirty_ratio', type: 'gauge', help: 'Dirty pages / cache pages.', value: (t) => t.dirtyRatio },
  { name: 'aistorage_throttling_target_dirty_ratio', type: 'gauge', help: "The dirty ratio the policy allows now.", value: (t) => t.targetDirtyRatio },
  { name: 'aistorage_throttling_checkpoint_pages_per_second', type: 'gauge', help: 'Pages per second the checkpoints write.', value: (t) => t.checkpointPagesPerSec },
  { name: 'aistorage_throttling_mark_dirty_pages_per_second', type: 'gauge', help: 'Pages marked dirty per second.', value: (t) => t.markDirtyPagesPerSec },
  { name: 'aistorage_throttling_checkpoint_buffer_fill_ratio', type: 'gauge', help: 'Checkpoint buffer pages in use / capacity.', value: (t) => t.bufferFill },
  {
    name: 'aistorage_throttling_buffer_full_fallbacks_total', type: 'counter',
    help: 'Snapshot pages a writer sent to the spill area because the checkpoint buffer was full.', value: (t) => t.bufferFullFallbacks,
  },
];

const WRITES: readonly Family<NodeMetrics['writes']>[] = [
  { name: 'aistorage_write_closures_total', type: 'counter', help: 'Write closures (runConsistently / runDurably) run, every engine.', value: (w) => w.closures },
];

const PHASES = [['lock_wait', 'lockWait'], ['lock_hold', 'lockHold'], ['sort', 'sort'], ['write', 'write'], ['total', 'total']] as const;
const NO_LABELS: Labels = [];
const none = (): Labels => NO_LABELS;

/** The snapshot in the Prometheus text format 0.0.4 (every line ends with a newline). */
export function metricsText(m: NodeMetrics): string {
  const out: string[] = [];
  section(out, REGION, m.regions, (r) => [['profile', r.profile], ['engine', r.engine]]);
  section(out, TABLE, m.tables, (t) => [['engine', t.engine], ['profile', t.profile], ['table', String(t.tableId)]]);
  const partitions = m.tables.flatMap((table) => table.partitions.map((p) => ({ table, ...p })));
  section(out, PARTITION, partitions, (p) => [['engine', p.table.engine], ['profile', p.table.profile], ['table', String(p.table.tableId)], ['partition', String(p.partitionId)]]);
  const d = m.aipersist;
  section(out, CACHE, d?.caches ?? [], (c) => [['profile', c.profile]]);
  section(out, DURABLE, d === null ? [] : [d], none);
  const last = d?.checkpoints.last ?? null;
  section(out, LAST_NUMBER, last === null ? [] : [last], (c) => [['reason', c.reason]]);
  section(out, LAST_CHECKPOINT, last === null ? [] : [last], none);
  const pages = last === null ? [] : [{ file: 'main', pages: last.pagesToMain }, { file: 'delta', pages: last.pagesToDelta }];
  section(out, LAST_PAGES, pages, (p) => [['file', p.file]]);
  const phases = last === null ? [] : PHASES.map(([phase, key]) => ({ phase, millis: last.durations[key] }));
  section(out, LAST_PHASES, phases, (p) => [['phase', p.phase]]);
  section(out, DELTA_LOG, d?.deltaLog == null ? [] : [d.deltaLog], none);
  section(out, THROTTLING, d?.throttling ?? [], (t) => [['profile', t.profile], ['policy', t.policy]]);
  section(out, WRITES, [m.writes], none);
  return out.join('\n') + '\n';
}

function section<T>(out: string[], families: readonly Family<T>[], items: readonly T[], labels: (item: T) => Labels): void {
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const item of items) {
      const value = f.value(item);
      if (value !== null) out.push(`${f.name}${labelText(labels(item))} ${numberText(value)}`);
    }
  }
}

function labelText(labels: Labels): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and line feed escaped. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}
