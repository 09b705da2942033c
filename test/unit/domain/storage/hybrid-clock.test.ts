import { describe, expect, it } from 'vitest';
import { HybridClock, hybridTimestamp, logicalOf, MAX_VALUE, MIN_VALUE, physicalOf } from '../../../../src/domain/storage/hybrid-timestamp';

describe('hybrid timestamps', () => {
  it('pack 48 bits of milliseconds and 16 bits of logical counter', () => {
    const ts = hybridTimestamp(1_700_000_000_123, 7);
    expect(ts).toBe((1_700_000_000_123n << 16n) | 7n);
    expect([physicalOf(ts), logicalOf(ts)]).toEqual([1_700_000_000_123, 7]);
    expect([MIN_VALUE, MAX_VALUE]).toEqual([1n, (1n << 63n) - 1n]);
  });

  it('HybridClock.now() is strictly increasing, also when the wall clock stands still or goes back', () => {
    let wall = 1000;
    const clock = new HybridClock(() => wall);
    const seen: bigint[] = [clock.now(), clock.now()];
    wall = 900;
    seen.push(clock.now());
    wall = 2000;
    seen.push(clock.now());
    for (let i = 1; i < seen.length; i++) expect(seen[i]! > seen[i - 1]!).toBe(true);
    expect(seen.map((t) => [physicalOf(t), logicalOf(t)])).toEqual([[1000, 0], [1000, 1], [1000, 2], [2000, 0]]);
  });

  it('carries a full logical counter into the physical part', () => {
    const clock = new HybridClock(() => 5);
    clock.update(hybridTimestamp(5, 0xffff));
    expect([physicalOf(clock.now()), logicalOf(clock.now())]).toEqual([6, 1]);
  });

  it('update() moves the clock past a timestamp from elsewhere, never back', () => {
    const clock = new HybridClock(() => 10);
    clock.update(hybridTimestamp(50, 3));
    expect(clock.now()).toBe(hybridTimestamp(50, 4));
    clock.update(hybridTimestamp(20, 0));
    expect(clock.now()).toBe(hybridTimestamp(50, 5));
  });
});
