/**
 * Byte helpers of the row codec (row-codec.ts has the format): unsigned LEB128 varints, a length-prefixed payload
 * written before its exact length is known, UTF-8 of short strings, DECIMAL unscaled two's complement and UUID bytes.
 * Writers write at `pos` into room the caller reserved and return the next position; they allocate nothing for the
 * common sizes. Readers validate what they read and throw DataCorruptionError, never a RangeError.
 */
import { readU32LE, writeU32LE } from '../shared/byte-order';
import { DataCorruptionError } from '../shared/errors';

/** Longest varint: 5 bytes hold lengths below 2^35, beyond any JS string or Uint8Array length. */
export const MAX_VARINT_BYTES = 5;
const TWO_32 = 4294967296;
export const SECONDS_PER_DAY = 86_400;

export function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5;
}

export function writeVarint(buf: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/**
 * Completes a length-prefixed payload that was written at `pos + reserved` (reserved = `varintSize` of its upper
 * bound) and turned out `len` bytes long: writes the varint at `pos`, moving the payload left when the varint is
 * shorter than reserved. Returns the position after the payload.
 */
export function placeLength(buf: Uint8Array, pos: number, reserved: number, len: number): number {
  const size = varintSize(len);
  // Writes past a Uint8Array's end are dropped silently: a wrong bound must fail here, not truncate the row.
  if (size > reserved || pos + reserved + len > buf.length) throw new Error(`Row codec reserved too little room (${reserved}, ${len})`);
  if (size < reserved) buf.copyWithin(pos + size, pos + reserved, pos + reserved + len);
  writeVarint(buf, pos, len);
  return pos + size + len;
}

/** UTF-8 of `s` (well-formed: a lone surrogate would be written as its 3-byte form); room for 3 x s.length. */
export function writeUtf8(buf: Uint8Array, pos: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      buf[pos++] = 0xf0 | (c >> 18);
      buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else {
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

/** Upper bound of the unscaled two's complement bytes of a DECIMAL string of `chars` characters. */
export function maxDecimalBytes(chars: number): number {
  // < 10^d needs at most d x log2(10) + 1 bits (log2(10) / 8 = 0.415241 bytes per digit), plus a sign bit.
  return Math.ceil(chars * 0.41525) + 2;
}

/**
 * Writes the unscaled integer of a canonical DECIMAL string at `scale` (exactly `scale` fraction digits: '-12.50' is
 * -1250 at scale 2) as minimal little-endian two's complement (zero: no bytes); -1 when `s` is not of that shape.
 * Up to 15 digits without allocating; longer ones through a bigint.
 */
export function writeDecimalBytes(buf: Uint8Array, pos: number, s: string, scale: number): number {
  const neg = s.charCodeAt(0) === 45;
  const first = neg ? 1 : 0;
  const point = scale > 0 ? s.length - scale - 1 : -1;
  if (s.length <= first || (scale > 0 && point <= first)) return -1;
  let mag = 0;
  for (let i = first; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (i === point) {
      if (d !== -2) return -1; // '.'
    } else if (d >= 0 && d <= 9) {
      mag = mag * 10 + d;
    } else {
      return -1;
    }
  }
  if (s.length - first - (scale > 0 ? 1 : 0) > 15) return writeBigDecimalBytes(buf, pos, BigInt(scale > 0 ? s.replace('.', '') : s));
  const flip = neg ? 0xff : 0;
  let m = neg ? mag - 1 : mag; // -x is ~(x - 1) in two's complement
  const start = pos;
  while (m > 0) {
    buf[pos++] = (m % 256) ^ flip;
    m = Math.floor(m / 256);
  }
  return signByte(buf, start, pos, flip);
}

function writeBigDecimalBytes(buf: Uint8Array, pos: number, v: bigint): number {
  const flip = v < 0n ? 0xff : 0;
  const hex = (v < 0n ? -v - 1n : v).toString(16);
  const start = pos;
  if (hex !== '0') {
    for (let end = hex.length; end > 0; end -= 2) {
      buf[pos++] = parseInt(hex.slice(Math.max(0, end - 2), end), 16) ^ flip;
    }
  }
  return signByte(buf, start, pos, flip);
}

/** Appends a sign byte when the top byte's sign bit does not already say the sign (`flip` 0xff: negative). */
function signByte(buf: Uint8Array, start: number, pos: number, flip: number): number {
  if (pos === start ? flip !== 0 : (buf[pos - 1]! & 0x80) !== (flip & 0x80)) buf[pos++] = flip;
  return pos;
}

/** The canonical DECIMAL string of the two's complement in bytes[pos..pos+len) at `scale`. */
export function readDecimalString(bytes: Uint8Array, pos: number, len: number, scale: number): string {
  if (len === 0) return withScale(false, '0', scale);
  const neg = (bytes[pos + len - 1]! & 0x80) !== 0;
  if (len <= 6) {
    let v = 0;
    for (let i = len - 1; i >= 0; i--) v = v * 256 + bytes[pos + i]!;
    if (neg) v -= 2 ** (8 * len);
    return withScale(neg, String(neg ? -v : v), scale);
  }
  let hex = '0x';
  for (let i = len - 1; i >= 0; i--) hex += HEX[bytes[pos + i]!]!;
  let v = BigInt(hex);
  if (neg) v -= 1n << BigInt(8 * len);
  return withScale(neg, (neg ? -v : v).toString(), scale);
}

function withScale(neg: boolean, digits: string, scale: number): string {
  const sign = neg ? '-' : '';
  if (scale === 0) return sign + digits;
  const padded = digits.length > scale ? digits : '0'.repeat(scale + 1 - digits.length) + digits;
  const point = padded.length - scale;
  return `${sign}${padded.slice(0, point)}.${padded.slice(point)}`;
}

/** True when the canonical DECIMAL string `s` (at `scale`) has at most precision - scale integer digits. */
export function decimalFits(s: string, precision: number, scale: number): boolean {
  const first = s.charCodeAt(0) === 45 ? 1 : 0;
  const point = scale === 0 ? s.length : s.length - scale - 1;
  const intDigits = point - first === 1 && s.charCodeAt(first) === 48 ? 0 : point - first;
  return intDigits <= precision - scale;
}

/** Two lowercase hex digits of each byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => (b < 16 ? '0' : '') + b.toString(16));

/** The 16 bytes of a canonical (lowercase 8-4-4-4-12) UUID string, in its order; -1 when `s` is not one. */
export function writeUuid(buf: Uint8Array, pos: number, s: string): number {
  if (s.length !== 36) return -1;
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (s.charCodeAt(i) !== 45) return -1;
      i++;
    }
    const hi = hexDigit(s.charCodeAt(i));
    const lo = hexDigit(s.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return -1;
    buf[pos++] = (hi << 4) | lo;
  }
  return pos;
}

/** A lowercase hex digit's value, -1 for any other character. */
function hexDigit(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  return ch >= 97 && ch <= 102 ? ch - 87 : -1;
}

export function readUuid(bytes: Uint8Array, pos: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[bytes[pos + i]!]!;
  }
  return s;
}

/** TIMESTAMP: 8-byte signed seconds since the epoch (exact: |seconds| < 2^53), then 4-byte nanoseconds of the second. */
export function writeTimestamp(buf: Uint8Array, pos: number, days: number, nanosOfDay: number): number {
  const secondOfDay = Math.floor(nanosOfDay / 1e9);
  const seconds = days * SECONDS_PER_DAY + secondOfDay;
  const hi = Math.floor(seconds / TWO_32);
  writeU32LE(buf, pos, seconds - hi * TWO_32);
  writeU32LE(buf, pos + 4, hi);
  writeU32LE(buf, pos + 8, nanosOfDay - secondOfDay * 1e9);
  return pos + 12;
}

/** The seconds field of a TIMESTAMP (its nanoseconds: the u32 at pos + 8). */
export function readTimestampSeconds(bytes: Uint8Array, pos: number): number {
  return (readU32LE(bytes, pos + 4) | 0) * TWO_32 + readU32LE(bytes, pos);
}

/** Reads a little-endian 48-bit unsigned integer (TIME). */
export function readU48LE(bytes: Uint8Array, pos: number): number {
  const lo = (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24)) >>> 0;
  return lo + (bytes[pos + 4]! | (bytes[pos + 5]! << 8)) * TWO_32;
}

export function writeU48LE(buf: Uint8Array, pos: number, v: number): number {
  const hi = Math.floor(v / TWO_32);
  const lo = v - hi * TWO_32;
  buf[pos] = lo & 0xff;
  buf[pos + 1] = (lo >>> 8) & 0xff;
  buf[pos + 2] = (lo >>> 16) & 0xff;
  buf[pos + 3] = lo >>> 24;
  buf[pos + 4] = hi & 0xff;
  buf[pos + 5] = (hi >>> 8) & 0xff;
  return pos + 6;
}

/** A varint at `pos` below `end`: the value, with the position after it in `cursor.at`. */
export function readVarint(bytes: Uint8Array, cursor: { at: number }, end: number): number {
  let v = 0;
  let scale = 1;
  let pos = cursor.at;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (pos >= end) throw rowCorrupt('the bytes end inside a length');
    const b = bytes[pos++]!;
    v += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      cursor.at = pos;
      return v;
    }
    scale *= 128;
  }
  throw rowCorrupt('a length is longer than 5 bytes');
}

/** DATA_CORRUPTION for bytes that are not a row of the schema version they are decoded with. */
export function rowCorrupt(detail: string): DataCorruptionError {
  return new DataCorruptionError(`The row could not be decoded: ${detail}. Its stored bytes are corrupt (or were decoded `
    + 'with the wrong schema version); restore the table from a backup or a healthy replica');
}
