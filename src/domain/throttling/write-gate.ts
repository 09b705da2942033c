/**
 * The gate before a write closure (DESIGN.md §5 "Write throttling"): `runDurably` passes it before its closure, and
 * callers of the synchronous `runConsistently` await `writeGate()` between closures. A delay is an awaited timer,
 * never a busy wait; `pass()` answers null when there is nothing to wait for, so the common case allocates nothing.
 */
export interface WriteGate {
  /** Null: go on at once; else a promise that resolves when the next closure may run. */
  pass(): Promise<void> | null;
}

/** A gate that never delays: aimem, aipersist with throttling DISABLED, a read-only node. */
export const OPEN_GATE: WriteGate = { pass: () => null };

/** Counts write closures (outermost runConsistently / runDurably calls) of an engine: node.metrics().writes. */
export class WriteCounter {
  closures = 0;
}

/** Monotonic milliseconds and a timer: the throttle's clock (tests swap in a manual one through the engine's options). */
export interface ThrottleClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_THROTTLE_CLOCK: ThrottleClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
