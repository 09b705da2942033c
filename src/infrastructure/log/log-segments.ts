/**
 * The write-ahead delta log's files under `<workDir>/log/` (DESIGN.md §5):
 *
 *   segment-<n>.bin   a segment: a 64-byte header, then records back to back; preallocated to segmentSizeBytes
 *                     (zeros) or recycled (an older segment renamed, its stale records left behind)
 *   free-<k>.bin      a spare segment, renamed to the next segment-<n>.bin when the log rolls over
 *
 * Segment header (little-endian): magic "AIDLOG01" | format version u16 | reserved u16 | segment number u32 |
 * first record's position f64 | segment size f64 | reserved to 60 | CRC-32 of bytes 0..60.
 *
 * Record: payload length u32 | CRC-32 u32 of bytes 8 .. 32 + length | position f64 | durable-through f64 |
 * table id i32 | partition id u32 | payload (log-record-codec.ts). Positions are consecutive integers across the
 * whole log, so a stale record of a recycled segment (a lower position) or zeros end a segment's data.
 * Durable-through is the last position known fdatasynced when the record was appended: every record of a sync
 * round names a position below the round's first.
 *
 * Recovery (scanSegments): segments in number order, each continuing at the position where the one before ended.
 * The log ends at the first record that is absent, stale, torn or fails its CRC. Whether that is a torn tail or
 * corruption in the middle is decided by what follows it: a later segment (the log reaches one only after this one
 * was synced), or a valid record after it in place that names it durable-through — then the bad record had been
 * synced: a DataCorruptionError naming segment and offset, and nothing is changed. Valid records after it that do
 * not (the rest of one unsynced round, its sectors written back out of order before the power went) are cut with
 * it. A segment whose first position skips records (a segment missing) is corruption too.
 */
import { crc32 } from 'node:zlib';
import type { FileHandle, FileIo } from '../../domain/ports/file-io.port';
import { DataCorruptionError } from '../../domain/shared/errors';
import { mayHoldDestroy } from './log-record-codec';
import { RecordRefs } from './log-recovery';
import { crc32Of, SegmentWindow } from './segment-window';

export const SEGMENT_MAGIC = 'AIDLOG01';
export const SEGMENT_VERSION = 2;
export const SEGMENT_HEADER_BYTES = 64;
const SH_VERSION = 8;
const SH_NUMBER = 12;
const SH_FIRST = 16;
const SH_SIZE = 24;
const SH_CRC = 60;
export const RECORD_HEADER_BYTES = 32;
const R_CRC = 4;
const R_POSITION = 8;
const R_DURABLE = 16;
const R_TABLE = 24;
const R_PARTITION = 28;

export const SEGMENT_NAME = /^segment-(\d{10})\.bin$/;
export const FREE_NAME = /^free-(\d+)\.bin$/;
export const segmentName = (n: number): string => `segment-${String(n).padStart(10, '0')}.bin`;

export function encodeSegmentHeader(n: number, firstPosition: number, size: number): Uint8Array {
  const b = new Uint8Array(SEGMENT_HEADER_BYTES);
  const dv = new DataView(b.buffer);
  b.set(Buffer.from(SEGMENT_MAGIC, 'latin1'), 0);
  dv.setUint16(SH_VERSION, SEGMENT_VERSION, true);
  dv.setUint32(SH_NUMBER, n, true);
  dv.setFloat64(SH_FIRST, firstPosition, true);
  dv.setFloat64(SH_SIZE, size, true);
  dv.setUint32(SH_CRC, crc32(b.subarray(0, SH_CRC)), true);
  return b;
}

/** Writes a record (header + payload) at `out[at..]`; returns its length. */
export function writeRecord(
  out: Uint8Array, at: number, position: number, durableThrough: number, tableId: number, partitionId: number, payload: Uint8Array,
): number {
  const dv = new DataView(out.buffer, out.byteOffset);
  dv.setUint32(at, payload.length, true);
  dv.setFloat64(at + R_POSITION, position, true);
  dv.setFloat64(at + R_DURABLE, durableThrough, true);
  dv.setInt32(at + R_TABLE, tableId, true);
  dv.setUint32(at + R_PARTITION, partitionId, true);
  out.set(payload, at + RECORD_HEADER_BYTES);
  const end = at + RECORD_HEADER_BYTES + payload.length;
  dv.setUint32(at + R_CRC, crc32Of(out, at + R_POSITION, end), true);
  return end - at;
}

export interface ScannedSegment {
  readonly n: number;
  readonly path: string;
  readonly firstPosition: number;
  readonly size: number;
}

export interface LogScan {
  /** Segments holding the log, in order (the last one is where appends continue). */
  readonly segments: ScannedSegment[];
  /** Records per (table, partition) key, in order. */
  readonly records: Map<string, RecordRefs>;
  /** Position of the last valid record (firstPosition − 1 of the log when it holds none). */
  readonly lastPosition: number;
  /** Offset in the last segment after the last valid record. */
  readonly endOffset: number;
  readonly recordCount: number;
  readonly bytes: number;
}

/** Reads the segments of `dir` (see the file comment); a read-only scan removes nothing. */
export function scanSegments(io: FileIo, dir: string, open: (path: string) => FileHandle, readOnly = false): LogScan {
  const numbers = io.list(dir).map((f) => SEGMENT_NAME.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
  const segments: ScannedSegment[] = [];
  const records: LogScan['records'] = new Map();
  let expected = -1;
  let endOffset = SEGMENT_HEADER_BYTES;
  let recordCount = 0;
  let bytes = 0;
  let last: RecordRefs | null = null;
  for (let s = 0; s < numbers.length; s++) {
    const n = numbers[s]!;
    const path = `${dir}/${segmentName(n)}`;
    const h = open(path);
    const r = new SegmentWindow(io, h);
    const header = segmentHeaderOf(r, n);
    if (header === null) {
      io.close(h);
      // A roll (or the first sync) cut short by a crash: the newest segment has no valid header yet and holds no
      // valid record, so nothing in it was ever acknowledged. With valid records after a bad header it is corrupt.
      if (s === numbers.length - 1 && !validRecordAt(r, SEGMENT_HEADER_BYTES, expected)) {
        if (!readOnly) io.remove(path);
        break;
      }
      throw new DataCorruptionError(`${path}: the segment header is corrupt (bad magic, version or CRC) but records follow it; restore the work dir from a backup`);
    }
    if (expected >= 0 && header.firstPosition !== expected) {
      io.close(h);
      throw new DataCorruptionError(
        `${path} starts at record ${header.firstPosition} but the log before it ends at ${expected - 1}: a segment is missing or out of place; restore the work dir from a backup`);
    }
    if (expected < 0) expected = header.firstPosition;
    segments.push({ n, path, firstPosition: header.firstPosition, size: r.size });
    let at = SEGMENT_HEADER_BYTES;
    try {
      for (;;) {
        const kind = recordAt(r, at, expected);
        if (kind === 'end') break;
        if (kind === 'bad') {
          const laterSegment = s < numbers.length - 1;
          // A recycled segment keeps an older segment's bytes after its own records: when the next segment starts
          // exactly here, this one simply ended (its tail is stale), whatever those bytes look like.
          if (laterSegment && firstPositionOf(io, `${dir}/${segmentName(numbers[s + 1]!)}`, numbers[s + 1]!, open) === expected) break;
          if (laterSegment || syncedLater(r, at, expected)) {
            throw new DataCorruptionError(`${path}: the record at offset ${at} (position ${expected}) fails its CRC but valid records follow it: the log is corrupt in the middle; restore the work dir from a backup`);
          }
          break;
        }
        const o = r.ensure(at, at + RECORD_HEADER_BYTES); // recordAt brought the whole record in
        const dv = r.dv;
        const len = dv.getUint32(o, true);
        const tableId = dv.getInt32(o + R_TABLE, true);
        const partitionId = dv.getUint32(o + R_PARTITION, true);
        const entry: RecordRefs = last !== null && last.tableId === tableId && last.partitionId === partitionId ? last : refsOf(records, tableId, partitionId);
        last = entry;
        const payload = o + RECORD_HEADER_BYTES;
        entry.push(expected, n, at + RECORD_HEADER_BYTES, len, mayHoldDestroy(r.data, payload, payload + len));
        recordCount++;
        bytes += RECORD_HEADER_BYTES + len;
        at += RECORD_HEADER_BYTES + len;
        expected++;
      }
    } finally {
      io.close(h);
    }
    endOffset = at;
  }
  return { segments, records, lastPosition: expected < 0 ? 0 : expected - 1, endOffset, recordCount, bytes };
}

function refsOf(records: Map<string, RecordRefs>, tableId: number, partitionId: number): RecordRefs {
  const key = `${tableId}/${partitionId}`;
  let refs = records.get(key);
  if (refs === undefined) records.set(key, (refs = new RecordRefs(tableId, partitionId)));
  return refs;
}

function readSegmentHeader(data: Uint8Array, n: number): { firstPosition: number } | null {
  if (data.length < SEGMENT_HEADER_BYTES) return null;
  const dv = new DataView(data.buffer);
  if (Buffer.from(data.subarray(0, 8)).toString('latin1') !== SEGMENT_MAGIC) return null;
  if (dv.getUint16(SH_VERSION, true) !== SEGMENT_VERSION) return null;
  if (dv.getUint32(SH_CRC, true) !== crc32(data.subarray(0, SH_CRC))) return null;
  if (dv.getUint32(SH_NUMBER, true) !== n) return null;
  return { firstPosition: dv.getFloat64(SH_FIRST, true) };
}

/** The segment header's first position, or null when the header is not valid. */
function segmentHeaderOf(r: SegmentWindow, n: number): { firstPosition: number } | null {
  const have = Math.min(r.size, SEGMENT_HEADER_BYTES);
  const o = r.ensure(0, have);
  return readSegmentHeader(r.data.subarray(o, o + have), n);
}

/**
 * 'ok': a valid record with position `expected` at `at` (then wholly in the window); 'end': zeros, a stale record
 * or no room; 'bad': torn or corrupt.
 */
function recordAt(r: SegmentWindow, at: number, expected: number): 'ok' | 'end' | 'bad' {
  if (at + RECORD_HEADER_BYTES > r.size) return 'end';
  let o = r.ensure(at, at + RECORD_HEADER_BYTES);
  const len = r.dv.getUint32(o, true);
  if (len === 0 && isZero(r.data, o, o + RECORD_HEADER_BYTES)) return 'end';
  const end = at + RECORD_HEADER_BYTES + len;
  if (end > r.size) return 'bad';
  o = r.ensure(at, end);
  const position = r.dv.getFloat64(o + R_POSITION, true);
  const crcOk = r.dv.getUint32(o + R_CRC, true) === crc32Of(r.data, o + R_POSITION, o + RECORD_HEADER_BYTES + len);
  if (crcOk) return position === expected ? 'ok' : position < expected ? 'end' : 'bad';
  return 'bad';
}

/**
 * Whether a valid record after the bad one at `at` (following the records in place) names `expected` or later as
 * durable-through: then the bad record had been synced, and it is corruption, not a torn tail.
 */
function syncedLater(r: SegmentWindow, at: number, expected: number): boolean {
  if (at + RECORD_HEADER_BYTES > r.size) return false;
  const o = r.ensure(at, at + RECORD_HEADER_BYTES);
  let next = at + RECORD_HEADER_BYTES + r.dv.getUint32(o, true);
  for (let position = expected + 1; recordAt(r, next, position) === 'ok'; position++) {
    const o = r.ensure(next, next + RECORD_HEADER_BYTES);
    if (r.dv.getFloat64(o + R_DURABLE, true) >= expected) return true;
    next += RECORD_HEADER_BYTES + r.dv.getUint32(o, true);
  }
  return false;
}

/** The first position a segment's header names, or −1 when its header is not valid. */
function firstPositionOf(io: FileIo, path: string, n: number, open: (path: string) => FileHandle): number {
  const h = open(path);
  try {
    return segmentHeaderOf(new SegmentWindow(io, h, SEGMENT_HEADER_BYTES), n)?.firstPosition ?? -1;
  } finally {
    io.close(h);
  }
}

/**
 * A record with a matching CRC at `at` that continues the log (its position is `expected`; any position when the
 * segment is the first one kept): a recycled segment's stale records, of lower positions, do not count.
 */
function validRecordAt(r: SegmentWindow, at: number, expected: number): boolean {
  if (at + RECORD_HEADER_BYTES > r.size) return false;
  const h = r.ensure(at, at + RECORD_HEADER_BYTES);
  const len = r.dv.getUint32(h, true);
  const end = at + RECORD_HEADER_BYTES + len;
  if (len === 0 || end > r.size) return false;
  const o = r.ensure(at, end);
  if (r.dv.getUint32(o + R_CRC, true) !== crc32Of(r.data, o + R_POSITION, o + RECORD_HEADER_BYTES + len)) return false;
  return expected < 0 || r.dv.getFloat64(o + R_POSITION, true) === expected;
}

function isZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}
