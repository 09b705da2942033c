/**
 * Partition main and delta files (page-file.layout.ts): round trips, CRC checks that turn any flipped bit into a
 * DataCorruptionError naming file and page, misplaced and truncated pages, header checks, and a delta file that is
 * whole or absent after a power loss at any step of its write order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_ID_OFFSET } from '../../../../src/domain/page/page-header.layout';
import { pageId, writePageId } from '../../../../src/domain/page/page-id';
import { DataCorruptionError } from '../../../../src/domain/shared/errors';
import { DeltaFile, PartitionFile } from '../../../../src/infrastructure/store/partition-files';
import { headerBytes } from '../../../../src/infrastructure/store/page-file.layout';
import { PowerLossFileIo } from '../../../support/power-loss-file-io';

const PAGE = 1024;
const ID = { pageSize: PAGE, tableId: 7, partitionId: 3 };
const DIR = '/w/db/table-7';
const MAIN = `${DIR}/part-3.bin`;

/** A page image as page memory holds it: a non-zero type, its page id, and a byte pattern (crc slot 0). */
function page(index: number, seed = index): Uint8Array {
  const p = new Uint8Array(PAGE);
  for (let i = 16; i < PAGE; i++) p[i] = (i * 31 + seed * 7) & 0xff;
  p[0] = 3;
  writePageId(new DataView(p.buffer), PAGE_ID_OFFSET, pageId(0, 3, index));
  return p;
}

function fresh(): PowerLossFileIo {
  const io = new PowerLossFileIo();
  io.mkdirs(DIR);
  return io;
}

function flipBit(io: PowerLossFileIo, path: string, byte: number, bit: number): void {
  const h = io.open(path, 'write');
  const b = new Uint8Array(1);
  io.read(h, b, 0, 1, byte);
  b[0] ^= 1 << bit;
  io.write(h, b, 0, 1, byte);
  io.close(h);
}

describe('PartitionFile', () => {
  it('keeps pages across close and reopen; a page never written reads as absent', () => {
    const io = fresh();
    const f = PartitionFile.openOrCreate(io, MAIN, ID);
    const scratch = new Uint8Array(PAGE);
    for (const i of [0, 1, 5]) f.writePage(i, page(i), 0, scratch);
    f.sync();
    f.close();
    const g = PartitionFile.openOrCreate(io, MAIN, ID);
    const dst = new Uint8Array(PAGE + 8);
    for (const i of [0, 1, 5]) {
      expect(g.readPage(i, dst, 8)).toBe(true);
      const expected = page(i);
      expect(dst.subarray(8 + 8)).toEqual(expected.subarray(8)); // all but the type/version/crc words
    }
    expect(g.readPage(3, dst, 0)).toBe(false); // a hole
    expect(g.readPage(9, dst, 0)).toBe(false); // beyond the end
    expect(g.pageSlots()).toBe(6);
    g.close();
  });

  it('any flipped bit of a written page is a DataCorruptionError naming the file and the page', () => {
    const io = fresh();
    const f = PartitionFile.openOrCreate(io, MAIN, ID);
    f.writePage(2, page(2), 0, new Uint8Array(PAGE));
    f.close();
    const dst = new Uint8Array(PAGE);
    for (const byte of [0, 4, 5, 8, 15, 16, 500, PAGE - 1]) {
      flipBit(io, MAIN, 3 * PAGE + byte, byte % 8);
      const g = PartitionFile.openOrCreate(io, MAIN, ID);
      expect(() => g.readPage(2, dst, 0)).toThrow(DataCorruptionError);
      expect(() => g.readPage(2, dst, 0)).toThrow(`${MAIN}: page 2 is corrupt`);
      g.close();
      flipBit(io, MAIN, 3 * PAGE + byte, byte % 8);
    }
    const g = PartitionFile.openOrCreate(io, MAIN, ID);
    expect(g.readPage(2, dst, 0)).toBe(true);
    g.close();
  });

  it('a page written to the wrong place and a truncated page are corruption too', () => {
    const io = fresh();
    const f = PartitionFile.openOrCreate(io, MAIN, ID);
    f.writePage(4, page(6), 0, new Uint8Array(PAGE));
    const dst = new Uint8Array(PAGE);
    expect(() => f.readPage(4, dst, 0)).toThrow(`${MAIN}: page 4 holds page 6 (a misplaced write)`);
    f.writePage(5, page(5), 0, new Uint8Array(PAGE));
    f.close();
    const h = io.open(MAIN, 'write');
    io.truncate(h, 6 * PAGE + 100);
    io.close(h);
    const g = PartitionFile.openOrCreate(io, MAIN, ID);
    expect(() => g.readPage(5, dst, 0)).toThrow('page 5 is corrupt (the page is truncated (100 of 1024 bytes))');
    g.close();
  });

  it('checks its header: magic, version, CRC, and that it belongs to this table, partition and page size', () => {
    const io = fresh();
    PartitionFile.openOrCreate(io, MAIN, ID).close();
    expect(() => PartitionFile.openOrCreate(io, MAIN, { ...ID, partitionId: 4 })).toThrow(expect.objectContaining({ code: 'STORAGE_MISMATCH' }));
    expect(() => PartitionFile.openOrCreate(io, MAIN, { ...ID, pageSize: 2048 })).toThrow(/2048-byte pages/);
    for (const [byte, why] of [[0, /magic/], [8, /format version/], [13, /CRC-32 does not match/], [30, /more than the file can hold/], [21, /CRC-32 does not match/]] as const) {
      flipBit(io, MAIN, byte, 1);
      expect(() => PartitionFile.openOrCreate(io, MAIN, ID)).toThrow(why);
      expect(() => PartitionFile.openOrCreate(io, MAIN, ID)).toThrow(`${MAIN}: the file header is corrupt`);
      flipBit(io, MAIN, byte, 1);
    }
    PartitionFile.openOrCreate(io, MAIN, ID).close();
  });
});

describe('DeltaFile', () => {
  const DELTA = `${DIR}/part-3-delta-1.bin`;
  const indexes = Uint32Array.from([3, 9, 100, 300]);
  const write = (io: PowerLossFileIo) => DeltaFile.write(io, DELTA, { ...ID, checkpoint: 1, partitionPages: 0, freeHead: 0 }, indexes, (i) => ({ buf: page(indexes[i]!), off: 0 }));

  it('holds the pages it lists, found by binary search; others are not in it', () => {
    const io = fresh();
    write(io);
    const d = DeltaFile.open(io, DELTA, ID);
    expect(d.checkpoint).toBe(1);
    const dst = new Uint8Array(PAGE);
    for (const i of indexes) {
      expect(d.readPage(i, dst, 0)).toBe(true);
      expect(dst.subarray(8)).toEqual(page(i).subarray(8));
    }
    for (const i of [0, 4, 99, 301]) expect(d.readPage(i, dst, 0)).toBe(false);
    d.close();
    expect(() => DeltaFile.write(io, `${DIR}/x.bin`, { ...ID, checkpoint: 2, partitionPages: 0, freeHead: 0 }, Uint32Array.from([5, 5]), () => ({ buf: page(5), off: 0 }))).toThrow(/ascend/);
  });

  it('a header listing more pages than fit spans several header pages', () => {
    const io = fresh();
    const many = Uint32Array.from({ length: 600 }, (_, i) => i * 2);
    DeltaFile.write(io, DELTA, { ...ID, checkpoint: 3, partitionPages: 0, freeHead: 0 }, many, (i) => ({ buf: page(many[i]!), off: 0 }));
    expect(headerBytes(600, PAGE)).toBe(3 * PAGE);
    const d = DeltaFile.open(io, DELTA, ID);
    const dst = new Uint8Array(PAGE);
    expect(d.readPage(1198, dst, 0)).toBe(true);
    expect(dst.subarray(8)).toEqual(page(1198).subarray(8));
    d.close();
  });

  it('after a power loss at any step of its write order it is whole or absent', () => {
    let steps = 0;
    for (let k = 1; ; k++) {
      const io = fresh();
      io.failAfter(k);
      let done = false;
      try {
        write(io);
        done = true;
      } catch {
        // the process died at step k
      }
      steps = k;
      for (let seed = 0; seed <= 6; seed++) {
        const disk = seed === 0 ? io.crash('drop') : io.crash('tear', seed);
        if (!disk.exists(DELTA)) {
          expect(done && seed === 0, `k=${k}: a completed delta file vanished`).toBe(false);
          continue;
        }
        const d = DeltaFile.open(disk, DELTA, ID);
        const dst = new Uint8Array(PAGE);
        for (const i of indexes) expect(d.readPage(i, dst, 0)).toBe(true);
        d.close();
      }
      if (done) break;
    }
    expect(steps).toBeGreaterThanOrEqual(indexes.length + 5);
  });

  it('random flipped bits: every read is the page as written or a DataCorruptionError — never wrong data', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 3 }), (flips) => {
        const io = fresh();
        write(io);
        const size = headerBytes(indexes.length, PAGE) + indexes.length * PAGE;
        for (const [at, bit] of flips) flipBit(io, DELTA, at % size, bit);
        let d: DeltaFile;
        try {
          d = DeltaFile.open(io, DELTA, ID);
        } catch (e) {
          expect(e).toBeInstanceOf(DataCorruptionError);
          return;
        }
        const dst = new Uint8Array(PAGE);
        for (const i of indexes) {
          try {
            if (d.readPage(i, dst, 0)) expect(dst.subarray(8)).toEqual(page(i).subarray(8));
          } catch (e) {
            expect(e).toBeInstanceOf(DataCorruptionError);
          }
        }
        d.close();
      }),
      { numRuns: Number(process.env['CORRUPTION_RUNS'] ?? 200) },
    );
  });
});
