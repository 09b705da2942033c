/**
 * The pull protocol of operators: `step()` returns the next row, DONE, or a promise to await before stepping again.
 * Synchronous when nothing needs I/O, so one operator tree runs both streaming over async table scans (LIMIT stops the
 * scan early) and synchronously over preloaded rows (correlated subqueries, whose value the compiler asks for
 * synchronously).
 */
export const DONE: unique symbol = Symbol('done');
export type Row = readonly unknown[];
export type Step = Row | typeof DONE | Promise<void>;

export interface Operator {
  step(): Step;
  /** Releases what it holds (scan cursors); safe to call more than once. */
  close(): void;
}

/** An async iterator of rows as an operator: one promise per pull of the underlying iterator. */
export class AsyncSource implements Operator {
  #buffered: Row | null = null;
  #pending: Promise<void> | null = null;
  #done = false;
  #it: AsyncIterator<Row> | null = null;

  constructor(private readonly open: () => AsyncIterator<Row>) {}

  step(): Step {
    if (this.#buffered !== null) {
      const r = this.#buffered;
      this.#buffered = null;
      return r;
    }
    if (this.#done) return DONE;
    if (this.#pending !== null) return this.#pending;
    const it = (this.#it ??= this.open());
    this.#pending = it.next().then((r) => {
      this.#pending = null;
      if (r.done === true) this.#done = true;
      else this.#buffered = r.value;
    });
    return this.#pending;
  }

  close(): void {
    if (this.#done) return;
    this.#done = true;
    void this.#it?.return?.();
  }
}

export class ArraySource implements Operator {
  #i = 0;
  constructor(private readonly rows: readonly Row[]) {}
  step(): Step {
    return this.#i < this.rows.length ? this.rows[this.#i++]! : DONE;
  }
  close(): void {
    this.#i = this.rows.length;
  }
}

/** Every row of `op`, awaiting as needed; closes it. */
export async function drain(op: Operator): Promise<Row[]> {
  const out: Row[] = [];
  try {
    for (;;) {
      const r = op.step();
      if (r === DONE) return out;
      if (r instanceof Promise) await r;
      else out.push(r);
    }
  } finally {
    op.close();
  }
}

/** Every row of an operator that must not wait (over preloaded rows). */
export function drainSync(op: Operator): Row[] {
  const out: Row[] = [];
  try {
    for (;;) {
      const r = op.step();
      if (r === DONE) return out;
      if (r instanceof Promise) throw new Error('SQL: a correlated subquery needed I/O');
      out.push(r);
    }
  } finally {
    op.close();
  }
}

/** The rows of `op` as an async iterator (closed when the iteration ends or is returned early). */
export async function* iterate(op: Operator): AsyncGenerator<Row> {
  try {
    for (;;) {
      const r = op.step();
      if (r === DONE) return;
      if (r instanceof Promise) await r;
      else yield r;
    }
  } finally {
    op.close();
  }
}

/** A synchronous iterable as an operator, pulled one row at a time (`system_range` streams). */
export class IterableSource implements Operator {
  #it: Iterator<Row> | null;
  constructor(rows: Iterable<Row>) {
    this.#it = rows[Symbol.iterator]();
  }
  step(): Step {
    const r = this.#it?.next();
    if (r === undefined || r.done === true) {
      this.#it = null;
      return DONE;
    }
    return r.value;
  }
  close(): void {
    this.#it?.return?.();
    this.#it = null;
  }
}
