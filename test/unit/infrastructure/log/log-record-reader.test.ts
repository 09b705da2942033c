/**
 * The replay fast path (log-record-reader.ts): it reads every batch of the write kinds exactly as msgpackr's full
 * decode does — whichever msgpack form each field was written in — with byte fields as views of the payload; it
 * gives up (null) on anything else, and decodeBatch then still decodes it, or reports corruption.
 */
import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import type { PartitionMutation } from '../../../../src/domain/partition/partition.events';
import { DataCorruptionError } from '../../../../src/domain/shared/errors';
import { decodeBatch, encodeBatch } from '../../../../src/infrastructure/log/log-record-codec';
import { readBatchFast } from '../../../../src/infrastructure/log/log-record-reader';

const id = (n: number): Uint8Array => new Uint8Array(16).fill(n);
const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v)));

const WRITES: PartitionMutation[] = [
  { type: 'row.writeAdded', rowId: id(1), row: { schemaVersion: 3, bytes: new Uint8Array([1, 2, 3]) }, txId: id(2), commitZoneId: 70_000, commitPartitionId: 300 },
  { type: 'row.writeAdded', rowId: id(1), row: null, txId: id(2), commitZoneId: -33, commitPartitionId: -2147483648 },
  { type: 'row.writeCommitted', rowId: id(1), timestamp: (1n << 62n) + 5n, txId: id(2) },
  { type: 'row.writeAborted', rowId: id(3), txId: id(4) },
  { type: 'row.committedWriteAdded', rowId: id(5), row: { schemaVersion: 1, bytes: new Uint8Array(70_000).fill(9) }, timestamp: 1n },
  { type: 'row.committedWriteAdded', rowId: id(5), row: { schemaVersion: -1000, bytes: new Uint8Array(300) }, timestamp: -1n },
  { type: 'row.vacuumed', rowId: id(6), timestamp: 77n },
  { type: 'index.entryPut', indexId: 2 ** 31 - 1, key: new Uint8Array([0, 1, 2]), rowId: id(7) },
  { type: 'index.entryRemoved', indexId: 200, key: new Uint8Array(0), rowId: id(7) },
];

describe('log record fast reader', () => {
  it('reads the write kinds as the full decode does, byte fields as views of the payload', () => {
    const bytes = encodeBatch(WRITES).slice();
    const fast = readBatchFast(bytes);
    expect(fast).not.toBeNull();
    expect(plain(fast)).toEqual(plain(WRITES));
    const first = fast![0] as Extract<PartitionMutation, { type: 'row.writeAdded' }>;
    expect(first.rowId.buffer).toBe(bytes.buffer);
    // Inside a larger buffer (a recovery run): the same, from the given range only.
    const run = new Uint8Array(bytes.length + 10);
    run.set(bytes, 7);
    expect(plain(readBatchFast(run, 7, 7 + bytes.length))).toEqual(plain(WRITES));
  });

  it('reads records whose fields msgpackr wrote in other forms (narrow integers, timestamps as plain integers)', () => {
    const packr = new Packr({ useRecords: false, moreTypes: false, int64AsType: 'bigint', variableMapSize: true });
    // [kind, rowId, [schemaVersion, bytes], timestamp] with a timestamp small enough for a 1-byte integer, and an
    // 8-bit, 16-bit and 32-bit unsigned and negative ints elsewhere.
    const bytes = packr.pack([
      [3, id(5), [200, new Uint8Array([4])], 12],
      [3, id(5), [70_000, new Uint8Array([4])], 2 ** 40],
      [0, id(1), null, id(2), 255, -129],
      [7, 65_535, new Uint8Array([1]), id(3)],
    ]);
    const fast = readBatchFast(bytes);
    expect(plain(fast)).toEqual(plain(decodeBatch(bytes, 'x')));
    expect(plain(fast)).toEqual(plain([
      { type: 'row.committedWriteAdded', rowId: id(5), row: { schemaVersion: 200, bytes: new Uint8Array([4]) }, timestamp: 12n },
      { type: 'row.committedWriteAdded', rowId: id(5), row: { schemaVersion: 70_000, bytes: new Uint8Array([4]) }, timestamp: 2n ** 40n },
      { type: 'row.writeAdded', rowId: id(1), row: null, txId: id(2), commitZoneId: 255, commitPartitionId: -129 },
      { type: 'index.entryPut', indexId: 65_535, key: new Uint8Array([1]), rowId: id(3) },
    ]));
  });

  it('gives up on other kinds, extra fields and trailing bytes; decodeBatch still reads the valid ones', () => {
    const rare: PartitionMutation[] = [...WRITES, { type: 'partition.lastAppliedSet', index: 5, term: 1 }];
    const bytes = encodeBatch(rare).slice();
    expect(readBatchFast(bytes)).toBeNull();
    expect(plain(decodeBatch(bytes, 'x'))).toEqual(plain(rare));
    const packr = new Packr({ useRecords: false, moreTypes: false, int64AsType: 'bigint' });
    const extra = packr.pack([[4, id(6), 77n, 'more']]);
    expect(readBatchFast(extra)).toBeNull();
    const trailing = new Uint8Array([...encodeBatch(WRITES.slice(0, 1)), 0xc0]);
    expect(readBatchFast(trailing)).toBeNull();
  });

  it('a short or mistyped write record is not read by the fast path, and decodeBatch reports DATA_CORRUPTION', () => {
    const bytes = encodeBatch(WRITES).slice();
    for (const cut of [1, 2, 5, 20, bytes.length - 1]) {
      const short = bytes.subarray(0, cut);
      expect(readBatchFast(short)).toBeNull();
      expect(() => decodeBatch(short, 'segment-1 offset 64')).toThrow(DataCorruptionError);
    }
    const packr = new Packr({ useRecords: false, moreTypes: false });
    const mistyped = packr.pack([[3, 'not bytes', null, 1]]);
    expect(readBatchFast(mistyped)).toBeNull();
    expect(() => decodeBatch(mistyped, 'x')).toThrow(DataCorruptionError);
    const fractional = packr.pack([[4, id(6), 1.5]]);
    expect(readBatchFast(fractional)).toBeNull();
    expect(() => decodeBatch(fractional, 'x')).toThrow(DataCorruptionError);
  });
});
