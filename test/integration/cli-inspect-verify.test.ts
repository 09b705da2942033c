/**
 * `aistorage inspect` and `aistorage verify` on real work dirs written through the public API: a cleanly closed one,
 * and a "crashed" one (a copy taken while its node ran, with log records no checkpoint covers — what a SIGKILL
 * leaves). Expectations are computed from the files themselves (sizes, raw header fields, segment listings) and
 * from a read-only node's own log scan; damage is made by flipping single bytes; every run is checked to leave the
 * work dir byte for byte as it was.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, openSync, closeSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNode, RowId, type MvPartitionStorage, type SortedIndexStorage, type StorageConfigInput } from '../../src/interfaces/api/index';
import { main } from '../../src/interfaces/cli/main';
import { LOCK_FILE_NAME } from '../../src/infrastructure/workdir/file-work-dir-lock';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const PAGE = 4096;
const PARTITIONS: Record<number, number> = { 1: 3, 2: 2 };
const PK = { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] } as const;
const config: StorageConfigInput = { ignite: { storage: {
  engines: { aipersist: { pageSizeBytes: PAGE, checkpoint: { intervalMillis: 0 }, deltaLog: { syncMode: 'fsync', segmentSizeBytes: MiB } } },
  profiles: [{ engine: 'aipersist', name: 'p', sizeBytes: 32 * MiB }],
} } };
type Part = { readonly id: number; readonly mv: MvPartitionStorage; readonly pk: SortedIndexStorage };

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string; progress: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const code = await main(['node', 'aistorage', ...args], {
    out: (l) => void out.push(l), err: (l) => void err.push(l), progress: { tty: false, write: (t) => void progress.push(t) },
  });
  return { code, out: out.join('\n'), err: err.join('\n'), progress };
}

/** Every file under `dir` (relative path → bytes). */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), readFileSync(join(e.parentPath, e.name)));
  }
  return out;
}

function flipByte(file: string, at: number): void {
  const fd = openSync(file, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0] = b[0]! ^ 0x5a;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
}

/** What the files say, read with raw offsets (page-file.layout.ts): main slots from the size, delta pages from the header. */
function expectedDb(work: string): Array<{ id: number; partitions: Array<{ id: number; main: number | null; deltas: Array<{ name: string; pages: number }> }> }> {
  const db = join(work, 'db');
  return readdirSync(db).filter((n) => /^table-\d+$/.test(n)).map((t) => {
    const names = readdirSync(join(db, t));
    const ids = [...new Set(names.map((n) => /^part-(\d+)[.-]/.exec(n)?.[1]).filter((x) => x !== undefined).map(Number))].sort((a, b) => a - b);
    return {
      id: Number(t.slice(6)),
      partitions: ids.map((p) => {
        const main = names.includes(`part-${p}.bin`) ? statSync(join(db, t, `part-${p}.bin`)).size / PAGE - 1 : null;
        const deltas = names.filter((n) => new RegExp(`^part-${p}-delta-\\d+\\.bin$`).test(n)).sort().map((name) => {
          const bytes = readFileSync(join(db, t, name));
          const pages = bytes.readUInt32LE(28);
          expect(bytes.length, name).toBe(Math.ceil((44 + 4 * pages) / PAGE) * PAGE + pages * PAGE);
          return { name, pages };
        });
        return { id: p, main, deltas };
      }),
    };
  }).sort((a, b) => a.id - b.id);
}

/** Writes a torn record (a length and garbage, no valid CRC) after the last record of the last segment. */
function tearLogTail(work: string): void {
  const last = readdirSync(join(work, 'log')).filter((f) => f.startsWith('segment-')).sort().pop()!;
  const bytes = readFileSync(join(work, 'log', last));
  let at = 64;
  for (let position = bytes.readDoubleLE(16); at + 32 <= bytes.length && bytes.readUInt32LE(at) > 0 && bytes.readDoubleLE(at + 8) === position; position++) {
    at += 32 + bytes.readUInt32LE(at);
  }
  const torn = Buffer.alloc(64, 0x33);
  torn.writeUInt32LE(500, 0);
  const fd = openSync(join(work, 'log', last), 'r+');
  writeSync(fd, torn, 0, torn.length, at);
  closeSync(fd);
}

/** Builds `src` through the API: two checkpoints (compaction after the second), then log-only writes; copies it while open. */
async function build(src: string, crashed: string): Promise<void> {
  const node = await openNode({ workDir: src, config });
  try {
    const parts: Part[] = [];
    for (const [t, n] of Object.entries(PARTITIONS)) {
      const table = node.engine('aipersist').createMvTable({ tableId: Number(t), partitions: n, storageProfile: 'p' });
      for (let p = 0; p < n; p++) parts.push({ id: p, mv: await table.createMvPartition(p), pk: table.createSortedIndex(p, PK) });
    }
    let key = 0;
    const row = (part: Part, size: number) => (): void => {
      const rowId = RowId.random(part.id);
      part.mv.addWriteCommitted(rowId, { schemaVersion: 1, bytes: new Uint8Array(size).fill(key % 251) }, node.clock.now());
      part.pk.put({ key: [BigInt(key++)], rowId });
    };
    const write = (part: Part, size: number): void => part.mv.runConsistently(row(part, size));
    for (let i = 0; i < 300 * parts.length; i++) write(parts[i % parts.length]!, 200);
    await node.checkpoint();
    const compacted = new Promise<void>((resolve) => {
      const sub = node.events$.subscribe((e) => {
        if (e.type === 'compaction.finished') resolve(sub.unsubscribe());
      });
    });
    for (let i = 0; i < 100 * parts.length; i++) write(parts[(i * 7) % parts.length]!, 200);
    await node.checkpoint();
    await compacted; // no file changes under the copy below
    for (let i = 0; i < 2400; i++) write(parts[i % parts.length]!, 1000);
    await parts[0]!.mv.runDurably(row(parts[0]!, 10)); // every record before it is synced too
    expect(readdirSync(join(src, 'log')).filter((n) => n.startsWith('segment-')).length, 'log segments after the last checkpoint').toBeGreaterThanOrEqual(2);
    cpSync(src, crashed, { recursive: true });
    rmSync(join(crashed, LOCK_FILE_NAME));
  } finally {
    await node.close();
  }
}

describe('aistorage inspect and verify', () => {
  const root = tempDir('aistorage-inspect-');
  const clean = join(root.path, 'clean');
  const crashed = join(root.path, 'crashed');
  let n = 0;
  const copyOf = (dir: string): string => {
    const to = join(root.path, `copy-${n++}`);
    cpSync(dir, to, { recursive: true });
    return to;
  };
  beforeAll(() => build(clean, crashed), 30_000);
  afterAll(() => root.cleanup());

  it('inspect reports every table, partition, file with its page count, the log segments and the records a node finds', async () => {
    const work = copyOf(crashed);
    const r = await cli('inspect', '--json', '-w', work);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const inv = JSON.parse(r.out);
    const want = expectedDb(work);
    expect(want.map((t) => [t.id, t.partitions.map((p) => p.id)])).toEqual([[1, [0, 1, 2]], [2, [0, 1]]]);
    expect(inv.tables.map((t: { id: number; partitions: Array<{ id: number; main: { pages: number } | null; deltas: Array<{ name: string; pages: number }> }> }) => ({
      id: t.id,
      partitions: t.partitions.map((p) => ({ id: p.id, main: p.main?.pages ?? null, deltas: p.deltas.map((d) => ({ name: d.name, pages: d.pages })) })),
    }))).toEqual(want);
    const files = want.flatMap((t) => t.partitions.flatMap((p) => [p.main ?? 0, ...p.deltas.map((d) => d.pages)]));
    expect(inv.totals).toMatchObject({ tables: 2, partitions: 5, pages: files.reduce((a, b) => a + b, 0) });
    expect(inv.totals.pages).toBeGreaterThan(0);
    expect(inv.tables.every((t: { indexFile: unknown }) => t.indexFile !== null)).toBe(true);

    const segments = readdirSync(join(work, 'log')).filter((f) => f.startsWith('segment-')).sort();
    expect(inv.log.segments.map((s: { name: string }) => s.name)).toEqual(segments);
    expect(inv.log.segments.map((s: { bytes: number }) => s.bytes)).toEqual(segments.map((s) => statSync(join(work, 'log', s)).size));
    const firsts: number[] = inv.log.segments.map((s: { firstPosition: number }) => s.firstPosition);
    for (let i = 1; i < firsts.length; i++) expect(firsts[i]).toBeGreaterThan(firsts[i - 1]!);
    expect(inv.log.firstPosition).toBe(firsts[0]);
    expect(inv.log.lastPosition - inv.log.firstPosition + 1).toBe(inv.log.records);
    const reader = await openNode({ workDir: copyOf(crashed), readOnly: true });
    const recovered = reader.metrics().aipersist!.deltaLog!.recoveredRecords;
    await reader.close();
    expect(inv.log.records).toBe(recovered);
    expect(inv.log.records).toBeGreaterThanOrEqual(2400);

    const text = await cli('inspect', '-w', work);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^2 table\(s\), 5 partition\(s\), \d+ page file\(s\) with [\d,]+ pages/m);
    expect(text.out).toMatch(new RegExp(`^1\\s+2\\s+part-2\\.bin\\s+${want[0]!.partitions[2]!.main!.toLocaleString('en-US')}\\s`, 'm'));
    expect(text.out).toMatch(new RegExp(`^${segments[0]!.replace('.', '\\.')}\\s+${firsts[0]!.toLocaleString('en-US')}\\s`, 'm'));
  });

  it('verify passes a good work dir (clean and crashed), checking every page, with progress on stderr', async () => {
    for (const dir of [clean, crashed]) {
      const work = copyOf(dir);
      const r = await cli('verify', '-w', work);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^OK: /m);
      const pcts = r.progress.map((l) => Number(/\]\s+(\d+)%/.exec(l)![1]));
      expect(pcts[pcts.length - 1]).toBe(100);
      const json = JSON.parse((await cli('verify', '--json', '-w', work)).out);
      const inv = JSON.parse((await cli('inspect', '--json', '-w', work)).out);
      expect(json).toMatchObject({ ok: true, problems: [], leftovers: [] });
      expect(json.checked.pages + json.checked.holes).toBe(inv.totals.pages);
      expect(json.checked.deltaHeaders).toBe(expectedDb(work).flatMap((t) => t.partitions.flatMap((p) => p.deltas)).length);
      expect(json.checked.logRecords).toBe(inv.log.records);
    }
  });

  it('verify names the file and page of a flipped byte: exit 1 for a page in use or a delta page, a leftover for a shadowed main page', async () => {
    const work = copyOf(clean);
    const dir = join(work, 'db', 'table-1');
    const delta = readdirSync(dir).find((f) => /^part-1-delta-\d+\.bin$/.test(f))!;
    const dBytes = readFileSync(join(dir, delta));
    const committed = dBytes.readUInt32LE(32);
    const held = new Set(Array.from({ length: dBytes.readUInt32LE(28) }, (_, i) => dBytes.readUInt32LE(44 + 4 * i)));
    const main = readFileSync(join(dir, 'part-1.bin'));
    const written = (i: number): boolean => main.subarray((i + 1) * PAGE, (i + 2) * PAGE).some((b) => b !== 0);
    const inUse = Array.from({ length: committed }, (_, i) => i).find((i) => !held.has(i) && written(i));
    const shadowed = [...held].find((i) => i < main.length / PAGE - 1 && written(i));
    expect(inUse, 'a main page no delta file holds').toBeDefined();
    expect(shadowed, 'a main page a delta file holds').toBeDefined();

    flipByte(join(dir, 'part-1.bin'), (shadowed! + 1) * PAGE + PAGE / 2);
    const harmless = await cli('verify', '--json', '-w', work);
    expect(harmless.code).toBe(0);
    expect(JSON.parse(harmless.out).leftovers).toMatchObject([{ file: join(dir, 'part-1.bin'), page: shadowed, problem: expect.stringMatching(/CRC-32.*not in use/) }]);

    flipByte(join(dir, 'part-1.bin'), (inUse! + 1) * PAGE + PAGE / 2);
    const bad = await cli('verify', '-w', work);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^BAD: 1 problem\(s\)/m);
    expect(bad.out).toContain(`  ${join(dir, 'part-1.bin')} page ${inUse}: its CRC-32 is 0x`);

    const slot = 1;
    flipByte(join(dir, delta), Math.ceil((44 + 4 * held.size) / PAGE) * PAGE + slot * PAGE + 100);
    const json = JSON.parse((await cli('verify', '--json', '-w', work)).out);
    expect(json.ok).toBe(false);
    expect(json.problems.map((p: { file: string; page: number }) => [p.file, p.page])).toEqual([
      [join(dir, delta), [...held].sort((a, b) => a - b)[slot]],
      [join(dir, 'part-1.bin'), inUse],
    ]);
  });

  it('verify names the segment and offset of a corrupted log record in the middle, and checks the pages all the same', async () => {
    const work = copyOf(crashed);
    const segment = readdirSync(join(work, 'log')).filter((f) => f.startsWith('segment-')).sort()[0]!;
    const bytes = readFileSync(join(work, 'log', segment));
    let at = 64;
    for (let k = 0; k < 2; k++) at += 32 + bytes.readUInt32LE(at); // the third record
    expect(bytes.readUInt32LE(at), 'a record is there').toBeGreaterThan(0);
    flipByte(join(work, 'log', segment), at + 32);
    const r = await cli('verify', '-w', work);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^  ${join(work, 'log', segment).replace(/[.]/g, '\\.')} offset ${at}: the record at offset ${at} .*fails its CRC`, 'm'));
    const json = JSON.parse((await cli('verify', '--json', '-w', work)).out);
    expect(json.problems).toEqual([{ file: join(work, 'log', segment), page: null, offset: at, problem: expect.any(String) }]);
    expect(json.checked.pages).toBeGreaterThan(0);
    const inv = JSON.parse((await cli('inspect', '--json', '-w', work)).out);
    expect(inv.log.records).toBeNull();
    expect(inv.log.scanProblem).toMatchObject({ segment: join(work, 'log', segment), offset: at });
  });

  it('both refuse with WORKDIR_LOCKED (exit 2) while a node holds the work dir, and a missing work dir is WORKDIR_UNUSABLE', async () => {
    const work = copyOf(clean);
    const node = await openNode({ workDir: work });
    try {
      const lock = readFileSync(join(work, LOCK_FILE_NAME));
      for (const cmd of ['inspect', 'verify']) {
        const r = await cli(cmd, '-w', work);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toMatch(new RegExp(`^error \\[WORKDIR_LOCKED\\]: work dir '.*' is in use by a node of this process \\(pid ${process.pid}\\); close that node first\\. '${cmd}'`));
      }
      expect(readFileSync(join(work, LOCK_FILE_NAME))).toEqual(lock);
    } finally {
      await node.close();
    }
    expect((await cli('inspect', '-w', work)).code).toBe(0);
    const missing = await cli('verify', '-w', join(work, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^error \[WORKDIR_UNUSABLE\]: cannot verify work dir '.*nope'/);
    expect(existsSync(join(work, 'nope'))).toBe(false);
  });

  it.each(['a torn log tail', 'a log roll cut short'])('changes nothing in a crashed work dir with a dead holder\'s lock, a .tmp leftover and %s', async (damage) => {
    const work = copyOf(crashed);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(work, LOCK_FILE_NAME), `${JSON.stringify({ pid: dead, host: hostname(), processStart: null, token: 'ab12' })}\n`);
    writeFileSync(join(work, 'db', 'table-2', 'part-0-delta-99.bin.tmp'), Buffer.alloc(PAGE, 7));
    const leftovers: unknown[] = [{ file: join(work, 'db', 'table-2', 'part-0-delta-99.bin.tmp'), page: null }];
    if (damage === 'a torn log tail') {
      tearLogTail(work);
    } else {
      // The next segment exists without a valid header or record (the engine's open deletes it).
      const segments = readdirSync(join(work, 'log')).filter((f) => f.startsWith('segment-')).sort();
      const unrolled = `segment-${String(Number(segments[segments.length - 1]!.slice(8, 18)) + 1).padStart(10, '0')}.bin`;
      writeFileSync(join(work, 'log', unrolled), Buffer.alloc(64 * 1024));
      leftovers.push({ file: join(work, 'log', unrolled), problem: expect.stringMatching(/roll cut short/) });
    }
    const before = snapshot(work);
    const results = [await cli('inspect', '-w', work), await cli('inspect', '--json', '-w', work), await cli('verify', '-w', work)];
    const json = await cli('verify', '--json', '-w', work);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(JSON.parse(json.out).leftovers).toMatchObject(leftovers);
    const after = snapshot(work);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
  });
});
