/**
 * COUNT / SUM / AVG / MIN / MAX [DISTINCT]. Every aggregate skips nulls; over no (non-null) value COUNT gives 0n and
 * the others null. Result types:
 *
 * - COUNT → BIGINT (a bigint);
 * - SUM of TINYINT/SMALLINT/INT/BIGINT → BIGINT (summed exactly; a total beyond BIGINT is "out of range"), of DECIMAL
 *   → DECIMAL (exact, at the largest scale met), of REAL/DOUBLE → DOUBLE;
 * - AVG (a fraction, DESIGN.md §9) of integers, REAL, DOUBLE → DOUBLE (integers summed exactly, then divided); of
 *   DECIMAL → DECIMAL rounded HALF_UP to scale max(s, 6) where s is the sum's scale (AVG of 1.00, 2.00 = 1.500000);
 * - MIN / MAX → the argument's type, by compareValues' order;
 * - a parameter argument (type 'NULL') is summed exactly while its values are integers or DECIMAL strings, and in
 *   DOUBLE once a fractional number appears; the result type is then 'NULL' (dynamic).
 *
 * DISTINCT keeps the distinct values by `distinctKeyFn`, whose keys are equal exactly when compareValues says 0.
 */
import type { AggregateCall } from '../ast';
import type { Accumulator, CompiledAggregate, CompiledExpression, ValueType } from '../semantics';
import { type Comparator, comparatorFor } from './compare';
import { evalError } from './eval-errors';
import { addExact, divideExact, EXACT_ZERO, ExactDecimal, exactOfNumber, exactToNumber, formatExact } from './exact-decimal';
import { checkBigint, toDouble, toExact } from './numeric-values';
import { isIntegerType, isNumberType, isNumeric } from './value-types';

type Key = (v: unknown) => unknown;

/** A Set key for a non-null value of `type`: equal keys ⇔ equal values (1.50 and 1.5 share one; -0 and 0 too). */
export function distinctKeyFn(type: ValueType): Key {
  if (isNumberType(type)) return (v) => ((v as number) === 0 ? 0 : v);
  if (type === 'BIGINT' || type === 'BOOLEAN') return (v) => v;
  if (type === 'DECIMAL') return (v) => stripZeros(v as string);
  if (type === 'VARBINARY') return (v) => hex(v as Uint8Array);
  if (type === 'NULL') return dynamicKey;
  return (v) => v;
}

function stripZeros(s: string): string {
  return s.indexOf('.') < 0 ? s : s.replace(/\.?0+$/, '');
}

function hex(b: Uint8Array): string {
  let s = '\u0000';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

/** Numbers of any representation share the key of their exact decimal text. */
function dynamicKey(v: unknown): unknown {
  if (typeof v === 'bigint') return `\u0001${v}`;
  if (typeof v === 'number') {
    const d = exactOfNumber(v);
    return d === null ? v : `\u0001${stripZeros(formatExact(d))}`;
  }
  return v instanceof Uint8Array ? hex(v) : v;
}

/** Wraps an accumulator so that it sees each distinct value once. */
class DistinctAccumulator implements Accumulator {
  readonly #seen = new Set<unknown>();
  constructor(private readonly inner: Accumulator, private readonly key: Key) {}
  add(value: unknown): void {
    if (value === null || value === undefined) return;
    const k = this.key(value);
    if (this.#seen.has(k)) return;
    this.#seen.add(k);
    this.inner.add(value);
  }
  result(): unknown {
    return this.inner.result();
  }
}

/** Counts in a number (exact far past any row count), a bigint only for the result: no bigint made per row. */
class CountAccumulator implements Accumulator {
  #count = 0;
  constructor(private readonly star: boolean) {}
  add(value: unknown): void {
    if (this.star || (value !== null && value !== undefined)) this.#count++;
  }
  result(): unknown {
    return BigInt(this.#count);
  }
}

/** |part| stays below this, and so do the values added to it: every partial sum stays below 2^53, exact in a double. */
const PART_LIMIT = 2 ** 52;
const PART_BIG = BigInt(PART_LIMIT);

/**
 * Integers summed exactly: SUM → BIGINT, AVG → DOUBLE. Values within ±2^52 (INT and smaller are numbers; BIGINTs are
 * bigints) add into a double part that moves into the bigint total whenever it reaches ±2^52, so a sum costs no
 * bigint per row.
 */
class IntegerSum implements Accumulator {
  #part = 0;
  #sum = 0n;
  #count = 0;
  constructor(private readonly average: boolean) {}
  add(value: unknown): void {
    if (value === null || value === undefined) return;
    this.#count++;
    const small = typeof value === 'number'
      ? value <= PART_LIMIT && value >= -PART_LIMIT
      : (value as bigint) <= PART_BIG && (value as bigint) >= -PART_BIG;
    if (!small) {
      this.#sum += typeof value === 'number' ? BigInt(value) : (value as bigint);
      return;
    }
    this.#part += Number(value);
    if (this.#part >= PART_LIMIT || this.#part <= -PART_LIMIT) this.#flush();
  }
  result(): unknown {
    if (this.#count === 0) return null;
    this.#flush();
    return this.average ? Number(this.#sum) / this.#count : checkBigint(this.#sum, undefined);
  }
  #flush(): void {
    this.#sum += BigInt(this.#part);
    this.#part = 0;
  }
}

class DoubleSum implements Accumulator {
  #sum = 0;
  #count = 0;
  constructor(private readonly average: boolean) {}
  add(value: unknown): void {
    if (value === null || value === undefined) return;
    this.#sum += value as number;
    this.#count++;
  }
  result(): unknown {
    if (this.#count === 0) return null;
    return this.average ? this.#sum / this.#count : this.#sum;
  }
}

/** DECIMAL (or dynamic) values summed exactly; a fractional JS number switches a dynamic sum to DOUBLE. */
class ExactSum implements Accumulator {
  #sum: ExactDecimal = EXACT_ZERO;
  #double = 0;
  #inDouble = false;
  #count = 0;
  #decimalSeen = false;
  constructor(private readonly average: boolean, private readonly dynamic: boolean) {}
  add(value: unknown): void {
    if (value === null || value === undefined) return;
    this.#count++;
    if (this.#inDouble) {
      this.#double += toDouble(value, undefined);
    } else if (this.dynamic && typeof value === 'number' && !Number.isInteger(value)) {
      this.#inDouble = true;
      this.#double = exactToNumber(this.#sum) + value;
    } else {
      if (typeof value === 'string') this.#decimalSeen = true;
      this.#sum = addExact(this.#sum, toExact(value, undefined));
    }
  }
  result(): unknown {
    if (this.#count === 0) return null;
    if (this.#inDouble) return this.average ? this.#double / this.#count : this.#double;
    if (this.dynamic && !this.#decimalSeen) {
      return this.average ? exactToNumber(this.#sum) / this.#count : checkBigint(this.#sum.unscaled, undefined);
    }
    if (!this.average) return formatExact(this.#sum);
    const count = new ExactDecimal(BigInt(this.#count), 0);
    return formatExact(divideExact(this.#sum, count, Math.max(this.#sum.scale, 6)));
  }
}

class ExtremeAccumulator implements Accumulator {
  #best: unknown = null;
  constructor(private readonly compare: Comparator, private readonly max: boolean) {}
  add(value: unknown): void {
    if (value === null || value === undefined) return;
    if (this.#best === null) {
      this.#best = value;
      return;
    }
    const c = this.compare(value, this.#best);
    if (this.max ? c > 0 : c < 0) this.#best = value;
  }
  result(): unknown {
    return this.#best;
  }
}

interface Shape {
  readonly type: ValueType;
  readonly scale?: number;
  readonly make: () => Accumulator;
}

function sumOrAverage(call: AggregateCall, arg: CompiledExpression): Shape {
  const average = call.fn === 'AVG';
  const t = arg.type;
  if (t !== 'NULL' && !isNumeric(t)) throw evalError(`${call.fn} needs a numeric argument, got ${t}`, call.pos);
  if (isIntegerType(t)) return { type: average ? 'DOUBLE' : 'BIGINT', make: () => new IntegerSum(average) };
  if (t === 'REAL' || t === 'DOUBLE') return { type: 'DOUBLE', make: () => new DoubleSum(average) };
  const scale = arg.scale === undefined ? undefined : average ? Math.max(arg.scale, 6) : arg.scale;
  if (t === 'DECIMAL') return { type: 'DECIMAL', scale, make: () => new ExactSum(average, false) };
  return { type: 'NULL', make: () => new ExactSum(average, true) };
}

function shapeOf(call: AggregateCall, arg: CompiledExpression | null): Shape {
  if (arg === null) return { type: 'BIGINT', make: () => new CountAccumulator(true) };
  switch (call.fn) {
    case 'COUNT': return { type: 'BIGINT', make: () => new CountAccumulator(false) };
    case 'SUM': case 'AVG': return sumOrAverage(call, arg);
    case 'MIN': case 'MAX': {
      const compare = comparatorFor(arg.type, arg.type, call.pos);
      const max = call.fn === 'MAX';
      return { type: arg.type, scale: arg.scale, make: () => new ExtremeAccumulator(compare, max) };
    }
  }
}

/** ExpressionCompiler.compileAggregate, given the argument already compiled (null for COUNT(*)). */
export function compiledAggregate(call: AggregateCall, arg: CompiledExpression | null): CompiledAggregate {
  const shape = shapeOf(call, arg);
  const distinct = call.distinct && arg !== null && call.fn !== 'MIN' && call.fn !== 'MAX';
  const key = arg === null ? undefined : distinctKeyFn(arg.type);
  const make = shape.make;
  return {
    type: shape.type,
    ...(shape.scale === undefined ? {} : { scale: shape.scale }),
    ...(shape.type === 'DECIMAL' && call.fn !== 'AVG' && arg?.precision !== undefined ? { precision: arg.precision } : {}),
    argument: arg,
    accumulator: distinct ? () => new DistinctAccumulator(make(), key!) : make,
  };
}
