/**
 * The clock lease: the stored lease is ahead of every timestamp the clock gives (renewed inside `now()` before a
 * timestamp reaches it), a restarted clock starts past the stored lease however far the wall clock went back, and a
 * renewal that fails is reported and retried without failing the caller.
 */
import { describe, expect, it } from 'vitest';
import { ClockLease, LEASE_MILLIS, RENEW_BEFORE_MILLIS, type ClockLeaseStore } from '../../../../src/application/tables/clock-lease';
import { HybridClock, physicalOf } from '../../../../src/domain/storage/hybrid-timestamp';

class MemoryLeaseStore implements ClockLeaseStore {
  stored: number | null = null;
  saves = 0;
  failing = false;
  load(): number | null {
    return this.stored;
  }
  save(end: number): void {
    if (this.failing) throw new Error('disk full');
    this.stored = end;
    this.saves++;
  }
}

describe('ClockLease', () => {
  it('keeps the stored lease ahead of every timestamp given, renewing about once per lease', () => {
    let wall = 1_700_000_000_000;
    const store = new MemoryLeaseStore();
    const clock = new HybridClock(() => wall);
    new ClockLease(store, clock).start(wall);
    expect(store.stored).toBe(wall + LEASE_MILLIS);
    for (let step = 0; step < 600; step++) {
      wall += 997;
      const ts = clock.now();
      expect(physicalOf(ts)).toBeLessThanOrEqual(store.stored!);
    }
    // ~598 s of timestamps: a renewal every LEASE − RENEW_BEFORE ms, not one per call
    expect(store.saves).toBeGreaterThan(5);
    expect(store.saves).toBeLessThan(600_000 / (LEASE_MILLIS - RENEW_BEFORE_MILLIS) + 3);
    wall += 3_600_000; // an idle hour: the first timestamp after it renews before it is handed out
    expect(physicalOf(clock.now())).toBeLessThanOrEqual(store.stored!);
  });

  it('a restart on a wall clock an hour behind starts past every timestamp given before', () => {
    let wall = 1_700_000_000_000;
    const store = new MemoryLeaseStore();
    const before = new HybridClock(() => wall);
    new ClockLease(store, before).start(wall);
    let last = 0n;
    for (let i = 0; i < 100; i++) {
      wall += 500;
      last = before.now();
    }
    wall -= 3_600_000;
    const after = new HybridClock(() => wall);
    new ClockLease(store, after).start(wall);
    const first = after.now();
    expect(first > last).toBe(true);
    for (let i = 0; i < 1000; i++) expect(after.now() > last).toBe(true);
  });

  it('a failing renewal is reported, retried a second later, and cleared once it succeeds', () => {
    let wall = 1_700_000_000_000;
    const store = new MemoryLeaseStore();
    const clock = new HybridClock(() => wall);
    const lease = new ClockLease(store, clock);
    lease.start(wall);
    store.failing = true;
    wall += LEASE_MILLIS - RENEW_BEFORE_MILLIS;
    expect(() => clock.now()).not.toThrow();
    expect(lease.failure).toBeInstanceOf(Error);
    store.failing = false;
    wall += 500;
    clock.now();
    expect(lease.failure).toBeInstanceOf(Error); // not retried before a second passed
    wall += 600;
    clock.now();
    expect(lease.failure).toBeNull();
    expect(store.stored).toBe(wall + LEASE_MILLIS);
  });
});
