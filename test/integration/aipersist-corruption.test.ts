/**
 * aipersist's files damaged outside the engine (the real file system, a temporary work dir): rows are written and
 * checkpointed in two rounds — so that the partition has a main file (part-0.bin, compacted) and one delta file
 * holding the second round's pages — and the node is closed. Then one bit is flipped at a time:
 *
 * - inside a sample of the pages of the main file (page i at (i + 1) × pageSize) and of the delta file (its page
 *   images after its page-sized header, in the order of the header's index list): a new node must read everything —
 *   every row through the primary index, the partition's row scan, every row's version chain, estimatedSize — and
 *   either get exactly the data written, or fail with a DATA_CORRUPTION error whose message names the damaged file
 *   and that page. Never wrong data, never another error;
 * - inside the header of either file (its CRC-covered bytes): a DATA_CORRUPTION error naming the file and its header.
 *
 * Between attempts every file of the table is restored byte for byte (a node may write a checkpoint on close).
 * Size: AIPERSIST_CORRUPTION_PAGES pages per file (default 32), AIPERSIST_CORRUPTION_SEED (default 1).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VALUE, openNode, RowId, type MvPartitionStorage, type SortedIndexStorage, type StorageNode } from '../../src/interfaces/api/index';
import { H_CRC, H_FIXED_END, H_PAGE_COUNT, headerBytes } from '../../src/infrastructure/store/page-file.layout';
import { SeededRandom, envInt } from '../contract/support/seeded-random';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;
const PAGE_SIZE = 1024;
const TABLE_ID = 21;
const PROFILE = 'durable';
const PAGES_PER_FILE = envInt('AIPERSIST_CORRUPTION_PAGES', 32);
const SEED = envInt('AIPERSIST_CORRUPTION_SEED', 1);

const CONFIG = {
  ignite: {
    storage: {
      engines: { aipersist: { pageSizeBytes: PAGE_SIZE } },
      profiles: [{ engine: 'aipersist', name: PROFILE, sizeBytes: 16 * MiB }],
    },
  },
} as const;
const PK = { id: 1, primary: true, columns: [{ name: 'k', type: 'INT64', nullable: false, asc: true }] } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What was written: per key its RowId and its committed versions, newest first (value null: a delete). */
interface Model {
  readonly rowIds: Map<number, RowId>;
  readonly versions: Map<number, Array<{ readonly value: string | null; readonly ts: bigint }>>;
}

interface Partition {
  readonly mv: MvPartitionStorage;
  readonly pk: SortedIndexStorage;
}

async function openTable(node: StorageNode): Promise<Partition> {
  const table = node.engine('aipersist').createMvTable({ tableId: TABLE_ID, partitions: 1, storageProfile: PROFILE });
  const mv = await table.createMvPartition(0);
  return { mv, pk: table.createSortedIndex(0, PK) };
}

function valueOf(rand: SeededRandom, key: number, round: number): string {
  let s = `k${key}/r${round}/`;
  const length = s.length + 20 + rand.int(rand.chance(0.1) ? 1500 : 250);
  while (s.length < length) s += String.fromCharCode(65 + rand.int(58));
  return s;
}

/** Round 1: 300 inserts. Round 2: updates, deletes, inserts — its pages go to a delta file. Two flushes, a close. */
async function writeData(workDir: string): Promise<Model> {
  const rand = new SeededRandom(SEED);
  const model: Model = { rowIds: new Map(), versions: new Map() };
  const node = await openNode({ workDir, config: CONFIG });
  try {
    const part = await openTable(node);
    const put = (key: number, value: string | null, ts: bigint) => {
      const rowId = model.rowIds.get(key)!;
      const versions = model.versions.get(key) ?? [];
      const live = versions.length > 0 && versions[0]!.value !== null;
      part.mv.addWriteCommitted(rowId, value === null ? null : { schemaVersion: 1, bytes: encoder.encode(JSON.stringify({ key, value })) }, ts);
      if (value !== null && !live) part.pk.put({ key: [BigInt(key)], rowId });
      if (value === null) part.pk.remove({ key: [BigInt(key)], rowId });
      versions.unshift({ value, ts });
      model.versions.set(key, versions);
    };
    let ts = node.clock.now();
    part.mv.runConsistently(() => {
      for (let key = 1; key <= 300; key++) {
        model.rowIds.set(key, new RowId(0, rand.long(), rand.long()));
        put(key, valueOf(rand, key, 1), ts);
      }
    });
    await part.mv.flush(true);
    ts = node.clock.now();
    part.mv.runConsistently(() => {
      for (let key = 1; key <= 300; key++) {
        if (rand.chance(0.12)) put(key, valueOf(rand, key, 2), ts);
        else if (rand.chance(0.04)) put(key, null, ts);
      }
      for (let key = 301; key <= 340; key++) {
        model.rowIds.set(key, new RowId(0, rand.long(), rand.long()));
        put(key, valueOf(rand, key, 2), ts);
      }
    });
    await part.mv.flush(true);
  } finally {
    await node.close();
  }
  return model;
}

/** Everything a reader can see of the partition, as one comparable string per row (and a few totals). */
function readAll(part: Partition): string[] {
  const out: string[] = [];
  const cursor = part.pk.scan(null, null, 0);
  try {
    while (cursor.hasNext()) {
      const { key, rowId } = cursor.next();
      const row = part.mv.read(rowId, MAX_VALUE).binaryRow;
      out.push(`index ${String(key[0])} -> ${row === null ? 'no live row' : decoder.decode(row.bytes)}`);
      const versions: string[] = [];
      const vc = part.mv.scanVersions(rowId);
      try {
        while (vc.hasNext()) {
          const v = vc.next();
          versions.push(v.binaryRow === null ? 'tombstone' : decoder.decode(v.binaryRow.bytes));
        }
      } finally {
        vc.close();
      }
      out.push(`versions of ${String(key[0])}: ${versions.join(' | ')}`);
    }
  } finally {
    cursor.close();
  }
  let rows = 0;
  for (const r of part.mv.scan(MAX_VALUE)) {
    rows++;
    out.push(`scan ${r.rowId.toString()} -> ${r.binaryRow === null ? 'null' : decoder.decode(r.binaryRow.bytes)}`);
  }
  out.push(`rows ${rows}, estimatedSize ${part.mv.estimatedSize()}`);
  const gc = part.mv.peek(MAX_VALUE, 1_000_000).map((e) => `gc ${e.rowId.toString()} @ ${e.timestamp}`);
  out.push(...gc.sort());
  return out;
}

/** readAll's result for the model. */
function expectedView(model: Model): string[] {
  const out: string[] = [];
  const rowKey = new Map<string, number>();
  const live = [...model.versions.entries()].filter(([, v]) => v[0]!.value !== null).sort((a, b) => a[0] - b[0]);
  const row = (key: number, value: string) => JSON.stringify({ key, value });
  for (const [key, versions] of live) {
    out.push(`index ${key} -> ${row(key, versions[0]!.value!)}`);
    out.push(`versions of ${key}: ${versions.map((v) => (v.value === null ? 'tombstone' : row(key, v.value))).join(' | ')}`);
    rowKey.set(model.rowIds.get(key)!.toString(), key);
  }
  const byRowId = live.map(([key]) => model.rowIds.get(key)!).sort((a, b) => a.compareTo(b));
  for (const id of byRowId) {
    const key = rowKey.get(id.toString())!;
    out.push(`scan ${id.toString()} -> ${row(key, model.versions.get(key)![0]!.value!)}`);
  }
  out.push(`rows ${live.length}, estimatedSize ${live.length}`);
  // The GC queue: every committed version with older versions under it.
  const gc: string[] = [];
  for (const [key, versions] of model.versions) {
    for (let i = 0; i < versions.length - 1; i++) gc.push(`gc ${model.rowIds.get(key)!.toString()} @ ${versions[i]!.ts}`);
  }
  out.push(...gc.sort());
  return out;
}

type Attempt = { readonly kind: 'data'; readonly view: string[] } | { readonly kind: 'error'; readonly error: unknown };

/** A new node on the work dir reads everything; whatever it throws (open, read or close) is the outcome. */
async function attempt(workDir: string): Promise<Attempt> {
  let node: StorageNode | null = null;
  let outcome: Attempt;
  try {
    node = await openNode({ workDir, config: CONFIG });
    outcome = { kind: 'data', view: readAll(await openTable(node)) };
  } catch (e) {
    outcome = { kind: 'error', error: e };
  }
  try {
    await node?.close();
  } catch (e) {
    if (outcome.kind === 'data') outcome = { kind: 'error', error: e };
  }
  return outcome;
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return `a non-Error ${String(e)}`;
  const code = (e as { code?: unknown }).code;
  return `${e.constructor.name}${code === undefined ? '' : ` (${String(code)})`}: ${e.message}`;
}

/** The table's files, byte for byte, to restore after each attempt. */
class TableFiles {
  readonly #files = new Map<string, Buffer>();

  constructor(readonly dir: string) {
    for (const name of readdirSync(dir)) this.#files.set(name, readFileSync(join(dir, name)));
  }

  names(): string[] {
    return [...this.#files.keys()];
  }

  bytes(name: string): Buffer {
    return this.#files.get(name)!;
  }

  /** Writes `name` with one bit flipped at byte `offset`. */
  flip(name: string, offset: number, bit: number): void {
    const damaged = Buffer.from(this.#files.get(name)!);
    damaged[offset] = damaged[offset]! ^ (1 << bit);
    writeFileSync(join(this.dir, name), damaged);
  }

  restore(): void {
    for (const name of readdirSync(this.dir)) if (!this.#files.has(name)) rmSync(join(this.dir, name), { force: true });
    for (const [name, bytes] of this.#files) writeFileSync(join(this.dir, name), bytes);
  }
}

/** `count` distinct integers of [0, n), always including the first and the last, the rest at random. */
function sample(rand: SeededRandom, n: number, count: number): number[] {
  const chosen = new Set<number>([0, n - 1]);
  while (chosen.size < Math.min(count, n)) chosen.add(rand.int(n));
  return [...chosen].sort((a, b) => a - b);
}

describe('aipersist with damaged files', () => {
  let dir: { path: string; cleanup(): void };
  let files: TableFiles;
  let expected: string[];
  let mainName: string;
  let deltaName: string;
  const rand = new SeededRandom(SEED * 31 + 7);

  beforeAll(async () => {
    dir = tempDir('aistorage-corruption-');
    const model = await writeData(dir.path);
    expected = expectedView(model);
    files = new TableFiles(join(dir.path, 'db', `table-${TABLE_ID}`));
    const names = files.names();
    mainName = 'part-0.bin';
    const deltas = names.filter((n) => /^part-0-delta-\d+\.bin$/.test(n));
    expect(names).toContain(mainName);
    expect(deltas, `the table's files: ${names.join(', ')}`).toHaveLength(1);
    deltaName = deltas[0]!;
  });
  afterAll(() => dir?.cleanup());

  it('reads back exactly what was written from the undamaged files', async () => {
    const got = await attempt(dir.path);
    expect(got.kind === 'error' ? describeError(got.error) : 'data').toBe('data');
    expect((got as { view: string[] }).view).toEqual(expected);
    files.restore();
  });

  /**
   * Flips one bit inside each sampled page and checks the outcome. `pages` lists [page index, byte offset of its
   * image in the file]; returns how many attempts failed as DATA_CORRUPTION and how many read correct data.
   */
  async function damagePages(file: string, pages: ReadonlyArray<readonly [index: number, offset: number]>, mustBeFound: (index: number) => boolean):
    Promise<{ corrupt: number; intact: number; failures: string[] }> {
    const path = join(files.dir, file);
    let corrupt = 0;
    let intact = 0;
    const failures: string[] = [];
    for (const [index, offset] of pages) {
      const byte = offset + rand.int(PAGE_SIZE);
      const bit = rand.int(8);
      files.flip(file, byte, bit);
      const what = `${file} page ${index}: bit ${bit} of byte ${byte}`;
      try {
        const got = await attempt(dir.path);
        if (got.kind === 'data') {
          if (JSON.stringify(got.view) !== JSON.stringify(expected)) {
            failures.push(`${what}: WRONG DATA read without an error (first difference: ${firstDifference(expected, got.view)})`);
          } else if (mustBeFound(index)) {
            failures.push(`${what}: a reader reads this page, yet reading everything reported no corruption`);
          } else intact++;
          continue;
        }
        const e = got.error;
        const code = (e as { code?: unknown } | null)?.code;
        const message = e instanceof Error ? e.message : String(e);
        if (code !== 'DATA_CORRUPTION') failures.push(`${what}: threw an error that is not DATA_CORRUPTION: ${describeError(e)}`);
        else if (!message.includes(path)) failures.push(`${what}: the DATA_CORRUPTION error does not name the file ${path}: ${message}`);
        else if (!new RegExp(`\\bpage ${index}\\b`).test(message)) failures.push(`${what}: the DATA_CORRUPTION error does not name page ${index}: ${message}`);
        else corrupt++;
      } finally {
        files.restore();
      }
    }
    return { corrupt, intact, failures };
  }

  it('a flipped bit in a page of the main file: DATA_CORRUPTION naming the file and the page, or the exact data', async () => {
    const slots = Math.floor(files.bytes(mainName).length / PAGE_SIZE) - 1;
    expect(slots).toBeGreaterThan(40);
    // Every page of this partition is in use (nothing was freed), so a full read reads each page index 1.. once — from
    // the delta file when it holds the index, else from the main file: those main-file pages must be found damaged.
    // Half the sample is of those, half of pages the delta file supersedes (and page 0, never used).
    const inDelta = new Set(deltaIndexes(files.bytes(deltaName)));
    const all = Array.from({ length: slots }, (_, i) => i);
    const read = all.filter((i) => i > 0 && !inDelta.has(i));
    const superseded = all.filter((i) => i === 0 || inDelta.has(i));
    const half = Math.ceil(PAGES_PER_FILE / 2);
    const pages = [...sample(rand, read.length, half).map((j) => read[j]!), ...sample(rand, superseded.length, half).map((j) => superseded[j]!)]
      .sort((a, b) => a - b).map((i) => [i, (i + 1) * PAGE_SIZE] as const);
    const { corrupt, intact, failures } = await damagePages(mainName, pages, (i) => i > 0 && !inDelta.has(i));
    // Pages superseded by the delta file, or not read by a reader, give the exact data.
    console.log(`${mainName}: ${slots} pages, ${pages.length} damaged one at a time: ${corrupt} DATA_CORRUPTION, ${intact} exact data`);
    expect(failures).toEqual([]);
    expect(corrupt, 'no damaged page was ever read').toBeGreaterThan(0);
    expect(intact, 'no damaged page was superseded by the delta file').toBeGreaterThan(0);
  });

  it('a flipped bit in a page of the delta file: DATA_CORRUPTION naming the file and the page, or the exact data', async () => {
    const bytes = files.bytes(deltaName);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = deltaIndexes(bytes).length;
    expect(count).toBeGreaterThan(5);
    const dataStart = headerBytes(count, PAGE_SIZE);
    expect(bytes.length).toBe(dataStart + count * PAGE_SIZE);
    const pages = sample(rand, count, PAGES_PER_FILE).map((slot) => [dv.getUint32(H_FIXED_END + 4 * slot, true), dataStart + slot * PAGE_SIZE] as const);
    const { corrupt, intact, failures } = await damagePages(deltaName, pages, () => true);
    console.log(`${deltaName}: ${count} pages, ${pages.length} damaged one at a time: ${corrupt} DATA_CORRUPTION, ${intact} exact data`);
    // A delta file holds the newest image of each of its pages, each of them read by a full read.
    expect(failures).toEqual([]);
    expect(corrupt).toBe(pages.length);
  });

  it('a flipped bit in a file header: DATA_CORRUPTION naming the file and its header', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const file of [mainName, deltaName]) {
      const bytes = files.bytes(file);
      const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(H_PAGE_COUNT, true);
      const used = H_FIXED_END + 4 * count;
      // Every byte of the fixed fields (crc included), and a sample of the delta's page index list.
      const offsets = [...Array.from({ length: H_FIXED_END }, (_, i) => i), ...(count > 0 ? sample(rand, used - H_FIXED_END, 8).map((i) => H_FIXED_END + i) : [])];
      expect(offsets).toContain(H_CRC);
      const path = join(files.dir, file);
      for (const offset of offsets) {
        const bit = rand.int(8);
        files.flip(file, offset, bit);
        tried++;
        const what = `${file} header: bit ${bit} of byte ${offset}`;
        try {
          const got = await attempt(dir.path);
          if (got.kind === 'data') {
            failures.push(`${what}: read ${JSON.stringify(got.view) === JSON.stringify(expected) ? 'the exact data' : 'WRONG DATA'} without an error`);
            continue;
          }
          const e = got.error;
          const message = e instanceof Error ? e.message : String(e);
          if ((e as { code?: unknown } | null)?.code !== 'DATA_CORRUPTION') failures.push(`${what}: threw an error that is not DATA_CORRUPTION: ${describeError(e)}`);
          else if (!message.includes(path) || !/header/.test(message)) failures.push(`${what}: the error does not name ${path} and its header: ${message}`);
        } finally {
          files.restore();
        }
      }
    }
    expect(failures.slice(0, 20), `${failures.length} of ${tried} header flips`).toEqual([]);
  });
});

/** The page indexes a delta file holds (its header's index list). */
function deltaIndexes(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: dv.getUint32(H_PAGE_COUNT, true) }, (_, i) => dv.getUint32(H_FIXED_END + 4 * i, true));
}

function firstDifference(a: readonly string[], b: readonly string[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i}: expected ${JSON.stringify(a[i]?.slice(0, 120))}, got ${JSON.stringify(b[i]?.slice(0, 120))}`;
  }
  return 'none';
}
