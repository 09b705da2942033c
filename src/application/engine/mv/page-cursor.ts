/**
 * Cursor plumbing of the page-based storages (MV partition and indexes): every call first checks that the cursor is
 * open (StorageClosedError), then asks its owner whether the generation it was opened in still stands — the
 * partition's StorageLifecycle (a close, destroy, clear or rebalance since fails it for good, with that transition's
 * error), or an index (the same, plus the index's own destruction) — so a cursor never touches the pages of a tree
 * that was destroyed or replaced. `for..of` drains a cursor; leaving the loop early closes it.
 */
import { StorageClosedError, StorageError } from '../../../domain/shared/errors';
import type { Cursor } from '../../../domain/storage/cursor';

/** What a cursor asks of the storage that opened it (StorageLifecycle, or an index storage). */
export interface CursorOwner {
  /** Names the storage in messages. */
  readonly what: string;
  /** The generation a cursor opened now belongs to. */
  cursorEpoch(): number;
  /** Throws the typed error of whatever ended generation `openedAt`, or of the current state when it refuses reads. */
  checkCursor(openedAt: number): void;
}

export function noSuchElement(): StorageError {
  return new StorageError('The cursor has no next element; check hasNext() before next()', 'NO_SUCH_ELEMENT');
}

export abstract class PageCursor<T> implements Cursor<T> {
  readonly #owner: CursorOwner;
  readonly #openedAt: number;
  #closed = false;

  protected constructor(owner: CursorOwner) {
    this.#owner = owner;
    this.#openedAt = owner.cursorEpoch();
  }

  abstract hasNext(): boolean;

  abstract next(): T;

  /** Idempotent; a closed cursor refuses everything but close() with StorageClosedError. */
  close(): void {
    this.#closed = true;
  }

  protected get isClosed(): boolean {
    return this.#closed;
  }

  [Symbol.iterator](): Iterator<T> {
    return {
      next: (): IteratorResult<T> => (this.hasNext() ? { done: false, value: this.next() } : { done: true, value: undefined }),
      return: (value?: unknown): IteratorResult<T> => {
        this.close();
        return { done: true, value: value as T };
      },
    };
  }

  protected guard(): void {
    if (this.#closed) throw new StorageClosedError(`This cursor over ${this.#owner.what} was closed`);
    this.#owner.checkCursor(this.#openedAt);
  }
}

/** A cursor over values taken when it was opened (get, readOnlyScan). */
export class PageArrayCursor<T> extends PageCursor<T> {
  readonly #items: readonly T[];
  #pos = 0;

  constructor(owner: CursorOwner, items: readonly T[]) {
    super(owner);
    this.#items = items;
  }

  hasNext(): boolean {
    this.guard();
    return this.#pos < this.#items.length;
  }

  next(): T {
    if (!this.hasNext()) throw noSuchElement();
    return this.#items[this.#pos++]!;
  }
}
