/**
 * What every engine under test implements: one method per phase of the standard workload, each running the whole
 * phase (so that no per-operation indirection of the harness is measured). Phase methods return the number of rows
 * they found or touched; the runner checks it against what the workload implies.
 */
import type { Workload } from './workload';

export const PHASES = ['insert', 'point read', 'full scan', 'range scan', 'update', 'delete'] as const;
export type PhaseName = (typeof PHASES)[number];

/** Memory facts of a store (aistorage: its region's page counters). */
export interface StoreMemory {
  /** Bytes of the pages in use. */
  readonly allocatedBytes: number;
  /** Bytes of the region's allocated segments (what the process holds for it). */
  readonly totalBytes: number;
  readonly pageSize: number;
}

export type MaybePromise<T> = T | Promise<T>;

export interface Subject {
  readonly label: string;
  /** True if scans return keys in order (false for Map: its "full scan" is insertion order, no range scans). */
  readonly ordered: boolean;
  open(w: Workload): Promise<void>;
  /** Inserts every key in `w.insertOrder`, 1,000 rows per transaction / batch. */
  insert(w: Workload): MaybePromise<void>;
  /** Reads every key in `w.readOrder`; returns how many were found with a 100-byte value. */
  pointReads(w: Workload): MaybePromise<number>;
  /** Reads every row in key order; returns the row count. */
  fullScan(w: Workload): MaybePromise<number>;
  /** A second full-scan line where the engine has one (aistorage: the partition's own scan in RowId order). */
  secondScan?(w: Workload): MaybePromise<number>;
  /** The 10,000 range scans of 100 keys; returns the rows seen. Absent where there is no order. */
  rangeScans?(w: Workload): MaybePromise<number>;
  /** Overwrites the values of `w.updateKeys`, 1,000 per transaction / batch. */
  update(w: Workload): MaybePromise<void>;
  /** Deletes `w.deleteKeys`, 1,000 per transaction / batch. */
  delete(w: Workload): MaybePromise<void>;
  /** One row's value, for the untimed checks between phases. */
  lookup(key: number): MaybePromise<Uint8Array | undefined>;
  memory?(): StoreMemory | null;
  close(): Promise<void>;
}

/** Factory of a subject by its id (the child process creates exactly one per run). */
export type SubjectFactory = () => MaybePromise<Subject>;

/** Ends of the 1,000-row batches of `count` items. */
export function batchEnd(start: number, count: number, batch: number): number {
  return Math.min(start + batch, count);
}
