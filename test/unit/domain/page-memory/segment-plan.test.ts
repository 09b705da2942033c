import { describe, expect, it } from 'vitest';
import {
  MAX_SEGMENTS, MIN_EXPANSION_BYTES, planSegmentSizes, planSegments,
} from '../../../../src/domain/page-memory/segment-plan';
import { slotSizeOf } from '../../../../src/domain/page-memory/volatile-page.layout';
import { InvalidArgumentError } from '../../../../src/domain/shared/errors';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const SLOT_1K = slotSizeOf(1024);
const SLOT_16K = slotSizeOf(16384);
const down = (bytes: number, slot: number) => Math.floor(bytes / slot) * slot;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('planSegmentSizes', () => {
  it('init = max gives one segment', () => {
    expect(planSegmentSizes(10 * SLOT_1K, 10 * SLOT_1K, SLOT_1K)).toEqual([10 * SLOT_1K]);
    expect(planSegmentSizes(512 * MiB, 512 * MiB, SLOT_16K)).toEqual([down(512 * MiB, SLOT_16K)]);
  });

  it('256 MiB init and 4 GiB max give 16 segments of 256 MiB (in whole slots)', () => {
    for (const slot of [SLOT_1K, SLOT_16K]) {
      const sizes = planSegmentSizes(256 * MiB, 4 * GiB, slot);
      expect(sizes).toHaveLength(MAX_SEGMENTS);
      expect(new Set(sizes)).toEqual(new Set([down(256 * MiB, slot)]));
      expect(sum(sizes)).toBeLessThanOrEqual(4 * GiB);
    }
  });

  it('truncates the last segment when max is not a multiple of the step', () => {
    const sizes = planSegmentSizes(256 * MiB, 1000 * MiB, SLOT_16K);
    const s = down(256 * MiB, SLOT_16K);
    expect(sizes).toEqual([s, s, s, down(1000 * MiB - 3 * s, SLOT_16K)]);
    expect(sizes[3]).toBeLessThan(s);
    expect(1000 * MiB - sum(sizes)).toBeLessThan(SLOT_16K);
  });

  it('a growth of less than 256 MiB is one extra segment of the remainder', () => {
    expect(planSegmentSizes(4 * SLOT_1K, 10 * SLOT_1K + 7, SLOT_1K)).toEqual([4 * SLOT_1K, 6 * SLOT_1K]);
    expect(planSegmentSizes(100 * MiB, 300 * MiB, SLOT_16K)).toEqual([down(100 * MiB, SLOT_16K), down(200 * MiB, SLOT_16K)]);
  });

  it('uses (max - init) / 15 when that is above 256 MiB', () => {
    const sizes = planSegmentSizes(1 * GiB, 16 * GiB, SLOT_16K);
    expect(sizes).toHaveLength(16);
    expect(sizes.slice(1)).toEqual(Array(15).fill(down(1 * GiB, SLOT_16K)));
  });

  it('never plans more than 16 segments nor more than max bytes', () => {
    const max = 100 * GiB + 12345;
    const sizes = planSegmentSizes(SLOT_1K, max, SLOT_1K);
    expect(sizes).toHaveLength(MAX_SEGMENTS);
    expect(sum(sizes)).toBeLessThanOrEqual(max);
    expect(sizes[1]).toBe(down(Math.floor((max - SLOT_1K) / 15), SLOT_1K));
    expect(sizes[1]).toBeGreaterThan(MIN_EXPANSION_BYTES);
  });

  it('drops a remainder smaller than one slot', () => {
    expect(planSegmentSizes(3 * SLOT_1K, 3 * SLOT_1K + SLOT_1K - 1, SLOT_1K)).toEqual([3 * SLOT_1K]);
  });

  it('rejects sizes that cannot make a region', () => {
    expect(() => planSegmentSizes(SLOT_1K - 1, GiB, SLOT_1K)).toThrow(InvalidArgumentError);
    expect(() => planSegmentSizes(2 * SLOT_1K, SLOT_1K * 2 - 1, SLOT_1K)).toThrow(/maxSizeBytes/);
    expect(() => planSegmentSizes(1.5 * MiB + 0.5, GiB, SLOT_1K)).toThrow(/initSizeBytes/);
    expect(() => planSegmentSizes(MiB, GiB, 0)).toThrow(InvalidArgumentError);
  });
});

describe('planSegments (buffers and page index bits)', () => {
  it('splits segments into buffers of at most 2^localBits slots', () => {
    const plan = planSegments(10 * SLOT_1K, 15 * SLOT_1K, SLOT_1K, 4 * SLOT_1K + 5);
    expect(plan.segmentBytes).toEqual([10 * SLOT_1K, 5 * SLOT_1K]);
    expect(plan.localBits).toBe(2);
    expect(plan.bufferSlots).toEqual([4, 4, 2, 4, 1]);
    expect(plan.segmentFirstBuffer).toEqual([0, 3]);
    expect(plan.totalSlots).toBe(15);
    expect(plan.slotBits).toBe(2 + 3);
    expect(plan.maxGeneration).toBe(2 ** 27 - 1);
  });

  it('keeps slot numbers as narrow as the largest segment needs', () => {
    const plan = planSegments(10 * SLOT_1K, 10 * SLOT_1K, SLOT_1K);
    expect(plan.localBits).toBe(4);
    expect(plan.bufferSlots).toEqual([10]);
    expect(plan.slotBits).toBe(4);
    expect(plan.maxGeneration).toBe(2 ** 28 - 1);
  });

  it('backs a segment larger than maxBufferBytes by several buffers, keeping the segment sizes', () => {
    const plan = planSegments(256 * MiB, 4 * GiB, SLOT_16K);
    const perSegment = down(256 * MiB, SLOT_16K) / SLOT_16K;
    expect(plan.segmentBytes).toHaveLength(16);
    expect(plan.bufferSlots).toEqual(Array(16).fill(perSegment));
    const split = planSegments(256 * MiB, 4 * GiB, SLOT_16K, 64 * MiB);
    expect(split.segmentBytes).toEqual(plan.segmentBytes);
    expect(split.localBits).toBe(11);
    expect(split.bufferSlots.every((n) => n * SLOT_16K <= 64 * MiB)).toBe(true);
    expect(sum(split.bufferSlots)).toBe(16 * perSegment);
    expect(split.segmentFirstBuffer[1]).toBe(Math.ceil(perSegment / 2048));
  });

  it('rejects a maxBufferBytes below one slot and regions too large for 31-bit slot numbers', () => {
    expect(() => planSegments(SLOT_1K, SLOT_1K, SLOT_1K, SLOT_1K - 1)).toThrow(/maxBufferBytes/);
    expect(() => planSegments(SLOT_1K, 2 ** 31 * SLOT_1K * 2, SLOT_1K, SLOT_1K)).toThrow(/slot numbers/);
  });
});
