/** Rows, transaction ids and row assertions. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import type { Cursor } from '../../../src/domain/storage/cursor';

const utf8 = new TextEncoder();

export function row(text: string, schemaVersion = 1): BinaryRow {
  return { schemaVersion, bytes: utf8.encode(text) };
}

/** A row of `size` pseudo-random bytes (deterministic per seed). */
export function bigRow(size: number, seed: number, schemaVersion = 1): BinaryRow {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return { schemaVersion, bytes };
}

export const newTxId = (): string => randomUUID();

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** A comparable picture of a row (null for a tombstone or nothing). */
export function rowPicture(r: BinaryRow | null | undefined): { schemaVersion: number; bytes: string } | null {
  return r === null || r === undefined ? null : { schemaVersion: r.schemaVersion, bytes: hex(r.bytes) };
}

export function expectRow(actual: BinaryRow | null | undefined, expected: BinaryRow | null, what = 'row'): void {
  expect(actual === undefined ? 'undefined' : rowPicture(actual), what).toEqual(rowPicture(expected));
}

/** Drains a cursor (hasNext/next) and closes it. */
export function drain<T>(cursor: Cursor<T>): T[] {
  try {
    const out: T[] = [];
    while (cursor.hasNext()) out.push(cursor.next());
    return out;
  } finally {
    cursor.close();
  }
}
