/**
 * The HashIndexStorage contract (DESIGN.md §6, §6.1; after Apache Ignite 3's AbstractHashIndexStorageTest and
 * AbstractIndexStorageTest): get / put / remove by full key, for every column type, null keys, long keys.
 *
 * When IndexNotBuiltError applies: a secondary index is created "being built" (nextRowIdToBuild =
 * RowId.lowest(partition)) and stays so until setNextRowIdToBuild(null); meanwhile get() throws IndexNotBuiltError,
 * while put(), remove() and the nextRowIdToBuild accessors work. A primary index (descriptor.primary) is built from
 * the start. StorageRebalanceError wins over IndexNotBuiltError (see mv-table-storage.contract.ts).
 *
 * Keys are equal when every column value is the same key value in the sorted-index sense ('1.5' = '1.50', -0 = 0,
 * NaN = NaN); get() returns the RowIds of that key in no particular order.
 */
import { describe, expect, it } from 'vitest';
import type { ContractFactory, ContractSupports } from './contract-factory';
import { describeCommonIndexCases } from './index-common/common-cases';
import { describeLongKeyCases } from './index-common/long-key-cases';
import { useIndexFixture } from './support/index-fixture';
import { SeededRandom } from './support/seeded-random';

export function describeHashIndexContract(name: string, factory: ContractFactory, supports: ContractSupports = {}): void {
  describe(`${name}: HashIndexStorage contract`, () => {
    const fx = useIndexFixture(factory, supports);
    describeCommonIndexCases(fx, 'hash');
    describeLongKeyCases(fx, 'hash');

    describe('hash index: keys', () => {
      it('keys equal in all columns but one are different keys', () => {
        const index = fx.hash(['INT32', 'STRING', 'BOOLEAN']);
        const keys = [[1, 'a', true], [1, 'a', false], [1, 'b', true], [2, 'a', true], [null, 'a', true], [1, null, true], [1, 'a', null]];
        const entries = keys.map((k) => fx.put(index, k));
        for (const e of entries) expect(fx.get(index, e.key), JSON.stringify(e.key)).toEqual([e.rowId.toString()]);
      });

      it('-0 and 0 are one DOUBLE key; NaN finds NaN; Infinity is not NaN', () => {
        const index = fx.hash(['DOUBLE']);
        const [neg, nan] = [fx.put(index, [-0]), fx.put(index, [NaN])];
        expect(fx.get(index, [0])).toEqual([neg.rowId.toString()]);
        expect(fx.get(index, [0 / 0])).toEqual([nan.rowId.toString()]);
        expect(fx.get(index, [Infinity])).toEqual([]);
      });

      it('many keys with several RowIds each, put and removed in random order', () => {
        const index = fx.hash(['INT64', 'STRING']);
        const rnd = new SeededRandom(17);
        const entries = Array.from({ length: 1500 }, (_, i) => fx.put(index, [BigInt(i % 500), `v${i % 3}`]));
        const removed = new Set(entries.filter(() => rnd.chance(0.4)));
        for (const e of removed) fx.remove(index, e.key, e.rowId);
        for (let i = 0; i < 500; i++) {
          for (let s = 0; s < 3; s++) {
            const key = [BigInt(i), `v${s}`];
            const expected = entries.filter((e, n) => n % 500 === i && n % 3 === s && !removed.has(e)).map((e) => e.rowId.toString()).sort();
            expect([...fx.get(index, key)].sort(), JSON.stringify([i, s])).toEqual(expected);
          }
        }
      });
    });
  });
}
