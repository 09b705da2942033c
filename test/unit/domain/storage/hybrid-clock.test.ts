import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/domain/shared/errors';
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

  it('a wall reading it cannot encode throws and leaves the clock as it was', () => {
    let wall = 1_000;
    const clock = new HybridClock(() => wall);
    const before = clock.now();
    wall = 2 ** 47;
    expect(() => clock.now()).toThrow(InvalidArgumentError);
    wall = 1_000;
    expect(clock.now()).toBe(before + 1n);
  });

  it('update() moves the clock past a timestamp from elsewhere, never back', () => {
    const clock = new HybridClock(() => 10);
    clock.update(hybridTimestamp(50, 3));
    expect(clock.now()).toBe(hybridTimestamp(50, 4));
    clock.update(hybridTimestamp(20, 0));
    expect(clock.now()).toBe(hybridTimestamp(50, 5));
  });

  it('hybridTimestamp refuses what it would wrap, truncate or make negative (InvalidArgumentError)', () => {
    const bad: Array<[unknown, unknown]> = [
      [1000, 70000], [1000, 65536], [1000, -1], [-1, 0], [1.5, 0], [0, 0.5], [2 ** 47, 0], [Number.MAX_SAFE_INTEGER, 0],
      [Number.NaN, 0], [Infinity, 0], [0, Number.NaN], ['1', 0], [0, '1'], [1n, 0], [null, 0], [undefined, undefined], [{}, 0],
    ];
    for (const [physical, logical] of bad) {
      expect(() => hybridTimestamp(physical as number, logical as number), `${String(physical)}, ${String(logical)}`).toThrow(InvalidArgumentError);
    }
    expect(() => hybridTimestamp(1000, 70000)).toThrow(/logical must be an integer in \[0, 65535\], got 70000/);
    expect(() => hybridTimestamp(-1, 0)).toThrow(/physicalMillis must be an integer in \[0, 2\^47\), got -1/);
  });

  it('physicalOf, logicalOf and HybridClock.update refuse what is not a timestamp (InvalidArgumentError)', () => {
    const clock = new HybridClock(() => 1);
    for (const bad of [5, '5', null, undefined, -1n, MAX_VALUE + 1n, {}]) {
      for (const read of [physicalOf, logicalOf, (t: bigint) => clock.update(t)]) {
        expect(() => read(bad as bigint), typeof bad).toThrow(InvalidArgumentError);
      }
    }
    expect([physicalOf(MAX_VALUE), logicalOf(MAX_VALUE)]).toEqual([2 ** 47 - 1, 0xffff]);
  });

  it('hybridTimestamp covers [0, MAX_VALUE]: physical up to 2^47 - 1, logical up to 65535', () => {
    expect(hybridTimestamp(2 ** 47 - 1, 0xffff)).toBe(MAX_VALUE);
    expect(hybridTimestamp(0, 1)).toBe(MIN_VALUE);
    expect(hybridTimestamp(0, 0)).toBe(0n);
  });
});
