/**
 * The throttling policies against golden values: the speed-based park time of the spec's system's own test
 * (research/ignite-storage.md §5.4: 415,110 ns), cases derived from its formulae (low space, the checkpoint's end,
 * past the limit, a slow writer), the target-ratio thresholds, the exponential backoff and the buffer zones.
 */
import { describe, expect, it } from 'vitest';
import { BACKOFF_MAX_NANOS, ExponentialBackoff } from '../../../../src/domain/throttling/exponential-backoff';
import { bufferZone } from '../../../../src/domain/throttling/checkpoint-buffer';
import { targetRatioThreshold, targetRatioThrottles } from '../../../../src/domain/throttling/target-ratio-policy';
import {
  checkpointDone, nextWriteVsFsync, speedBasedDecision, speedBasedTargetRatio, type SpeedBasedInputs,
} from '../../../../src/domain/throttling/speed-based-policy';

/** The spec's system's golden case: a 2 GiB region of 4 KiB pages, 82% dirty, a checkpoint 62.6% done. */
const GOLDEN: SpeedBasedInputs = {
  regionPages: (2 * 1024 * 1024 * 1024) / 4096,
  dirtyRatio: 0.82,
  donePages: 565_183,
  checkpointPages: 903_150,
  checkpointSpeed: 19_416,
  markSpeed: 34_422,
  writers: 1,
  initialDirtyRatio: 0,
  minDirtyRatio: 0.5,
  maxDirtyRatio: 0.9,
};

describe('speed-based policy', () => {
  it('parks 415,110 ns in the golden case', () => {
    const d = speedBasedDecision(GOLDEN);
    expect(d.speedForMarkAll).toBe(2409); // (0.9 − 0.82) × 524,288 / (337,967 / 19,416 s)
    expect(d.parkNanos).toBe(415_110);
    expect(d.targetRatio).toBeCloseTo(((565_183 / 903_150) * 0.5 + 0.5) * 0.9, 12);
  });

  it('scales with the writers, and triples when space is low (ratio past the target and within 0.05 of 0.9)', () => {
    expect(speedBasedDecision({ ...GOLDEN, writers: 4 }).parkNanos).toBe(Math.floor(4e9 / 2409));
    const low = speedBasedDecision({ ...GOLDEN, dirtyRatio: 0.86 });
    const speed = Math.floor((0.04 * 524_288) / (337_967 / 19_416));
    expect(low.speedForMarkAll).toBe(speed);
    expect(low.parkNanos).toBe(Math.floor(3e9 / speed));
    // Low space compares the mark speed against 0.8 × speedForMarkAll: just above it still throttles.
    expect(speedBasedDecision({ ...GOLDEN, dirtyRatio: 0.86, markSpeed: Math.floor(0.8 * speed) + 1 }).parkNanos).toBeGreaterThan(0);
    expect(speedBasedDecision({ ...GOLDEN, dirtyRatio: 0.86, markSpeed: Math.floor(0.8 * speed) - 1 }).parkNanos).toBe(0);
  });

  it('does not throttle a writer slower than the checkpoint can absorb, nor below the target ratio', () => {
    expect(speedBasedDecision({ ...GOLDEN, markSpeed: 2409 }).parkNanos).toBe(0);
    expect(speedBasedDecision({ ...GOLDEN, dirtyRatio: 0.7 }).parkNanos).toBe(0); // target ≈ 0.7316
    // The initial dirty ratio raises the target: 0.82 is under it when the checkpoint began at 0.8.
    expect(speedBasedTargetRatio(565_183, 903_150, 0.8, 0.5, 0.9)).toBeGreaterThan(0.82);
    expect(speedBasedDecision({ ...GOLDEN, initialDirtyRatio: 0.8 }).parkNanos).toBe(0);
  });

  it('past the limit it leaves writers to the must-wait path; at the checkpoint\'s end it holds them to its speed', () => {
    expect(speedBasedDecision({ ...GOLDEN, dirtyRatio: 0.9 }).parkNanos).toBe(0);
    expect(speedBasedDecision({ ...GOLDEN, checkpointPages: 0 }).parkNanos).toBe(Math.floor(1e9 / 19_416));
    expect(speedBasedDecision({ ...GOLDEN, checkpointPages: 0, markSpeed: 10_000 }).parkNanos).toBe(0);
    expect(speedBasedDecision({ ...GOLDEN, donePages: 903_150 }).parkNanos).toBe(0); // only fsyncs left
  });

  it('weighs page writes against fsyncs with a coefficient that follows the measured times', () => {
    expect(checkpointDone(100, 40, 5 / 6)).toBeCloseTo(100 * (5 / 6) + 40 / 6, 12);
    expect(nextWriteVsFsync(5 / 6, 300, 100)).toBeCloseTo(0.85 * (5 / 6) + 0.15 * 0.75, 12);
    expect(nextWriteVsFsync(0.12, 0, 1000)).toBeCloseTo(0.102, 12); // all fsync: 0.85 c
    expect(nextWriteVsFsync(0.1, 0, 1000)).toBe(0.1); // clamped
    expect(nextWriteVsFsync(0.9, 1000, 0)).toBe(0.9);
  });
});

describe('target-ratio policy', () => {
  it('raises its threshold with the checkpoint\'s progress, 0.75 while it syncs', () => {
    expect(targetRatioThreshold(0, 1000)).toBeCloseTo(0.05 * (7 / 12), 12);
    expect(targetRatioThreshold(500, 1000)).toBeCloseTo(0.30625, 12);
    expect(targetRatioThreshold(999, 1000)).toBeCloseTo((0.999 * 0.95 + 0.05) * (7 / 12), 12);
    expect(targetRatioThreshold(1000, 1000)).toBe(0.75);
  });

  it('throttles pages of the checkpoint when its buffer is in danger, others only past the threshold while it runs', () => {
    const base = { pageInCheckpoint: false, bufferInDanger: false, checkpointRunning: true, writtenPages: 500, totalPages: 1000, dirtyRatio: 0.3 };
    expect(targetRatioThrottles(base)).toBe(false);
    expect(targetRatioThrottles({ ...base, dirtyRatio: 0.31 })).toBe(true);
    expect(targetRatioThrottles({ ...base, dirtyRatio: 0.99, checkpointRunning: false })).toBe(false);
    expect(targetRatioThrottles({ ...base, checkpointRunning: false, pageInCheckpoint: true, bufferInDanger: true })).toBe(true);
    expect(targetRatioThrottles({ ...base, writtenPages: 1000, dirtyRatio: 0.74 })).toBe(false);
    expect(targetRatioThrottles({ ...base, writtenPages: 1000, dirtyRatio: 0.76 })).toBe(true);
  });
});

describe('checkpoint-buffer protection', () => {
  it('backs off 4,000 ns × 1.05^k, bounded, and starts over on reset', () => {
    const b = new ExponentialBackoff();
    expect([b.next(), b.next(), b.next()]).toEqual([4000, 4200, 4410]);
    for (let k = 3; k < 10; k++) b.next();
    expect(b.attempts).toBe(10);
    expect(b.next()).toBe(Math.floor(4000 * 1.05 ** 10)); // 6,515
    for (let k = 0; k < 400; k++) b.next();
    expect(b.next()).toBe(BACKOFF_MAX_NANOS);
    b.reset();
    expect(b.next()).toBe(4000);
  });

  it('is in danger past 2/3 of the buffer and heavily past 90%', () => {
    expect(bufferZone(66, 100)).toBe('safe');
    expect(bufferZone(67, 100)).toBe('danger');
    expect(bufferZone(90, 100)).toBe('danger');
    expect(bufferZone(91, 100)).toBe('heavy');
    expect(bufferZone(5, 0)).toBe('safe');
  });
});
