/**
 * Where a sync round's fdatasync runs (file-delta-log.ts): a small round on a fast disk syncs on the event loop (one
 * writer gains the thread-pool round trip); once fdatasync gets slow, or a group is large (many writers), rounds go
 * to the thread pool, so the event loop is not held by the disk. Either way a resolved append is durable: it survives
 * a power loss that drops everything not synced.
 */
import { describe, expect, it } from 'vitest';
import type { FileHandle } from '../../../../src/domain/ports/file-io.port';
import type { PartitionMutation } from '../../../../src/domain/partition/partition.events';
import { FileDeltaLog } from '../../../../src/infrastructure/log/file-delta-log';
import { PowerLossFileIo } from '../../../support/power-loss-file-io';

/** Counts syncs on the loop and on the pool; each one takes `syncMs` on the log's clock (a virtual one: no flakiness). */
class TimedSyncIo extends PowerLossFileIo {
  loopSyncs = 0;
  poolSyncs = 0;
  syncMs = 0.1;
  clock = 0;
  override sync(h: FileHandle): void {
    this.loopSyncs++;
    this.clock += this.syncMs;
    super.sync(h);
  }
  override async syncAsync(h: FileHandle): Promise<void> {
    this.poolSyncs++;
    await new Promise((r) => setImmediate(r));
    this.clock += this.syncMs;
    super.sync(h); // the base's syncAsync would come back through this.sync and count as a loop sync
  }
}

const batch = (i: number): PartitionMutation[] => [{ type: 'partition.lastAppliedSet', index: i, term: 1 }];

function open(io: PowerLossFileIo): FileDeltaLog {
  const now = io instanceof TimedSyncIo ? () => io.clock : undefined;
  const log = new FileDeltaLog(io, '/w/log', { syncMode: 'fsync', backgroundSyncIntervalMillis: 5, segmentSizeBytes: 1 << 20, now });
  log.open();
  return log;
}

describe('sync rounds', () => {
  it('one writer syncs on the event loop while the disk is fast, on the thread pool once it is slow', async () => {
    const io = new TimedSyncIo();
    io.mkdirs('/w');
    const log = open(io);
    let position = 0;
    for (let i = 1; i <= 10; i++) {
      const r = log.append(1, 0, batch(i));
      await r.durable;
      position = r.position;
    }
    expect(position).toBe(10);
    const loopBefore = io.loopSyncs;
    expect(io.poolSyncs).toBe(0);
    expect(loopBefore).toBeGreaterThanOrEqual(10);
    io.syncMs = 3;
    for (let i = 11; i <= 30; i++) await log.append(1, 0, batch(i)).durable;
    // A few slow syncs on the loop raise the average past 1 ms; the rest go to the pool.
    expect(io.loopSyncs - loopBefore).toBeLessThanOrEqual(6);
    expect(io.poolSyncs).toBeGreaterThanOrEqual(14);
    // Every acknowledged append survives a power loss.
    const again = open(io.crash('drop', 1));
    expect(again.lastPosition).toBe(30);
    await again.close();
  });

  it('one writer awaiting commit after commit on the event loop does not starve timers', async () => {
    const io = new TimedSyncIo();
    io.mkdirs('/w');
    const log = open(io);
    let fired = 0;
    const timer = setInterval(() => fired++, 0);
    try {
      for (let i = 1; i <= 200; i++) await log.append(1, 0, batch(i)).durable;
    } finally {
      clearInterval(timer);
    }
    expect(io.poolSyncs).toBe(0); // every round synced on the loop
    expect(fired).toBeGreaterThan(0);
  });

  it('a large group (many writers) syncs on the thread pool even on a fast disk', async () => {
    const io = new TimedSyncIo();
    io.mkdirs('/w');
    const log = open(io);
    await log.append(1, 0, batch(1)).durable; // creates the segment (its creation syncs on the loop)
    const loopBefore = io.loopSyncs;
    await Promise.all(Array.from({ length: 64 }, (_, i) => log.append(1, 0, batch(i + 2)).durable));
    expect(io.poolSyncs).toBe(1);
    expect(io.loopSyncs).toBe(loopBefore);
    expect(log.metrics().syncs).toBe(2);
    const again = open(io.crash('tear', 3));
    expect(again.lastPosition).toBe(65);
    await again.close();
  });

  it('sync() waits for what was appended before it, not for a pause: writers that never stop do not hold it back', async () => {
    const io = new PowerLossFileIo();
    io.mkdirs('/w');
    const log = open(io);
    let stop = false;
    let rounds = 0;
    // 8 writers, each appending again as soon as its last batch is durable: a round is always in flight.
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop && i < 5000; i++) {
        await log.append(1, w, batch(i)).durable;
        if (w === 0) rounds++;
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const target = log.lastPosition;
    await log.sync();
    const roundsAtSync = rounds;
    stop = true;
    await Promise.all(writers);
    expect(target).toBeGreaterThan(0);
    // Resolved within a few rounds of the call, while the writers went on (the old sync waited for no round in flight).
    expect(roundsAtSync).toBeLessThan(10);
    // And what it waited for is durable: a power loss now keeps every position up to `target`.
    const after = new FileDeltaLog(io.crash('drop'), '/w/log', { syncMode: 'fsync', backgroundSyncIntervalMillis: 5, segmentSizeBytes: 1 << 20 });
    after.open();
    expect(after.lastPosition).toBeGreaterThanOrEqual(target);
    await log.close();
    await after.close();
  });
});
