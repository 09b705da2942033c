import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareByteArrays, compareKeys, hasPrefix } from '../../../../src/domain/index/byte-compare';
import { FC, sign } from './key-models';

describe('compareKeys', () => {
  it('is unsigned lexicographic order with a shorter prefix first (Buffer.compare as the model)', () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 10 }), fc.array(fc.constantFrom(0, 1, 0x7f, 0x80, 0xff), { maxLength: 5 }).map((x) => Uint8Array.from(x)));
    fc.assert(fc.property(bytes, bytes, fc.uint8Array({ maxLength: 4 }), (a, b, pad) => {
      const want = sign(Buffer.compare(a, b));
      expect(sign(compareByteArrays(a, b))).toBe(want);
      const pa = Uint8Array.from([...pad, ...a, ...pad]);
      const pb = Uint8Array.from([...b, ...pad]);
      expect(sign(compareKeys(pa, pad.length, a.length, pb, 0, b.length))).toBe(want);
      expect(hasPrefix(pa, pad.length, a.length, pb, 0, b.length)).toBe(Buffer.from(a).subarray(0, b.length).equals(b) && b.length <= a.length);
    }), FC);
  });

  it('treats bytes as unsigned', () => {
    expect(compareKeys(Uint8Array.of(0x80), 0, 1, Uint8Array.of(0x7f), 0, 1)).toBeGreaterThan(0);
    expect(compareByteArrays(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBeLessThan(0);
    expect(compareByteArrays(new Uint8Array(0), new Uint8Array(0))).toBe(0);
  });
});
