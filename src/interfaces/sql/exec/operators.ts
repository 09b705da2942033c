/**
 * The row-at-a-time operators (step protocol, step.ts). Filter, project, limit and distinct stream; sort and
 * aggregate hold their input (the only operators that do, with the build side of a hash join).
 */
import { InvalidArgumentError } from '../../../domain/shared/errors';
import { describeValue } from '../../../domain/shared/describe-value';
import type { Accumulator, CompiledAggregate, CompiledExpression, ValueType } from '../semantics';
import type { SortKey } from '../plan/plan-types';
import type { Runtime } from './exec-state';
import { DONE, type Operator, type Row, type Step } from './step';
import { tupleKey } from './value-key';

export class FilterOp implements Operator {
  constructor(private readonly input: Operator, private readonly predicate: CompiledExpression, private readonly rt: Runtime) {}
  step(): Step {
    for (;;) {
      const r = this.input.step();
      if (r === DONE || r instanceof Promise) return r;
      if (this.predicate.evaluate(r, this.rt.params, this.rt.outerRows) === true) return r;
    }
  }
  close(): void {
    this.input.close();
  }
}

export class ProjectOp implements Operator {
  constructor(private readonly input: Operator, private readonly exprs: readonly CompiledExpression[], private readonly rt: Runtime) {}
  step(): Step {
    const r = this.input.step();
    if (r === DONE || r instanceof Promise) return r;
    const { params, outerRows } = this.rt;
    return this.exprs.map((e) => e.evaluate(r, params, outerRows));
  }
  close(): void {
    this.input.close();
  }
}

export class TrimOp implements Operator {
  constructor(private readonly input: Operator, private readonly width: number) {}
  step(): Step {
    const r = this.input.step();
    if (r === DONE || r instanceof Promise) return r;
    return r.length === this.width ? r : r.slice(0, this.width);
  }
  close(): void {
    this.input.close();
  }
}

/** LIMIT n OFFSET m: stops (and closes its input, ending the scan) after n rows. */
export class LimitOp implements Operator {
  #skip: number;
  #left: number;
  constructor(private readonly input: Operator, limit: number, offset: number) {
    this.#left = limit;
    this.#skip = offset;
  }
  step(): Step {
    for (;;) {
      if (this.#left <= 0) {
        this.input.close();
        return DONE;
      }
      const r = this.input.step();
      if (r === DONE || r instanceof Promise) return r;
      if (this.#skip > 0) {
        this.#skip--;
        continue;
      }
      this.#left--;
      return r;
    }
  }
  close(): void {
    this.input.close();
  }
}

/** The value of LIMIT or OFFSET: a non-negative integer (a parameter may give it). */
export function countValue(e: CompiledExpression | undefined, rt: Runtime, what: string, absent: number): number {
  if (e === undefined) return absent;
  const v = e.evaluate([], rt.params, rt.outerRows);
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative integer, got ${describeValue(v)}`);
  }
  return n;
}

export class DistinctOp implements Operator {
  readonly #seen = new Set<string>();
  constructor(private readonly input: Operator, private readonly width: number, private readonly types?: readonly string[]) {}
  step(): Step {
    for (;;) {
      const r = this.input.step();
      if (r === DONE || r instanceof Promise) return r;
      const key = tupleKey(r.length === this.width ? r : r.slice(0, this.width), this.types);
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      return r;
    }
  }
  close(): void {
    this.input.close();
  }
}

/** Reads its whole input (awaiting as needed), then hands out the rows `finish` made of it. */
abstract class BlockingOp implements Operator {
  #out: Row[] | null = null;
  #i = 0;
  constructor(protected readonly input: Operator) {}
  protected abstract add(r: Row): void;
  protected abstract finish(): Row[];
  step(): Step {
    while (this.#out === null) {
      const r = this.input.step();
      if (r instanceof Promise) return r;
      if (r === DONE) {
        this.input.close();
        this.#out = this.finish();
      } else this.add(r);
    }
    return this.#i < this.#out.length ? this.#out[this.#i++]! : DONE;
  }
  close(): void {
    this.input.close();
    this.#out = [];
  }
}

export type Compare = (a: unknown, b: unknown, type: ValueType) => number;

export class SortOp extends BlockingOp {
  readonly #rows: Row[] = [];
  constructor(input: Operator, private readonly keys: readonly SortKey[], private readonly types: readonly ValueType[], private readonly compare: Compare) {
    super(input);
  }
  protected add(r: Row): void {
    this.#rows.push(r);
  }
  protected finish(): Row[] {
    const { keys, types, compare } = this;
    return this.#rows.sort((a, b) => {
      for (const k of keys) {
        const x = a[k.index];
        const y = b[k.index];
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === k.nullsFirst ? -1 : 1;
        }
        const c = compare(x, y, types[k.index]!);
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }
}

/** GROUP BY keys and aggregates: one output row per group (key values, then aggregate results). */
export class AggregateOp extends BlockingOp {
  readonly #groups = new Map<unknown, { keys: unknown[]; acc: Accumulator[] }>();
  readonly #groupKey: (keyValues: readonly unknown[]) => unknown;
  /** The key values of the row being added; a group keeps them (a new scratch follows) only when it is new. */
  #keyValues: unknown[];
  constructor(
    input: Operator, private readonly keys: readonly CompiledExpression[], private readonly aggs: readonly CompiledAggregate[],
    private readonly rt: Runtime,
  ) {
    super(input);
    this.#groupKey = groupKeyOf(keys.map((k) => k.type));
    this.#keyValues = new Array<unknown>(keys.length);
  }
  protected add(r: Row): void {
    const { params, outerRows } = this.rt;
    const { keys, aggs } = this;
    const keyValues = this.#keyValues;
    for (let i = 0; i < keys.length; i++) keyValues[i] = keys[i]!.evaluate(r, params, outerRows);
    const id = this.#groupKey(keyValues);
    let g = this.#groups.get(id);
    if (g === undefined) {
      g = { keys: keyValues, acc: aggs.map((a) => a.accumulator()) };
      this.#groups.set(id, g);
      this.#keyValues = new Array<unknown>(keys.length);
    }
    const acc = g.acc;
    for (let i = 0; i < aggs.length; i++) {
      const arg = aggs[i]!.argument;
      acc[i]!.add(arg === null ? 1 : arg.evaluate(r, params, outerRows));
    }
  }
  protected finish(): Row[] {
    if (this.#groups.size === 0 && this.keys.length === 0) {
      return [this.aggs.map((a) => a.accumulator().result())]; // no GROUP BY: one row even of no input
    }
    return [...this.#groups.values()].map((g) => [...g.keys, ...g.acc.map((a) => a.result())]);
  }
}

/** The group of NULL in a one-key GROUP BY keyed by the value itself. */
const NULL_GROUP: unique symbol = Symbol('NULL');
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer value as one map key whether a number or a bigint (a safe bigint as its number; -0 and 0 are one key). */
function integerGroup(v: unknown): unknown {
  if (v === null || v === undefined) return NULL_GROUP;
  return typeof v === 'bigint' && v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

function primitiveGroup(v: unknown): unknown {
  return v === null || v === undefined ? NULL_GROUP : v;
}

/**
 * What identifies a group: for one key of an integer type, VARCHAR or BOOLEAN the value itself (Map keys compare such
 * values as SQL does), else the values' tupleKey string (DECIMAL scales, doubles, several keys).
 */
function groupKeyOf(types: readonly string[]): (keyValues: readonly unknown[]) => unknown {
  if (types.length === 1) {
    const t = types[0];
    if (t === 'INT' || t === 'BIGINT' || t === 'SMALLINT' || t === 'TINYINT') return (k) => integerGroup(k[0]);
    if (t === 'VARCHAR' || t === 'BOOLEAN') return (k) => primitiveGroup(k[0]);
  }
  return (k) => tupleKey(k, types);
}
