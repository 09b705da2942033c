/**
 * Live sorted-index cursors over long keys (inline boundary, several pages) while entries come and go — including
 * the entry a cursor returned last, whose overflow row is freed by its removal: seeded runs of puts, removes and
 * cursor steps (hasNext / next / peek, bounded cursors) against a sorted-array model with the live-cursor rules of
 * DESIGN §6.1, on the test harness at 1 KiB and 16 KiB pages. Size: INDEX_CURSOR_OPS (default 1200).
 */
import { describe, expect, it } from 'vitest';
import { compareByteArrays } from '../../../../../src/domain/index/byte-compare';
import { GREATER_OR_EQUAL, type IndexRow, LESS_OR_EQUAL } from '../../../../../src/domain/storage/index-descriptors';
import type { PeekCursor } from '../../../../../src/domain/storage/cursor';
import { RowId } from '../../../../../src/domain/storage/row-id';
import { PageIndexHarnessEngine } from '../../../../support/page-index-harness';

const P = 1;
const OPS = Number(process.env.INDEX_CURSOR_OPS ?? 1200);
const utf8 = new TextEncoder();

interface Entry {
  readonly key: string;
  readonly rowId: RowId;
}

const compareEntries = (a: Entry, b: Entry): number => compareByteArrays(utf8.encode(a.key), utf8.encode(b.key)) || a.rowId.compareTo(b.rowId);
const show = (e: Entry | IndexRow | null): string | null => (e === null ? null : `${String(e.key instanceof Array ? e.key[0] : e.key).length}:${String(e.key instanceof Array ? e.key[0] : e.key).slice(-6)}/${e.rowId}`);

/** The live-cursor rules over the model (as the reference engine). */
class ModelCursor {
  #last: Entry | null = null;
  #cached: Entry | null | undefined = undefined;
  #peeked: Entry | null | undefined = undefined;

  constructor(readonly real: PeekCursor<IndexRow>, private readonly lower: string | null, private readonly upper: string | null, private readonly entries: () => Entry[]) {}

  #fetch(): Entry | null {
    const e = this.entries().find((x) => (this.#last === null || compareEntries(x, this.#last) > 0)
      && (this.lower === null || compareEntries(x, { key: this.lower, rowId: RowId.lowest(P) }) >= 0));
    return e !== undefined && (this.upper === null || compareByteArrays(utf8.encode(e.key), utf8.encode(this.upper)) <= 0) ? e : null;
  }

  peek(): Entry | null {
    if (this.#cached !== undefined) return this.#cached;
    this.#peeked = this.#fetch();
    return this.#peeked;
  }

  hasNext(): boolean {
    if (this.#cached === undefined) {
      this.#cached = this.#peeked !== undefined ? this.#peeked : this.#fetch();
      this.#peeked = undefined;
    }
    return this.#cached !== null;
  }

  next(): Entry | null {
    if (!this.hasNext()) return null;
    const e = this.#cached!;
    this.#last = e;
    this.#cached = undefined;
    return e;
  }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each([1024, 16384])('live cursors over long keys at %i-byte pages', (pageSize) => {
  it(`${OPS} random puts, removes and cursor steps match the model`, async () => {
    const engine = new PageIndexHarnessEngine(pageSize);
    const table = engine.createMvTable({ tableId: 3, partitions: 2, storageProfile: 'x' });
    const partition = await table.createMvPartition(P);
    const index = table.createSortedIndex(P, { id: 5, columns: [{ name: 's', type: 'STRING', nullable: false, asc: true }] });
    partition.runConsistently(() => index.setNextRowIdToBuild(null));
    const rnd = seeded(pageSize + 7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const stems = ['', 'm'.repeat(88), 'm'.repeat(92), 'm'.repeat(190), 'm'.repeat(196), 'm'.repeat(pageSize * 2)];
    const keys = stems.flatMap((s) => ['a', 'b', 'c'].map((x) => s + x));
    const rowIds = Array.from({ length: 6 }, (_, i) => new RowId(P, BigInt(i) - 3n, BigInt(i * 7)));
    let model: Entry[] = [];
    const cursors: ModelCursor[] = [];
    for (let op = 0; op < OPS; op++) {
      const p = rnd();
      const where = `op ${op}`;
      if (p < 0.35) {
        const e = { key: pick(keys), rowId: pick(rowIds) };
        partition.runConsistently(() => index.put({ key: [e.key], rowId: e.rowId }));
        if (!model.some((x) => compareEntries(x, e) === 0)) model = [...model, e].sort(compareEntries);
      } else if (p < 0.6) {
        const e = model.length > 0 && rnd() < 0.8 ? pick(model) : { key: pick(keys), rowId: pick(rowIds) };
        partition.runConsistently(() => index.remove({ key: [e.key], rowId: e.rowId }));
        model = model.filter((x) => compareEntries(x, e) !== 0);
      } else if (cursors.length < 3 && rnd() < 0.25) {
        const lower = rnd() < 0.5 ? null : pick(keys);
        const upper = rnd() < 0.5 ? null : pick(keys);
        const real = index.scan(lower === null ? null : [lower], upper === null ? null : [upper], GREATER_OR_EQUAL | LESS_OR_EQUAL);
        cursors.push(new ModelCursor(real, lower, upper, () => model));
      } else if (cursors.length > 0) {
        const i = Math.floor(rnd() * cursors.length);
        const c = cursors[i]!;
        const action = pick(['hasNext', 'next', 'next', 'peek', 'close'] as const);
        if (action === 'hasNext') expect(c.real.hasNext(), where).toBe(c.hasNext());
        if (action === 'peek') expect(show(c.real.peek()), where).toBe(show(c.peek()));
        if (action === 'next') {
          const e = c.next();
          if (e === null) expect(() => c.real.next(), where).toThrow();
          else expect(show(c.real.next()), where).toBe(show(e));
        }
        if (action === 'close') {
          c.real.close();
          cursors.splice(i, 1);
        }
      }
    }
    for (const c of cursors) c.real.close();
    expect([...index.scan(null, null, 0)].map(show)).toEqual(model.map(show));
    await engine.close();
  });
});
