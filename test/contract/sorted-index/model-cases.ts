/**
 * Model-based sorted index check: seeded random puts, removes, bounded scans of every mode and interleaved steps of
 * open live cursors, against a sorted array and the live-cursor rules. Size: INDEX_MODEL_OPS (default 1500).
 */
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/domain/shared/errors';
import type { PeekCursor } from '../../../src/domain/storage/cursor';
import { GREATER_OR_EQUAL, type IndexRow, LESS_OR_EQUAL } from '../../../src/domain/storage/index-descriptors';
import { RowId } from '../../../src/domain/storage/row-id';
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

export function describeSortedModelCases(fx: IndexFixture): void {
  const operations = envInt('INDEX_MODEL_OPS', 1500);

  describe('sorted index: random operations against a sorted-array model', () => {
    it.each([1, 2])(`puts, removes, scans and live cursors match the model (seed %i, ${operations} operations)`, (seed) => {
      const rnd = new SeededRandom(seed * 104729);
      const index = fx.sorted([{ type: 'INT32' }, { type: 'STRING', asc: false }]);
      const rowIds = Array.from({ length: 12 }, () => new RowId(IX_PARTITION, rnd.long(), rnd.long()));
      let model: Entry[] = [];
      const cursors: ModelCursor[] = [];
      const ints = [null, 0, 1, 2, 3, 4, 5];
      const strings = [null, 'a', 'b', 'c'];
      const randomKey = (): unknown[] => [rnd.pick(ints), rnd.pick(strings)];
      const randomBound = (): unknown[] | null => {
        if (rnd.chance(0.25)) return null;
        const first = rnd.pick([...ints, -1, 6]);
        return rnd.chance(0.5) ? [first] : [first, rnd.pick([...strings, '', 'd'])];
      };
      const log: string[] = [];
      const context = () => `seed ${seed}; last steps:\n  ${log.slice(-10).join('\n  ')}`;

      for (let op = 0; op < operations; op++) {
        const p = rnd.next();
        if (p < 0.4) {
          const e = { key: randomKey(), rowId: rnd.pick(rowIds) };
          fx.put(index, e.key, e.rowId);
          if (!model.some((x) => compareEntries(x, e) === 0)) model = [...model, e].sort(compareEntries);
          log.push(`put ${show(e)}`);
        } else if (p < 0.6) {
          const e = model.length > 0 && rnd.chance(0.85) ? rnd.pick(model) : { key: randomKey(), rowId: rnd.pick(rowIds) };
          fx.remove(index, e.key, e.rowId);
          model = model.filter((x) => compareEntries(x, e) !== 0);
          log.push(`remove ${show(e)}`);
        } else if (p < 0.7) {
          const bounds = new Bounds(randomBound(), randomBound(), rnd.int(4));
          const mode = rnd.pick(SCAN_MODES);
          const expected = model.filter((e) => bounds.afterLower(e) && bounds.beforeUpper(e)).map(show);
          const what = `${mode}(${JSON.stringify(bounds.lower)}, ${JSON.stringify(bounds.upper)}, ${bounds.flags})`;
          expect(fx.scan(index, mode, bounds.lower, bounds.upper, bounds.flags).map(show), `${what}\n${context()}`).toEqual(expected);
          log.push(what);
        } else if (cursors.length < 2 && rnd.chance(0.3)) {
          const bounds = new Bounds(randomBound(), randomBound(), rnd.int(4));
          const real = index[rnd.chance(0.5) ? 'scan' : 'tolerantScan'](bounds.lower, bounds.upper, bounds.flags);
          cursors.push(new ModelCursor(real, bounds, () => model));
          log.push(`open cursor ${cursors.length - 1} (${JSON.stringify(bounds.lower)}, ${JSON.stringify(bounds.upper)}, ${bounds.flags})`);
        } else if (cursors.length > 0) {
          const i = rnd.int(cursors.length);
          const c = cursors[i]!;
          const action = rnd.pick(['hasNext', 'next', 'peek', 'peek', 'next', 'close'] as const);
          log.push(`cursor ${i}: ${action}`);
          if (action === 'hasNext') expect(c.real.hasNext(), context()).toBe(c.hasNext());
          if (action === 'peek') expect(show(c.real.peek()), context()).toBe(show(c.peek()));
          if (action === 'next') {
            const e = c.next();
            if (e === null) expectThrows(() => c.real.next(), StorageError, 'NO_SUCH_ELEMENT', context());
            else expect(show(c.real.next()), context()).toBe(show(e));
          }
          if (action === 'close') {
            c.real.close();
            cursors.splice(i, 1);
          }
        }
      }
      for (const c of cursors) c.real.close();
      expect(fx.scan(index, 'scan').map(show)).toEqual(model.map(show));
    });
  });
}
