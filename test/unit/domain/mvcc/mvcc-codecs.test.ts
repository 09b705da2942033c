/** Transaction id bytes and timestamp halves. */
import { describe, expect, it } from 'vitest';
import { TimestampHalves, compareTs, readTs, writeTs } from '../../../../src/domain/mvcc/hybrid-ts-bytes';
import { formatTxId, parseTxId, sameTxId } from '../../../../src/domain/mvcc/tx-id-bytes';
import { MAX_VALUE, MIN_VALUE } from '../../../../src/domain/storage/hybrid-timestamp';
import { SeededRandom } from '../../../contract/support/seeded-random';

describe('transaction id bytes', () => {
  it('round-trips UUIDs, lowercasing them', () => {
    const rnd = new SeededRandom(3);
    const buf = new Uint8Array(20);
    for (let i = 0; i < 100; i++) {
      const id = rnd.uuid();
      expect(parseTxId(id.toUpperCase(), buf, 2)).toBe(true);
      expect(formatTxId(buf, 2)).toBe(id.toLowerCase());
    }
    expect(parseTxId('00000000-0000-0000-0000-000000000000', buf, 0)).toBe(true);
    expect(buf.subarray(0, 16).every((b) => b === 0)).toBe(true);
    expect(parseTxId('FFFFFFFF-ffff-FFFF-ffff-FFFFFFFFFFFF', buf, 0)).toBe(true);
    expect(formatTxId(buf, 0)).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
  });

  it.each([
    ['not-a-uuid'], [''], ['123e4567-e89b-12d3-a456-42661417400'], ['123e4567-e89b-12d3-a456-4266141740000'],
    ['123e4567e89b-12d3-a456-4266141740000'], ['123e4567-e89b-12d3-a456_426614174000'], ['g23e4567-e89b-12d3-a456-426614174000'],
    ['123e4567-e89b-12d3-a456-42661417400 '], [42], [null],
  ])('refuses %j', (bad) => {
    expect(parseTxId(bad, new Uint8Array(16), 0)).toBe(false);
  });

  it('compares ids bytewise', () => {
    const a = new Uint8Array(32);
    parseTxId('123e4567-e89b-12d3-a456-426614174000', a, 0);
    parseTxId('123e4567-e89b-12d3-a456-426614174000', a, 16);
    expect(sameTxId(a, 0, a, 16)).toBe(true);
    a[31] = 1;
    expect(sameTxId(a, 0, a, 16)).toBe(false);
  });
});

describe('timestamp halves', () => {
  it('split, store big-endian, read back and compare like bigints', () => {
    const rnd = new SeededRandom(11);
    const values = [MIN_VALUE, MAX_VALUE, 0xffffffffn, 0x100000000n, 0x1ffffffffn, ...Array.from({ length: 60 }, () => BigInt.asUintN(63, rnd.long()))];
    const h = new TimestampHalves();
    const dv = new DataView(new ArrayBuffer(8));
    const halves = values.map((v) => {
      h.set(v);
      writeTs(dv, 0, h.hi, h.lo);
      expect(readTs(dv, 0)).toBe(v);
      expect(dv.getBigUint64(0)).toBe(v); // big-endian on the page
      return [h.hi, h.lo] as const;
    });
    values.forEach((a, i) => values.forEach((b, j) => {
      expect(compareTs(halves[i]![0], halves[i]![1], halves[j]![0], halves[j]![1])).toBe(a === b ? 0 : a < b ? -1 : 1);
    }));
  });
});
