/**
 * The binary row codec: the normalized values of one row (table-values.ts) <-> the bytes a partition stores, under
 * one schema version. Rows are stored with the version they were written under and read back through it;
 * `upgradeValues` then maps them to a newer (or older) version by column id.
 *
 * Row format 1 (all multi-byte fields little-endian):
 *
 *   format   1 byte, 0x01
 *   count    varint (unsigned LEB128): the number of columns n; must equal the schema version's
 *   nulls    ceil(n / 8) bytes: bit (i & 7) of byte (i >> 3) set when column i is null; the bits past n are 0
 *   values   each non-null column in schema order:
 *              BOOLEAN 1 (0 | 1) · TINYINT 1 · SMALLINT 2 · INT 4 (two's complement)
 *              BIGINT 8 (two's complement) · REAL 4 (IEEE float32) · DOUBLE 8 (IEEE float64)
 *              DATE 4 (signed days since 1970-01-01) · TIME 6 (unsigned nanoseconds of the day)
 *              TIMESTAMP 12 (signed 8-byte seconds since 1970-01-01T00:00:00, then 4-byte nanoseconds < 10^9)
 *              UUID 16 (the bytes in the order of the string's hex digits)
 *              VARCHAR varint byte length + UTF-8 · VARBINARY varint length + the bytes
 *              DECIMAL varint length + the unscaled value (value x 10^scale) as minimal two's complement (0: none)
 *
 * Nothing is aligned and nothing is padded; decoding checks every length, range and the exact end, so corrupt or
 * truncated bytes give DataCorruptionError, never wrong values or a RangeError.
 */
import { readU32LE, writeU32LE } from '../shared/byte-order';
import { InvalidArgumentError } from '../shared/errors';
import { formatDate, formatTime, NANOS_PER_DAY } from '../index/key-temporal';
import {
  decimalFits, maxDecimalBytes, MAX_VARINT_BYTES, placeLength, readDecimalString, readTimestampSeconds, readU48LE, readUuid,
  readVarint, rowCorrupt, SECONDS_PER_DAY, varintSize, writeDecimalBytes, writeTimestamp, writeU48LE, writeUtf8, writeUuid,
  writeVarint,
} from './row-codec-bytes';
import { omittedValue } from './table-values';
import {
  JS_TYPES, RowPlan, T_BIGINT, T_BOOLEAN, T_DATE, T_DOUBLE, T_INT, T_REAL, T_SMALLINT, T_TIME, T_TIMESTAMP, T_TINYINT, T_UUID,
  T_VARBINARY, T_VARCHAR, WIDTHS,
} from './row-plan';
import type { TableSchema } from './table-schema';
import { dateDays, formatTimestamp, MAX_DAYS, MIN_DAYS, timeNanos, timestampDays, timestampNanos } from './temporal-values';
import { codePointCount } from './value-normalizers';

export const ROW_FORMAT_V1 = 0x01;

/** Strings up to this many UTF-16 units are encoded by a JS loop: cheaper than a subarray + encodeInto call. */
const SHORT_STRING = 64;

/**
 * Encodes and decodes the rows of one schema version. Immutable per-column plans are computed once; encode writes
 * into a scratch buffer owned by this codec. Use it synchronously from one caller at a time (JS callers are).
 */
export class RowCodec {
  #viewBinary = false;
  readonly schema: TableSchema;
  readonly #plan: RowPlan;
  #buf: Uint8Array;
  #view: DataView;
  readonly #num = new Uint8Array(8);
  readonly #numView = new DataView(this.#num.buffer);
  /** The read position while decoding (a field, so that readers return values without result objects). */
  readonly #cursor = { at: 0 };
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(schema: TableSchema, initialCapacity = 256) {
    this.schema = schema;
    this.#plan = new RowPlan(schema);
    this.#buf = new Uint8Array(Math.max(16, initialCapacity));
    this.#view = new DataView(this.#buf.buffer);
  }

  /**
   * The bytes of a row given as normalized values in schema column order (from rowValues). The result is a view of
   * this codec's scratch buffer: valid until the next `encode` on this codec; copy it to keep it.
   */
  encode(values: readonly unknown[]): Uint8Array {
    const n = this.#plan.count;
    if (values.length !== n) {
      throw new InvalidArgumentError(`A row of schema version ${this.schema.version} needs ${n} values, one per column, got ${values.length}`);
    }
    const head = 1 + varintSize(n) + this.#plan.bitmapBytes;
    this.#reserve(0, head);
    this.#buf[0] = ROW_FORMAT_V1;
    const bitmap = writeVarint(this.#buf, 1, n);
    this.#buf.fill(0, bitmap, head);
    let pos = head;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        if (this.#plan.nullable[i] === 0) throw this.#plan.notNormalized(i, v);
        this.#buf[bitmap + (i >> 3)] |= 1 << (i & 7);
      } else {
        pos = this.#encodeValue(i, v, pos);
      }
    }
    return this.#buf.subarray(0, pos);
  }

  /** The normalized values of a row's bytes (fresh arrays and copies the caller owns); corrupt bytes → DATA_CORRUPTION. */
  decode(bytes: Uint8Array): unknown[] {
    this.#viewBinary = false;
    return this.#decode(bytes, null);
  }

  /**
   * `decode` (`owned`: `decodeOwned`) of only the columns whose byte in `wanted` (schema order) is not 0: the others
   * are null, their bytes skipped (their lengths checked, their contents not).
   */
  decodeSome(bytes: Uint8Array, wanted: Uint8Array, owned: boolean): unknown[] {
    this.#viewBinary = owned;
    return this.#decode(bytes, wanted);
  }

  /**
   * `decode` of bytes the caller owns for good (a row a storage read handed out): VARBINARY values are views into
   * `bytes` rather than copies, so they share its ArrayBuffer (as rows read from the storage share a pooled chunk).
   */
  decodeOwned(bytes: Uint8Array): unknown[] {
    this.#viewBinary = true;
    return this.#decode(bytes, null);
  }

  #decode(bytes: Uint8Array, wanted: Uint8Array | null): unknown[] {
    const n = this.#plan.count;
    const end = bytes.length;
    if (end === 0 || bytes[0] !== ROW_FORMAT_V1) {
      throw rowCorrupt(end === 0 ? 'it is empty' : `unknown row format ${bytes[0]} (this build reads format ${ROW_FORMAT_V1})`);
    }
    const cursor = this.#cursor;
    cursor.at = 1;
    const count = readVarint(bytes, cursor, end);
    if (count !== n) throw rowCorrupt(`it has ${count} columns where schema version ${this.schema.version} has ${n}`);
    const bitmap = cursor.at;
    let pos = bitmap + this.#plan.bitmapBytes;
    if (pos > end) throw rowCorrupt('the bytes end inside the null bitmap');
    if ((n & 7) !== 0 && bytes[pos - 1]! >> (n & 7) !== 0) throw rowCorrupt('null bits are set past the last column');
    const values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      if (((bytes[bitmap + (i >> 3)]! >> (i & 7)) & 1) !== 0) {
        if (this.#plan.nullable[i] === 0) throw rowCorrupt(`NOT NULL column '${this.#plan.name(i)}' is null`);
        values[i] = null;
        continue;
      }
      cursor.at = pos;
      if (wanted === null || wanted[i] !== 0) values[i] = this.#decodeValue(i, bytes, end);
      else {
        values[i] = null;
        this.#skipValue(i, bytes, end);
      }
      pos = cursor.at;
    }
    if (pos !== end) throw rowCorrupt(`${end - pos} bytes follow the last column`);
    return values;
  }

  /** The primary-key values (in key order) out of a row's values (schema order). */
  keyOf(values: readonly unknown[]): unknown[] {
    const indices = this.#plan.keyIndices;
    const key = new Array<unknown>(indices.length);
    for (let i = 0; i < indices.length; i++) key[i] = values[indices[i]!];
    return key;
  }

  #encodeValue(i: number, v: unknown, pos: number): number {
    const type = this.#plan.types[i]!;
    if (typeof v !== JS_TYPES[type]) throw this.#plan.notNormalized(i, v);
    const width = WIDTHS[type]!;
    if (width > 0) this.#reserve(pos, width);
    const buf = this.#buf;
    switch (type) {
      case T_BOOLEAN: buf[pos] = v === true ? 1 : 0; return pos + 1;
      case T_TINYINT: buf[pos] = (v as number) & 0xff; return pos + 1;
      case T_SMALLINT:
        buf[pos] = (v as number) & 0xff;
        buf[pos + 1] = ((v as number) >> 8) & 0xff;
        return pos + 2;
      case T_INT: writeU32LE(buf, pos, v as number); return pos + 4;
      case T_BIGINT: this.#view.setBigInt64(pos, v as bigint, true); return pos + 8;
      case T_REAL: this.#view.setFloat32(pos, v as number, true); return pos + 4;
      case T_DOUBLE: this.#view.setFloat64(pos, v as number, true); return pos + 8;
      case T_DATE: writeU32LE(buf, pos, this.#parsed(i, v, dateDays(v as string))); return pos + 4;
      case T_TIME: return writeU48LE(buf, pos, this.#parsed(i, v, timeNanos(v as string)));
      case T_TIMESTAMP: return writeTimestamp(buf, pos, this.#parsed(i, v, timestampDays(v as string)), timestampNanos(v as string));
      case T_UUID: {
        const end = writeUuid(buf, pos, v as string);
        if (end < 0) throw this.#plan.notNormalized(i, v);
        return end;
      }
      case T_VARCHAR: return this.#writeVarchar(v as string, pos);
      case T_VARBINARY: return this.#writeVarbinary(i, v, pos);
      default: return this.#writeDecimal(i, v as string, pos);
    }
  }

  #writeVarchar(s: string, pos: number): number {
    const max = s.length * 3;
    const reserved = varintSize(max);
    this.#reserve(pos, reserved + max);
    const at = pos + reserved;
    if (s.length <= SHORT_STRING) return placeLength(this.#buf, pos, reserved, writeUtf8(this.#buf, at, s) - at);
    const done = this.#encoder.encodeInto(s, this.#buf.subarray(at, at + max));
    return placeLength(this.#buf, pos, reserved, done.written);
  }

  #writeVarbinary(i: number, v: unknown, pos: number): number {
    if (!(v instanceof Uint8Array)) throw this.#plan.notNormalized(i, v);
    this.#reserve(pos, MAX_VARINT_BYTES + v.length);
    pos = writeVarint(this.#buf, pos, v.length);
    this.#buf.set(v, pos);
    return pos + v.length;
  }

  #writeDecimal(i: number, s: string, pos: number): number {
    const max = maxDecimalBytes(s.length);
    const reserved = varintSize(max);
    this.#reserve(pos, reserved + max);
    const at = pos + reserved;
    const end = writeDecimalBytes(this.#buf, at, s, this.#plan.scales[i]!);
    if (end < 0) throw this.#plan.notNormalized(i, s);
    return placeLength(this.#buf, pos, reserved, end - at);
  }

  #decodeValue(i: number, bytes: Uint8Array, end: number): unknown {
    const type = this.#plan.types[i]!;
    const pos = this.#cursor.at;
    const width = WIDTHS[type]!;
    if (width === 0) return this.#decodeVariable(i, type, bytes, end);
    if (pos + width > end) throw rowCorrupt(`the bytes end inside column '${this.#plan.name(i)}'`);
    this.#cursor.at = pos + width;
    switch (type) {
      case T_BOOLEAN: {
        const b = bytes[pos]!;
        if (b > 1) throw rowCorrupt(`BOOLEAN column '${this.#plan.name(i)}' holds byte ${b}`);
        return b === 1;
      }
      case T_TINYINT: return (bytes[pos]! << 24) >> 24;
      case T_SMALLINT: return ((bytes[pos]! | (bytes[pos + 1]! << 8)) << 16) >> 16;
      case T_INT: return readU32LE(bytes, pos) | 0;
      case T_BIGINT: return this.#fixed(bytes, pos, 8).getBigInt64(0, true);
      case T_REAL: return this.#fixed(bytes, pos, 4).getFloat32(0, true);
      case T_DOUBLE: return this.#fixed(bytes, pos, 8).getFloat64(0, true);
      case T_DATE: return formatDate(this.#days(i, readU32LE(bytes, pos) | 0));
      case T_TIME: {
        const nanos = readU48LE(bytes, pos);
        if (nanos >= NANOS_PER_DAY) throw rowCorrupt(`TIME column '${this.#plan.name(i)}' holds ${nanos} ns, past the end of a day`);
        return formatTime(nanos);
      }
      case T_TIMESTAMP: return this.#readTimestamp(i, bytes, pos);
      default: return readUuid(bytes, pos);
    }
  }

  #readTimestamp(i: number, bytes: Uint8Array, pos: number): string {
    const seconds = readTimestampSeconds(bytes, pos);
    const nanos = readU32LE(bytes, pos + 8);
    if (nanos >= 1e9) throw rowCorrupt(`TIMESTAMP column '${this.#plan.name(i)}' holds ${nanos} ns in a second`);
    const days = this.#days(i, Math.floor(seconds / SECONDS_PER_DAY));
    return formatTimestamp(days, (seconds - days * SECONDS_PER_DAY) * 1e9 + nanos);
  }

  /** Moves the cursor past column i's value without reading it. */
  #skipValue(i: number, bytes: Uint8Array, end: number): void {
    const width = WIDTHS[this.#plan.types[i]!]!;
    if (width > 0) this.#take(i, width, end);
    else this.#take(i, readVarint(bytes, this.#cursor, end), end);
  }

  /** The cursor's position, then moves it past `len` bytes of column i's value (DATA_CORRUPTION past the row's end). */
  #take(i: number, len: number, end: number): number {
    const start = this.#cursor.at;
    if (len > end - start) throw rowCorrupt(`column '${this.#plan.name(i)}' claims ${len} bytes, past the row's end`);
    this.#cursor.at = start + len;
    return start;
  }

  #decodeVariable(i: number, type: number, bytes: Uint8Array, end: number): unknown {
    const len = readVarint(bytes, this.#cursor, end);
    const start = this.#take(i, len, end);
    const limit = this.#plan.lengths[i]!;
    if (type === T_VARBINARY) {
      if (limit >= 0 && len > limit) throw rowCorrupt(`VARBINARY(${limit}) column '${this.#plan.name(i)}' holds ${len} bytes`);
      return this.#viewBinary ? bytes.subarray(start, start + len) : bytes.slice(start, start + len);
    }
    if (type === T_VARCHAR) return this.#readVarchar(i, bytes, start, len, limit);
    const s = readDecimalString(bytes, start, len, this.#plan.scales[i]!);
    if (!decimalFits(s, this.#plan.precisions[i]!, this.#plan.scales[i]!)) {
      throw rowCorrupt(`DECIMAL column '${this.#plan.name(i)}' holds ${s.length > 40 ? `${s.slice(0, 40)}...` : s}, which does not fit it`);
    }
    return s;
  }

  #readVarchar(i: number, bytes: Uint8Array, start: number, len: number, limit: number): string {
    if (limit >= 0 && len > limit * 4) throw rowCorrupt(`VARCHAR(${limit}) column '${this.#plan.name(i)}' holds ${len} bytes`);
    let s: string;
    try {
      s = this.#decoder.decode(bytes.subarray(start, start + len));
    } catch {
      throw rowCorrupt(`VARCHAR column '${this.#plan.name(i)}' holds bytes that are not UTF-8`);
    }
    if (limit >= 0 && len > limit && codePointCount(s) > limit) {
      throw rowCorrupt(`VARCHAR(${limit}) column '${this.#plan.name(i)}' holds a longer string`);
    }
    return s;
  }

  /** A view of `width` bytes at `pos` copied into the codec's own 8-byte scratch (no view per call). */
  #fixed(bytes: Uint8Array, pos: number, width: number): DataView {
    for (let k = 0; k < width; k++) this.#num[k] = bytes[pos + k]!;
    return this.#numView;
  }

  #days(i: number, days: number): number {
    if (days < MIN_DAYS || days > MAX_DAYS) throw rowCorrupt(`column '${this.#plan.name(i)}' holds day ${days}, outside years 0001..9999`);
    return days;
  }

  /** `parsed` when it is a number (a normalized value parsed), else the refusal of `v`. */
  #parsed(i: number, v: unknown, parsed: number): number {
    if (parsed !== parsed) throw this.#plan.notNormalized(i, v);
    return parsed;
  }

  /** Makes room for `n` bytes at `pos`, replacing the scratch buffer (and its view) by a larger copy when needed. */
  #reserve(pos: number, n: number): void {
    if (pos + n <= this.#buf.length) return;
    const grown = new Uint8Array(Math.max(this.#buf.length * 2, pos + n));
    grown.set(this.#buf.subarray(0, pos));
    this.#buf = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/**
 * The values of a row decoded under schema version `from`, mapped to version `to` by column id: a column of `to`
 * absent from `from` gets its default when it has one, else null; columns absent from `to` are dropped. Returns
 * `values` itself when both are the same version.
 */
export function upgradeValues(from: TableSchema, to: TableSchema, values: readonly unknown[]): unknown[] {
  if (from === to) return values as unknown[];
  if (values.length !== from.columns.length) {
    throw new InvalidArgumentError(`Schema version ${from.version} has ${from.columns.length} columns, got ${values.length} values`);
  }
  const target = to.columns;
  const source = from.columns;
  const out = new Array<unknown>(target.length);
  for (let j = 0; j < target.length; j++) {
    const id = target[j]!.id;
    let i = 0;
    while (i < source.length && source[i]!.id !== id) i++;
    out[j] = i < source.length ? values[i] : target[j]!.hasDefault ? omittedValue('', target[j]!) : null;
  }
  return out;
}
