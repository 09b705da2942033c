/**
 * Variable-length encodings (STRING, BYTES): the value's bytes with every 0x00 written as 0x00 0xFF, then the
 * terminator 0x00 0x00. The set of encodings is prefix-free and a value sorts before its extensions (the
 * terminator's second byte 0x00 is below both 0xFF and any non-zero byte), so the columns after it still
 * compare correctly, and inverting all bytes (DESC) exactly reverses the order.
 *
 * STRING bytes are UTF-8. Lone surrogates (not valid Unicode, but legal in JS strings) are written as the
 * 3-byte form of their code point (WTF-8), so every JS string round-trips exactly and distinct strings have
 * distinct keys; for valid strings this is plain UTF-8 order.
 */
import { DataCorruptionError } from '../shared/errors';

/** Upper bound of the encoded size of a string of `length` UTF-16 units, terminator included. */
export function maxStringBytes(length: number): number {
  return length * 3 + 2;
}

/**
 * Upper bound of the encoded size of a string of `codePoints` Unicode code points (a declared STRING length),
 * terminator included: at most 4 bytes each (an escaped 0x00 takes 2, a lone surrogate 3).
 */
export function maxStringBytesOfCodePoints(codePoints: number): number {
  return codePoints * 4 + 2;
}

/** Upper bound of the encoded size of `length` raw bytes, terminator included. */
export function maxBytesBytes(length: number): number {
  return length * 2 + 2;
}

/** Writes the escaped WTF-8 of `s` and the terminator; room for `maxStringBytes(s.length)` is reserved. */
export function writeString(buf: Uint8Array, pos: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
      if (c === 0) buf[pos++] = 0xff;
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
  buf[pos++] = 0;
  buf[pos++] = 0;
  return pos;
}

/** Writes the escaped bytes and the terminator; room for `maxBytesBytes(len)` is reserved. */
export function writeBytes(buf: Uint8Array, pos: number, src: Uint8Array): number {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const b = src[i]!;
    buf[pos++] = b;
    if (b === 0) buf[pos++] = 0xff;
  }
  buf[pos++] = 0;
  buf[pos++] = 0;
  return pos;
}

/**
 * Caller-owned scratch for unescaping: after `readEscaped`, `bytes[0..length)` holds the value's raw bytes and
 * `end` the position after its terminator. `bytes` is reused (and may be replaced when it grows).
 */
export class EscapedValue {
  bytes = new Uint8Array(64);
  length = 0;
  end = 0;
}

/** Unescapes one value starting at `pos` (bytes XORed with `mask` first); `limit` is the key's end. */
export function readEscaped(src: Uint8Array, pos: number, limit: number, mask: number, out: EscapedValue): void {
  let n = 0;
  for (;;) {
    if (pos >= limit) throw new DataCorruptionError('Index key ends inside a STRING or BYTES value (no terminator)');
    const b = src[pos++]! ^ mask;
    if (b === 0) {
      if (pos >= limit) throw new DataCorruptionError('Index key ends inside a STRING or BYTES escape');
      const next = src[pos++]! ^ mask;
      if (next === 0) break;
      if (next !== 0xff) throw new DataCorruptionError(`Index key has an invalid escape 0x00 0x${next.toString(16)}`);
    }
    if (n === out.bytes.length) {
      const grown = new Uint8Array(n * 2);
      grown.set(out.bytes);
      out.bytes = grown;
    }
    out.bytes[n++] = b;
  }
  out.length = n;
  out.end = pos;
}

/** The position after the escaped value at `pos` (bytes XORed with `mask`); allocation-free. */
export function skipEscaped(src: Uint8Array, pos: number, limit: number, mask: number): number {
  while (pos < limit) {
    if ((src[pos++]! ^ mask) === 0) {
      if (pos >= limit) break;
      if ((src[pos++]! ^ mask) === 0) return pos;
    }
  }
  throw new DataCorruptionError('Index key ends inside a STRING or BYTES value (no terminator)');
}

/** Decodes WTF-8 (UTF-8 that may carry surrogate code points) as written by `writeString`. */
export function decodeWtf8(bytes: Uint8Array, len: number): string {
  let s = '';
  const units: number[] = [];
  let i = 0;
  while (i < len) {
    const b = bytes[i]!;
    let cp: number;
    if (b < 0x80) {
      cp = b;
      i += 1;
    } else if (b >= 0xf0) {
      cp = ((b & 0x07) << 18) | (cont(bytes, i + 1, len) << 12) | (cont(bytes, i + 2, len) << 6) | cont(bytes, i + 3, len);
      i += 4;
    } else if (b >= 0xe0) {
      cp = ((b & 0x0f) << 12) | (cont(bytes, i + 1, len) << 6) | cont(bytes, i + 2, len);
      i += 3;
    } else if (b >= 0xc0) {
      cp = ((b & 0x1f) << 6) | cont(bytes, i + 1, len);
      i += 2;
    } else {
      throw new DataCorruptionError(`Index key STRING has a stray UTF-8 continuation byte 0x${b.toString(16)}`);
    }
    if (cp >= 0x10000) {
      units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else {
      units.push(cp);
    }
    if (units.length >= 4096) s += flush(units);
  }
  return s + flush(units);
}

function cont(bytes: Uint8Array, i: number, len: number): number {
  const b = i < len ? bytes[i]! : 0;
  if ((b & 0xc0) !== 0x80) throw new DataCorruptionError('Index key STRING has a truncated UTF-8 sequence');
  return b & 0x3f;
}

function flush(units: number[]): string {
  const s = String.fromCharCode(...units);
  units.length = 0;
  return s;
}
