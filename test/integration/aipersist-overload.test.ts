/**
 * Write throttling under overload (issue 12's must-show): writers far faster than the "disk". A manual clock times
 * the throttle and the checkpoints; a slow fault-injecting file adapter (SlowFileIo over PowerLossFileIo) lets
 * 2 KiB of writes (or 2 syncs) through per millisecond of it. Sixteen writers update random rows with
 * runDurably (syncMode fsync: each acknowledged after the log's sync) in a cache far smaller than the data, with a
 * small checkpoint buffer, while checkpoints run on dirty pages.
 *
 * With throttling (SPEED_BASED, TARGET_RATIO): the checkpoint buffer never overflows (no snapshot page went to the
 * spill area), no write fails, and after a power loss every acknowledged write is there; throttling started, and
 * stopped once the checkpoint finished. The same run with throttling DISABLED does overflow the buffer — the
 * scenario is a real overload, and what prevents the overflow is the throttle.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_VALUE } from '../../src/domain/storage/hybrid-timestamp';
import { RowId } from '../../src/domain/storage/row-id';
import { openNode, type NodeEvent, type StorageConfigInput, type StorageNode, type ThrottlingPolicyName } from '../../src/interfaces/api/index';
import type { FileIo } from '../../src/domain/ports/file-io.port';
import { tuneAipersist } from '../support/aipersist-tuning';
import { ManualThrottleClock } from '../support/manual-throttle-clock';
import { SlowFileIo } from '../support/slow-file-io';
import { tempDir } from '../support/temp-dir';

const KiB = 1024;
const ROWS = 6000;
const WRITERS = 16;
/** Updates per writer (AISTORAGE_OVERLOAD_UPDATES overrides for a longer run). */
const UPDATES = Number(process.env['AISTORAGE_OVERLOAD_UPDATES'] ?? 400);
/** The disk's speed: KiB written (or syncs) per millisecond of the manual clock. */
const DISK_UNITS_PER_MS = 2;
const CACHE_BYTES = 256 * KiB; // 256 pages of 1 KiB; the rows need about 4 times as many
const BUFFER_BYTES = 48 * KiB;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function config(policy: ThrottlingPolicyName): StorageConfigInput {
  return {
    ignite: {
      storage: {
        engines: { aipersist: { pageSizeBytes: 1024, checkpoint: { intervalMillis: 0 }, deltaLog: { syncMode: 'fsync', segmentSizeBytes: 1024 * KiB }, throttling: { policy } } },
        profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 16 * 1024 * KiB }],
      },
    },
  };
}

function open(dir: string, io: FileIo, policy: ThrottlingPolicyName, clock?: ManualThrottleClock): Promise<StorageNode> {
  return openNode({ workDir: dir, config: config(policy) }, {
    configure: tuneAipersist(dir, { io, cacheSizeBytes: CACHE_BYTES, checkpointBufferBytes: BUFFER_BYTES, ...(clock ? { throttleClock: clock } : {}) }),
  });
}

async function partition(node: StorageNode) {
  return node.engine('aipersist').createMvTable({ tableId: 9, partitions: 1, storageProfile: 'p' }).createMvPartition(0);
}

function row(value: number): { schemaVersion: number; bytes: Uint8Array } {
  const bytes = new Uint8Array(100);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return { schemaVersion: 1, bytes };
}

/** A small deterministic generator (the same run every time). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

interface Outcome {
  readonly fallbacks: number;
  readonly failures: unknown[];
  readonly events: NodeEvent[];
  readonly checkpointsDuring: number;
  readonly lost: number;
  readonly activeAfter: boolean;
  readonly throttledWrites: number;
  /** The highest dirty pages / cache pages seen during the overload (sampled every 10 ms; spilled pages count). */
  readonly peakDirty: number;
}

async function overload(dir: string, policy: ThrottlingPolicyName): Promise<Outcome> {
  const clock = new ManualThrottleClock();
  const io = new SlowFileIo((path) => path.includes('/db/')); // the page files; the log has a device of its own
  io.mkdirs(dir);
  const node = await open(dir, io, policy, clock);
  const part = await partition(node);
  const ids = Array.from({ length: ROWS }, () => RowId.random(0));
  const expected = new Uint32Array(ROWS);
  let ts = 1n;
  for (let i = 0; i < ROWS; i += 500) part.runConsistently(() => ids.slice(i, i + 500).forEach((id) => part.addWriteCommitted(id, row(0), ts)));
  await node.checkpoint();
  const events: NodeEvent[] = [];
  const sub = node.events$.subscribe((e) => events.push(e));
  io.slow = true;
  const failures: unknown[] = [];
  let running = WRITERS;
  let value = 1;
  const writer = async (seed: number): Promise<void> => {
    const next = random(seed);
    for (let i = 0; i < UPDATES; i++) {
      // Skewed like real traffic: 80% of the updates go to a fifth of the rows, whose pages each checkpoint holds —
      // so writers keep changing pages the checkpoint has not written yet (copy-on-write into its buffer).
      const j = next() < 0.8 ? Math.floor(next() * (ROWS / 5)) : Math.floor(next() * ROWS);
      const v = value++;
      try {
        await part.runDurably(() => {
          part.addWriteCommitted(ids[j]!, row(v), ++ts);
          expected[j] = v; // the last closure to run on a row is its newest version
        });
      } catch (e) {
        failures.push(e);
      }
    }
  };
  let peakDirty = 0;
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w + 1).finally(() => running--));
  // The disk: DISK_UNITS_PER_MS per millisecond of the manual clock.
  for (let tick = 0; running > 0; tick++) {
    if (tick > 2_000_000) throw new Error(`writers still running after ${tick} ms of the manual clock (${running} left)`);
    clock.advance(1);
    io.release(DISK_UNITS_PER_MS);
    await nextTurn();
    if (tick % 10 === 0) peakDirty = Math.max(peakDirty, node.metrics().aipersist!.throttling[0]!.dirtyRatio);
  }
  await Promise.all(writers);
  const checkpointsDuring = events.filter((e) => e.type === 'checkpoint.finished').length;
  const fallbacks = node.metrics().aipersist!.throttling[0]!.bufferFullFallbacks;
  // The disk catches up; the last checkpoint of the overload finishes.
  io.fast();
  await node.checkpoint();
  const after = node.metrics().aipersist!.throttling[0]!;
  sub.unsubscribe();

  // Power loss now: only what was synced survives. Every write was acknowledged, so every one must be there.
  const disk = io.crash('drop');
  await node.close().catch(() => undefined);
  const reopened = await open(dir, disk, policy);
  const back = await partition(reopened);
  let lost = 0;
  for (let j = 0; j < ROWS; j++) {
    const bytes = back.read(ids[j]!, MAX_VALUE).binaryRow?.bytes;
    const got = bytes === undefined ? -1 : new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    if (got !== expected[j]) lost++;
  }
  await reopened.close();
  return { fallbacks, failures, events, checkpointsDuring, lost, activeAfter: after.active, throttledWrites: after.throttledWrites, peakDirty };
}

describe('aipersist under overload: writers faster than the disk', () => {
  let dir: { path: string; cleanup(): void };
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it.each(['SPEED_BASED', 'TARGET_RATIO'] as const)(
    '%s: the checkpoint buffer never overflows, no write fails, nothing acknowledged is lost, throttling stops after the checkpoint',
    async (policy) => {
      const o = await overload(dir.path, policy);
      expect(o.failures).toEqual([]);
      expect(o.checkpointsDuring).toBeGreaterThan(0);
      expect(o.fallbacks).toBe(0);
      expect(o.lost).toBe(0);
      const throttling = o.events.filter((e) => e.type === 'throttling.started' || e.type === 'throttling.stopped');
      expect(throttling.length).toBeGreaterThan(0);
      expect(throttling[0]!.type).toBe('throttling.started');
      expect(throttling.at(-1)!.type).toBe('throttling.stopped');
      expect(o.activeAfter).toBe(false);
      expect(o.throttledWrites).toBeGreaterThan(0);
      expect(o.peakDirty).toBeLessThan(2); // unthrottled, the same run dirties more than 5 times the cache
    },
    120_000,
  );

  it('DISABLED: the same run overflows the checkpoint buffer into the spill area — and still loses nothing', async () => {
    const o = await overload(dir.path, 'DISABLED');
    expect(o.failures).toEqual([]);
    expect(o.fallbacks).toBeGreaterThan(0);
    expect(o.peakDirty).toBeGreaterThan(4);
    expect(o.lost).toBe(0);
    expect(o.events.filter((e) => e.type.startsWith('throttling.'))).toEqual([]);
  }, 120_000);
});
