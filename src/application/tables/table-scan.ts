/**
 * `table.scan()`: rows in the order of a sorted index (the primary key's when none is named) between abstract-level
 * style bounds, merged over the table's partitions (rows are hash-partitioned, so every partition holds part of each
 * range). Each index entry is checked against the row visible to the reader: an entry left by an older version of the
 * row (whose key changed) is skipped, so each row comes once, under the key it has at the read timestamp.
 *
 * Bounds are in the index's order (`gt` on a DESC column means "after" in that order); each is one value for a
 * one-column index, an array of leading column values, or an object keyed by leading column names. A HASH index scans
 * only one key (`gte` equal to `lte`). `reverse` walks the range from its end, streaming as forward scans do (each
 * partition's index is read backwards: `limit` stops it early).
 */
import { TableArgumentError } from '../../domain/table/table-argument-error';
import { compareByteArrays } from '../../domain/index/byte-compare';
import { KeyEncoder } from '../../domain/index/key-codec';
import type { KeyColumn } from '../../domain/index/column-values';
import { BACKWARDS, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL, type IndexRow } from '../../domain/storage/index-descriptors';
import type { PeekCursor, Cursor } from '../../domain/storage/cursor';
import type { HashIndexStorage, SortedIndexStorage } from '../../domain/storage/storage-engine.api';
import { IndexNotBuiltError } from '../../domain/shared/errors';
import { describeValue } from '../../domain/shared/describe-value';
import { normalizeValue } from '../../domain/table/table-values';
import type { SchemaColumn } from '../../domain/table/table-schema';
import type { OpenTable, TablePartition } from './open-table';
import type { Tx } from './tx';
import type { TxEngine } from './tx-engine';
import { keysEqual } from './index-maintenance';

export interface ScanOptions {
  readonly index?: string;
  readonly gt?: unknown;
  readonly gte?: unknown;
  readonly lt?: unknown;
  readonly lte?: unknown;
  readonly reverse?: boolean;
  readonly limit?: number;
}

const SCAN_KEYS = ['index', 'gt', 'gte', 'lt', 'lte', 'reverse', 'limit'];

/** What a scan reads: per partition, the entries of one index, and how to check an entry against its row. */
interface ScanPlan {
  readonly columns: readonly SchemaColumn[];
  readonly keyColumns: readonly KeyColumn[];
  readonly hash: boolean;
  /** Position of each index column in the row's values; null for the primary key (entries never go stale). */
  readonly positions: readonly number[] | null;
  readonly cursorOf: (part: TablePartition, lower: unknown[] | null, upper: unknown[] | null, flags: number) => Cursor<IndexRow>;
}

export function checkScanOptions(table: OpenTable, options: unknown): ScanOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TableArgumentError(`scan(options) of table '${table.name}' takes { index?, gt?, gte?, lt?, lte?, reverse?, limit? }, got ${describeValue(options)}`, table.name);
  }
  const unknown = Object.keys(options).filter((k) => !SCAN_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new TableArgumentError(`scan(options) of table '${table.name}': unknown option(s) ${unknown.join(', ')}; options are ${SCAN_KEYS.join(', ')}`, table.name);
  }
  const o = options as ScanOptions;
  if (o.limit !== undefined && (typeof o.limit !== 'number' || !Number.isInteger(o.limit) || o.limit < 0)) {
    throw new TableArgumentError(`scan of table '${table.name}': limit must be a non-negative integer, got ${describeValue(o.limit)}`, table.name);
  }
  if (o.reverse !== undefined && typeof o.reverse !== 'boolean') {
    throw new TableArgumentError(`scan of table '${table.name}': reverse must be true or false, got ${describeValue(o.reverse)}`, table.name);
  }
  if (o.gt !== undefined && o.gte !== undefined) throw new TableArgumentError(`scan of table '${table.name}': give gt or gte, not both`, table.name);
  if (o.lt !== undefined && o.lte !== undefined) throw new TableArgumentError(`scan of table '${table.name}': give lt or lte, not both`, table.name);
  return o;
}

/** The scan has no more rows (ScanCursor.step). */
export const SCAN_DONE: unique symbol = Symbol('scan done');

/**
 * The visible rows of a scan, one `step()` at a time: a row's values (current schema, index order), SCAN_DONE, or a
 * promise to await before stepping again (a row's visibility waits for another transaction's commit outcome).
 * Synchronous otherwise, so a scan costs one promise per row only at the async iterator the API hands out.
 */
/** A partition's cursor and its next entry (with the entry's key bytes when the scan merges or checks keys). */
interface Head {
  readonly part: TablePartition;
  readonly cursor: Cursor<IndexRow>;
  entry: IndexRow;
  bytes: Uint8Array | null;
}

/** The entry a step looks at: taken from a head (which moved on), reused from step to step. */
interface Taken {
  part: TablePartition;
  entry: IndexRow;
  bytes: Uint8Array | null;
}

export class ScanCursor {
  readonly #heads: Head[] = [];
  /** Encodes entry keys for the merge and the key check; null when the scan does neither. */
  readonly #encoder: KeyEncoder | null;
  readonly #merge: boolean;
  #taken: Taken | null = null;
  #pending: Taken | null = null;
  #left: number;
  /** 1: ascending key order; −1: descending (a reverse scan, whose heap then holds the largest key on top). */
  readonly #order: number;
  #closed = false;

  constructor(
    private readonly engine: TxEngine, private readonly table: OpenTable, private readonly tx: Tx, private readonly plan: ScanPlan,
    options: ScanOptions,
  ) {
    const lower = options.gt ?? options.gte;
    const upper = options.lt ?? options.lte;
    const lowerKey = lower === undefined ? null : boundKey(table, plan, lower);
    const upperKey = upper === undefined ? null : boundKey(table, plan, upper);
    const reverse = options.reverse === true;
    const flags = (options.gte !== undefined ? GREATER_OR_EQUAL : GREATER) | (options.lte !== undefined ? LESS_OR_EQUAL : LESS)
      | (reverse ? BACKWARDS : 0);
    this.#left = options.limit ?? Infinity;
    this.#order = reverse ? -1 : 1;
    this.#merge = table.partitions.length > 1;
    this.#encoder = this.#merge || plan.positions !== null ? new KeyEncoder(plan.keyColumns) : null;
    try {
      for (const part of table.partitions) {
        const cursor = plan.cursorOf(part, lowerKey, upperKey, flags);
        if (!cursor.hasNext()) {
          cursor.close();
          continue;
        }
        const entry = cursor.next();
        this.#heads.push({ part, cursor, entry, bytes: this.#keyBytes(entry) });
      }
      for (let i = (this.#heads.length >> 1) - 1; i >= 0; i--) this.#siftDown(i);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  step(): unknown[] | typeof SCAN_DONE | Promise<void> {
    const own = this.tx.readOnly ? null : this.tx;
    for (;;) {
      if (this.#left <= 0 || this.#closed) {
        this.close();
        return SCAN_DONE;
      }
      const next = this.#pending ?? this.#take();
      if (next === null) {
        this.close();
        return SCAN_DONE;
      }
      // A primary-key entry's key is the row's: a stale intent resolved on the way can drop the entry if no version stays.
      const key = this.plan.positions === null ? next.entry.key : null;
      const v = this.engine.visible(next.part, next.entry.rowId, this.tx.readTs, own, key);
      if (v instanceof Promise) {
        this.#pending = next; // look at the same entry again once the outcome is known
        return v;
      }
      this.#pending = null;
      if (v === null) continue;
      const values = this.table.decode(v);
      if (this.plan.positions !== null && !this.#sameKey(this.plan.positions.map((i) => values[i]), next)) continue;
      this.#left--;
      return values;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const h of this.#heads) h.cursor.close();
    this.#heads.length = 0;
  }

  /**
   * The smallest head's entry (the largest in a reverse scan; the only head's without a merge); the head moves on to
   * its next entry, or goes. The heads are a binary heap by key bytes (a merge of 25 partitions compares about 5 keys
   * per row, not 24).
   */
  #take(): Taken | null {
    const heads = this.#heads;
    if (heads.length === 0) return null;
    const head = heads[0]!;
    let taken = this.#taken;
    if (taken === null) this.#taken = taken = { part: head.part, entry: head.entry, bytes: head.bytes };
    else {
      taken.part = head.part;
      taken.entry = head.entry;
      taken.bytes = head.bytes;
    }
    const cursor = head.cursor;
    if (cursor.hasNext()) {
      head.entry = cursor.next();
      head.bytes = this.#keyBytes(head.entry);
    } else {
      cursor.close();
      const last = heads.pop()!;
      if (heads.length === 0) return taken;
      heads[0] = last;
    }
    if (heads.length > 1) this.#siftDown(0);
    return taken;
  }

  /** Moves the head at `i` down the heap until no child has a smaller key. */
  #siftDown(i: number): void {
    const heads = this.#heads;
    const n = heads.length;
    const h = heads[i]!;
    const order = this.#order;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && order * compareByteArrays(heads[child + 1]!.bytes!, heads[child]!.bytes!) < 0) child++;
      if (order * compareByteArrays(heads[child]!.bytes!, h.bytes!) >= 0) break;
      heads[i] = heads[child]!;
      i = child;
    }
    heads[i] = h;
  }

  /** A copy of the entry's key bytes when the scan merges partitions or checks keys against rows, else null. */
  #keyBytes(entry: IndexRow): Uint8Array | null {
    const enc = this.#encoder;
    return enc === null ? null : enc.copy(enc.encode(entry.key));
  }

  /** True when `values` encode to exactly the entry's key bytes (an entry left by an older version does not). */
  #sameKey(values: readonly unknown[], next: { bytes: Uint8Array | null }): boolean {
    const bytes = next.bytes!;
    const enc = this.#encoder!;
    const len = enc.encode(values);
    if (len !== bytes.length) return false;
    const buf = enc.buffer;
    for (let i = 0; i < len; i++) if (buf[i] !== bytes[i]) return false;
    return true;
  }
}

/**
 * The rows of a scan as an async iterator of `map(values)`, opening the cursor at the first `next()`; `onEnd` runs once
 * when the rows end, the iterator is returned early, or a step throws. A row the cursor has at once costs one resolved
 * promise (no async function frame, no promise chained for errors); only a row that waits for a commit's outcome
 * waits, then steps again.
 */
export function scanIterator<R>(
  open: () => ScanCursor, map: (values: unknown[]) => R, onEnd: () => void,
): AsyncIterableIterator<R> {
  let ended = false;
  let opened: ScanCursor | null = null;
  const end = (): IteratorResult<R> => {
    if (!ended) {
      ended = true;
      opened?.close();
      onEnd();
    }
    return { done: true, value: undefined };
  };
  const failed = (e: unknown): Promise<never> => {
    end();
    return Promise.reject(e);
  };
  const next = (): Promise<IteratorResult<R>> => {
    if (ended) return Promise.resolve(end());
    let r: unknown[] | typeof SCAN_DONE | Promise<void>;
    let result: IteratorResult<R>;
    try {
      r = (opened ??= open()).step();
      if (r instanceof Promise) return r.then(next, failed);
      result = r === SCAN_DONE ? end() : { done: false, value: map(r) };
    } catch (e) {
      return failed(e);
    }
    return Promise.resolve(result);
  };
  const it: AsyncIterableIterator<R> = {
    next,
    return: async () => end(),
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

/** The scan plan of the primary key or of the named index (which must be available). */
export function scanPlan(table: OpenTable, indexName: string | undefined, findIndex: (name: string) => number): ScanPlan {
  const schema = table.schema;
  if (indexName === undefined) {
    const columns = schema.primaryKey.map((n) => schema.columns.find((c) => c.name === n)!);
    return {
      columns, keyColumns: table.pkColumns, hash: false, positions: null,
      cursorOf: (part, lo, hi, flags) => part.pk.scan(lo, hi, flags),
    };
  }
  const id = findIndex(indexName);
  const open = table.partitions[0]?.indexes.get(id);
  if (open === undefined) throw new TableArgumentError(`Index '${indexName}' is not an index of table '${table.name}'`, table.name);
  if (!open.state.available) {
    throw new IndexNotBuiltError(`Index '${open.state.name}' of table '${table.name}' is still being built; scan it once it is available`);
  }
  const columns = open.positions.map((i) => schema.columns[i]!);
  return {
    columns, keyColumns: open.keyColumns, hash: open.state.type === 'HASH', positions: open.positions,
    cursorOf: (part, lo, hi, flags) => {
      const storage = part.indexes.get(id)!.storage;
      if (open.state.type === 'SORTED') return (storage as SortedIndexStorage).scan(lo, hi, flags);
      if (lo === null || hi === null || lo.length !== columns.length || !keysEqual(lo, hi) || (flags & ~BACKWARDS) !== (GREATER_OR_EQUAL | LESS_OR_EQUAL)) {
        throw new TableArgumentError(
          `Index '${open.state.name}' of table '${table.name}' is a HASH index: scan one key with gte and lte equal and complete`, table.name);
      }
      const rowIds = (storage as HashIndexStorage).get(lo);
      return mapCursor(rowIds, (rowId) => ({ key: lo, rowId }));
    },
  };
}

function boundKey(table: OpenTable, plan: ScanPlan, bound: unknown): unknown[] {
  let values: unknown[];
  if (Array.isArray(bound)) values = bound;
  else if (typeof bound === 'object' && bound !== null && !(bound instanceof Uint8Array) && !(bound instanceof Date)) {
    values = [];
    for (const c of plan.columns) {
      if (!(c.name in bound)) break;
      values.push((bound as Record<string, unknown>)[c.name]);
    }
  } else values = [bound];
  if (values.length > plan.columns.length) {
    throw new TableArgumentError(`A scan bound of table '${table.name}' has ${values.length} values; the index has ${plan.columns.length} columns`, table.name);
  }
  return values.map((v, i) => normalizeValue(table.name, { ...plan.columns[i]!, nullable: true }, v));
}

function mapCursor<A, B>(cursor: Cursor<A>, f: (a: A) => B): PeekCursor<B> {
  let peeked: B | null = null;
  const c: PeekCursor<B> = {
    hasNext: () => peeked !== null || cursor.hasNext(),
    next: () => {
      if (peeked !== null) {
        const p = peeked;
        peeked = null;
        return p;
      }
      return f(cursor.next());
    },
    peek: () => (peeked ??= cursor.hasNext() ? f(cursor.next()) : null),
    close: () => cursor.close(),
    [Symbol.iterator]: function* () {
      while (c.hasNext()) yield c.next();
    },
  };
  return c;
}
