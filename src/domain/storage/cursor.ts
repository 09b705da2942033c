/**
 * Cursors are pull-based and synchronous. `next()` without a next element throws; `close()` is idempotent and
 * releases what the cursor holds; using a closed cursor throws StorageClosedError.
 */
export interface Cursor<T> extends Iterable<T> {
  hasNext(): boolean;
  next(): T;
  close(): void;
}

/** A cursor whose `peek()` shows the next element without consuming it (null at the end). */
export interface PeekCursor<T> extends Cursor<T> {
  peek(): T | null;
}
