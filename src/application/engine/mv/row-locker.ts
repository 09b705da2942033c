/**
 * The Locker of runConsistently: row locks taken inside a closure are held until the outermost closure of that
 * partition ends. Closures are synchronous and JavaScript runs one at a time, so a lock can never be contended
 * by another closure while held; the locker records ownership so nested closures share it and callers can ask.
 */
import type { Locker } from '../../../domain/storage/storage-engine.api';
import type { RowId } from '../../../domain/storage/row-id';

export class RowLocker implements Locker {
  readonly #held = new Set<string>();

  lock(rowId: RowId): void {
    this.#held.add(key(rowId));
  }

  tryLock(rowId: RowId): boolean {
    this.#held.add(key(rowId));
    return true;
  }

  isLocked(rowId: RowId): boolean {
    return this.#held.has(key(rowId));
  }

  /** Called when the outermost closure ends. */
  releaseAll(): void {
    this.#held.clear();
  }
}

function key(rowId: RowId): string {
  return `${rowId.partitionId}:${rowId.w0}:${rowId.w1}:${rowId.w2}:${rowId.w3}`;
}
