/**
 * The records recovery found, per partition, and reading them back for replay (file-delta-log.ts `recovered`):
 *
 * - RecordRefs keeps each record's position, segment, offset and length in typed columns (a million records cost a
 *   few typed arrays, not a million objects), and which records may hold the partition's destruction (the scan
 *   sees every payload; `mayHoldDestroy` of the codec is a cheap byte test, confirmed by a decode).
 * - `readRecovered` yields the batches after a position and after the partition's last destruction (batches before
 *   it belong to a partition that is gone), reading runs of neighbouring records with one read each: a partition
 *   whose records lie densely in a segment is read in 1 MiB runs; one whose records are sparse among other
 *   partitions' is read record by record, so replaying many partitions reads the log about once.
 */
import type { FileHandle, FileIo } from '../../domain/ports/file-io.port';
import type { RecoveredBatch } from '../../domain/ports/delta-log.port';
import { DataCorruptionError } from '../../domain/shared/errors';
import { decodeBatch } from './log-record-codec';
import { readBatchFast, releaseReader } from './log-record-reader';

/** The bytes one read brings in for a run of records. */
const RUN_BYTES = 1 << 20;
/** A run is read at once when at least this share of its bytes are the partition's own records. */
const DENSE = 0.25;

export class RecordRefs {
  count = 0;
  positions = new Float64Array(16);
  segments = new Uint32Array(16);
  offsets = new Float64Array(16);
  lengths = new Uint32Array(16);
  /** Indexes of records that may hold a destruction, ascending. */
  readonly maybeDestroyed: number[] = [];

  constructor(readonly tableId: number, readonly partitionId: number) {}

  push(position: number, segment: number, offset: number, length: number, mayDestroy: boolean): void {
    if (this.count === this.positions.length) this.#grow();
    const i = this.count++;
    this.positions[i] = position;
    this.segments[i] = segment;
    this.offsets[i] = offset;
    this.lengths[i] = length;
    if (mayDestroy) this.maybeDestroyed.push(i);
  }

  /** Index of the first record with a position above `after` (count when none). */
  firstAfter(after: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.positions[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #grow(): void {
    const n = this.positions.length * 2;
    const grow = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.positions = grow(this.positions, (k) => new Float64Array(k));
    this.segments = grow(this.segments, (k) => new Uint32Array(k));
    this.offsets = grow(this.offsets, (k) => new Float64Array(k));
    this.lengths = grow(this.lengths, (k) => new Uint32Array(k));
  }
}

/** The records recovery found, per partition, until each partition has replayed them (or is dropped). */
export class RecoveredRecords {
  readonly #byPartition = new Map<string, RecordRefs>();

  add(records: ReadonlyMap<string, RecordRefs>): void {
    for (const [k, v] of records) this.#byPartition.set(k, v);
  }

  of(tableId: number, partitionId: number): RecordRefs | undefined {
    return this.#byPartition.get(`${tableId}/${partitionId}`);
  }

  forget(tableId: number, partitionId: number): void {
    this.#byPartition.delete(`${tableId}/${partitionId}`);
  }

  drop(tableId: number): void {
    for (const [k, v] of this.#byPartition) if (v.tableId === tableId) this.#byPartition.delete(k);
  }

  /** Records not yet handed to their partitions. */
  pending(): number {
    let n = 0;
    for (const v of this.#byPartition.values()) n += v.count;
    return n;
  }

  tables(): number[] {
    return [...new Set([...this.#byPartition.values()].map((v) => v.tableId))].sort((a, b) => a - b);
  }

  partitions(tableId: number): number[] {
    return [...this.#byPartition.values()].filter((v) => v.tableId === tableId).map((v) => v.partitionId);
  }

  /** `position` lowered below every record not yet replayed (see DurableDeltaLog.holdLimit). */
  holdLimit(position: number): number {
    let limit = position;
    for (const v of this.#byPartition.values()) if (v.count > 0) limit = Math.min(limit, v.positions[0]! - 1);
    return limit;
  }
}

export interface RecoverySource {
  readonly io: FileIo;
  /** The open handle of segment n, or a typed error when it is gone. */
  handle(segment: number): FileHandle;
  /** `segment-<n>.bin offset <o>`, for error messages. */
  where(segment: number, offset: number): string;
  /** Counts replayed records (the time a partition's replay took is the engine's to count: DurableDeltaLog.replayTook). */
  counted(records: number): void;
}

/** The partition's batches above `after` and after its last destruction, read in runs and decoded one at a time. */
export function* readRecovered(refs: RecordRefs, after: number, src: RecoverySource): Iterable<RecoveredBatch> {
  let i = startAfterDestroy(refs, refs.firstAfter(after), src);
  let run: Uint8Array | null = null;
  let runSegment = -1;
  let runStart = 0;
  let runEnd = 0;
  try {
    while (i < refs.count) {
      const segment = refs.segments[i]!;
      const offset = refs.offsets[i]!;
      const length = refs.lengths[i]!;
      if (run === null || segment !== runSegment || offset < runStart || offset + length > runEnd) {
        runEnd = runEndFrom(refs, i);
        run = readBytes(src, segment, offset, runEnd - offset);
        runSegment = segment;
        runStart = offset;
      }
      const start = offset - runStart;
      const batch = readBatchFast(run, start, start + length) ?? decodeBatch(run.subarray(start, start + length), () => src.where(segment, offset));
      src.counted(1);
      yield { position: refs.positions[i]!, batch };
      i++;
    }
  } finally {
    releaseReader();
  }
}

/** Where reading starts: `from`, or after the last record at or above it that holds the partition's destruction. */
function startAfterDestroy(refs: RecordRefs, from: number, src: RecoverySource): number {
  const maybe = refs.maybeDestroyed;
  for (let k = maybe.length - 1; k >= 0 && maybe[k]! >= from; k--) {
    const i = maybe[k]!;
    const segment = refs.segments[i]!;
    const offset = refs.offsets[i]!;
    const batch = decodeBatch(readBytes(src, segment, offset, refs.lengths[i]!), src.where(segment, offset));
    if (batch.some((m) => m.type === 'partition.destroyed')) return i + 1;
  }
  return from;
}

/** The end of the run read for record i: one RUN_BYTES read when the partition's records fill it densely enough. */
function runEndFrom(refs: RecordRefs, i: number): number {
  const segment = refs.segments[i]!;
  const start = refs.offsets[i]!;
  let end = start + refs.lengths[i]!;
  let own = refs.lengths[i]!;
  for (let j = i + 1; j < refs.count && refs.segments[j] === segment; j++) {
    const e = refs.offsets[j]! + refs.lengths[j]!;
    if (e - start > RUN_BYTES) break;
    own += refs.lengths[j]!;
    end = e;
  }
  return own >= (end - start) * DENSE ? end : start + refs.lengths[i]!;
}

function readBytes(src: RecoverySource, segment: number, offset: number, length: number): Uint8Array {
  // A fresh buffer per run: decoded byte fields are views of it and stay valid after the next run.
  const out = new Uint8Array(length);
  const h = src.handle(segment);
  for (let done = 0; done < length; ) {
    const got = src.io.read(h, out, done, length - done, offset + done);
    if (got === 0) throw new DataCorruptionError(`${src.where(segment, offset + done)}: the log was cut short since recovery read it`);
    done += got;
  }
  return out;
}
