/**
 * Cursor plumbing shared by the reference engine's cursors: lifecycle checks on every call, idempotent close,
 * and iteration (`for..of` drains the cursor; leaving the loop early closes it).
 */
import type { Cursor } from '../../../src/domain/storage/cursor';
import { StorageClosedError, StorageError } from '../../../src/domain/shared/errors';
import { type CursorRegistry, type Invalidatable, type StorageState, stateError } from './lifecycle';

export function noSuchElement(): StorageError {
  return new StorageError('The cursor has no next element; check hasNext() before next()', 'NO_SUCH_ELEMENT');
}

export abstract class GuardedCursor<T> implements Cursor<T>, Invalidatable {
  #closed = false;
  #invalidatedBy: StorageState | null = null;

  constructor(
    private readonly registry: CursorRegistry,
    private readonly what: string,
  ) {
    registry.add(this);
  }

  invalidate(state: StorageState): void {
    this.#invalidatedBy = state;
  }

  /** Throws when the cursor was closed, or when its storage's lifecycle moved on since it was opened. */
  protected guard(): void {
    if (this.#closed) throw new StorageClosedError(`This cursor over ${this.what} was closed`);
    if (this.#invalidatedBy !== null) throw stateError(this.#invalidatedBy, this.what);
  }

  abstract hasNext(): boolean;

  abstract next(): T;

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.registry.remove(this);
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
}

/** A cursor over a fixed array (a snapshot taken when it was opened). */
export class ArrayCursor<T> extends GuardedCursor<T> {
  #pos = 0;

  constructor(
    registry: CursorRegistry,
    what: string,
    private readonly items: readonly T[],
  ) {
    super(registry, what);
  }

  hasNext(): boolean {
    this.guard();
    return this.#pos < this.items.length;
  }

  next(): T {
    if (!this.hasNext()) throw noSuchElement();
    return this.items[this.#pos++]!;
  }
}
