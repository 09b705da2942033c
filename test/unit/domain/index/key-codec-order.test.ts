import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareByteArrays } from '../../../../src/domain/index/byte-compare';
import { KeyEncoder } from '../../../../src/domain/index/key-codec';
import { KeyDecoder } from '../../../../src/domain/index/key-decoder';
import type { SortedIndexColumn } from '../../../../src/domain/storage/index-descriptors';
import { expectEqual, expectSame } from '../../../support/fast-expect';
import { columnOrder, FC, sign, typeModels } from './key-models';

const ORDERS = [
  { asc: true, nullsFirst: undefined },
  { asc: false, nullsFirst: undefined },
  { asc: true, nullsFirst: false },
  { asc: false, nullsFirst: true },
] as const;

/** Values with a few repeats, so that equal pairs are compared too. */
const withRepeats = <T>(arb: fc.Arbitrary<T>) =>
  fc.array(arb, { minLength: 2, maxLength: 10 }).map((xs) => [...xs, xs[0]!, xs[xs.length - 1]!]);

describe('single-column keys: byte order equals the natural order of DESIGN §6.1', () => {
  for (const model of typeModels()) {
    const label = `${model.type}${model.extra?.scale !== undefined ? `(${model.extra.precision}, ${model.extra.scale})` : ''}`;
    for (const o of ORDERS) {
      const nullsFirst = o.nullsFirst ?? o.asc;
      it(`${label} ${o.asc ? 'ASC' : 'DESC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`, () => {
        const column: SortedIndexColumn = { name: 'c', type: model.type, nullable: true, asc: o.asc, ...(o.nullsFirst === undefined ? {} : { nullsFirst: o.nullsFirst }), ...model.extra };
        const enc = new KeyEncoder([column]);
        const dec = new KeyDecoder([column]);
        const natural = columnOrder(model.compare, o.asc, nullsFirst);
        fc.assert(fc.property(withRepeats(fc.option(model.arb, { nil: null, freq: 6 })), (values) => {
          const keys = values.map((v) => enc.copy(enc.encode([v])));
          for (let i = 0; i < values.length; i++) {
            expectEqual(dec.decode(keys[i]!, 0, keys[i]!.length), [values[i] === null ? null : model.canonical(values[i])]);
            for (let j = 0; j < values.length; j++) {
              const got = sign(compareByteArrays(keys[i]!, keys[j]!));
              if (got !== sign(natural(values[i], values[j]))) {
                throw new Error(`order of ${String(values[i])} vs ${String(values[j])}: bytes say ${got}`);
              }
            }
          }
        }), FC);
      });
    }
  }
});

describe('multi-column keys: lexicographic over columns', () => {
  const models = new Map(typeModels().map((m) => [m.type, m]));
  const layouts: { name: string; columns: SortedIndexColumn[] }[] = [
    {
      name: 'STRING ASC, INT32 DESC',
      columns: [
        { name: 's', type: 'STRING', nullable: true, asc: true },
        { name: 'i', type: 'INT32', nullable: true, asc: false },
      ],
    },
    {
      name: 'BYTES DESC nulls first, STRING ASC nulls last, BOOLEAN',
      columns: [
        { name: 'b', type: 'BYTES', nullable: true, asc: false, nullsFirst: true },
        { name: 's', type: 'STRING', nullable: true, asc: true, nullsFirst: false },
        { name: 'f', type: 'BOOLEAN', nullable: false, asc: true },
      ],
    },
    {
      name: 'DECIMAL ASC, UUID DESC, DOUBLE ASC',
      columns: [
        { name: 'd', type: 'DECIMAL', nullable: true, asc: true },
        { name: 'u', type: 'UUID', nullable: false, asc: false },
        { name: 'x', type: 'DOUBLE', nullable: true, asc: true },
      ],
    },
    {
      name: 'DATETIME DESC, TIME ASC, INT64 DESC',
      columns: [
        { name: 'dt', type: 'DATETIME', nullable: true, asc: false },
        { name: 't', type: 'TIME', nullable: true, asc: true },
        { name: 'l', type: 'INT64', nullable: false, asc: false },
      ],
    },
  ];
  for (const layout of layouts) {
    it(layout.name, () => {
      const parts = layout.columns.map((c) => {
        const m = models.get(c.type)!;
        // Small domains make equal first columns frequent, so later columns decide often.
        const small = fc.array(m.arb, { minLength: 1, maxLength: 3 });
        return { m, c, small };
      });
      const keyArb = fc.tuple(...parts.map((p) => p.small)).chain((domains) =>
        fc.array(fc.tuple(...domains.map((d, i) => (parts[i]!.c.nullable
          ? fc.option(fc.constantFrom(...d), { nil: null, freq: 4 })
          : fc.constantFrom(...d)))), { minLength: 2, maxLength: 12 }));
      const orders = parts.map((p) => columnOrder(p.m.compare, p.c.asc, p.c.nullsFirst ?? p.c.asc));
      const natural = (a: unknown[], b: unknown[]) => {
        for (let i = 0; i < orders.length; i++) {
          const r = orders[i]!(a[i], b[i]);
          if (r !== 0) return r;
        }
        return 0;
      };
      const enc = new KeyEncoder(layout.columns);
      const dec = new KeyDecoder(layout.columns);
      fc.assert(fc.property(keyArb, (keys) => {
        const bytes = keys.map((k) => enc.copy(enc.encodeFull(k)));
        for (let i = 0; i < keys.length; i++) {
          expectEqual(dec.decode(bytes[i]!, 0, bytes[i]!.length), keys[i]!.map((v, c) => (v === null ? null : parts[c]!.m.canonical(v))));
          for (let j = 0; j < keys.length; j++) {
            expectSame(sign(compareByteArrays(bytes[i]!, bytes[j]!)), sign(natural(keys[i]!, keys[j]!)));
          }
        }
      }), FC);
    });
  }

  it('a variable-length first column does not disturb the second column', () => {
    const cols: SortedIndexColumn[] = [
      { name: 's', type: 'STRING', nullable: false, asc: true },
      { name: 'i', type: 'INT8', nullable: false, asc: true },
    ];
    const enc = new KeyEncoder(cols);
    const k = (s: string, i: number) => enc.copy(enc.encode([s, i]));
    // 'a' < 'a\0' < 'a\u0001' < 'ab' whatever the second column says.
    const sorted = [k('a', 127), k('a\0', -128), k('a\0', 5), k('a\u0001', -128), k('ab', -128), k('b', -128)];
    for (let i = 1; i < sorted.length; i++) expect(compareByteArrays(sorted[i - 1]!, sorted[i]!)).toBeLessThan(0);
    const desc = new KeyEncoder([{ ...cols[0]!, asc: false }, cols[1]!]);
    const d = (s: string, i: number) => desc.copy(desc.encode([s, i]));
    expect(compareByteArrays(d('ab', -128), d('a', 127))).toBeLessThan(0);
    expect(compareByteArrays(d('a', -128), d('a', 127))).toBeLessThan(0);
    expect(compareByteArrays(d('a\0', 127), d('a', -128))).toBeLessThan(0);
  });
});
