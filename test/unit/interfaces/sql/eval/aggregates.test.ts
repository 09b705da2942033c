/**
 * Aggregates: result types, NULL skipping, empty input (COUNT 0n, others null), DISTINCT, exact sums, AVG fractions.
 */
import { describe, expect, it } from 'vitest';
import type { AggregateCall } from '../../../../../src/interfaces/sql/ast';
import { expressionCompiler } from '../../../../../src/interfaces/sql/eval/compile';
import type { CompiledAggregate, Scope } from '../../../../../src/interfaces/sql/semantics';
import { context, expr, NO_PARAMS } from './eval-fixture';

const SCOPE: Scope = {
  columns: [
    { table: 't', name: 'i', type: 'INT' },
    { table: 't', name: 'big', type: 'BIGINT' },
    { table: 't', name: 'd', type: 'DECIMAL', precision: 10, scale: 2 },
    { table: 't', name: 'f', type: 'DOUBLE' },
    { table: 't', name: 's', type: 'VARCHAR' },
    { table: 't', name: 'day', type: 'DATE' },
  ],
};

function aggregate(text: string): CompiledAggregate {
  return expressionCompiler.compileAggregate(expr(text) as AggregateCall, SCOPE, context());
}

/** The aggregate of `text` over rows: each row's argument evaluated and added, as the executor does. */
function run(text: string, rows: readonly (readonly unknown[])[]): unknown {
  const agg = aggregate(text);
  const acc = agg.accumulator();
  for (const row of rows) acc.add(agg.argument === null ? null : agg.argument.evaluate(row, NO_PARAMS));
  return acc.result();
}

const ROWS = [
  [1, 10n, '1.10', 0.5, 'b', '2026-01-03'],
  [2, 20n, '2.20', 1.5, 'a', '2026-01-01'],
  [null, null, null, null, null, null],
  [2, 9223372036854775807n, '2.20', 1.5, 'c', '2026-01-02'],
];

describe('aggregates', () => {
  it('COUNT(*) counts rows, COUNT(e) non-null values, COUNT(DISTINCT e) distinct ones, as BIGINT', () => {
    expect(run('COUNT(*)', ROWS)).toBe(4n);
    expect(run('COUNT(i)', ROWS)).toBe(3n);
    expect(run('COUNT(DISTINCT i)', ROWS)).toBe(2n);
    expect(run('COUNT(DISTINCT d)', [['1.10'], ['1.1'], ['1.100']].map((r) => [0, 0n, ...r]))).toBe(1n);
    expect(aggregate('COUNT(*)').type).toBe('BIGINT');
    expect(aggregate('COUNT(*)').argument).toBeNull();
  });

  it('gives COUNT 0n and the others null over empty or all-null input', () => {
    for (const rows of [[], [[null, null, null, null, null, null]]]) {
      expect(run('COUNT(*)', [])).toBe(0n);
      expect(run('COUNT(i)', rows)).toBe(0n);
      for (const fn of ['SUM(i)', 'AVG(i)', 'MIN(i)', 'MAX(i)', 'SUM(d)', 'AVG(d)', 'SUM(f)', 'AVG(f)', 'MAX(s)']) {
        expect(run(fn, rows), fn).toBeNull();
      }
    }
  });

  it('SUM of integers is an exact BIGINT; beyond BIGINT is out of range', () => {
    expect(run('SUM(i)', ROWS)).toBe(5n);
    expect(aggregate('SUM(i)').type).toBe('BIGINT');
    expect(run('SUM(DISTINCT i)', ROWS)).toBe(3n);
    expect(run('SUM(big)', ROWS.slice(0, 2))).toBe(30n);
    expect(() => run('SUM(big)', ROWS)).toThrow(/out of range for BIGINT/);
    expect(run('SUM(big)', [[0, 9223372036854775807n], [0, 1n], [0, -2n]])).toBe(9223372036854775806n);
  });

  it('SUM and AVG of integers stay exact across the 2^52 and 2^53 edges, mixing small and large values', () => {
    let state = 12345;
    const rand = (): number => (state = (state * 1103515245 + 12345) % 2147483648);
    const edges = [2n ** 52n - 1n, 2n ** 52n, 2n ** 52n + 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 3n];
    const rows: unknown[][] = [[0, 2n ** 62n]];
    let want = 2n ** 62n;
    for (let k = 0; k < 1000; k++) {
      const r = rand();
      const edge = edges[r % edges.length]!;
      const v = r % 3 === 0 ? edge : r % 3 === 1 ? -edge + BigInt(r % 1000) : BigInt(r) * 4096n;
      rows.push([0, v]);
      want += v;
    }
    expect(run('SUM(big)', rows)).toBe(want);
    expect(run('AVG(big)', rows)).toBe(Number(want) / rows.length);
    const ints = Array.from({ length: 5000 }, (_, k) => [(k % 2 === 0 ? 1 : -1) * 2147483647 + k, 0n]);
    expect(run('SUM(i)', ints)).toBe(ints.reduce((a, r) => a + BigInt(r[0] as number), 0n));
  });

  it('SUM of DECIMAL is an exact DECIMAL; of DOUBLE a DOUBLE', () => {
    expect(run('SUM(d)', ROWS)).toBe('5.50');
    expect([aggregate('SUM(d)').type, aggregate('SUM(d)').scale]).toEqual(['DECIMAL', 2]);
    const tenths = Array.from({ length: 10 }, () => [0, 0n, '0.10']);
    expect(run('SUM(d)', tenths)).toBe('1.00');
    expect(run('SUM(f)', ROWS)).toBe(3.5);
    expect(aggregate('SUM(f)').type).toBe('DOUBLE');
  });

  it('AVG is a fraction: DOUBLE for integers and floats, DECIMAL at scale max(s, 6) for DECIMAL', () => {
    expect(run('AVG(i)', ROWS)).toBeCloseTo(5 / 3, 15);
    expect(aggregate('AVG(i)').type).toBe('DOUBLE');
    expect(run('AVG(i)', [[1], [2]])).toBe(1.5);
    expect(run('AVG(DISTINCT i)', ROWS)).toBe(1.5);
    expect(run('AVG(d)', ROWS)).toBe('1.833333');
    expect([aggregate('AVG(d)').type, aggregate('AVG(d)').scale]).toEqual(['DECIMAL', 6]);
    expect(run('AVG(f)', ROWS)).toBeCloseTo(3.5 / 3, 15);
    expect(run('AVG(big)', [[0, 9007199254740993n], [0, 9007199254740993n]])).toBe(9007199254740992);
  });

  it('MIN and MAX keep the argument type and order', () => {
    expect(run('MIN(i)', ROWS)).toBe(1);
    expect(run('MAX(big)', ROWS)).toBe(9223372036854775807n);
    expect(run('MAX(d)', [[0, 0n, '9.00'], [0, 0n, '10.00']])).toBe('10.00');
    expect(run('MIN(s)', ROWS)).toBe('a');
    expect(run('MAX(day)', ROWS)).toBe('2026-01-03');
    expect(run('MAX(DISTINCT f)', ROWS)).toBe(1.5);
    expect(aggregate('MAX(day)').type).toBe('DATE');
  });

  it('refuses SUM and AVG of non-numbers', () => {
    expect(() => aggregate('SUM(s)')).toThrow(/SUM needs a numeric argument, got VARCHAR/);
    expect(() => aggregate('AVG(day)')).toThrow(/AVG needs a numeric argument, got DATE/);
    expect(() => aggregate('SUM(SUM(i))')).toThrow(/not allowed here/);
  });

  it('sums parameter arguments by their runtime values', () => {
    const agg = expressionCompiler.compileAggregate(expr('SUM(?)') as AggregateCall, SCOPE, context());
    expect(agg.type).toBe('NULL');
    const acc = agg.accumulator();
    acc.add(1);
    acc.add(2n);
    expect(acc.result()).toBe(3n);
    acc.add('0.5');
    expect(acc.result()).toBe('3.5');
    acc.add(0.25);
    expect(acc.result()).toBe(3.75);
  });

  it('gives fresh accumulators per group', () => {
    const agg = aggregate('COUNT(i)');
    const a = agg.accumulator();
    a.add(1);
    expect(agg.accumulator().result()).toBe(0n);
    expect(a.result()).toBe(1n);
  });
});
