/**
 * Reading recovered batches back (log-recovery.ts through FileDeltaLog.recovered): every partition gets its batches
 * whatever the layout — dense (one partition: read in runs) or sparse (many interleaved partitions: record by
 * record) — and replaying them all reads the log about once, not once per partition; batches before a partition's
 * last destruction are skipped, and row bytes that merely look like a destruction entry skip nothing.
 */
import { describe, expect, it } from 'vitest';
import type { FileHandle, FileIo } from '../../../../src/domain/ports/file-io.port';
import type { PartitionMutation } from '../../../../src/domain/partition/partition.events';
import { NodeFileIo } from '../../../../src/infrastructure/fs/node-file-io';
import { FileDeltaLog } from '../../../../src/infrastructure/log/file-delta-log';
import { mayHoldDestroy } from '../../../../src/infrastructure/log/log-record-codec';
import { useTempDirs } from '../../../support/temp-dirs';

/** NodeFileIo counting the bytes read. */
class CountingIo extends NodeFileIo {
  bytesRead = 0;
  override read(h: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): number {
    const n = super.read(h, buffer, offset, length, position);
    this.bytesRead += n;
    return n;
  }
}

function rowBatch(i: number, bytes?: Uint8Array): PartitionMutation[] {
  const rowId = new Uint8Array(16).fill(i & 0xff);
  return [
    { type: 'row.committedWriteAdded', rowId, row: { schemaVersion: 1, bytes: bytes ?? new Uint8Array(100).fill(i & 0xff) }, timestamp: BigInt(i) },
    { type: 'index.entryPut', indexId: 2, key: new Uint8Array([i & 0xff, i >> 8]), rowId },
  ];
}

function open(io: FileIo, dir: string): FileDeltaLog {
  const log = new FileDeltaLog(io, `${dir}/log`, { syncMode: 'fsync', backgroundSyncIntervalMillis: 5, segmentSizeBytes: 8 << 20 });
  log.open();
  return log;
}

describe('recovered batches', () => {
  const dir = useTempDirs();

  for (const partitions of [1, 2, 9]) {
    it(`${partitions} interleaved partition(s): every batch comes back in order, and all of them read the log about once`, async () => {
      const d = dir();
      let log = open(new NodeFileIo(), d);
      const n = 12_000;
      for (let i = 1; i <= n; i++) log.append(5, i % partitions, rowBatch(i));
      await log.sync();
      await log.close();
      const io = new CountingIo();
      log = open(io, d);
      const logBytes = log.metrics().sizeBytes;
      const scanned = io.bytesRead;
      let seen = 0;
      for (let p = 0; p < partitions; p++) {
        let prev = 0;
        for (const { position, batch } of log.recovered(5, p, 0)) {
          expect(position % partitions).toBe(p);
          expect(position).toBeGreaterThan(prev);
          prev = position;
          if (position % 997 === 0) expect(batch).toEqual(rowBatch(position));
          seen++;
        }
      }
      expect(seen).toBe(n);
      // The records are ~170 bytes each: n of them are ~2 MB; reading them all back costs at most twice that.
      const replayRead = io.bytesRead - scanned;
      expect(replayRead).toBeGreaterThan(n * 150);
      expect(replayRead).toBeLessThan(Math.min(logBytes, n * 200) * 2);
      await log.close();
    });
  }

  it('skips the batches before the partition\'s last destruction; bytes that look like one skip nothing', async () => {
    const d = dir();
    let log = open(new NodeFileIo(), d);
    const lookalike = new Uint8Array([0x91, 0x11, 0x91, 0x91, 0x11, 0, 1]);
    expect(mayHoldDestroy(Buffer.from([0x91, 0x91, 0x11]))).toBe(true);
    log.append(1, 0, rowBatch(1));
    log.append(1, 0, [{ type: 'partition.destroyed' }]);
    log.append(1, 0, rowBatch(3, lookalike));
    log.append(1, 0, rowBatch(4));
    log.append(1, 0, [{ type: 'partition.destroyed' }]);
    log.append(1, 0, rowBatch(6, lookalike));
    log.append(1, 0, rowBatch(7));
    log.append(1, 1, rowBatch(8, lookalike));
    log.append(1, 1, rowBatch(9));
    await log.sync();
    await log.close();
    log = open(new NodeFileIo(), d);
    expect([...log.recovered(1, 0, 0)].map((b) => b.position)).toEqual([6, 7]);
    expect([...log.recovered(1, 0, 0)][0]!.batch).toEqual(rowBatch(6, lookalike));
    expect([...log.recovered(1, 0, 6)].map((b) => b.position)).toEqual([7]);
    // A destruction at or below `after` is covered by the checkpoint: only what follows `after` comes back.
    expect([...log.recovered(1, 0, 3)].map((b) => b.position)).toEqual([6, 7]);
    expect([...log.recovered(1, 1, 0)].map((b) => b.position)).toEqual([8, 9]);
    await log.close();
  });
});
