/**
 * Fixed-width order-preserving encodings: integers (big-endian, sign bit flipped), floats (sign bit flipped for
 * positives, all bits inverted for negatives; -0 stored as +0, NaN as one canonical NaN after +Infinity),
 * booleans and UUIDs (two big-endian halves, each sign-flipped, so unsigned byte order is the signed
 * (msb, lsb) order). Writers write ascending bytes at `pos` and return the next position; the caller reserved
 * the room. Readers read ascending (already unmasked) bytes.
 */
import type { KeyColumn } from './column-values';
import { wrongValue } from './column-values';

/** Indexed by byte width (1, 2, 4). */
const INT_MIN = [0, -0x80, -0x8000, 0, -0x80000000];
const INT_MAX = [0, 0x7f, 0x7fff, 0, 0x7fffffff];
const MIN_LONG = -(1n << 63n);
const MAX_LONG = (1n << 63n) - 1n;

/** Validates an INT8/INT16/INT32 value (`bytes` = 1, 2 or 4). */
export function checkInt(c: KeyColumn, v: unknown, bytes: number): number {
  const min = INT_MIN[bytes]!;
  const max = INT_MAX[bytes]!;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw wrongValue(c, `an integer number in ${min}..${max}`, v);
  }
  return v;
}

export function checkInt64(c: KeyColumn, v: unknown): bigint {
  if (typeof v !== 'bigint' || v < MIN_LONG || v > MAX_LONG) {
    throw wrongValue(c, `a bigint in ${MIN_LONG}..${MAX_LONG}`, v);
  }
  return v;
}

export function checkNumber(c: KeyColumn, v: unknown): number {
  if (typeof v !== 'number') throw wrongValue(c, 'a number', v);
  return v;
}

export function checkBoolean(c: KeyColumn, v: unknown): boolean {
  if (typeof v !== 'boolean') throw wrongValue(c, 'a boolean', v);
  return v;
}

/** Big-endian two's complement of `v` in `bytes` bytes with the sign bit flipped. */
export function writeInt(buf: Uint8Array, pos: number, v: number, bytes: number): number {
  for (let i = bytes - 1; i >= 0; i--) {
    buf[pos + i] = v & 0xff;
    v >>= 8;
  }
  buf[pos] ^= 0x80;
  return pos + bytes;
}

export function readInt(buf: Uint8Array, pos: number, bytes: number): number {
  let v = (buf[pos]! ^ 0x80) << 24 >> 24;
  for (let i = 1; i < bytes; i++) v = (v << 8) | buf[pos + i]!;
  return v;
}

/** INT64 and TIMESTAMP: 8 bytes, sign bit flipped. `view` covers `buf`. */
export function writeInt64(view: DataView, buf: Uint8Array, pos: number, v: bigint): number {
  view.setBigInt64(pos, v);
  buf[pos] ^= 0x80;
  return pos + 8;
}

/** Reads from a scratch that the caller may modify: the sign bit is flipped back in place. */
export function readInt64(view: DataView, buf: Uint8Array, pos: number): bigint {
  buf[pos] ^= 0x80;
  return view.getBigInt64(pos);
}

/** FLOAT: the value is rounded to float32 first (tiny values round to -0, which is stored as +0). */
export function writeFloat32(view: DataView, buf: Uint8Array, pos: number, v: number): number {
  const f = Math.fround(v);
  if (f !== f) view.setUint32(pos, 0x7fc00000);
  else view.setFloat32(pos, f === 0 ? 0 : f);
  flipFloatBytes(buf, pos, 4);
  return pos + 4;
}

export function writeFloat64(view: DataView, buf: Uint8Array, pos: number, v: number): number {
  if (v !== v) {
    view.setUint32(pos, 0x7ff80000);
    view.setUint32(pos + 4, 0);
  } else {
    view.setFloat64(pos, v === 0 ? 0 : v);
  }
  flipFloatBytes(buf, pos, 8);
  return pos + 8;
}

/** Reads from a scratch that the caller may modify (bytes are un-flipped in place). */
export function readFloat32(view: DataView, buf: Uint8Array, pos: number): number {
  unflipFloatBytes(buf, pos, 4);
  return view.getFloat32(pos);
}

export function readFloat64(view: DataView, buf: Uint8Array, pos: number): number {
  unflipFloatBytes(buf, pos, 8);
  return view.getFloat64(pos);
}

function flipFloatBytes(buf: Uint8Array, pos: number, n: number): void {
  if ((buf[pos]! & 0x80) === 0) {
    buf[pos] ^= 0x80;
  } else {
    for (let i = 0; i < n; i++) buf[pos + i] ^= 0xff;
  }
}

function unflipFloatBytes(buf: Uint8Array, pos: number, n: number): void {
  if ((buf[pos]! & 0x80) !== 0) {
    buf[pos] ^= 0x80;
  } else {
    for (let i = 0; i < n; i++) buf[pos + i] ^= 0xff;
  }
}

const UUID_SHAPE = "a UUID string 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' of hex digits";

/** Writes the 16 order-preserving bytes of a UUID string; throws the column's error when malformed. */
export function writeUuid(c: KeyColumn, buf: Uint8Array, pos: number, v: unknown): number {
  if (typeof v !== 'string' || v.length !== 36 || v.charCodeAt(8) !== 45 || v.charCodeAt(13) !== 45
    || v.charCodeAt(18) !== 45 || v.charCodeAt(23) !== 45) {
    throw wrongValue(c, UUID_SHAPE, v);
  }
  let o = pos;
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i++;
    const hi = hexValue(v.charCodeAt(i));
    const lo = hexValue(v.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) throw wrongValue(c, UUID_SHAPE, v);
    buf[o++] = (hi << 4) | lo;
  }
  buf[pos] ^= 0x80;
  buf[pos + 8] ^= 0x80;
  return o;
}

/** The lowercase UUID string of 16 ascending bytes. */
export function readUuid(buf: Uint8Array, pos: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    const b = i === 0 || i === 8 ? buf[pos + i]! ^ 0x80 : buf[pos + i]!;
    s += (b < 16 ? '0' : '') + b.toString(16);
  }
  return s;
}

function hexValue(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  if (ch >= 97 && ch <= 102) return ch - 87;
  if (ch >= 65 && ch <= 70) return ch - 55;
  return -1;
}
