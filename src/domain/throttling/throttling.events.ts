/**
 * Events of write throttling (DESIGN.md §5): one `throttling.started` when a region's writers begin to be delayed,
 * one `throttling.stopped` when they no longer are (the checkpoint that caught up finished, or the buffer drained).
 * Coarse facts, never one per write; built only when someone subscribes.
 */
export type ThrottlingPolicyName = 'SPEED_BASED' | 'TARGET_RATIO' | 'DISABLED';
export const THROTTLING_POLICIES: readonly ThrottlingPolicyName[] = ['SPEED_BASED', 'TARGET_RATIO', 'DISABLED'];

/** The checkpoint buffer past 2/3 of its capacity, or dirty pages ahead of what the running checkpoint allows. */
export type ThrottlingReason = 'checkpoint buffer' | 'dirty pages';

export interface ThrottlingStartedEvent {
  readonly type: 'throttling.started';
  readonly region: string;
  readonly policy: ThrottlingPolicyName;
  readonly reason: ThrottlingReason;
  /** Checkpoint buffer pages in use / capacity, and dirty pages / cache pages, when it started. */
  readonly bufferFill: number;
  readonly dirtyRatio: number;
}

export interface ThrottlingStoppedEvent {
  readonly type: 'throttling.stopped';
  readonly region: string;
  readonly policy: ThrottlingPolicyName;
  readonly reason: ThrottlingReason;
  readonly bufferFill: number;
  readonly dirtyRatio: number;
  /** How long the period lasted, how many write closures it delayed and how long they waited in all (ms). */
  readonly millis: number;
  readonly throttledWrites: number;
  readonly throttleMillis: number;
}

export type ThrottlingEvent = ThrottlingStartedEvent | ThrottlingStoppedEvent;
