/**
 * The catalog files' value codec: records of the catalog's values (plain objects, arrays, strings, numbers, booleans,
 * null, undefined, bigint, Uint8Array) written as standard msgpack by hand and read back exactly with msgpackr
 * (file-catalog-store.ts describes the record layout).
 */
import { crc32 } from 'node:zlib';
import { Packr, Unpackr } from 'msgpackr';
import { InvalidArgumentError } from '../../domain/shared/errors';

/** Bytes before a record's payload: its length u32 and its CRC-32 u32. */
export const CATALOG_RECORD_HEADER_BYTES = 8;

/** Bigints beyond 64 bits only: msgpackr writes them as its extension 0x42, which its Unpackr reads back. */
const BIG_BIGINTS = new Packr({ useRecords: false, useBigIntExtension: true });
/** Maps as Map (a key "__proto__" stays a key), int64 / uint64 as bigint, bin as a view (copied by fromWire). */
const UNPACKR = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'bigint' });
const UTF8 = new TextEncoder();
const MAX_DEPTH = 256;
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Encodes a record (header and payload) of the catalog's values as standard msgpack, by hand: msgpackr would write
 * -0 as the integer 0 and turn the key "__proto__" into "__proto_". A value outside the catalog's value types is
 * refused with InvalidArgumentError naming its path, before anything is written.
 */
export class ValueWriter {
  #buf = new Uint8Array(1024);
  #dv = new DataView(this.#buf.buffer);
  #at = 0;

  /** The record `{v: version, [field]: value}`; a view of the writer's buffer, valid until the next call. */
  record(field: 'e' | 's', version: number, value: unknown, path: string): Uint8Array {
    this.#at = CATALOG_RECORD_HEADER_BYTES;
    this.#head(2, 0x80, 16, 0, 0xde);
    this.#string('v', path);
    this.#number(version);
    this.#string(field, path);
    this.#value(value, path, 0);
    const payload = this.#buf.subarray(CATALOG_RECORD_HEADER_BYTES, this.#at);
    this.#dv.setUint32(0, payload.length, true);
    this.#dv.setUint32(4, crc32(payload), true);
    return this.#buf.subarray(0, this.#at);
  }

  #value(v: unknown, path: string, depth: number): void {
    if (depth > MAX_DEPTH) throw refused(path, `nested deeper than ${MAX_DEPTH} levels (or a cycle)`);
    if (typeof v === 'number') return this.#number(v);
    if (typeof v === 'bigint') return this.#bigint(v);
    if (typeof v === 'string') return this.#string(v, path);
    if (v === null || v === undefined || typeof v === 'boolean') return this.#bytes(v === null ? [0xc0] : v === undefined ? [0xd4, 0, 0] : [v ? 0xc3 : 0xc2]);
    if (v instanceof Uint8Array) {
      this.#head(v.length, 0, 0, 0xc4, 0xc5);
      return this.#raw(v);
    }
    if (Array.isArray(v)) {
      this.#head(v.length, 0x90, 16, 0, 0xdc);
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw refused(`${path}[${i}]`, 'a hole in an array');
        this.#value(v[i], `${path}[${i}]`, depth + 1);
      }
      return;
    }
    const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(v).length > 0) throw refused(path, describe(v));
    const keys = Object.keys(v as object);
    this.#head(keys.length, 0x80, 16, 0, 0xde);
    for (const k of keys) {
      this.#string(k, path);
      this.#value((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
    }
  }

  #number(v: number): void {
    this.#room(9);
    if (Number.isInteger(v) && v >= -0x8000_0000 && v <= 0xffff_ffff && !Object.is(v, -0)) {
      if (v >= -32 && v < 128) this.#buf[this.#at++] = v & 0xff;
      else if (v < 0x8000_0000) this.#fixed(0xd2, 4, (at) => this.#dv.setInt32(at, v));
      else this.#fixed(0xce, 4, (at) => this.#dv.setUint32(at, v));
    } else this.#fixed(0xcb, 8, (at) => this.#dv.setFloat64(at, v));
  }

  #bigint(v: bigint): void {
    this.#room(9);
    if (BigInt.asIntN(64, v) === v) this.#fixed(0xd3, 8, (at) => this.#dv.setBigInt64(at, v));
    else if (BigInt.asUintN(64, v) === v) this.#fixed(0xcf, 8, (at) => this.#dv.setBigUint64(at, v));
    else this.#raw(BIG_BIGINTS.pack(v));
  }

  #string(s: string, path: string): void {
    if (!isWellFormed(s)) throw refused(path, 'a string with a lone surrogate (UTF-8 cannot hold it)');
    const bytes = UTF8.encode(s);
    this.#head(bytes.length, 0xa0, 32, 0xd9, 0xda);
    this.#raw(bytes);
  }

  /** A length header: fix form below `fixLimit`, else 8-bit (`c8`, when the type has one), 16-bit `c16`, 32-bit `c16 + 1`. */
  #head(n: number, fix: number, fixLimit: number, c8: number, c16: number): void {
    this.#room(5);
    if (n < fixLimit) this.#buf[this.#at++] = fix | n;
    else if (c8 !== 0 && n < 0x100) this.#bytes([c8, n]);
    else if (n < 0x10000) this.#fixed(c16, 2, (at) => this.#dv.setUint16(at, n));
    else this.#fixed(c16 + 1, 4, (at) => this.#dv.setUint32(at, n));
  }

  #fixed(code: number, size: number, set: (at: number) => void): void {
    this.#buf[this.#at] = code;
    set(this.#at + 1);
    this.#at += 1 + size;
  }

  #bytes(b: readonly number[]): void {
    this.#room(b.length);
    for (const x of b) this.#buf[this.#at++] = x;
  }

  #raw(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.#at);
    this.#at += b.length;
  }

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    const grown = new Uint8Array(Math.max(this.#buf.length * 2, this.#at + n));
    grown.set(this.#buf.subarray(0, this.#at));
    this.#buf = grown;
    this.#dv = new DataView(grown.buffer);
  }
}

/** The version and value of a record's payload (`field` 'e' or 's'), or null when it is not one this build reads. */
export function decodeRecordPayload(payload: Uint8Array, field: 'e' | 's'): { version: number; value: unknown } | null {
  try {
    const top: unknown = UNPACKR.unpack(payload);
    if (!(top instanceof Map) || top.size !== 2 || !top.has(field)) return null;
    const version: unknown = top.get('v');
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) return null;
    return { version, value: fromWire(top.get(field), 0) };
  } catch {
    return null;
  }
}

/** msgpackr's output back to the catalog's values: Map → plain object (keys in order), bin → a plain Uint8Array copy. */
function fromWire(w: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new Error('nested too deep');
  if (w === null || w === undefined || ['number', 'bigint', 'string', 'boolean'].includes(typeof w)) return w;
  if (w instanceof Uint8Array) return new Uint8Array(w);
  if (Array.isArray(w)) return w.map((x) => fromWire(x, depth + 1));
  if (!(w instanceof Map)) throw new Error(`not a catalog value: ${describe(w)}`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of w) {
    if (typeof k !== 'string') throw new Error('a map key that is not a string');
    Object.defineProperty(out, k, { value: fromWire(x, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function refused(path: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `The catalog cannot store ${path}: it is ${what}. Catalog values are plain objects, arrays, strings, numbers, ` +
      `booleans, null, undefined, bigints and Uint8Arrays.`,
  );
}

const describe = (v: unknown): string =>
  typeof v === 'object' && v !== null ? `an instance of ${(v.constructor as { name?: string } | undefined)?.name ?? 'a class'}` : `a ${typeof v}`;
