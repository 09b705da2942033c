/**
 * The catalog's files (FileCatalogStore): entries and snapshots come back across close / reopen with every value
 * exactly as stored; a torn tail is cut, damage in the middle is DATA_CORRUPTION with nothing changed; a failed
 * write (disk full) keeps every acknowledged entry; and a power loss at every step of the write order — through
 * PowerLossFileIo, dropping, tearing or scattering what was not synced — gives back exactly the acknowledged entries
 * (plus, at most, the one whose append had not returned when the power went).
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredCatalog } from '../../../../src/application/catalog/catalog-store.port';
import { InMemoryCatalogStore } from '../../../../src/application/catalog/in-memory-catalog-store';
import type { FileHandle, FileIo } from '../../../../src/domain/ports/file-io.port';
import { DataCorruptionError, InvalidArgumentError, StorageIoError } from '../../../../src/domain/shared/errors';
import { CATALOG_HEADER_BYTES, FileCatalogStore } from '../../../../src/infrastructure/catalog/file-catalog-store';
import { NodeFileIo } from '../../../../src/infrastructure/fs/node-file-io';
import { ReadOnlyFileIo } from '../../../../src/infrastructure/fs/read-only-file-io';
import { pattern } from '../../../support/byte-pattern';
import { PowerLossFileIo, SimulatedCrash } from '../../../support/power-loss-file-io';
import { tempDir } from '../../../support/temp-dir';

/** A type-exact rendering: -0 vs 0, 5n vs 5, Uint8Array vs Buffer, key order — equal strings mean equal values. */
function exact(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? 'num(-0)' : `num(${v})`;
  if (typeof v === 'bigint') return `big(${v})`;
  if (typeof v === 'string') return `str(${JSON.stringify(v)})`;
  if (typeof v !== 'object') return `${typeof v}(${String(v)})`;
  const proto = Object.getPrototypeOf(v);
  if (proto === Uint8Array.prototype) return `u8(${Buffer.from(v as Uint8Array).toString('hex')})`;
  if (Array.isArray(v)) return `[${v.map(exact).join(',')}]`;
  if (proto === Object.prototype) return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${exact((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return `other(${Object.prototype.toString.call(v)})`;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const versions = (s: StoredCatalog): number[] => s.entries.map((e) => e.version);
const entry = (v: number): unknown => (v % 2 === 0 ? { v, blob: pattern(1300, v) } : { v, name: `entry ${v}` });

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

const temps: Array<{ path: string; cleanup(): void }> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.cleanup();
});

/** A fresh catalog dir (not created yet: the store creates it) and its files. */
function fresh(): { dir: string; log: string; snapshot: string } {
  const t = tempDir('aistorage-catalog-');
  temps.push(t);
  const dir = `${t.path}/catalog`;
  return { dir, log: `${dir}/catalog.log`, snapshot: `${dir}/catalog.snapshot` };
}

/** Stores entries 1..n (closed afterwards); returns the log's size after each append (index 0: the header alone). */
function write(dir: string, n: number): number[] {
  const store = new FileCatalogStore(new NodeFileIo(), dir);
  store.load();
  const sizes = [fs.statSync(`${dir}/catalog.log`).size];
  for (let v = 1; v <= n; v++) {
    store.append(v, entry(v));
    sizes.push(fs.statSync(`${dir}/catalog.log`).size);
  }
  store.close();
  return sizes;
}

function reload(dir: string, io: FileIo = new NodeFileIo()): StoredCatalog {
  const store = new FileCatalogStore(io, dir);
  try {
    return store.load();
  } finally {
    store.close();
  }
}

/** Every file of `dir` with its bytes. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(`${dir}/${f}`).toString('hex')]));
}

describe('FileCatalogStore', () => {
  it('keeps entries and snapshots across close and reopen, counting entries since the snapshot', () => {
    const { dir, log } = fresh();
    let store = new FileCatalogStore(new NodeFileIo(), dir);
    expect(store.load()).toEqual({ snapshot: null, entries: [] });
    expect(fs.readdirSync(dir)).toEqual(['catalog.log']);
    for (let v = 1; v <= 3; v++) store.append(v, entry(v));
    expect(store.entriesSinceSnapshot).toBe(3);
    expect(() => store.append(5, 'gap')).toThrow(InvalidArgumentError);
    store.writeSnapshot(3, { tables: ['a', 'b'] });
    expect(store.entriesSinceSnapshot).toBe(0);
    expect(fs.statSync(log).size).toBe(CATALOG_HEADER_BYTES);
    expect(() => store.writeSnapshot(2, {})).toThrow(InvalidArgumentError);
    store.append(4, entry(4));
    store.append(5, entry(5));
    store.close();
    expect(() => store.append(6, entry(6))).toThrow(expect.objectContaining({ code: 'STORAGE_CLOSED' }));

    store = new FileCatalogStore(new NodeFileIo(), dir);
    const loaded = store.load();
    expect(loaded.snapshot).toEqual({ version: 3, state: { tables: ['a', 'b'] } });
    expect(loaded.entries).toEqual([{ version: 4, entry: entry(4) }, { version: 5, entry: entry(5) }]);
    expect(store.entriesSinceSnapshot).toBe(2);
    expect(() => store.append(5, 'again')).toThrow(InvalidArgumentError);
    store.append(6, entry(6));
    store.writeSnapshot(6, { tables: ['c'] });
    store.append(7, entry(7));
    store.close();
    const again = reload(dir);
    expect(again.snapshot).toEqual({ version: 6, state: { tables: ['c'] } });
    expect(versions(again)).toEqual([7]);
    expect(fs.readdirSync(dir).sort()).toEqual(['catalog.log', 'catalog.snapshot']);
  });

  it('pins the file format: 16-byte header, then [u32 length][u32 CRC-32][msgpack {v, e}] per entry', () => {
    const { dir, log, snapshot } = fresh();
    const store = new FileCatalogStore(new NodeFileIo(), dir);
    store.load();
    store.append(1, { a: 1n });
    const payload = Buffer.from('82a17601a16581a161d30000000000000001', 'hex');
    const header = Buffer.from('AICATLOG\x01\x00\x00\x00', 'latin1');
    const crc = (b: Buffer): Buffer => Buffer.from(new Uint32Array([zlib.crc32(b)]).buffer);
    const length = Buffer.from(new Uint32Array([payload.length]).buffer);
    expect(fs.readFileSync(log).toString('hex')).toBe(Buffer.concat([header, crc(header), length, crc(payload), payload]).toString('hex'));
    store.writeSnapshot(1, -0);
    const snapPayload = Buffer.from('82a17601a173cb8000000000000000', 'hex');
    const snapHeader = Buffer.from('AICATSNP\x01\x00\x00\x00', 'latin1');
    const snapLength = Buffer.from(new Uint32Array([snapPayload.length]).buffer);
    expect(fs.readFileSync(snapshot).toString('hex')).toBe(
      Buffer.concat([snapHeader, crc(snapHeader), snapLength, crc(snapPayload), snapPayload]).toString('hex'),
    );
    expect(fs.readFileSync(log).toString('hex')).toBe(Buffer.concat([header, crc(header)]).toString('hex'));
    store.close();
  });

  it('gives back every value exactly: bigints stay bigints, -0 stays -0, bytes are plain Uint8Arrays, key order is kept', () => {
    expect(exact(5n)).not.toBe(exact(5));
    expect(exact(-0)).not.toBe(exact(0));
    expect(exact(Buffer.from([1]))).not.toBe(exact(new Uint8Array([1])));
    expect(exact({ a: 1, b: 2 })).not.toBe(exact({ b: 2, a: 1 }));
    const value = {
      z: 'first key',
      bigints: [5n, -5n, 0n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, -(2n ** 63n) - 1n, 2n ** 200n + 7n, -(2n ** 130n)],
      numbers: [0, -0, 5, -1, -32, -33, 127, 128, 255, 256, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -(2 ** 31),
        -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53), 1.5, -0.1, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE],
      strings: ['', 'a', 'x'.repeat(31), 'x'.repeat(32), 'ü€😀', 'y'.repeat(300), 'z'.repeat(70_000)],
      bytes: [new Uint8Array(0), new Uint8Array([0, 255, 7]), pattern(300, 1), pattern(70_000, 2)],
      others: [true, false, null, undefined, [], {}, [[[]]]],
      nested: { m: { b: { c: [[1n]], d: {} }, a: 'x' }, '2': 'two', '1': 'one' },
      manyKeys: Object.fromEntries(range(20).map((i) => [`k${19 - i}`, i])),
      manyItems: range(70_000),
      odd: JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "": "empty key", "v": "not the version"}') as unknown,
    };
    const { dir } = fresh();
    const store = new FileCatalogStore(new NodeFileIo(), dir);
    store.load();
    store.append(1, value);
    store.append(2, [Buffer.from('from a Buffer'), 7n]);
    store.writeSnapshot(2, value);
    store.append(3, value);
    store.close();
    const loaded = reload(dir);
    expect(exact(loaded.snapshot!.state)).toBe(exact(value));
    expect(exact(loaded.entries[0]!.entry)).toBe(exact(value));
    expect(Object.getPrototypeOf((loaded.entries[0]!.entry as { odd: object }).odd)).toBe(Object.prototype);
    // Before the snapshot the log held entries 1 and 2: compare them through a store that never snapshotted.
    const { dir: dir2 } = fresh();
    const s2 = new FileCatalogStore(new NodeFileIo(), dir2);
    s2.load();
    s2.append(1, value);
    s2.append(2, [Buffer.from('from a Buffer'), 7n]);
    s2.close();
    const [e1, e2] = reload(dir2).entries;
    expect(exact(e1!.entry)).toBe(exact(value));
    expect(exact(e2!.entry)).toBe(exact([new Uint8Array(Buffer.from('from a Buffer')), 7n]));
  });

  it('refuses a value it cannot give back exactly, naming where it sits, and writes nothing', () => {
    const { dir, log } = fresh();
    const store = new FileCatalogStore(new NodeFileIo(), dir);
    store.load();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const bad: unknown[] = [new Map(), new Date(0), new Float64Array(1), () => 1, Symbol('s'), new (class Thing {})(), cyclic, 'lone \ud800', { [Symbol('k')]: 1 }, [, 1]];
    for (const b of bad) {
      const e = thrown(() => store.append(1, { columns: [{ default: b }] }));
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect(e.message).toContain('entry.columns[0].default');
      expect(() => store.writeSnapshot(1, { x: b })).toThrow(InvalidArgumentError);
    }
    expect(fs.statSync(log).size).toBe(CATALOG_HEADER_BYTES);
    expect(fs.readdirSync(dir)).toEqual(['catalog.log']);
    store.append(1, 'fine');
    store.close();
    expect(reload(dir).entries).toEqual([{ version: 1, entry: 'fine' }]);
  });

  it('cuts a torn last record at every length (and a last one failing its CRC), keeping the entries before it', () => {
    const { dir, log } = fresh();
    const sizes = write(dir, 4);
    const full = fs.readFileSync(log);
    const lastStart = sizes[3]!;
    expect(full.length - lastStart).toBeGreaterThan(1300);
    const tails: Buffer[] = range(full.length - lastStart).map((n) => full.subarray(0, lastStart + n));
    const flipped = Buffer.from(full);
    flipped[full.length - 10]! ^= 0x40;
    tails.push(flipped, Buffer.concat([full.subarray(0, lastStart), Buffer.alloc(4096)]));
    for (const bytes of tails) {
      fs.writeFileSync(log, bytes);
      const loaded = reload(dir);
      expect(versions(loaded)).toEqual([1, 2, 3]);
      expect(exact(loaded.entries[1]!.entry)).toBe(exact(entry(2)));
      expect(fs.statSync(log).size).toBe(lastStart);
    }
    const store = new FileCatalogStore(new NodeFileIo(), dir);
    store.load();
    store.append(4, 'four again');
    store.close();
    expect(reload(dir).entries.at(-1)).toEqual({ version: 4, entry: 'four again' });
  });

  it('reports a damaged record followed by a valid one as DATA_CORRUPTION naming file and offset, changing nothing', () => {
    const { dir, log } = fresh();
    const sizes = write(dir, 3);
    const original = fs.readFileSync(log);
    const damage: Array<[offset: number, at: number]> = [
      [sizes[1]! + 12, sizes[1]!], // a payload byte of record 2
      [sizes[1]! + 2, sizes[1]!], // record 2's length: it now reaches past the end of the file
      [sizes[1]! + 5, sizes[1]!], // record 2's CRC
      [sizes[0]! + 9, sizes[0]!], // record 1, with two valid records after it
    ];
    for (const [offset, at] of damage) {
      const bytes = Buffer.from(original);
      bytes[offset]! ^= 0x10;
      fs.writeFileSync(log, bytes);
      fs.writeFileSync(`${log}.tmp`, 'leftover');
      const before = filesOf(dir);
      const e = thrown(() => reload(dir));
      expect(e).toBeInstanceOf(DataCorruptionError);
      expect((e as DataCorruptionError).code).toBe('DATA_CORRUPTION');
      expect(e.message).toContain(log);
      expect(e.message).toContain(`byte offset ${at}`);
      expect(filesOf(dir)).toEqual(before);
    }
  });

  it('reports a bad header, a bad snapshot and missing entries as DATA_CORRUPTION naming the file', () => {
    const { dir, log, snapshot } = fresh();
    const store = new FileCatalogStore(new NodeFileIo(), dir);
    store.load();
    for (let v = 1; v <= 4; v++) store.append(v, entry(v));
    store.writeSnapshot(4, { s: 4 });
    for (let v = 5; v <= 7; v++) store.append(v, entry(v));
    store.close();
    const logBytes = fs.readFileSync(log);
    const snapBytes = fs.readFileSync(snapshot);
    const cases: Array<[file: string, bytes: Buffer, message: string]> = [
      [log, Buffer.concat([Buffer.from('AICATLOX'), logBytes.subarray(8)]), 'header'],
      [log, Buffer.concat([logBytes.subarray(0, 9), Buffer.from([logBytes[9]! ^ 1]), logBytes.subarray(10)]), 'header'],
      [log, logBytes.subarray(0, 10), 'shorter than the header'],
      [snapshot, Buffer.concat([snapBytes.subarray(0, 30), Buffer.from([snapBytes[30]! ^ 1]), snapBytes.subarray(31)]), 'CRC'],
      [snapshot, snapBytes.subarray(0, snapBytes.length - 1), 'short'],
      [snapshot, Buffer.concat([snapBytes, Buffer.from([0])]), 'long'],
    ];
    for (const [file, bytes, message] of cases) {
      fs.writeFileSync(file, bytes);
      const before = filesOf(dir);
      const e = thrown(() => reload(dir));
      expect(e).toBeInstanceOf(DataCorruptionError);
      expect(e.message).toContain(file);
      expect(e.message).toContain(message);
      expect(filesOf(dir)).toEqual(before);
      fs.writeFileSync(log, logBytes);
      fs.writeFileSync(snapshot, snapBytes);
    }
    expect(versions(reload(dir))).toEqual([5, 6, 7]);
    // Entry 6 cut out of the middle: 5 then 7.
    const start6 = CATALOG_HEADER_BYTES + 8 + logBytes.readUInt32LE(CATALOG_HEADER_BYTES);
    const end6 = start6 + 8 + logBytes.readUInt32LE(start6);
    fs.writeFileSync(log, Buffer.concat([logBytes.subarray(0, start6), logBytes.subarray(end6)]));
    expect(thrown(() => reload(dir)).message).toMatch(/catalog\.log is corrupt at byte offset \d+: entry version 7 follows version 5/);
    fs.rmSync(log);
    expect(thrown(() => reload(dir))).toBeInstanceOf(DataCorruptionError);
  });

  it('skips log entries at or below the snapshot (a crash between the snapshot and the fresh log)', () => {
    const { dir, log } = fresh();
    const store = new FileCatalogStore(new NodeFileIo(), dir);
    store.load();
    for (let v = 1; v <= 3; v++) store.append(v, entry(v));
    const oldLog = fs.readFileSync(log);
    store.writeSnapshot(3, { at: 3 });
    store.close();
    fs.writeFileSync(log, oldLog);
    const s2 = new FileCatalogStore(new NodeFileIo(), dir);
    expect(s2.load()).toEqual({ snapshot: { version: 3, state: { at: 3 } }, entries: [] });
    expect(() => s2.append(3, 'x')).toThrow(InvalidArgumentError);
    s2.append(4, entry(4));
    s2.close();
    const loaded = reload(dir);
    expect(loaded.snapshot?.version).toBe(3);
    expect(versions(loaded)).toEqual([4]);
  });

  it('deletes leftover .tmp files at load', () => {
    const { dir, log, snapshot } = fresh();
    write(dir, 2);
    fs.writeFileSync(`${snapshot}.tmp`, 'half a snapshot');
    fs.writeFileSync(`${log}.tmp`, 'half a log');
    expect(versions(reload(dir))).toEqual([1, 2]);
    expect(fs.readdirSync(dir)).toEqual(['catalog.log']);
  });

  it('loads read-only without changing anything: torn tail and leftovers stay, writes are refused', () => {
    const { dir, log } = fresh();
    const ro = (): ReadOnlyFileIo => new ReadOnlyFileIo(new NodeFileIo());
    expect(reload(dir, ro())).toEqual({ snapshot: null, entries: [] });
    expect(fs.existsSync(dir)).toBe(false);
    const sizes = write(dir, 3);
    fs.truncateSync(log, sizes[3]! - 5);
    fs.writeFileSync(`${log}.tmp`, 'leftover');
    const before = filesOf(dir);
    const store = new FileCatalogStore(ro(), dir);
    expect(versions(store.load())).toEqual([1, 2]);
    expect(thrown(() => store.append(3, 'x'))).toMatchObject({ code: 'WORKDIR_READ_ONLY' });
    expect(thrown(() => store.writeSnapshot(2, {}))).toMatchObject({ code: 'WORKDIR_READ_ONLY' });
    store.close();
    expect(filesOf(dir)).toEqual(before);
  });
});

/** NodeFileIo on a disk that fills up: writes put half their bytes down, then fail with ENOSPC. */
class FullDiskIo extends NodeFileIo {
  full = false;
  truncateFails = false;
  override write(h: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): void {
    if (!this.full) return super.write(h, buffer, offset, length, position);
    super.write(h, buffer, offset, length >> 1, position);
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  }
  override truncate(h: FileHandle, length: number): void {
    if (this.truncateFails) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
    super.truncate(h, length);
  }
}

describe('FileCatalogStore on a full disk', () => {
  it('a failed append throws STORAGE_IO naming the file, cuts its partial record, and the store goes on', () => {
    const { dir, log } = fresh();
    const io = new FullDiskIo();
    const store = new FileCatalogStore(io, dir);
    store.load();
    store.append(1, entry(1));
    store.append(2, entry(2));
    const size = fs.statSync(log).size;
    io.full = true;
    const e = thrown(() => store.append(3, entry(3)));
    expect(e).toBeInstanceOf(StorageIoError);
    expect(e).toMatchObject({ code: 'STORAGE_IO' });
    expect(e.message).toContain(log);
    expect(e.message).toContain('ENOSPC');
    expect(fs.statSync(log).size).toBe(size);
    expect(store.entriesSinceSnapshot).toBe(2);
    expect(thrown(() => store.writeSnapshot(2, { s: 2 }))).toBeInstanceOf(StorageIoError);
    expect(fs.readdirSync(dir)).toEqual(['catalog.log']);
    io.full = false;
    store.append(3, entry(3));
    store.close();
    expect(reload(dir).entries.map((x) => exact(x.entry))).toEqual([1, 2, 3].map((v) => exact(entry(v))));
  });

  it('when the partial record cannot be cut, later writes are refused and a reload cuts it', () => {
    const { dir, log } = fresh();
    const io = new FullDiskIo();
    const store = new FileCatalogStore(io, dir);
    store.load();
    store.append(1, entry(1));
    const size = fs.statSync(log).size;
    io.full = true;
    io.truncateFails = true;
    expect(thrown(() => store.append(2, entry(2)))).toBeInstanceOf(StorageIoError);
    expect(fs.statSync(log).size).toBeGreaterThan(size);
    io.full = false;
    expect(thrown(() => store.append(2, entry(2))).message).toContain('Close the node and open it again');
    store.close();
    expect(versions(reload(dir))).toEqual([1]);
    expect(fs.statSync(log).size).toBe(size);
  });
});

describe('FileCatalogStore through a power loss at every step', () => {
  const DIR = '/w/catalog';
  type Op = { readonly append: number } | { readonly snapshot: number };
  const WORKLOAD: Op[] = [{ append: 1 }, { append: 2 }, { snapshot: 2 }, { append: 3 }, { append: 4 }, { append: 5 }, { snapshot: 5 }, { append: 6 }];

  /** Runs the workload until it ends or the "process" dies; returns the acknowledged entries and the one in flight. */
  function run(io: PowerLossFileIo): { acked: unknown[]; inFlight: unknown } {
    const acked: unknown[] = [];
    let inFlight: unknown = null;
    const store = new FileCatalogStore(io, DIR);
    try {
      store.load();
      for (const op of WORKLOAD) {
        if ('snapshot' in op) store.writeSnapshot(op.snapshot, acked.slice());
        else {
          inFlight = entry(op.append);
          store.append(op.append, inFlight);
          acked.push(inFlight);
          inFlight = null;
        }
      }
    } catch (e) {
      expect(e instanceof SimulatedCrash || (e as Error).cause instanceof SimulatedCrash).toBe(true);
    }
    store.close();
    return { acked, inFlight };
  }

  /** The catalog a load gives: the snapshot's entries (the state is the list of entries so far), then the log's. */
  function recovered(io: PowerLossFileIo): unknown[] {
    const store = new FileCatalogStore(io, DIR);
    const { snapshot, entries } = store.load();
    store.close();
    const state = (snapshot?.state ?? []) as unknown[];
    expect(snapshot?.version ?? 0).toBe(state.length);
    expect(versions({ snapshot, entries })).toEqual(entries.map((_, i) => state.length + 1 + i));
    return [...state, ...entries.map((e) => e.entry)];
  }

  it('recovers exactly the acknowledged entries (or those and the one in flight), with no .tmp left, and goes on', () => {
    const probe = new PowerLossFileIo();
    probe.mkdirs('/w');
    expect(run(probe).acked.length).toBe(6);
    const steps = probe.steps;
    expect(steps).toBeGreaterThan(30);
    const outcomes = { withInFlight: 0, withoutInFlight: 0 };
    for (let k = 1; k <= steps + 1; k++) {
      const io = new PowerLossFileIo();
      io.mkdirs('/w');
      io.failAfter(k);
      const { acked, inFlight } = run(io);
      const crashes: Array<['drop' | 'tear' | 'scatter', number]> = [['drop', 0], ...range(8).flatMap((s): Array<['tear' | 'scatter', number]> => [['tear', s + 1], ['scatter', s + 1]])];
      for (const [mode, seed] of crashes) {
        const disk = io.crash(mode, seed);
        const got = recovered(disk);
        const withInFlight = inFlight !== null && mode !== 'drop' && got.length === acked.length + 1;
        expect(got.map(exact), `crash at step ${k}, ${mode} ${seed}`).toEqual([...acked, ...(withInFlight ? [inFlight] : [])].map(exact));
        if (inFlight !== null) outcomes[withInFlight ? 'withInFlight' : 'withoutInFlight']++;
        expect(disk.list(DIR).filter((n) => n.endsWith('.tmp'))).toEqual([]);
        // The recovered store goes on: the next entry survives the next power loss.
        const store = new FileCatalogStore(disk, DIR);
        store.load();
        store.append(got.length + 1, 'after the crash');
        store.close();
        expect(recovered(disk.crash('drop')).map(exact)).toEqual([...got, 'after the crash'].map(exact));
      }
    }
    expect(outcomes.withInFlight).toBeGreaterThan(0);
    expect(outcomes.withoutInFlight).toBeGreaterThan(0);
  });
});

describe('InMemoryCatalogStore', () => {
  it('keeps nothing, yet follows the file store\'s rules: load once first, versions following on, snapshots resetting the count', () => {
    const store = new InMemoryCatalogStore();
    expect(thrown(() => store.append(1, 'x'))).toMatchObject({ code: 'STORAGE_ERROR' });
    expect(store.load()).toEqual({ snapshot: null, entries: [] });
    expect(() => store.load()).toThrow('loaded already');
    expect(() => store.append(2, 'x')).toThrow(InvalidArgumentError);
    store.append(1, 'a');
    store.append(2, 'b');
    expect(store.entriesSinceSnapshot).toBe(2);
    expect(() => store.writeSnapshot(1, {})).toThrow(InvalidArgumentError);
    store.writeSnapshot(2, { s: 2 });
    expect(store.entriesSinceSnapshot).toBe(0);
    expect(() => store.append(2, 'x')).toThrow(InvalidArgumentError);
    store.append(3, 'c');
    expect(store.entriesSinceSnapshot).toBe(1);
    store.close();
    expect(thrown(() => store.append(4, 'd'))).toMatchObject({ code: 'STORAGE_CLOSED' });
    expect(new InMemoryCatalogStore().load()).toEqual({ snapshot: null, entries: [] });
  });
});
