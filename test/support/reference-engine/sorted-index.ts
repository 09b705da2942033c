/**
 * Reference sorted index: a sorted array of (key, RowId) entries ordered by the columns (direction and nulls
 * order per column) and then by RowId ascending.
 */
import type { RowId } from '../../../src/domain/storage/row-id';
import type { Cursor, PeekCursor } from '../../../src/domain/storage/cursor';
import {
  BACKWARDS, GREATER_OR_EQUAL, LESS_OR_EQUAL, type IndexRow, type SortedIndexColumn, type SortedIndexDescriptor,
} from '../../../src/domain/storage/index-descriptors';
import type { SortedIndexStorage } from '../../../src/domain/storage/storage-engine.api';
import { checkScanFlags } from '../../../src/application/engine/mv/mv-arguments';
import { ArrayCursor, GuardedCursor, noSuchElement } from './guarded-cursor';
import { ReferenceIndexBase } from './index-base';
import { checkKey, compareValues } from './key-order';
import type { ClosureGate, CursorRegistry } from './lifecycle';
import { firstIndexWhere, indexOfSorted, insertSorted } from './sorted-array';

interface Entry {
  readonly key: readonly unknown[];
  readonly rowId: RowId;
}

function compareColumn(col: SortedIndexColumn, a: unknown, b: unknown): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    const nullsFirst = col.nullsFirst ?? col.asc;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  const c = compareValues(col.type, a, b);
  return col.asc ? c : -c;
}

/** Compares the first `prefix.length` values of `key` with `prefix`, in index order. */
function comparePrefix(columns: readonly SortedIndexColumn[], key: readonly unknown[], prefix: readonly unknown[]): number {
  for (let i = 0; i < prefix.length; i++) {
    const c = compareColumn(columns[i]!, key[i], prefix[i]);
    if (c !== 0) return c;
  }
  return 0;
}

const copyKey = (key: readonly unknown[]): unknown[] => key.map((v) => (v instanceof Uint8Array ? v.slice() : v));
const toIndexRow = (e: Entry): IndexRow => ({ key: copyKey(e.key), rowId: e.rowId });

/** The scan range: entries at or after `lower` (by the flags) and at or before `upper`. */
class Range {
  constructor(
    private readonly columns: readonly SortedIndexColumn[],
    private readonly lower: readonly unknown[] | null,
    private readonly upper: readonly unknown[] | null,
    private readonly flags: number,
  ) {}

  /** Index of the first entry of `entries` inside the lower bound and after `after`. */
  start(entries: readonly Entry[], after: Entry | null, compare: (a: Entry, b: Entry) => number): number {
    const lower = this.lower;
    let i = after === null ? 0 : firstIndexWhere(entries, (e) => compare(e, after) > 0);
    if (lower !== null) {
      const inclusive = (this.flags & GREATER_OR_EQUAL) !== 0;
      i = Math.max(i, firstIndexWhere(entries, (e) => {
        const c = comparePrefix(this.columns, e.key, lower);
        return inclusive ? c >= 0 : c > 0;
      }));
    }
    return i;
  }

  /** Index of the last entry of `entries` inside the upper bound and before `before` (−1: none). */
  end(entries: readonly Entry[], before: Entry | null, compare: (a: Entry, b: Entry) => number): number {
    const i = before === null ? entries.length : firstIndexWhere(entries, (e) => compare(e, before) >= 0);
    return Math.min(i, firstIndexWhere(entries, (e) => !this.belowUpper(e))) - 1;
  }

  aboveLower(e: Entry): boolean {
    if (this.lower === null) return true;
    const c = comparePrefix(this.columns, e.key, this.lower);
    return (this.flags & GREATER_OR_EQUAL) !== 0 ? c >= 0 : c > 0;
  }

  get backwards(): boolean {
    return (this.flags & BACKWARDS) !== 0;
  }

  belowUpper(e: Entry): boolean {
    if (this.upper === null) return true;
    const c = comparePrefix(this.columns, e.key, this.upper);
    return (this.flags & LESS_OR_EQUAL) !== 0 ? c <= 0 : c < 0;
  }
}

/**
 * A live cursor: each step looks for the first entry after the last one returned (the last one before it, BACKWARDS),
 * so entries inserted ahead are seen and entries inserted behind are not. A value cached by hasNext() or answered by peek() — even null — is
 * what the following hasNext()/next() use; once hasNext() answered false the cursor stays finished.
 */
class LiveScanCursor extends GuardedCursor<IndexRow> implements PeekCursor<IndexRow> {
  #last: Entry | null = null;
  /** undefined: not computed; null: finished. */
  #cached: Entry | null | undefined = undefined;
  #peeked: Entry | null | undefined = undefined;

  constructor(registry: CursorRegistry, what: string, private readonly index: ReferenceSortedIndex, private readonly range: Range) {
    super(registry, what);
  }

  peek(): IndexRow | null {
    this.guard();
    if (this.#cached !== undefined) return this.#cached === null ? null : toIndexRow(this.#cached);
    this.#peeked = this.#fetch();
    return this.#peeked === null ? null : toIndexRow(this.#peeked);
  }

  hasNext(): boolean {
    this.guard();
    if (this.#cached === undefined) {
      this.#cached = this.#peeked !== undefined ? this.#peeked : this.#fetch();
      this.#peeked = undefined;
    }
    return this.#cached !== null;
  }

  next(): IndexRow {
    if (!this.hasNext()) throw noSuchElement();
    const entry = this.#cached!;
    this.#last = entry;
    this.#cached = undefined;
    return toIndexRow(entry);
  }

  #fetch(): Entry | null {
    const entries = this.index.entries;
    if (this.range.backwards) {
      const b = entries[this.range.end(entries, this.#last, this.index.compareEntries)];
      return b !== undefined && this.range.aboveLower(b) ? b : null;
    }
    const e = entries[this.range.start(entries, this.#last, this.index.compareEntries)];
    return e !== undefined && this.range.belowUpper(e) ? e : null;
  }
}

export class ReferenceSortedIndex extends ReferenceIndexBase implements SortedIndexStorage {
  entries: Entry[] = [];

  constructor(partitionId: number, readonly descriptor: SortedIndexDescriptor, gate: ClosureGate) {
    super(partitionId, descriptor.id, descriptor.primary === true, descriptor.columns, gate);
  }

  readonly compareEntries = (a: Entry, b: Entry): number =>
    comparePrefix(this.descriptor.columns, a.key, b.key) || a.rowId.compareTo(b.rowId);

  scan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): PeekCursor<IndexRow> {
    this.requireReadable(true);
    return new LiveScanCursor(this.cursors, this.describe(), this, this.#range(lower, upper, flags));
  }

  tolerantScan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): PeekCursor<IndexRow> {
    this.requireReadable(false);
    return new LiveScanCursor(this.cursors, this.describe(), this, this.#range(lower, upper, flags));
  }

  /** A snapshot: the entries in range when the cursor is opened. */
  readOnlyScan(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): Cursor<IndexRow> {
    this.requireReadable(true);
    const range = this.#range(lower, upper, flags);
    const rows: IndexRow[] = [];
    for (let i = range.start(this.entries, null, this.compareEntries); i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (!range.belowUpper(e)) break;
      rows.push(toIndexRow(e));
    }
    if (range.backwards) rows.reverse();
    return new ArrayCursor(this.cursors, this.describe(), rows);
  }

  protected rowIdsOf(key: readonly unknown[]): RowId[] {
    return this.entries.filter((e) => comparePrefix(this.descriptor.columns, e.key, key) === 0).map((e) => e.rowId);
  }

  protected putChecked(key: unknown[], rowId: RowId): void {
    const entry = { key, rowId };
    if (indexOfSorted(this.entries, entry, this.compareEntries) < 0) insertSorted(this.entries, entry, this.compareEntries);
  }

  protected removeChecked(key: unknown[], rowId: RowId): void {
    const i = indexOfSorted(this.entries, { key, rowId }, this.compareEntries);
    if (i >= 0) this.entries.splice(i, 1);
  }

  protected clearEntries(): void {
    this.entries = [];
  }

  #range(lower: readonly unknown[] | null, upper: readonly unknown[] | null, flags: number): Range {
    const cols = this.descriptor.columns;
    checkScanFlags(flags);
    return new Range(cols, lower === null ? null : checkKey(cols, lower, true), upper === null ? null : checkKey(cols, upper, true), flags);
  }
}
