/**
 * Test helpers for the B+ tree: items with a 4-byte big-endian key, a 4-byte value and a payload derived from both
 * (so a torn or misplaced item is noticed), a sorted-array model, and a seeded PRNG.
 */
import { BytePrefixKey, BytewiseItemType } from '../../src/domain/btree/btree-item';

/** mulberry32: a small deterministic PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const KEY_SIZE = 4;

/** Items ordered by their 4-byte key; the rest is value + payload. */
export function testItemType(itemSize: number): BytewiseItemType {
  return new BytewiseItemType(itemSize, KEY_SIZE);
}

export function writeItem(buf: Uint8Array, off: number, itemSize: number, key: number, value: number): void {
  const dv = new DataView(buf.buffer, buf.byteOffset);
  dv.setUint32(off, key, false);
  if (itemSize >= 8) dv.setUint32(off + 4, value, false);
  for (let i = 8; i < itemSize; i++) buf[off + i] = (key * 31 + value * 7 + i) & 0xff;
}

export function itemKey(buf: Uint8Array, off = 0): number {
  return new DataView(buf.buffer, buf.byteOffset).getUint32(off, false);
}

export function itemValue(buf: Uint8Array, off: number, itemSize: number): number {
  return itemSize >= 8 ? new DataView(buf.buffer, buf.byteOffset).getUint32(off + 4, false) : 0;
}

/** Throws when the payload bytes do not belong to the item's key and value. */
export function checkPayload(buf: Uint8Array, off: number, itemSize: number): void {
  const key = itemKey(buf, off);
  const value = itemValue(buf, off, itemSize);
  for (let i = 8; i < itemSize; i++) {
    if (buf[off + i] !== ((key * 31 + value * 7 + i) & 0xff)) throw new Error(`item ${key}: payload byte ${i} is wrong`);
  }
}

/** A search key over exactly the 4 key bytes. */
export class TestKey extends BytePrefixKey {
  readonly #bytes = new Uint8Array(KEY_SIZE);

  constructor(key = 0) {
    super();
    this.set(this.#bytes, 0, KEY_SIZE);
    this.key = key;
  }

  set key(k: number) {
    new DataView(this.#bytes.buffer).setUint32(0, k, false);
  }

  get key(): number {
    return new DataView(this.#bytes.buffer).getUint32(0, false);
  }
}

/** The reference: sorted keys plus their values. */
export class SortedModel {
  readonly keys: number[] = [];
  readonly values = new Map<number, number>();

  get size(): number {
    return this.keys.length;
  }

  /** First index with keys[i] ≥ key (strict: > key). */
  bound(key: number, strict = false): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (strict ? this.keys[mid]! > key : this.keys[mid]! >= key) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  has(key: number): boolean {
    return this.values.has(key);
  }

  /** True when it replaced. */
  put(key: number, value: number): boolean {
    const replaced = this.values.has(key);
    if (!replaced) this.keys.splice(this.bound(key), 0, key);
    this.values.set(key, value);
    return replaced;
  }

  remove(key: number): boolean {
    if (!this.values.delete(key)) return false;
    this.keys.splice(this.bound(key), 1);
    return true;
  }

  /** First key ≥ key (inclusive) or > key; undefined when none. */
  next(key: number, inclusive: boolean): number | undefined {
    return this.keys[this.bound(key, !inclusive)];
  }

  /** Last key ≤ key (inclusive) or < key; undefined when none. */
  previous(key: number, inclusive: boolean): number | undefined {
    const i = this.bound(key, inclusive) - 1;
    return i >= 0 ? this.keys[i] : undefined;
  }
}
