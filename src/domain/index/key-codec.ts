/**
 * The index key codec: column values <-> bytes whose unsigned lexicographic order (`compareKeys`) is the
 * index order of DESIGN §4/§6.1.
 *
 * A key is the concatenation of its columns; a prefix key (fewer values than columns) is the concatenation
 * of the first columns, so every full key with that prefix starts with its bytes (see key-bounds.ts). Each
 * column of a nullable column is one marker byte, then (for a non-null value) the value bytes; a NOT NULL column
 * is its value bytes alone (no null can occur, not even in a bound, so the constant marker would only cost a byte
 * per key):
 *
 *   marker: null with nulls first 0x00 | a value 0x01 | null with nulls last 0x02 (never inverted)
 *   value:  INT8/16/32/64, TIMESTAMP  big-endian, sign bit flipped
 *           FLOAT, DOUBLE            IEEE bits, sign-flipped / inverted (key-codec-scalars.ts)
 *           DECIMAL                  sign, exponent, digit pairs, terminator (key-decimal.ts)
 *           BOOLEAN                  0x00 | 0x01
 *           UUID                     16 bytes, each half sign-flipped (signed msb, lsb order)
 *           STRING, BYTES            escaped bytes + terminator 0x00 0x00 (key-codec-strings.ts)
 *           DATE, TIME, DATETIME     days / nanos of day / both (key-temporal.ts)
 *
 * A STRING/BYTES column with a declared `length` refuses longer values (code points / bytes) in `encode` and
 * `encodeFull` — stored and searched keys — with InvalidArgumentError; `encodeBound` takes any length.
 *
 * DESC columns XOR their value bytes (terminators included) with 0xFF. Every column encoding is prefix-free,
 * so inverting it reverses its order exactly and a difference in one column is decided within its bytes.
 */
import { InvalidArgumentError } from '../shared/errors';
import {
  exceedsCodePoints, FIXED_WIDTH, KeyColumnPlan, MARK_VALUE, nullNotAllowed, tooLong, wrongValue,
  T_BOOLEAN, T_DATE, T_DATETIME, T_DECIMAL, T_DOUBLE, T_FLOAT, T_INT16, T_INT32, T_INT64, T_INT8,
  T_STRING, T_TIME, T_TIMESTAMP, T_UUID,
} from './column-values';
import type { KeyColumn } from './column-values';
import {
  checkBoolean, checkInt, checkInt64, checkNumber, writeFloat32, writeFloat64, writeInt, writeInt64, writeUuid,
} from './key-codec-scalars';
import { maxBytesBytes, maxStringBytes, writeBytes, writeString } from './key-codec-strings';
import { checkDecimalFits, DecimalScratch, maxDecimalBytes, parseDecimal, roundToScale, writeDecimal } from './key-decimal';
import { KeyDecoder } from './key-decoder';
import { checkDate, checkDateTime, checkTime, nanosOfDateTime, writeNanosOfDay } from './key-temporal';

/**
 * Encodes keys of one index into a reusable, growing buffer. Not thread-shared state: one encoder per caller
 * (e.g. per index storage), used synchronously.
 */
export class KeyEncoder {
  readonly plan: KeyColumnPlan;
  /** The last encoded key is `buffer[0..length)`. Valid until the next `encode*` call (it may be replaced). */
  buffer: Uint8Array;
  #view: DataView;
  readonly #decimal = new DecimalScratch();
  #bound = false;

  constructor(columns: readonly KeyColumn[] | KeyColumnPlan, initialCapacity = 64) {
    this.plan = columns instanceof KeyColumnPlan ? columns : new KeyColumnPlan(columns);
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
    this.#view = new DataView(this.buffer.buffer);
  }

  /** Encodes a full key or a prefix (fewer values than columns); returns its length. */
  encode(values: readonly unknown[]): number {
    const n = values.length;
    if (n > this.plan.count) {
      throw new InvalidArgumentError(`Index key has ${n} values but the index has ${this.plan.count} columns`);
    }
    let pos = 0;
    for (let i = 0; i < n; i++) pos = this.#encodeColumn(i, values[i], pos);
    return pos;
  }

  /**
   * Encodes a scan bound prefix: like `encode`, but DECIMAL values are taken exactly (neither rounded to the
   * column's scale nor checked against its precision) and STRING/BYTES values are not checked against the declared
   * length, so a bound between (or beyond) storable values still splits them correctly (key-bounds.ts).
   */
  encodeBound(values: readonly unknown[]): number {
    this.#bound = true;
    try {
      return this.encode(values);
    } finally {
      this.#bound = false;
    }
  }

  /** Encodes a full key: exactly one value per column (hash keys, stored entries). */
  encodeFull(values: readonly unknown[]): number {
    if (values.length !== this.plan.count) {
      throw new InvalidArgumentError(`Index key needs ${this.plan.count} values, one per column, got ${values.length}`);
    }
    return this.encode(values);
  }

  /** A copy of the last encoded key. */
  copy(length: number): Uint8Array {
    return this.buffer.slice(0, length);
  }

  #encodeColumn(i: number, v: unknown, pos: number): number {
    const plan = this.plan;
    this.#reserve(pos, 1);
    if (v === null) {
      if (plan.nullable[i] === 0) throw nullNotAllowed(plan.columns[i]!);
      this.buffer[pos] = plan.nullMarks[i]!;
      return pos + 1;
    }
    if (plan.nullable[i] !== 0) this.buffer[pos++] = MARK_VALUE;
    const end = this.#encodeValue(i, v, pos);
    if (plan.masks[i] !== 0) {
      const buf = this.buffer;
      for (let j = pos; j < end; j++) buf[j] ^= 0xff;
    }
    return end;
  }

  #encodeValue(i: number, v: unknown, pos: number): number {
    const type = this.plan.types[i]!;
    const c = this.plan.columns[i]!;
    const width = FIXED_WIDTH[type]!;
    if (width > 0) this.#reserve(pos, width);
    switch (type) {
      case T_INT8: return writeInt(this.buffer, pos, checkInt(c, v, 1), 1);
      case T_INT16: return writeInt(this.buffer, pos, checkInt(c, v, 2), 2);
      case T_INT32: return writeInt(this.buffer, pos, checkInt(c, v, 4), 4);
      case T_INT64:
      case T_TIMESTAMP: return writeInt64(this.#view, this.buffer, pos, checkInt64(c, v));
      case T_FLOAT: return writeFloat32(this.#view, this.buffer, pos, checkNumber(c, v));
      case T_DOUBLE: return writeFloat64(this.#view, this.buffer, pos, checkNumber(c, v));
      case T_BOOLEAN: this.buffer[pos] = checkBoolean(c, v) ? 1 : 0; return pos + 1;
      case T_UUID: return writeUuid(c, this.buffer, pos, v);
      case T_DATE: return writeInt(this.buffer, pos, checkDate(c, v), 4);
      case T_TIME: return writeNanosOfDay(this.buffer, pos, checkTime(c, v));
      case T_DATETIME: return writeNanosOfDay(this.buffer, writeInt(this.buffer, pos, checkDateTime(c, v), 4), nanosOfDateTime(v as string));
      case T_DECIMAL: return this.#encodeDecimal(i, v, pos);
      case T_STRING: {
        if (typeof v !== 'string') throw wrongValue(c, 'a string', v);
        const limit = this.plan.lengths[i]!;
        if (limit >= 0 && !this.#bound && exceedsCodePoints(v, limit)) throw tooLong(c, v);
        this.#reserve(pos, maxStringBytes(v.length));
        return writeString(this.buffer, pos, v);
      }
      default: // T_BYTES
        if (!(v instanceof Uint8Array)) throw wrongValue(c, 'a Uint8Array', v);
        if (!this.#bound && this.plan.lengths[i]! >= 0 && v.length > this.plan.lengths[i]!) throw tooLong(c, v);
        this.#reserve(pos, maxBytesBytes(v.length));
        return writeBytes(this.buffer, pos, v);
    }
  }

  #encodeDecimal(i: number, v: unknown, pos: number): number {
    const d = this.#decimal;
    const c = this.plan.columns[i]!;
    const scale = this.plan.scales[i]!;
    parseDecimal(c, v, d);
    if (this.#bound) {
      checkDecimalFits(c, d, -1, -1, v);
    } else {
      if (scale >= 0) roundToScale(d, scale);
      checkDecimalFits(c, d, this.plan.precisions[i]!, scale, v);
    }
    this.#reserve(pos, maxDecimalBytes(d));
    return writeDecimal(this.buffer, pos, d);
  }

  /** Makes room for `n` bytes at `pos`, replacing `buffer` (and its view) by a larger copy when needed. */
  #reserve(pos: number, n: number): void {
    if (pos + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, pos + n));
    grown.set(this.buffer.subarray(0, pos));
    this.buffer = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/** Encodes a key or key prefix into a new array (convenience; hot paths keep a `KeyEncoder`). */
export function encodeKey(columns: readonly KeyColumn[], values: readonly unknown[]): Uint8Array {
  const enc = new KeyEncoder(columns);
  return enc.copy(enc.encode(values));
}

/** Decodes the key (or prefix) in bytes[off..off+len) (convenience; see `KeyDecoder`). */
export function decodeKey(columns: readonly KeyColumn[], bytes: Uint8Array, off: number, len: number): unknown[] {
  return new KeyDecoder(columns).decode(bytes, off, len);
}
