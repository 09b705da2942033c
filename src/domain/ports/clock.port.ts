/** Wall-clock time source; tests swap it for a manual clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMillis(): number;
}
