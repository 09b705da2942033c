/**
 * metricsText: a hand-built NodeMetrics in the Prometheus text format 0.0.4 — exact lines for a few families, one
 * HELP and one TYPE per family, label values escaped, every sample line `name{labels} value` with a finite number.
 */
import { describe, expect, it } from 'vitest';
import { metricsText } from '../../../../src/application/engine/metrics-text';
import type { NodeMetrics } from '../../../../src/application/engine/node-metrics';

/** A profile name that needs every escape of a label value. */
const ODD = 'we"ird\\name\nx';

const metrics: NodeMetrics = {
  takenAtMillis: 1_767_225_600_000,
  regions: [
    {
      profile: 'default', engine: 'aipersist', volatile: false, pageSizeBytes: 16384, segments: { allocated: 1, max: 1 },
      pages: { allocated: 120, free: 8, max: 16384, pinned: 2, dirty: 40 }, bytes: { reserved: 268435456, used: 1966080, max: 268435456 },
    },
    {
      profile: ODD, engine: 'aimem', volatile: true, pageSizeBytes: 1024, segments: { allocated: 2, max: 16 },
      pages: { allocated: 7, free: 0, max: 10240, pinned: 0, dirty: 0 }, bytes: { reserved: 20971520, used: 7168, max: 10485760 },
    },
  ],
  tables: [
    { tableId: 3, engine: 'aipersist', profile: 'default', partitions: [{ partitionId: 0, estimatedRows: 500 }, { partitionId: 1, estimatedRows: null }], diskBytes: 81920 },
  ],
  aipersist: {
    caches: [{
      profile: 'default', hits: 1000, misses: 25, replacements: 3, pagesRead: 25, spillWrites: 1, loadedPages: 120, spilledPages: 0,
      copyOnWritePages: 4, copyOnWriteToSpill: 1, checkpointBuffer: { usedPages: 0, capacityPages: 256 },
    }],
    checkpoints: {
      count: 2, pagesWritten: 180, bytesWritten: 2949120, lastBandwidthBytesPerSec: 218453333,
      last: {
        type: 'checkpoint.finished', checkpoint: 2, reason: 'requested', partitions: 1, pagesToMain: 150, pagesToDelta: 10, bytesWritten: 2621440,
        durations: { lockWait: 0, lockHold: 1.5, sort: 0.25, write: 12, total: 14 },
      },
    },
    compaction: { deltaFilesMerged: 2 },
    deltaLog: {
      recordsAppended: 3, bytesAppended: 4096, syncs: 2, recordsPerSync: 1.5, syncP50Ms: 1.2, syncP99Ms: 3, sizeBytes: 67108864, segments: 1,
      recoveredRecords: 0, replayedRecords: 0, replayMillis: 0,
    },
    diskBytes: 3000000,
    throttling: [{
      profile: 'default', policy: 'SPEED_BASED', active: true, reason: 'dirty pages', throttledWrites: 120, totalThrottleMillis: 250,
      currentThrottleMillis: 40, dirtyRatio: 0.5, targetDirtyRatio: 0.625, checkpointPagesPerSec: 9000, markDirtyPagesPerSec: 12000,
      bufferFill: 0.125, bufferFullFallbacks: 1,
    }],
  },
  writes: { closures: 4321 },
};

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (\S+)$/;

describe('metricsText', () => {
  const text = metricsText(metrics);
  const lines = text.split('\n');

  it('ends with a line feed and has no empty line', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.slice(0, -1).filter((l) => l === '')).toEqual([]);
  });

  it('writes exact lines for region, partition, cache, checkpoint and delta-log families', () => {
    expect(lines).toEqual(expect.arrayContaining([
      '# HELP aistorage_region_allocated_pages Pages in use in the region.',
      '# TYPE aistorage_region_allocated_pages gauge',
      'aistorage_region_allocated_pages{profile="default",engine="aipersist"} 120',
      'aistorage_region_dirty_pages{profile="default",engine="aipersist"} 40',
      'aistorage_region_reserved_bytes{profile="default",engine="aipersist"} 268435456',
      'aistorage_partition_estimated_rows{engine="aipersist",profile="default",table="3",partition="0"} 500',
      'aistorage_table_disk_bytes{engine="aipersist",profile="default",table="3"} 81920',
      '# TYPE aistorage_cache_hits_total counter',
      'aistorage_cache_hits_total{profile="default"} 1000',
      'aistorage_cache_copy_on_write_spilled_pages_total{profile="default"} 1',
      'aistorage_checkpoint_buffer_capacity_pages{profile="default"} 256',
      'aistorage_checkpoints_total 2',
      'aistorage_checkpoint_written_bytes_total 2949120',
      'aistorage_checkpoint_last_number{reason="requested"} 2',
      'aistorage_checkpoint_last_written_pages{file="main"} 150',
      'aistorage_checkpoint_last_written_pages{file="delta"} 10',
      'aistorage_checkpoint_last_duration_seconds{phase="lock_hold"} 0.0015',
      'aistorage_checkpoint_last_duration_seconds{phase="total"} 0.014',
      'aistorage_checkpoint_last_bandwidth_bytes_per_second 218453333',
      'aistorage_compaction_merged_delta_files_total 2',
      'aistorage_disk_used_bytes 3000000',
      'aistorage_log_sync_p50_seconds 0.0012',
      'aistorage_throttling_active{profile="default",policy="SPEED_BASED"} 1',
      'aistorage_throttling_seconds_total{profile="default",policy="SPEED_BASED"} 0.25',
      'aistorage_throttling_target_dirty_ratio{profile="default",policy="SPEED_BASED"} 0.625',
      'aistorage_throttling_buffer_full_fallbacks_total{profile="default",policy="SPEED_BASED"} 1',
      '# TYPE aistorage_write_closures_total counter',
      'aistorage_write_closures_total 4321',
      'aistorage_log_records_per_sync 1.5',
      '# TYPE aistorage_log_replay_seconds_total counter',
      'aistorage_log_replay_seconds_total 0',
    ]));
  });

  it('leaves out a partition whose estimate is unknown', () => {
    expect(lines.filter((l) => l.startsWith('aistorage_partition_estimated_rows{'))).toHaveLength(1);
  });

  it('escapes backslash, double quote and line feed in label values', () => {
    expect(lines).toContain('aistorage_region_allocated_pages{profile="we\\"ird\\\\name\\nx",engine="aimem"} 7');
  });

  it('has one HELP and one TYPE per family, before its samples, and a known type', () => {
    const helps = lines.filter((l) => l.startsWith('# HELP ')).map((l) => l.split(' ')[2]!);
    const types = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]!);
    expect(new Set(helps).size).toBe(helps.length);
    expect(types).toEqual(helps);
    expect(helps.length).toBeGreaterThanOrEqual(40);
    for (const l of lines.filter((x) => x.startsWith('# TYPE '))) expect(l).toMatch(/ (counter|gauge)$/);
    const seen = new Set<string>();
    for (const l of lines) {
      if (l.startsWith('# TYPE ')) seen.add(l.split(' ')[2]!);
      else if (l !== '' && !l.startsWith('#')) expect(seen, l).toContain(SAMPLE.exec(l)?.[1]);
    }
  });

  it('names families aistorage_* in snake_case, counters ending in _total', () => {
    for (const l of lines.filter((x) => x.startsWith('# TYPE '))) {
      const [, , name, type] = l.split(' ');
      expect(name).toMatch(/^aistorage_[a-z0-9_]+$/);
      expect(name!.endsWith('_total')).toBe(type === 'counter');
    }
  });

  it('writes every sample line as name{labels} value with a finite number', () => {
    const samples = lines.filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.length).toBeGreaterThan(40);
    for (const l of samples) {
      const m = SAMPLE.exec(l);
      expect(m, l).not.toBeNull();
      expect(Number.isFinite(Number(m![3])), l).toBe(true);
    }
  });

  it('lists every family when the node has nothing yet; only the node-wide write counter has a sample', () => {
    const empty = metricsText({ takenAtMillis: 0, regions: [], tables: [], aipersist: null, writes: { closures: 0 } }).split('\n');
    const families = (ls: string[]): string[] => ls.filter((l) => l.startsWith('# TYPE '));
    expect(families(empty)).toEqual(families(lines));
    expect(empty.filter((l) => l !== '' && !l.startsWith('#'))).toEqual(['aistorage_write_closures_total 0']);
  });
});
