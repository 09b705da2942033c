/**
 * Argument values of the public-API fuzz test: for each parameter a pool of valid values and the shared pool of
 * garbage (wrong types, out-of-range numbers, objects without a prototype, symbols, functions, RowIds of other
 * partitions). `Picks` turns the fast-check-generated numbers of one step into values, so a failing sequence
 * shrinks and replays from its seed.
 */
import {
  MAX_VALUE, MIN_VALUE, RowId,
  type HashIndexDescriptor, type SortedIndexDescriptor,
} from '../../../src/interfaces/api/index';

/** Values no parameter of the SPI accepts (well, almost: `''` is a valid key column value, null a tombstone). */
export const GARBAGE: readonly unknown[] = [
  null, undefined, 0, -1, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 53, 2 ** 64, 'x', '', '0', true, {}, [], [null],
  Object.create(null), { toString: () => { throw new Error('toString'); } }, Symbol('fuzz'), () => 1, async () => 1,
  -1n, 0n, 2n ** 64n, -(2n ** 70n), new Uint8Array(3), new Date(0), new RowId(7, 1n, 1n), RowId.random(3),
];

export const PARTITIONS = 2;
export const TX_IDS = ['00000000-0000-4000-8000-000000000001', 'ffffffff-0000-4000-8000-00000000000f'];
export const TIMESTAMPS: readonly bigint[] = [MIN_VALUE, 10n, 20n, 30n, 40n, 1000n, MAX_VALUE];
export const ROW_IDS: readonly RowId[] = [
  RowId.lowest(0), new RowId(0, 1n, 1n), new RowId(0, -5n, 9n), RowId.highest(0), new RowId(1, 3n, -3n), new RowId(1, 4n, 4n),
];
export const ROWS: readonly unknown[] = [
  { schemaVersion: 1, bytes: new Uint8Array([1, 2, 3]) }, { schemaVersion: 2, bytes: new Uint8Array(0) }, null,
  { schemaVersion: -7, bytes: new Uint8Array(300).fill(7) },
];
export const BAD_ROWS: readonly unknown[] = [
  { schemaVersion: 1.5, bytes: new Uint8Array(1) }, { schemaVersion: 1, bytes: [1, 2] }, { schemaVersion: 2 ** 40, bytes: new Uint8Array(1) },
  { bytes: new Uint8Array(1) }, { schemaVersion: 1 },
];
export const SORTED_INDEX: SortedIndexDescriptor = {
  id: 1, columns: [{ name: 'a', type: 'INT32', nullable: true, asc: true }, { name: 's', type: 'STRING', nullable: true, asc: false, length: 3 }],
};
export const HASH_INDEX: HashIndexDescriptor = { id: 2, columns: [{ name: 'a', type: 'INT32', nullable: false }] };
export const INDEX_IDS = [1, 2, 3];
export const BAD_DESCRIPTORS: readonly unknown[] = [
  { id: 3 }, { id: 3, columns: [] }, { id: -1, columns: HASH_INDEX.columns }, { id: 1.5, columns: HASH_INDEX.columns },
  { id: 3, columns: [null] }, { id: 3, columns: [{ type: 'INT32', nullable: true }] }, { id: 3, columns: [{ name: 'a', type: 'NOPE', nullable: true }] },
  { id: 3, columns: [{ name: 's', type: 'STRING', nullable: true, length: 1.5 }] },
  { id: 3, columns: [{ name: 'd', type: 'DECIMAL', nullable: true, precision: 3, scale: 4 }] },
  { id: 3, columns: [{ name: 'a', type: 'INT32', nullable: 'yes' }] },
];
export const KEYS: readonly unknown[] = [[1, 'ab'], [2, 'abc'], [null, null], [3, 'é😀x'], [1], [2], [-5]];
export const BAD_KEYS: readonly unknown[] = [[], [1, 'abcd'], ['x'], [1.5], [1, 2, 3], [2 ** 40], [1, 5], ['1'], [undefined]];
export const BOUNDS: readonly unknown[] = [null, [], [1], [2, 'abc'], [null], [2, 'abcdef']];
export const FLAGS = [0, 1, 2, 3, 7];
export const COUNTS = [0, 1, 3, 100, -1];
export const APPLIED = [0, 1, 5, -1, 2 ** 40];
export const GROUP_CONFIGS: readonly unknown[] = [new Uint8Array([1, 2]), new Uint8Array(0)];
export const NODE_IDS = ['00000000-0000-4000-8000-0000000000aa', 'not-a-node-id'];
export const NAMES = ['node-a', ''];

/** Turns one step's generated numbers into argument values: valid from `pool` mostly, garbage one time in five. */
export class Picks {
  #i = 0;

  constructor(private readonly numbers: readonly number[]) {}

  next(): number {
    const n = this.numbers[this.#i % this.numbers.length]!;
    this.#i++;
    return n;
  }

  /** One of `items`. */
  one<T>(items: readonly T[]): T {
    return items[this.next() % items.length]!;
  }

  /** A value of `valid` 17 times in 20, else garbage (or one of `invalid`, when given, half of those times). */
  value(valid: readonly unknown[], invalid: readonly unknown[] = []): unknown {
    const r = this.next() % 20;
    if (r < 3) return r === 0 && invalid.length > 0 ? this.one(invalid) : this.one(GARBAGE);
    return this.one(valid);
  }

  chance(tenths: number): boolean {
    return this.next() % 10 < tenths;
  }
}
