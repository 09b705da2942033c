import { describe, expect, it } from 'vitest';
import { MAX_POOLED_ROW, RowBytesPool } from '../../../../src/domain/mvcc/row-bytes-pool';

describe('RowBytesPool', () => {
  it('hands out zero-filled, non-overlapping views that later takes never touch', () => {
    const pool = new RowBytesPool();
    const views: Uint8Array[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = pool.take((i * 37) % 300);
      expect(v.every((b) => b === 0)).toBe(true);
      v.fill(i & 0xff);
      views.push(v);
    }
    views.forEach((v, i) => expect(v.every((b) => b === (i & 0xff))).toBe(true));
  });

  it('gives rows larger than the pooled limit their own buffer', () => {
    const pool = new RowBytesPool();
    const big = pool.take(MAX_POOLED_ROW + 1);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(MAX_POOLED_ROW + 1);
    expect(pool.take(0).length).toBe(0);
  });
});
