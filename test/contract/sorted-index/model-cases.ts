/**
 * Model-based sorted index check: seeded random puts, removes, bounded scans of every mode and interleaved steps of
 * open live cursors, against a sorted array and the live-cursor rules. Size: INDEX_MODEL_OPS (default 1500).
 */
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/domain/shared/errors';
import type { PeekCursor } from '../../../src/domain/storage/cursor';
import { GREATER_OR_EQUAL, type IndexRow, LESS_OR_EQUAL } from '../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../src/domain/storage/row-id';
import type { SortedIndexStorage } from '../../../src/domain/storage/storage-engine.api';
import { expectThrows } from '../support/expect-errors';
import { IX_PARTITION, type IndexFixture, SCAN_MODES } from '../support/index-fixture';
import { envInt, SeededRandom } from '../support/seeded-random';

interface Entry {
  readonly key: readonly unknown[];
  readonly rowId: RowId;
}

/** Order of the model index: INT32 ascending, nulls first; then STRING descending, nulls last. */
function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (i === 0) return x === null ? -1 : y === null ? 1 : (x as number) - (y as number);
    return x === null ? 1 : y === null ? -1 : (x as string) < (y as string) ? 1 : -1;
  }
  return 0;
}

const compareEntries = (a: Entry, b: Entry): number => compareKeys(a.key, b.key) || a.rowId.compareTo(b.rowId);
const show = (e: Entry | IndexRow | null): string | null => (e === null ? null : `${JSON.stringify(e.key)}/${e.rowId}`);

class Bounds {
  constructor(readonly lower: unknown[] | null, readonly upper: unknown[] | null, readonly flags: number) {}

  afterLower(e: Entry): boolean {
    if (this.lower === null) return true;
    const c = compareKeys(e.key, this.lower);
    return (this.flags & GREATER_OR_EQUAL) !== 0 ? c >= 0 : c > 0;
  }

  beforeUpper(e: Entry): boolean {
    if (this.upper === null) return true;
    const c = compareKeys(e.key, this.upper);
    return (this.flags & LESS_OR_EQUAL) !== 0 ? c <= 0 : c < 0;
  }
}

/** The live-cursor rules over the model's entries. */
class ModelCursor {
  #last: Entry | null = null;
  #cached: Entry | null | undefined = undefined;
  #peeked: Entry | null | undefined = undefined;

  constructor(readonly real: PeekCursor<IndexRow>, private readonly bounds: Bounds, private readonly entries: () => Entry[]) {}

  #fetch(): Entry | null {
    const e = this.entries().find((x) => (this.#last === null || compareEntries(x, this.#last) > 0) && this.bounds.afterLower(x));
    return e !== undefined && this.bounds.beforeUpper(e) ? e : null;
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

const INTS = [null, 0, 1, 2, 3, 4, 5];
const STRINGS = [null, 'a', 'b', 'c'];

/** One seeded run: the index (INT32 ASC, STRING DESC) and its model side by side. */
class IndexModelRun {
  #model: Entry[] = [];
  readonly #cursors: ModelCursor[] = [];
  readonly #rowIds: RowId[];
  readonly #log: string[] = [];

  constructor(private readonly fx: IndexFixture, private readonly index: SortedIndexStorage, private readonly rnd: SeededRandom) {
    this.#rowIds = Array.from({ length: 12 }, () => new RowId(IX_PARTITION, rnd.long(), rnd.long()));
  }

  run(operations: number): void {
    for (let op = 0; op < operations; op++) {
      const p = this.rnd.next();
      if (p < 0.4) this.#put();
      else if (p < 0.6) this.#remove();
      else if (p < 0.7) this.#scan();
      else if (this.#cursors.length < 2 && this.rnd.chance(0.3)) this.#open();
      else if (this.#cursors.length > 0) this.#step();
    }
    for (const c of this.#cursors) c.real.close();
    expect(this.fx.scan(this.index, 'scan').map(show), this.#context()).toEqual(this.#model.map(show));
  }

  #context(): string {
    return `seed ${this.rnd.seed}; last steps:\n  ${this.#log.slice(-10).join('\n  ')}`;
  }

  #randomEntry(): Entry {
    return { key: [this.rnd.pick(INTS), this.rnd.pick(STRINGS)], rowId: this.rnd.pick(this.#rowIds) };
  }

  #randomBounds(): Bounds {
    const bound = (): unknown[] | null => {
      if (this.rnd.chance(0.25)) return null;
      const first = this.rnd.pick([...INTS, -1, 6]);
      return this.rnd.chance(0.5) ? [first] : [first, this.rnd.pick([...STRINGS, '', 'd'])];
    };
    return new Bounds(bound(), bound(), this.rnd.int(4));
  }

  #put(): void {
    const e = this.#randomEntry();
    this.fx.put(this.index, e.key, e.rowId);
    if (!this.#model.some((x) => compareEntries(x, e) === 0)) this.#model = [...this.#model, e].sort(compareEntries);
    this.#log.push(`put ${show(e)}`);
  }

  #remove(): void {
    const e = this.#model.length > 0 && this.rnd.chance(0.85) ? this.rnd.pick(this.#model) : this.#randomEntry();
    this.fx.remove(this.index, e.key, e.rowId);
    this.#model = this.#model.filter((x) => compareEntries(x, e) !== 0);
    this.#log.push(`remove ${show(e)}`);
  }

  #scan(): void {
    const b = this.#randomBounds();
    const mode = this.rnd.pick(SCAN_MODES);
    const what = `${mode}(${JSON.stringify(b.lower)}, ${JSON.stringify(b.upper)}, ${b.flags})`;
    this.#log.push(what);
    const expected = this.#model.filter((e) => b.afterLower(e) && b.beforeUpper(e)).map(show);
    expect(this.fx.scan(this.index, mode, b.lower, b.upper, b.flags).map(show), `${what}\n${this.#context()}`).toEqual(expected);
  }

  #open(): void {
    const b = this.#randomBounds();
    const real = this.index[this.rnd.chance(0.5) ? 'scan' : 'tolerantScan'](b.lower, b.upper, b.flags);
    this.#cursors.push(new ModelCursor(real, b, () => this.#model));
    this.#log.push(`open cursor ${this.#cursors.length - 1} (${JSON.stringify(b.lower)}, ${JSON.stringify(b.upper)}, ${b.flags})`);
  }

  #step(): void {
    const i = this.rnd.int(this.#cursors.length);
    const c = this.#cursors[i]!;
    const action = this.rnd.pick(['hasNext', 'next', 'peek', 'peek', 'next', 'close'] as const);
    this.#log.push(`cursor ${i}: ${action}`);
    if (action === 'hasNext') expect(c.real.hasNext(), this.#context()).toBe(c.hasNext());
    if (action === 'peek') expect(show(c.real.peek()), this.#context()).toBe(show(c.peek()));
    if (action === 'next') {
      const e = c.next();
      if (e === null) expectThrows(() => c.real.next(), StorageError, 'NO_SUCH_ELEMENT', this.#context());
      else expect(show(c.real.next()), this.#context()).toBe(show(e));
    }
    if (action === 'close') {
      c.real.close();
      this.#cursors.splice(i, 1);
    }
  }
}

export function describeSortedModelCases(fx: IndexFixture): void {
  const operations = envInt('INDEX_MODEL_OPS', 1500);

  describe('sorted index: random operations against a sorted-array model', () => {
    it.each([1, 2])(`puts, removes, scans and live cursors match the model (seed %i, ${operations} operations)`, (seed) => {
      const index = fx.sorted([{ type: 'INT32' }, { type: 'STRING', asc: false }]);
      new IndexModelRun(fx, index, new SeededRandom(seed * 104729)).run(operations);
    });
  });
}
