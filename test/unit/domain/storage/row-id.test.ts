import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/domain/shared/errors';
import { RowId } from '../../../../src/domain/storage/row-id';

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const long = fc.oneof(fc.bigInt({ min: MIN, max: MAX }), fc.constantFrom(MIN, -1n, 0n, 1n, MAX));
const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

describe('RowId', () => {
  it('round-trips its halves through the 16 page bytes', () => {
    fc.assert(fc.property(long, long, (m, l) => {
      const dv = new DataView(new ArrayBuffer(20));
      new RowId(7, m, l).writeUuidBytes(dv, 4);
      const back = RowId.readUuidBytes(7, dv, 4);
      expect([back.mostSignificantBits, back.leastSignificantBits]).toEqual([m, l]);
    }), { seed: 1, numRuns: 500 });
  });

  it('orders by partition, then signed msb, then signed lsb — and so do its page bytes, unsigned', () => {
    fc.assert(fc.property(long, long, long, long, (m1, l1, m2, l2) => {
      const a = new RowId(1, m1, l1);
      const b = new RowId(1, m2, l2);
      const expected = cmp(m1, m2) || cmp(l1, l2);
      expect(Math.sign(a.compareTo(b))).toBe(expected);
      const da = new Uint8Array(16);
      const db = new Uint8Array(16);
      a.writeUuidBytes(new DataView(da.buffer), 0);
      b.writeUuidBytes(new DataView(db.buffer), 0);
      expect(Math.sign(Buffer.compare(da, db))).toBe(expected);
      expect(a.equals(b)).toBe(expected === 0);
    }), { seed: 2, numRuns: 500 });
    expect(new RowId(1, MAX, MAX).compareTo(new RowId(2, MIN, MIN))).toBe(-1);
  });

  it('increments with carry and ends after the highest', () => {
    expect(new RowId(0, 5n, MAX).increment()!.equals(new RowId(0, 6n, MIN))).toBe(true);
    expect(new RowId(0, -1n, -1n).increment()!.equals(new RowId(0, -1n, 0n))).toBe(true);
    expect(new RowId(0, -1n, MAX).increment()!.equals(new RowId(0, 0n, MIN))).toBe(true);
    expect(RowId.lowest(3).increment()!.equals(new RowId(3, MIN, MIN + 1n))).toBe(true);
    expect(RowId.highest(3).increment()).toBeNull();
    expect([RowId.lowest(2).mostSignificantBits, RowId.highest(2).leastSignificantBits]).toEqual([MIN, MAX]);
  });

  it('random ids are distinct, in the partition, with UUID version 4 and variant bits', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const r = RowId.random(9);
      expect(r.partitionId).toBe(9);
      const u = r.uuid();
      expect(u[14]).toBe('4');
      expect('89ab').toContain(u[19]);
      seen.add(u);
    }
    expect(seen.size).toBe(2000);
  });

  it('time-ordered ids ascend in creation order, carry the time, version 7 and variant bits, and stay distinct', () => {
    const before = Date.now();
    const ids = Array.from({ length: 20_000 }, () => RowId.timeOrdered(3)); // > 4,096 a millisecond: borrows ahead
    for (let i = 1; i < ids.length; i++) expect(ids[i - 1]!.compareTo(ids[i]!)).toBeLessThan(0);
    expect(new Set(ids.map((r) => r.uuid())).size).toBe(ids.length);
    const u = ids[0]!.uuid();
    expect([u[14], '89ab'.includes(u[19]!), ids[0]!.partitionId]).toEqual(['7', true, 3]);
    const ms = Number(ids[0]!.mostSignificantBits >> 16n);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it('equal ids built either way compare equal and look equal', () => {
    const a = new RowId(4, -5n, 77n);
    const dv = new DataView(new ArrayBuffer(16));
    a.writeUuidBytes(dv, 0);
    const b = RowId.readUuidBytes(4, dv, 0);
    expect(b).toEqual(a);
    expect(b.toString()).toBe(a.toString());
  });

  it('rejects bad partitions and halves with InvalidArgumentError', () => {
    expect(() => new RowId(-1, 0n, 0n)).toThrow(InvalidArgumentError);
    expect(() => new RowId(65536, 0n, 0n)).toThrow(InvalidArgumentError);
    expect(() => new RowId(0, MAX + 1n, 0n)).toThrow(InvalidArgumentError);
    expect(() => new RowId(0, 0n, MIN - 1n)).toThrow(InvalidArgumentError);
  });

  it('refuses numbers, strings and other non-bigint halves instead of reading them as order words', () => {
    const bad: unknown[][] = [
      [0, 1, 2], [0, 1, 2, 3, 4], [0, 1n, 2], [0, 1, 2n], [0, '1', 2n], [0, 1n, 'x'], [0, null, 0n], [0, 0n, undefined],
      [0, {}, 0n], [0, 0n, Object.create(null)], [0, 1.5, 0n], [0.5, 0n, 0n], ['0', 0n, 0n], [Number.NaN, 0n, 0n],
    ];
    bad.forEach((args, i) => expect(() => Reflect.construct(RowId, args), `case ${i}`).toThrow(InvalidArgumentError));
    expect(() => new RowId(0, 1 as unknown as bigint, 2 as unknown as bigint)).toThrow(/signed 64-bit bigints, got 1 \(number\)/);
  });

  it('refuses bad partition ids of its factories with InvalidArgumentError', () => {
    for (const p of [-1, 1.5, 65536, Number.NaN, '1', null]) {
      for (const make of [RowId.random, RowId.lowest, RowId.highest]) {
        expect(() => make(p as number), String(p)).toThrow(InvalidArgumentError);
      }
    }
  });
});
