/**
 * Cursors are pull-based and synchronous. `next()` without a next element throws; `close()` is idempotent and
 * releases what the cursor holds; using a closed cursor throws StorageClosedError. Iterable: `for..of` drains the
 * cursor, and leaving the loop early closes it.
 *
 * Errors of every call but close(): StorageClosedError (STORAGE_CLOSED) after close(); and, for a cursor of a
 * partition or index storage, the error of the first close, destroy, clear or rebalance since it was opened —
 * StorageClosedError, StorageDestroyedError (STORAGE_DESTROYED), StorageError STORAGE_CLEANUP or
 * StorageRebalanceError (STORAGE_REBALANCE) — for good, even once the partition is usable again.
 */
export interface Cursor<T> extends Iterable<T> {
  /** Whether next() has an element to return. */
  hasNext(): boolean;
  /**
   * The next element.
   * @throws StorageError NO_SUCH_ELEMENT when there is none (check hasNext() first); the errors above.
   */
  next(): T;
  /** Releases the cursor; idempotent. Later calls (but close) throw StorageClosedError (STORAGE_CLOSED). */
  close(): void;
}

/** A cursor whose `peek()` shows the next element without consuming it (null at the end). */
export interface PeekCursor<T> extends Cursor<T> {
  /**
   * The element the next next() would return, without consuming it; null at the end. For a live index cursor, that
   * answer (even null) is what the next hasNext() / next() use. Throws the errors of Cursor.
   */
  peek(): T | null;
}
