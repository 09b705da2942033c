/**
 * The recovery scan's window onto a segment (segment-window.ts): any byte range comes back exactly as in the file,
 * whatever the window size (ranges inside it, straddling its end, larger than it); its CRC-32 equals zlib's for every
 * length; and a log whose records straddle the scan's 4 MiB windows, or are larger than one, recovers every record.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NodeFileIo } from '../../../../src/infrastructure/fs/node-file-io';
import { FileDeltaLog } from '../../../../src/infrastructure/log/file-delta-log';
import { crc32Of, SegmentWindow } from '../../../../src/infrastructure/log/segment-window';
import type { PartitionMutation } from '../../../../src/domain/partition/partition.events';
import { useTempDirs } from '../../../support/temp-dirs';

describe('SegmentWindow', () => {
  const dir = useTempDirs();

  it('crc32Of equals zlib crc32 for every length from 0 to 1,200 and at any offset', () => {
    const b = randomBytes(4096);
    for (let len = 0; len <= 1200; len++) {
      const from = (len * 7) % 500;
      expect(crc32Of(b, from, from + len)).toBe(crc32(b.subarray(from, from + len)));
    }
  });

  for (const windowBytes of [1, 7, 64, 1000, 1 << 20]) {
    it(`a ${windowBytes}-byte window gives every range exactly as the file holds it`, () => {
      const path = `${dir()}/seg.bin`;
      const bytes = randomBytes(20_000);
      writeFileSync(path, bytes);
      const io = new NodeFileIo();
      const h = io.open(path, 'read');
      try {
        const w = new SegmentWindow(io, h, windowBytes);
        expect(w.size).toBe(bytes.length);
        let seed = windowBytes;
        const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
        // Mostly forward, as the scan goes, with jumps back and ranges larger than the window.
        let at = 0;
        for (let k = 0; k < 400; k++) {
          at = k % 9 === 0 ? rnd(bytes.length) : Math.min(bytes.length - 1, at + rnd(3000));
          const end = Math.min(bytes.length, at + 1 + rnd(k % 5 === 0 ? 5000 : 300));
          const o = w.ensure(at, end);
          expect(Buffer.from(w.data.subarray(o, o + end - at)).equals(bytes.subarray(at, end))).toBe(true);
          expect(w.dv.getUint8(o)).toBe(bytes[at]);
        }
      } finally {
        io.close(h);
      }
    });
  }

  it('a log of records straddling the scan\'s 4 MiB windows, some larger than a window, recovers every record', async () => {
    const d = dir();
    const opts = { syncMode: 'fsync' as const, backgroundSyncIntervalMillis: 5, segmentSizeBytes: 64 << 20 };
    const batch = (i: number): PartitionMutation[] => {
      // Sizes from 1 KiB to 5 MiB + a few bytes: boundaries fall inside records, headers and payloads alike.
      const size = i % 4 === 3 ? (5 << 20) + i : 1000 + ((i * 987_654) % (1500 << 10));
      const bytes = new Uint8Array(size).fill(i & 0xff);
      bytes[0] = i;
      return [{ type: 'row.committedWriteAdded', rowId: new Uint8Array(16).fill(i), row: { schemaVersion: 1, bytes }, timestamp: BigInt(i) }];
    };
    let log = new FileDeltaLog(new NodeFileIo(), `${d}/log`, opts);
    log.open();
    const n = 24;
    for (let i = 1; i <= n; i++) log.append(3, 0, batch(i));
    await log.sync();
    await log.close();
    log = new FileDeltaLog(new NodeFileIo(), `${d}/log`, opts);
    log.open();
    const got = [...log.recovered(3, 0, 0)];
    expect(got.map((b) => b.position)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    for (const b of got) {
      // Compared as Buffers: a deep equality over millions of array elements takes minutes.
      const [m] = b.batch as Array<Extract<PartitionMutation, { type: 'row.committedWriteAdded' }>>;
      const [e] = batch(b.position) as Array<Extract<PartitionMutation, { type: 'row.committedWriteAdded' }>>;
      expect(b.batch).toHaveLength(1);
      expect(m!.timestamp).toBe(e!.timestamp);
      expect(Buffer.from(m!.rowId).equals(Buffer.from(e!.rowId))).toBe(true);
      expect(Buffer.from(m!.row!.bytes).equals(Buffer.from(e!.row!.bytes))).toBe(true);
    }
    await log.close();
  });
});
