/**
 * Keeps the node's hybrid clock past every timestamp it gave before a restart, even when the machine's clock went
 * back meanwhile (an NTP step, a restored VM snapshot, a moved disk). Without it a node restarted on an earlier wall
 * clock would read at a timestamp older than its last commits (they would seem gone) and refuse updates of those rows
 * (CommitTimestampOrderError).
 *
 * A lease, as hybrid-clock databases keep one: a physical time (ms) that no timestamp given has passed, stored
 * durably ahead of use. At open the clock moves past the stored lease, and a new one is stored LEASE_MILLIS ahead.
 * When a timestamp's physical part comes within RENEW_BEFORE_MILLIS of the lease's end, the clock extends the lease
 * synchronously before handing that timestamp out (one small synced write about every 40 s of activity), so the
 * stored lease is always ahead of every timestamp given. A renewal that fails (disk full) does not fail the caller:
 * it is retried a second later and reported in `failure`.
 */
import { hybridTimestamp, type HybridClock } from '../../domain/storage/hybrid-timestamp';

export interface ClockLeaseStore {
  /** The stored lease's end (ms since the epoch), null when none was stored. @throws DataCorruptionError */
  load(): number | null;
  /** Stores a lease's end; it survives a power loss once this returns. @throws StorageIoError */
  save(endMillis: number): void;
}

export const LEASE_MILLIS = 60_000;
export const RENEW_BEFORE_MILLIS = 20_000;
const RETRY_MILLIS = 1_000;

export class ClockLease {
  #failure: unknown = null;

  constructor(private readonly store: ClockLeaseStore, private readonly clock: HybridClock) {}

  /** The last renewal's error, null once a renewal succeeded. */
  get failure(): unknown {
    return this.#failure;
  }

  /**
   * At open, before the clock gives any timestamp: moves it past the stored lease and stores the next one.
   * @throws DataCorruptionError for an unreadable lease file; StorageIoError when the new lease cannot be stored.
   */
  start(wallMillis: number): void {
    const stored = this.store.load();
    if (stored !== null) this.clock.update(hybridTimestamp(stored, 0xffff));
    this.#extend(Math.max(wallMillis, this.clock.lastPhysical));
  }

  #extend(physical: number): void {
    const end = physical + LEASE_MILLIS;
    this.store.save(end);
    this.#failure = null;
    this.clock.renewLeaseAt(end - RENEW_BEFORE_MILLIS, (p) => this.#renew(p));
  }

  #renew(physical: number): void {
    try {
      this.#extend(physical);
    } catch (e) {
      this.#failure = e;
      this.clock.renewLeaseAt(physical + RETRY_MILLIS, (p) => this.#renew(p));
    }
  }
}
