/**
 * Decoding of index keys (layout: key-codec.ts): values for IndexRow keys, and `keyEnd` to find where a full
 * key ends inside a larger item. Malformed bytes raise DataCorruptionError.
 */
import { DataCorruptionError } from '../shared/errors';
import {
  FIXED_WIDTH, KeyColumnPlan, MARK_VALUE,
  T_BOOLEAN, T_DECIMAL, T_DOUBLE, T_FLOAT, T_INT16, T_INT32, T_INT64, T_INT8, T_STRING, T_TIME, T_TIMESTAMP, T_UUID, T_DATE,
} from './column-values';
import type { KeyColumn } from './column-values';
import { readFloat32, readFloat64, readInt, readInt64, readUuid } from './key-codec-scalars';
import { decodeWtf8, EscapedValue, readEscaped, skipEscaped } from './key-codec-strings';
import { DecimalScratch, formatDecimal, readDecimal, skipDecimal } from './key-decimal';
import { formatDate, formatTime, NANOS_PER_DAY, readNanosOfDay } from './key-temporal';

/** Decodes keys of one index; allocates the returned values (used to build IndexRow keys, not on search). */
export class KeyDecoder {
  readonly plan: KeyColumnPlan;
  readonly #fixed = new Uint8Array(16);
  readonly #fixedView = new DataView(this.#fixed.buffer);
  readonly #escaped = new EscapedValue();
  readonly #decimal = new DecimalScratch();

  constructor(columns: readonly KeyColumn[] | KeyColumnPlan) {
    this.plan = columns instanceof KeyColumnPlan ? columns : new KeyColumnPlan(columns);
  }

  /** The values of the key (or key prefix) in bytes[off..off+len). Throws DataCorruptionError on malformed bytes. */
  decode(bytes: Uint8Array, off: number, len: number): unknown[] {
    const end = off + len;
    const out: unknown[] = [];
    let pos = off;
    for (let i = 0; pos < end; i++) {
      if (i >= this.plan.count) throw new DataCorruptionError(`Index key has bytes after its ${this.plan.count} columns`);
      if (this.plan.nullable[i] === 0) {
        pos = this.#decodeValue(i, bytes, pos, end, out);
        continue;
      }
      const mark = bytes[pos++]!;
      if (mark === MARK_VALUE) {
        pos = this.#decodeValue(i, bytes, pos, end, out);
      } else if (mark === this.plan.nullMarks[i]) {
        out.push(null);
      } else {
        throw new DataCorruptionError(`Index key column '${this.plan.columns[i]!.name}' has an invalid marker 0x${mark.toString(16)}`);
      }
    }
    return out;
  }

  /**
   * The position after the full key (every column) that starts at bytes[off], without building values: for
   * items that store a key followed by other bytes (e.g. a RowId). Allocation-free; validates only lengths.
   */
  keyEnd(bytes: Uint8Array, off: number, limit: number): number {
    const plan = this.plan;
    let pos = off;
    for (let i = 0; i < plan.count; i++) {
      if (pos >= limit) throw keyOverrun(off, limit);
      if (plan.nullable[i] === 0 || bytes[pos++] === MARK_VALUE) pos = this.#skipValue(i, bytes, pos, limit);
    }
    if (pos > limit) throw keyOverrun(off, limit);
    return pos;
  }

  #skipValue(i: number, bytes: Uint8Array, pos: number, limit: number): number {
    const type = this.plan.types[i]!;
    const width = FIXED_WIDTH[type]!;
    if (width > 0) return pos + width;
    return type === T_DECIMAL ? skipDecimal(bytes, pos, limit, this.plan.masks[i]!) : skipEscaped(bytes, pos, limit, this.plan.masks[i]!);
  }

  #decodeValue(i: number, src: Uint8Array, pos: number, end: number, out: unknown[]): number {
    const type = this.plan.types[i]!;
    const mask = this.plan.masks[i]!;
    const width = FIXED_WIDTH[type]!;
    if (width === 0) return this.#decodeVariable(i, src, pos, end, out);
    if (pos + width > end) throw new DataCorruptionError(`Index key ends inside column '${this.plan.columns[i]!.name}'`);
    const f = this.#fixed;
    for (let j = 0; j < width; j++) f[j] = src[pos + j]! ^ mask;
    out.push(this.#readFixed(type));
    return pos + width;
  }

  #readFixed(type: number): unknown {
    const f = this.#fixed;
    switch (type) {
      case T_INT8: return readInt(f, 0, 1);
      case T_INT16: return readInt(f, 0, 2);
      case T_INT32: return readInt(f, 0, 4);
      case T_INT64:
      case T_TIMESTAMP: return readInt64(this.#fixedView, f, 0);
      case T_FLOAT: return readFloat32(this.#fixedView, f, 0);
      case T_DOUBLE: return readFloat64(this.#fixedView, f, 0);
      case T_BOOLEAN:
        if (f[0]! > 1) throw new DataCorruptionError(`Index key has an invalid BOOLEAN byte ${f[0]}`);
        return f[0] === 1;
      case T_UUID: return readUuid(f, 0);
      case T_DATE: return formatDate(readInt(f, 0, 4));
      case T_TIME: return formatTime(checkNanos(readNanosOfDay(f, 0)));
      default: return `${formatDate(readInt(f, 0, 4))}T${formatTime(checkNanos(readNanosOfDay(f, 4)))}`;
    }
  }

  #decodeVariable(i: number, src: Uint8Array, pos: number, end: number, out: unknown[]): number {
    const type = this.plan.types[i]!;
    const mask = this.plan.masks[i]!;
    if (type === T_DECIMAL) {
      const next = readDecimal(src, pos, end, mask, this.#decimal);
      out.push(formatDecimal(this.#decimal, this.plan.scales[i]!));
      return next;
    }
    const e = this.#escaped;
    readEscaped(src, pos, end, mask, e);
    out.push(type === T_STRING ? decodeWtf8(e.bytes, e.length) : e.bytes.slice(0, e.length));
    return e.end;
  }
}

function keyOverrun(off: number, limit: number): DataCorruptionError {
  return new DataCorruptionError(`Index key at ${off} does not fit in the ${limit - off} bytes before its limit`);
}

function checkNanos(nanos: number): number {
  if (nanos >= NANOS_PER_DAY) throw new DataCorruptionError(`Index key has a TIME of ${nanos} ns, beyond one day`);
  return nanos;
}
