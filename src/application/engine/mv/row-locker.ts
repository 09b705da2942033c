/**
 * The Locker of runConsistently, and the checks of its closure argument. One RowLocker per outermost closure of a
 * partition: row locks taken inside it are held until that closure ends (nested closures share it), then it is
 * closed for good, so a Locker kept past its closure (or used after an `await`) fails with OutsideClosureError
 * instead of locking nothing. Closures are synchronous and JavaScript runs one at a time, so a lock can never be
 * contended by another closure while held; the locker records ownership so nested closures share it and callers
 * can ask.
 */
import { describeValue } from '../../../domain/shared/describe-value';
import { InvalidArgumentError, OutsideClosureError } from '../../../domain/shared/errors';
import type { Locker } from '../../../domain/storage/storage-engine.api';
import { RowId } from '../../../domain/storage/row-id';

export class RowLocker implements Locker {
  /** Created on the first lock (most closures of one write lock one row, many lock none). */
  #held: Set<string> | null = null;
  #open = true;

  /** `partitionId`: the partition whose closure this locker serves (RowIds of others are refused). */
  constructor(private readonly partitionId: number) {}

  lock(rowId: RowId): void {
    (this.#held ??= new Set()).add(this.#key(rowId, 'lock'));
  }

  tryLock(rowId: RowId): boolean {
    (this.#held ??= new Set()).add(this.#key(rowId, 'tryLock'));
    return true;
  }

  isLocked(rowId: RowId): boolean {
    const key = this.#key(rowId, 'isLocked');
    return this.#held !== null && this.#held.has(key);
  }

  /** Called when the outermost closure ends: every lock is released and the locker refuses further use. */
  close(): void {
    this.#open = false;
    this.#held = null;
  }

  #key(rowId: RowId, call: string): string {
    if (!this.#open) {
      throw new OutsideClosureError(
        `Locker.${call} was called after its runConsistently closure ended (its locks are released); use the locker only ` +
          'inside the closure it was passed to, synchronously');
    }
    if (!(rowId instanceof RowId)) throw new InvalidArgumentError(`Locker.${call} expects a RowId, got ${describeValue(rowId)}`);
    if (rowId.partitionId !== this.partitionId) {
      throw new InvalidArgumentError(
        `Locker.${call}: ${rowId} belongs to partition ${rowId.partitionId}; this locker serves partition ${this.partitionId}`);
    }
    return `${rowId.w0}:${rowId.w1}:${rowId.w2}:${rowId.w3}`;
  }
}
