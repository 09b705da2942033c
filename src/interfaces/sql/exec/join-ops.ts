/**
 * Joins (step protocol): for each left row, the candidate right rows a probe gives, kept when the whole ON condition
 * holds on the combined row (left values, then right ones); a LEFT join emits the left row with NULLs when none is
 * kept. Probes: every right row (nested loop, right side read once), the right rows of the same key (hash join,
 * right side built once), or a lookup made per left row (index nested loop).
 */
import type { CompiledExpression } from '../semantics';
import type { Runtime } from './exec-state';
import { ArraySource, DONE, type Operator, type Row, type Step } from './step';
import { tupleKey } from './value-key';

export interface Probe {
  /** null once ready; else a promise to await (the build side is being read). */
  prepare(): Promise<void> | null;
  candidates(left: Row): Operator;
  close(): void;
}

export class JoinOp implements Operator {
  #left: Row | null = null;
  #inner: Operator | null = null;
  #matched = false;

  constructor(
    private readonly left: Operator, private readonly probe: Probe, private readonly on: CompiledExpression | undefined,
    private readonly outer: boolean, private readonly rightWidth: number, private readonly rt: Runtime,
  ) {}

  step(): Step {
    const wait = this.probe.prepare();
    if (wait !== null) return wait;
    for (;;) {
      if (this.#left === null) {
        const l = this.left.step();
        if (l === DONE || l instanceof Promise) return l;
        this.#left = l;
        this.#inner = this.probe.candidates(l);
        this.#matched = false;
      }
      const r = this.#inner!.step();
      if (r instanceof Promise) return r;
      const l = this.#left;
      if (r === DONE) {
        this.#inner!.close();
        this.#left = null;
        if (this.outer && !this.#matched) return [...l, ...new Array<unknown>(this.rightWidth).fill(null)];
        continue;
      }
      const row = [...l, ...r];
      if (this.on === undefined || this.on.evaluate(row, this.rt.params, this.rt.outerRows) === true) {
        this.#matched = true;
        return row;
      }
    }
  }

  close(): void {
    this.#inner?.close();
    this.left.close();
    this.probe.close();
  }
}

/** Reads an operator to its end, one step at a time (the build side of a join). */
class Build {
  readonly rows: Row[] = [];
  done = false;
  constructor(private readonly op: Operator) {}
  /** null once every row is read. */
  pull(): Promise<void> | null {
    while (!this.done) {
      const r = this.op.step();
      if (r instanceof Promise) return r;
      if (r === DONE) {
        this.done = true;
        this.op.close();
      } else this.rows.push(r);
    }
    return null;
  }
  close(): void {
    this.op.close();
  }
}

export class NestedLoopProbe implements Probe {
  readonly #build: Build;
  constructor(right: Operator) {
    this.#build = new Build(right);
  }
  prepare(): Promise<void> | null {
    return this.#build.pull();
  }
  candidates(): Operator {
    return new ArraySource(this.#build.rows);
  }
  close(): void {
    this.#build.close();
  }
}

export class HashProbe implements Probe {
  readonly #build: Build;
  #table: Map<string, Row[]> | null = null;
  constructor(
    right: Operator, private readonly leftKeys: readonly CompiledExpression[], private readonly rightKeys: readonly CompiledExpression[],
    private readonly rt: Runtime,
  ) {
    this.#build = new Build(right);
  }
  prepare(): Promise<void> | null {
    if (this.#table !== null) return null;
    const wait = this.#build.pull();
    if (wait !== null) return wait;
    const table = new Map<string, Row[]>();
    for (const r of this.#build.rows) {
      const key = this.#key(r, this.rightKeys);
      if (key === null) continue;
      const bucket = table.get(key);
      if (bucket === undefined) table.set(key, [r]);
      else bucket.push(r);
    }
    this.#build.rows.length = 0;
    this.#table = table;
    return null;
  }
  candidates(left: Row): Operator {
    const key = this.#key(left, this.leftKeys);
    return new ArraySource(key === null ? [] : this.#table!.get(key) ?? []);
  }
  close(): void {
    this.#build.close();
  }
  /** null when a key value is NULL (it equals nothing). */
  #key(row: Row, exprs: readonly CompiledExpression[]): string | null {
    const values = exprs.map((e) => e.evaluate(row, this.rt.params, this.rt.outerRows));
    return values.includes(null) ? null : tupleKey(values);
  }
}

export class LookupProbe implements Probe {
  constructor(private readonly lookup: (left: Row) => Operator) {}
  prepare(): null {
    return null;
  }
  candidates(left: Row): Operator {
    return this.lookup(left);
  }
  close(): void {}
}
