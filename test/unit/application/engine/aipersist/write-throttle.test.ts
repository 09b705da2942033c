import { describe, expect, it } from 'vitest';
import { WRITER_SPEED_FACTOR, WriteThrottle, type ThrottledMemory } from '../../../../../src/application/engine/aipersist/write-throttle';
import type { ThrottlingConfig } from '../../../../../src/application/config/config.model';
import { CheckpointProgress } from '../../../../../src/domain/throttling/checkpoint-progress';
import type { ThrottlingEvent } from '../../../../../src/domain/throttling/throttling.events';
import { ManualThrottleClock } from '../../../../support/manual-throttle-clock';

/** A region's page memory as the throttle reads it: every figure set by the test. */
class FakeMemory implements ThrottledMemory {
  frames = 1000;
  dirtyPages = 0;
  markedDirtyPages = 0;
  bufferUsedPages = 0;
  bufferCapacityPages = 300;
  copiedToSpill = 0;
  checkpointImages(): { bufferUsedPages: number; bufferCapacityPages: number; copiedToSpill: number } {
    return { bufferUsedPages: this.bufferUsedPages, bufferCapacityPages: this.bufferCapacityPages, copiedToSpill: this.copiedToSpill };
  }
}

function setup(policy: ThrottlingConfig['policy'] = 'SPEED_BASED'): {
  clock: ManualThrottleClock; memory: FakeMemory; progress: CheckpointProgress; throttle: WriteThrottle; events: ThrottlingEvent[]; closures: { n: number };
} {
  const clock = new ManualThrottleClock();
  const memory = new FakeMemory();
  const progress = new CheckpointProgress(() => clock.now());
  const events: ThrottlingEvent[] = [];
  const closures = { n: 0 };
  const throttle = new WriteThrottle({
    region: 'default', config: { policy, minDirtyRatio: 0.5, maxDirtyRatio: 0.9 }, memory, progress, clock,
    closures: () => closures.n, emit: (e) => events.push(e),
  });
  return { clock, memory, progress, throttle, events, closures };
}

/** Passes the gate `n` times at the current instant; the index of each pass that had to wait. */
function passes(throttle: WriteThrottle, n: number): number[] {
  const waited: number[] = [];
  for (let i = 0; i < n; i++) if (throttle.pass() !== null) waited.push(i);
  return waited;
}

describe('write throttle: the gate before each write closure', () => {
  it('never delays without a running checkpoint, whatever the dirty ratio', () => {
    const { throttle, memory, events } = setup();
    memory.dirtyPages = 990;
    memory.bufferUsedPages = 299;
    expect(passes(throttle, 1000)).toEqual([]);
    expect(events).toEqual([]);
    expect(throttle.metrics()).toMatchObject({ active: false, throttledWrites: 0, totalThrottleMillis: 0, dirtyRatio: 0.99 });
  });

  it('DISABLED never delays, even with the checkpoint buffer full', () => {
    const { throttle, memory, progress, events } = setup('DISABLED');
    progress.begin(1000);
    memory.bufferUsedPages = 300;
    memory.dirtyPages = 950;
    expect(passes(throttle, 1000)).toEqual([]);
    expect(events).toEqual([]);
  });

  it('checkpoint buffer past 2/3: an exponential backoff per closure, 4 µs × 1.05^k, waited once it adds up to 1 ms', () => {
    const { throttle, memory, progress, events, clock } = setup();
    progress.begin(1000);
    memory.bufferUsedPages = 201; // 0.67 > 2/3
    // Closure i starts Σ_{k<i} 4 µs × 1.05^k after the first: 4 µs × (1.05^i − 1) / 0.05 ≥ 1 ms first at i = 54.
    const waited = passes(throttle, 56);
    expect(waited).toEqual([54, 55]);
    // Each delay is whole nanoseconds (floored), so the sums match to a few ns per term.
    const sum = (i: number): number => (0.004 * (1.05 ** i - 1)) / 0.05;
    expect(clock.sleeps[0]).toBeCloseTo(sum(54), 4);
    expect(clock.sleeps[1]).toBeCloseTo(sum(55), 4);
    expect(events).toEqual([{ type: 'throttling.started', region: 'default', policy: 'SPEED_BASED', reason: 'checkpoint buffer', bufferFill: 0.67, dirtyRatio: 0 }]);
    expect(throttle.metrics()).toMatchObject({ active: true, reason: 'checkpoint buffer', throttledWrites: 56 });
    expect(throttle.metrics().totalThrottleMillis).toBeCloseTo(sum(54) + sum(55), 4);
  });

  it('the backoff starts over once the buffer is safe again (checked every millisecond)', () => {
    const { throttle, memory, progress, clock } = setup();
    progress.begin(1000);
    memory.bufferUsedPages = 250;
    passes(throttle, 40);
    memory.bufferUsedPages = 100;
    clock.advance(1);
    expect(passes(throttle, 100)).toEqual([]);
    memory.bufferUsedPages = 250;
    clock.advance(1);
    expect(passes(throttle, 56)).toEqual([54, 55]); // k counts from 0 again
  });

  it('checkpoint buffer above 90%: each closure also waits the time the checkpoint takes to write its pages', () => {
    const { throttle, memory, progress, clock, closures } = setup();
    progress.begin(1000);
    for (let i = 0; i < 100; i++) progress.wrote();
    clock.advance(100); // 100 pages in 100 ms: 1,000 pages/s
    closures.n = 50;
    memory.markedDirtyPages = 100; // 2 pages per closure over the first measuring window
    memory.bufferUsedPages = 280; // 0.93
    expect(throttle.pass()).toBeNull(); // the first takes the first slot
    const second = throttle.pass();
    expect(second).not.toBeNull();
    // 2 pages at 1,000 pages/s = 2 ms, plus the backoff's first 4 µs.
    expect(clock.sleeps[0]).toBeCloseTo(2.004, 9);
  });

  /** A checkpoint of 1,000 pages, half written in 1 s (500 pages/s); dirty ratio 0.1 at its start, `dirty` now. */
  function speedBasedCase(frames: number, dirty: number) {
    const t = setup();
    t.memory.frames = frames;
    t.memory.dirtyPages = frames / 10; // its initial ratio is max(0.5, 0.1)
    t.progress.begin(1000);
    expect(t.throttle.pass()).toBeNull();
    for (let i = 0; i < 500; i++) t.progress.wrote();
    t.clock.advance(1000);
    t.memory.dirtyPages = dirty * frames;
    t.memory.markedDirtyPages = 20_000;
    t.closures.n = 20_000; // one page per closure, 20,000 pages/s marked
    return t;
  }

  it('SPEED_BASED paces closures so that dirty pages reach 0.9 no sooner than the checkpoint ends (golden case)', () => {
    const { throttle, clock, events } = speedBasedCase(10_000, 0.7);
    // done = 500 × 5/6 = 416.67 pages; target = (0.41667 × 0.5 + 0.5) × 0.9 = 0.6375 < 0.7: throttle.
    // seconds left = (1000 − 416.67) / 500 = 1.16667; speed for mark-all = floor((0.9 − 0.7) × 10,000 / 1.16667) = 1714.
    // pause = 1e9 / 1714 ns = 0.583 ms per page, 1 page per closure (below the checkpoint's own 2 ms per page).
    for (let i = 0; i < 2; i++) expect(throttle.pass()).toBeNull(); // 0.58 ms apart: summed, not waited yet
    expect(throttle.pass()).not.toBeNull();
    expect(clock.sleeps[0]).toBeCloseTo((2 * Math.floor(1e9 / 1714)) / 1e6, 6);
    expect(throttle.metrics().targetDirtyRatio).toBeCloseTo(0.6375, 9);
    expect(throttle.metrics().markDirtyPagesPerSec).toBeCloseTo(20_000, 6);
    expect(throttle.metrics().checkpointPagesPerSec).toBeCloseTo(500, 9);
    expect(events.map((e) => [e.type, e.reason])).toEqual([['throttling.started', 'dirty pages']]);
  });

  it('SPEED_BASED never paces writers below twice the checkpoint’s own speed (the policy’s pause is capped by it)', () => {
    const { throttle, clock } = speedBasedCase(1000, 0.7);
    // The policy: floor(0.2 × 1000 / 1.16667) = 171 pages/s, a 5.85 ms pause per page; the checkpoint writes a page
    // every 2 ms (500 pages/s), writers may dirty two in that time: closures are paced 1 ms apart.
    expect(WRITER_SPEED_FACTOR).toBe(2);
    expect(throttle.pass()).toBeNull();
    expect(throttle.pass()).not.toBeNull();
    expect(clock.sleeps[0]).toBeCloseTo(1, 9);
    expect(throttle.metrics().targetDirtyRatio).toBeCloseTo(0.6375, 9);
  });

  it('SPEED_BASED past maxDirtyRatio: closures dirty pages no faster than twice the checkpoint writes them', () => {
    const { throttle, memory, progress, clock, closures } = setup();
    progress.begin(1000);
    for (let i = 0; i < 400; i++) progress.wrote();
    clock.advance(100); // 4,000 pages/s
    memory.dirtyPages = 950;
    memory.markedDirtyPages = 3000;
    closures.n = 1000; // 3 pages per closure
    // 3 pages per closure at twice 4,000 pages/s: 0.375 ms apart; the fourth closure is 1.125 ms after the first.
    for (let i = 0; i < 3; i++) expect(throttle.pass()).toBeNull();
    expect(throttle.pass()).not.toBeNull();
    expect(clock.sleeps[0]).toBeCloseTo(1.125, 9);
  });

  it('TARGET_RATIO: the backoff while the dirty ratio is past the threshold of the checkpoint progress', () => {
    const { throttle, memory, progress, clock } = setup('TARGET_RATIO');
    progress.begin(1000);
    for (let i = 0; i < 500; i++) progress.wrote();
    // threshold at half the pages written: (0.5 × 0.95 + 0.05) × 7/12 = 0.30625
    memory.dirtyPages = 300;
    expect(passes(throttle, 100)).toEqual([]);
    memory.dirtyPages = 310;
    clock.advance(1);
    expect(passes(throttle, 56)).toEqual([54, 55]);
    expect(throttle.metrics().targetDirtyRatio).toBeCloseTo(0.30625, 9);
  });

  it('stops when the checkpoint ends, with the period in the event; the next checkpoint starts afresh', async () => {
    const { throttle, memory, progress, clock, events } = setup();
    progress.begin(1000);
    memory.bufferUsedPages = 250;
    const gates = [];
    for (let i = 0; i < 60; i++) {
      const g = throttle.pass();
      if (g !== null) gates.push(g);
    }
    expect(gates).toHaveLength(6);
    clock.advance(5);
    await Promise.all(gates); // every delayed writer went on: nobody waits forever
    progress.end();
    expect(events.map((e) => e.type)).toEqual(['throttling.started', 'throttling.stopped']);
    const stopped = events[1]!;
    expect(stopped).toMatchObject({ type: 'throttling.stopped', reason: 'checkpoint buffer', millis: 5, throttledWrites: 60 });
    expect(stopped.type === 'throttling.stopped' && stopped.throttleMillis).toBeCloseTo(throttle.metrics().totalThrottleMillis, 9);
    expect(throttle.metrics()).toMatchObject({ active: false, reason: null, currentThrottleMillis: 0 });
    expect(passes(throttle, 100)).toEqual([]);
    progress.begin(10);
    clock.advance(1);
    expect(passes(throttle, 55)).toEqual([54]);
  });

  it('writers asleep when the checkpoint ends go on at once, not when their timers would fire', async () => {
    const { throttle, memory, progress, clock } = setup();
    progress.begin(1000);
    memory.bufferUsedPages = 250;
    const gates: Array<Promise<void>> = [];
    for (let i = 0; i < 70; i++) {
      const g = throttle.pass();
      if (g !== null) gates.push(g);
    }
    expect(gates.length).toBeGreaterThan(3);
    let woken = 0;
    gates.forEach((g) => void g.then(() => woken++));
    await Promise.resolve();
    expect(woken).toBe(0);
    progress.end(); // no clock.advance: the timers have not fired
    await Promise.all(gates);
    expect(woken).toBe(gates.length);
    clock.advance(100); // the timers firing later change nothing
    await Promise.resolve();
    expect(woken).toBe(gates.length);
  });

  it('reports the buffer-full fallback: snapshot pages a writer sent to the spill area', () => {
    const { throttle, memory } = setup();
    memory.copiedToSpill = 7;
    memory.bufferUsedPages = 150;
    expect(throttle.metrics()).toMatchObject({ bufferFullFallbacks: 7, bufferFill: 0.5, policy: 'SPEED_BASED' });
  });
});
