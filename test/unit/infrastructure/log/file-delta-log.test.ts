/**
 * The write-ahead delta log on files (file-delta-log.ts, log-segments.ts): batches come back at reopen exactly and in
 * order, per partition; group commit syncs many appends at once; segments roll over, and released ones are recycled;
 * a torn tail is cut (the acknowledged prefix intact, appends continue over it); a flipped byte in the middle or a
 * missing segment is a DataCorruptionError naming the segment and changing nothing; and after a power loss (the
 * fault-injecting FileIo drops or tears every unsynced write) every acknowledged batch is there and the log is a
 * prefix of what was appended. Size: DELTA_LOG_POWER_LOSS_SEEDS tear seeds (default 12).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import type { FileIo } from '../../../../src/domain/ports/file-io.port';
import type { PartitionMutation } from '../../../../src/domain/partition/partition.events';
import { DataCorruptionError } from '../../../../src/domain/shared/errors';
import { NodeFileIo } from '../../../../src/infrastructure/fs/node-file-io';
import { FileDeltaLog } from '../../../../src/infrastructure/log/file-delta-log';
import { PowerLossFileIo } from '../../../support/power-loss-file-io';
import { useTempDirs } from '../../../support/temp-dirs';
import { envInt } from '../../../contract/support/seeded-random';

const SEEDS = envInt('DELTA_LOG_POWER_LOSS_SEEDS', 12);

function batch(i: number): PartitionMutation[] {
  const rowId = new Uint8Array(16).fill(i & 0xff);
  return [
    { type: 'row.committedWriteAdded', rowId, row: { schemaVersion: 1, bytes: new Uint8Array(40 + (i % 7)).fill(i & 0xff) }, timestamp: BigInt(1000 + i) },
    { type: 'index.entryPut', indexId: 3, key: new Uint8Array([1, i & 0xff, i >> 8]), rowId },
    { type: 'partition.lastAppliedSet', index: i, term: 2 },
  ];
}

/** A batch of ~1.5 KB: a record spans several 512-byte sectors. */
const bigBatch = (i: number): PartitionMutation[] => [{ type: 'partition.groupConfigSet', bytes: new Uint8Array(1500).fill(i & 0xff) }];

function open(io: FileIo, dir: string, segmentSizeBytes = 4096, syncMode: 'fsync' | 'background' = 'fsync', inlineSyncRecords?: number): FileDeltaLog {
  const log = new FileDeltaLog(io, `${dir}/log`, { syncMode, backgroundSyncIntervalMillis: 5, segmentSizeBytes, inlineSyncRecords });
  log.open();
  return log;
}

function readAll(log: FileDeltaLog, table: number, partition: number, after = 0): Array<{ position: number; batch: readonly PartitionMutation[] }> {
  return [...log.recovered(table, partition, after)];
}

describe('FileDeltaLog', () => {
  const dir = useTempDirs();

  it('gives every batch back after a reopen, per partition and in order, and positions go on', async () => {
    const d = dir();
    const io = new NodeFileIo();
    let log = open(io, d);
    const acks: Array<Promise<void>> = [];
    for (let i = 1; i <= 60; i++) acks.push(log.append(7, i % 3, batch(i)).durable);
    await Promise.all(acks);
    expect(log.lastPosition).toBe(60);
    await log.close();
    log = open(io, d);
    expect(log.lastPosition).toBe(60);
    expect(log.metrics().recoveredRecords).toBe(60);
    for (let p = 0; p < 3; p++) {
      const got = readAll(log, 7, p);
      const want = Array.from({ length: 60 }, (_, k) => k + 1).filter((i) => i % 3 === p);
      expect(got.map((b) => b.position)).toEqual(want);
      for (const b of got) expect(b.batch).toEqual(batch(b.position));
    }
    // Once applied and forgotten they no longer come back (nor hold the log).
    log.forgetRecovered(7, 1);
    expect(readAll(log, 7, 1)).toEqual([]);
    expect(readAll(log, 7, 2).length).toBe(20);
    expect(log.append(7, 0, batch(61)).position).toBe(61);
    await log.close();
  });

  it('recovered(after) skips what the partition checkpoint covers', async () => {
    const d = dir();
    const io = new NodeFileIo();
    let log = open(io, d);
    for (let i = 1; i <= 10; i++) log.append(1, 0, batch(i));
    await log.close();
    log = open(io, d);
    expect(readAll(log, 1, 0, 6).map((b) => b.position)).toEqual([7, 8, 9, 10]);
    await log.close();
  });

  it('group commit: appends made together are made durable by one sync', async () => {
    const d = dir();
    const log = open(new NodeFileIo(), d, 1 << 20);
    await Promise.all(Array.from({ length: 64 }, (_, i) => log.append(1, 0, batch(i)).durable));
    const m = log.metrics();
    expect(m.syncs).toBe(1);
    expect(m.recordsPerSync).toBe(64);
    // While a round is in flight, arrivals gather into the next one: 3 waves of 20 take at most 3 more rounds.
    const waves: Array<Promise<void>> = [];
    for (let w = 0; w < 3; w++) {
      for (let i = 0; i < 20; i++) waves.push(log.append(1, 0, batch(i)).durable);
      await Promise.resolve();
    }
    await Promise.all(waves);
    expect(log.metrics().syncs).toBeLessThanOrEqual(4);
    await log.close();
  });

  it('a batch whose durability nobody asks for starts no round: the next one asked for syncs both at once', async () => {
    const d = dir();
    const log = open(new NodeFileIo(), d, 1 << 20);
    for (let tx = 0; tx < 10; tx++) {
      log.append(1, 0, batch(2 * tx)); // a transaction's write intent (runConsistently): nobody awaits it
      await new Promise((resolve) => setImmediate(resolve)); // the event loop turns: still no round
      expect(log.metrics().syncs).toBe(tx);
      await log.append(1, 0, batch(2 * tx + 1)).durable; // its commit (runDurably)
      expect(log.metrics().syncs).toBe(tx + 1);
    }
    expect(log.metrics().recordsPerSync).toBe(2);
    // Asked for later: at once once synced; a batch the round in flight carries joins that round.
    const early = log.append(1, 0, batch(100));
    const late = log.append(1, 0, batch(101));
    const round = late.durable;
    const joined = early.durable;
    await Promise.all([round, joined]);
    expect(log.metrics().syncs).toBe(11);
    await early.durable;
    expect(log.metrics().syncs).toBe(11);
    await log.close();
  });

  it('a writer that never yields neither gathers its log in memory nor waits for fdatasync: past 4 MiB, appends write ahead', async () => {
    const d = dir();
    const log = open(new NodeFileIo(), d, 8 << 20);
    const row = (i: number): PartitionMutation[] => [
      { type: 'row.committedWriteAdded', rowId: new Uint8Array(16), row: { schemaVersion: 1, bytes: new Uint8Array(64 * 1024).fill(i & 0xff) }, timestamp: 1n },
    ];
    const logBytes = (): number => readdirSync(`${d}/log`).filter((f) => f.startsWith('segment-')).reduce((n, f) => {
      const b = readFileSync(`${d}/log/${f}`);
      return n + (lastRecordEnd(b) - 64);
    }, 0);
    for (let i = 0; i < 300; i++) log.append(1, 0, row(i)); // ~19 MiB over 3 segments, synchronously
    expect(log.metrics().syncs).toBe(0); // no round ran: the loop never yielded
    // All but the last few MiB are in the segment files already (the OS cache; synced by the next round).
    expect(logBytes()).toBeGreaterThan(300 * 64 * 1024 - (5 << 20));
    await log.sync();
    await log.close();
    const again = open(new NodeFileIo(), d, 8 << 20);
    expect(again.lastPosition).toBe(300);
    const got = readAll(again, 1, 0);
    expect(got.map((b) => b.position)).toEqual(Array.from({ length: 300 }, (_, k) => k + 1));
    for (const k of [0, 77, 299]) expect(got[k]!.batch).toEqual(row(k));
    await again.close();
  });

  it(`a power loss in the middle of a write-ahead bulk load across segments opens at a prefix (${SEEDS} seeds)`, async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const io = new PowerLossFileIo();
      io.mkdirs('/w');
      const log = open(io, '/w', 1 << 20);
      const n = 500 + seed * 7; // 11+ MB of ~22 KB records over 1 MiB segments
      for (let i = 1; i <= n; i++) log.append(1, 0, [{ type: 'partition.groupConfigSet', bytes: new Uint8Array(20_000 + (i % 5) * 1000).fill(i & 0xff) }]);
      const mode = seed % 2 === 0 ? 'scatter' : 'tear';
      const again = open(io.crash(mode, seed), '/w', 1 << 20);
      const positions = readAll(again, 1, 0).map((b) => b.position);
      for (let k = 0; k < positions.length; k++) expect(positions[k], `seed ${seed} ${mode}`).toBe(k + 1);
      // Crossing into a segment synced the one before: all but the last 4 MiB (never written) and the segment being
      // written ahead into survive.
      expect(positions.length, `seed ${seed} ${mode}`).toBeGreaterThan(n - 6 * 48);
      await again.close();
    }
  });

  it('rolls over to new segments and recycles released ones as spares; a reopen starts at the oldest kept', async () => {
    const d = dir();
    const io = new NodeFileIo();
    let log = open(io, d, 2048);
    for (let i = 1; i <= 100; i++) await log.append(2, 0, batch(i)).durable;
    const segments = (): string[] => readdirSync(`${d}/log`).filter((f) => f.startsWith('segment-')).sort();
    expect(segments().length).toBeGreaterThan(5);
    log.release(80);
    const kept = segments();
    expect(kept.length).toBeLessThan(5);
    expect(readdirSync(`${d}/log`).filter((f) => /^free-\d+\.bin$/.test(f)).length).toBeGreaterThan(0);
    for (let i = 101; i <= 140; i++) await log.append(2, 0, batch(i)).durable; // rolls over into recycled spares
    await log.close();
    log = open(io, d, 2048);
    const got = readAll(log, 2, 0);
    expect(got[got.length - 1]!.position).toBe(140);
    expect(got[0]!.position).toBeLessThanOrEqual(81);
    for (let k = 1; k < got.length; k++) expect(got[k]!.position).toBe(got[k - 1]!.position + 1);
    for (const b of got) expect(b.batch).toEqual(batch(b.position));
    await log.close();
  });

  it('a recycled segment that rolls over with stale bytes after its records reopens cleanly', async () => {
    const d = dir();
    const io = new NodeFileIo();
    let log = open(io, d, 4096);
    const sized = (n: number): PartitionMutation[] => [{ type: 'row.committedWriteAdded', rowId: new Uint8Array(16), row: { schemaVersion: 1, bytes: new Uint8Array(n).fill(n & 0xff) }, timestamp: 1n }];
    for (let i = 0; i < 300; i++) await log.append(1, 0, sized(10)).durable; // many small records per segment
    log.release(log.lastPosition - 1); // all but the newest segment become spares, full of small records
    for (let i = 0; i < 60; i++) await log.append(1, 0, sized(700 + (i % 5) * 37)).durable; // large ones roll into them
    const last = log.lastPosition;
    await log.close();
    log = open(io, d, 4096);
    expect(log.lastPosition).toBe(last);
    const got = readAll(log, 1, 0);
    expect(got[got.length - 1]!.position).toBe(last);
    for (let k = 1; k < got.length; k++) expect(got[k]!.position).toBe(got[k - 1]!.position + 1);
    await log.close();
  });

  it('a clean close after a release of everything starts the log over empty, keeping the next position', async () => {
    const d = dir();
    const io = new NodeFileIo();
    let log = open(io, d, 2048);
    for (let i = 1; i <= 50; i++) await log.append(1, 0, batch(i)).durable;
    log.release(40); // not everything: the close keeps the log as it is
    await log.close();
    log = open(io, d, 2048);
    expect(readAll(log, 1, 0).map((b) => b.position).slice(-1)).toEqual([50]);
    log.forgetRecovered(1, 0);
    log.release(50);
    await log.close();
    const names = readdirSync(`${d}/log`).filter((f) => f.startsWith('segment-'));
    expect(names).toHaveLength(1);
    log = open(io, d, 2048);
    expect(log.lastPosition).toBe(50);
    expect(log.metrics().recoveredRecords).toBe(0);
    expect(log.append(1, 0, batch(51)).position).toBe(51);
    await log.close();
    log = open(io, d, 2048);
    expect(readAll(log, 1, 0).map((b) => b.position)).toEqual([51]);
    await log.close();
  });

  it('cuts a torn tail, keeps the prefix, and appends over it', async () => {
    const d = dir();
    const io = new NodeFileIo();
    let log = open(io, d, 1 << 16);
    for (let i = 1; i <= 20; i++) await log.append(1, 0, batch(i)).durable;
    await log.close();
    const file = `${d}/log/${readdirSync(`${d}/log`).find((f) => f.startsWith('segment-'))!}`;
    const bytes = readFileSync(file);
    // Tear the last record: zero its second half (a write that only partly landed).
    const end = lastRecordEnd(bytes);
    bytes.fill(0, end - 30, end);
    writeFileSync(file, bytes);
    log = open(io, d, 1 << 16);
    expect(log.lastPosition).toBe(19);
    expect(readAll(log, 1, 0).map((b) => b.position)).toEqual(Array.from({ length: 19 }, (_, k) => k + 1));
    await log.append(1, 0, batch(99)).durable;
    await log.close();
    log = open(io, d, 1 << 16);
    const got = readAll(log, 1, 0);
    expect(got.map((b) => b.position)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
    expect(got[19]!.batch).toEqual(batch(99));
    await log.close();
  });

  it('a torn record followed by the rest of its unsynced round is a torn tail; followed by a later round, corruption', async () => {
    const d = dir();
    const io = new NodeFileIo();
    let log = open(io, d, 1 << 16);
    // Round A: 1..5; round B: 6..15 (one sync each); round C: 16..20.
    await Promise.all(Array.from({ length: 5 }, (_, k) => log.append(1, 0, batch(k + 1)).durable));
    await Promise.all(Array.from({ length: 10 }, (_, k) => log.append(1, 0, batch(k + 6)).durable));
    await log.close();
    const file = `${d}/log/${readdirSync(`${d}/log`).find((f) => f.startsWith('segment-'))!}`;
    const roundsAB = readFileSync(file);
    const tear = (b: Buffer): Buffer => {
      const torn = Buffer.from(b);
      const at = recordOffsets(torn)[7]!; // record 8, in the middle of round B
      torn.fill(0, at + 40, at + 60);
      return torn;
    };
    // B's sectors written back out of order before the power went: 9..15 survived, 8 did not — never acknowledged.
    writeFileSync(file, tear(roundsAB));
    log = open(io, d, 1 << 16);
    expect(log.lastPosition).toBe(7);
    expect(readAll(log, 1, 0).map((b) => b.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await log.close();
    // The same tear with round C after B: C was written only once B was synced, so record 8 had been durable.
    writeFileSync(file, roundsAB);
    log = open(io, d, 1 << 16);
    await Promise.all(Array.from({ length: 5 }, (_, k) => log.append(1, 0, batch(k + 16)).durable));
    await log.close();
    writeFileSync(file, tear(readFileSync(file)));
    expect(() => open(io, d, 1 << 16)).toThrow(DataCorruptionError);
  });

  it('a flipped byte in the middle, or a missing segment, is DATA_CORRUPTION naming the segment, and nothing changes', async () => {
    const d = dir();
    const io = new NodeFileIo();
    const log = open(io, d, 2048);
    for (let i = 1; i <= 60; i++) await log.append(1, 0, batch(i)).durable;
    await log.close();
    const names = readdirSync(`${d}/log`).filter((f) => f.startsWith('segment-')).sort();
    const first = `${d}/log/${names[0]}`;
    const original = readFileSync(first);
    const flipped = Buffer.from(original);
    flipped[64 + 30] ^= 0x10; // inside the first record's payload
    writeFileSync(first, flipped);
    const snapshot = () => readdirSync(`${d}/log`).sort().map((f) => [f, readFileSync(`${d}/log/${f}`).toString('base64')]);
    const before = snapshot();
    const e = (() => {
      try {
        open(io, d, 2048);
        return null;
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(DataCorruptionError);
    expect((e as Error).message).toMatch(new RegExp(`${names[0]}.*offset 64`));
    expect(snapshot()).toEqual(before);
    writeFileSync(first, original);
    rmSync(`${d}/log/${names[2]}`);
    expect(() => open(io, d, 2048)).toThrow(/missing/);
  });

  it(`after a power loss every acknowledged batch is there and the log is a prefix of the appends (${SEEDS} tear seeds)`, async () => {
    for (let seed = 0; seed <= SEEDS; seed++) {
      const io = new PowerLossFileIo();
      io.mkdirs('/w');
      // Odd seeds: every round on the thread pool (a round in flight at the crash); even seeds: small rounds sync inline.
      const onPool = seed % 2 === 1;
      const log = open(io, '/w', 2048, 'fsync', onPool ? 0 : undefined);
      let acked = 0;
      let released = 0;
      const pending: Array<Promise<void>> = [];
      // Appends in every event-loop turn, a sync round always in flight; the power goes after a seeded number of turns.
      const turns = 20 + ((seed * 7919) % 60);
      let i = 0;
      for (let t = 0; t < turns; t++) {
        for (let k = 0; k < 1 + ((seed + t) % 4); k++) {
          const r = log.append(1, ++i % 2, batch(i));
          pending.push(r.durable.then(() => void (acked = Math.max(acked, r.position))));
        }
        if (t === 30) log.release((released = Math.floor(acked / 2)));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(acked, 'some batches were acknowledged before the crash').toBeGreaterThan(0);
      if (onPool) expect(acked, 'some were not').toBeLessThan(i);
      const disk = io.crash(seed === 0 ? 'drop' : 'tear', seed);
      const again = open(disk, '/w', 2048);
      const got = [...readAll(again, 1, 0), ...readAll(again, 1, 1)].sort((a, b) => a.position - b.position);
      const positions = got.map((b) => b.position);
      expect(positions.length, `seed ${seed}`).toBeGreaterThan(0);
      // A prefix from where the kept segments start, without gaps, through every acknowledged batch.
      for (let k = 1; k < positions.length; k++) expect(positions[k]).toBe(positions[k - 1]! + 1);
      expect(positions[positions.length - 1]!, `seed ${seed}`).toBeGreaterThanOrEqual(acked);
      // Released segments are gone; nothing above the release point was dropped.
      expect(positions[0]!).toBeLessThanOrEqual(released + 1);
      for (const b of got) expect(b.batch).toEqual(batch(b.position));
      await Promise.allSettled(pending);
    }
  });

  it(`a power loss that writes an unsynced round's sectors back in any order opens at a prefix, never as corruption (${SEEDS * 2} seeds)`, async () => {
    for (let seed = 1; seed <= SEEDS * 2; seed++) {
      const io = new PowerLossFileIo();
      io.mkdirs('/w');
      const log = open(io, '/w', 1 << 20);
      let acked = 0;
      let i = 0;
      const pending: Array<Promise<void>> = [];
      // Rounds of 12–100 records of ~1.5 KB (several sectors each); the power goes while one is in flight.
      const rounds = 3 + (seed % 5);
      for (let t = 0; t < rounds; t++) {
        const last = t === rounds - 1;
        for (let k = 0; k < 12 + ((seed * 7 + t) % 90); k++) {
          const r = log.append(1, 0, bigBatch(++i));
          pending.push(r.durable.then(() => void (acked = Math.max(acked, r.position))));
        }
        if (!last) await log.sync();
      }
      await Promise.resolve();
      const disk = io.crash('scatter', seed);
      const again = open(disk, '/w', 1 << 20);
      const positions = readAll(again, 1, 0).map((b) => b.position);
      expect(positions.slice(0, acked), `seed ${seed}`).toEqual(Array.from({ length: acked }, (_, k) => k + 1));
      for (let k = 1; k < positions.length; k++) expect(positions[k]).toBe(positions[k - 1]! + 1);
      // Appends go on after the cut, and come back.
      await again.append(1, 0, bigBatch(positions.length + 1)).durable;
      const third = open(disk, '/w', 1 << 20);
      expect(readAll(third, 1, 0).map((b) => b.position)).toEqual(Array.from({ length: positions.length + 1 }, (_, k) => k + 1));
      await Promise.allSettled(pending);
    }
  });
});

/** Offsets of the records in a segment file's bytes, in order. */
function recordOffsets(b: Buffer): number[] {
  const out: number[] = [];
  for (let at = 64; at + 32 <= b.length; ) {
    const len = b.readUInt32LE(at);
    if (len === 0) break;
    out.push(at);
    at += 32 + len;
  }
  return out;
}

/** End offset of the last record in a segment file's bytes (records of a 32-byte header + payload after the 64-byte header). */
function lastRecordEnd(b: Buffer): number {
  let at = 64;
  let end = 64;
  while (at + 32 <= b.length) {
    const len = b.readUInt32LE(at);
    if (len === 0) break;
    at += 32 + len;
    end = at;
  }
  return end;
}
