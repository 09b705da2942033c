/** The dashboard's points from two metrics snapshots: rates and ratios per interval, gaps (null) where there is nothing. */
import { describe, expect, it } from 'vitest';
import type { NodeMetrics, RegionMetrics, ThrottlingMetrics } from '../../../../src/interfaces/api/index';
import { deriveSample, sampleCounters } from '../../../../src/interfaces/dashboard/dashboard-sample';

const region = (profile: string, volatile: boolean, dirty: number, max: number): RegionMetrics => ({
  profile, engine: volatile ? 'aimem' : 'aipersist', volatile, pageSizeBytes: 4096, segments: { allocated: 1, max: 1 },
  pages: { allocated: max, free: 0, max, pinned: 0, dirty }, bytes: { reserved: 0, used: 0, max: 0 },
});

const throttling = (totalThrottleMillis: number, active: boolean): ThrottlingMetrics => ({
  profile: 'p', policy: 'SPEED_BASED', active, reason: active ? 'dirty pages' : null, throttledWrites: 0, totalThrottleMillis,
  currentThrottleMillis: 0, dirtyRatio: 0.5, targetDirtyRatio: 0.6, checkpointPagesPerSec: 0, markDirtyPagesPerSec: 0, bufferFill: 0, bufferFullFallbacks: 0,
});

function snapshot(o: { closures: number; hits: number; misses: number; throttle: number; active: boolean; dirty: number }): NodeMetrics {
  const cache = {
    profile: 'p', hits: o.hits, misses: o.misses, replacements: 0, pagesRead: 0, spillWrites: 0, loadedPages: 0, spilledPages: 0,
    copyOnWritePages: 0, copyOnWriteToSpill: 0, checkpointBuffer: { usedPages: 25, capacityPages: 100 },
  };
  return {
    takenAtMillis: 0, tables: [], writes: { closures: o.closures },
    regions: [region('p', false, o.dirty, 1000), region('m', true, 0, 500)],
    aipersist: {
      caches: [cache], checkpoints: { count: 0, pagesWritten: 0, bytesWritten: 0, last: null, lastBandwidthBytesPerSec: 0 }, compaction: { deltaFilesMerged: 0 },
      deltaLog: null, diskBytes: 0, throttling: [throttling(o.throttle, o.active)],
    },
  };
}

describe('deriveSample', () => {
  it('turns counters into per-second rates and per-interval ratios', () => {
    const a = snapshot({ closures: 100, hits: 10, misses: 0, throttle: 0, active: false, dirty: 100 });
    const b = snapshot({ closures: 300, hits: 40, misses: 10, throttle: 500, active: true, dirty: 400 });
    const s = deriveSample(sampleCounters(a, 10_000), sampleCounters(b, 12_000), b);
    expect(s).toEqual({
      t: 12_000,
      writesPerSec: 100,
      regions: [
        { profile: 'p', engine: 'aipersist', volatile: false, dirtyRatio: 0.4, targetDirtyRatio: 0.6, bufferFill: 0.25, throttleMillisPerSec: 250, throttling: true, hitRatio: 0.75 },
        { profile: 'm', engine: 'aimem', volatile: true, dirtyRatio: null, targetDirtyRatio: null, bufferFill: null, throttleMillisPerSec: null, throttling: false, hitRatio: null },
      ],
    });
  });

  it('leaves a gap where the interval had no cache accesses', () => {
    const a = snapshot({ closures: 1, hits: 10, misses: 5, throttle: 0, active: false, dirty: 0 });
    const s = deriveSample(sampleCounters(a, 0), sampleCounters(a, 500), a);
    expect(s.regions[0]).toMatchObject({ hitRatio: null, throttleMillisPerSec: 0 });
    expect(s.writesPerSec).toBe(0);
  });

  it('reads snapshots without the writes and throttling sections (a node before their wiring) as gaps', () => {
    const full = snapshot({ closures: 1, hits: 1, misses: 1, throttle: 1, active: true, dirty: 1 });
    const old = { ...full, writes: undefined, aipersist: { ...full.aipersist!, throttling: undefined } } as unknown as NodeMetrics;
    const s = deriveSample(sampleCounters(old, 0), sampleCounters(old, 1000), old);
    expect(s.writesPerSec).toBeNull();
    expect(s.regions[0]).toMatchObject({ targetDirtyRatio: null, throttleMillisPerSec: null, throttling: false, bufferFill: 0.25, hitRatio: null });
  });

  it('never reports a negative rate when a counter restarts (a dropped and re-created region)', () => {
    const a = snapshot({ closures: 50, hits: 100, misses: 100, throttle: 900, active: false, dirty: 0 });
    const b = snapshot({ closures: 60, hits: 5, misses: 5, throttle: 0, active: false, dirty: 0 });
    const s = deriveSample(sampleCounters(a, 0), sampleCounters(b, 1000), b);
    expect(s.regions[0]).toMatchObject({ throttleMillisPerSec: 0, hitRatio: null });
  });
});
