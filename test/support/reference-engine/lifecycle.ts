/**
 * Lifecycle states of the reference engine's storages and the typed error each state gives to an operation it
 * refuses (DESIGN.md §6.1). Cursors register with the storage that opened them; a lifecycle transition
 * (close, destroy, rebalance start, clear) invalidates every cursor open at that moment, for good: a cursor
 * belongs to one "generation" of its storage and reports why that generation ended.
 */
import {
  type AistorageError,
  StorageClosedError,
  StorageDestroyedError,
  OutsideClosureError,
  StorageError,
  StorageRebalanceError,
} from '../../../src/domain/shared/errors';

export type StorageState = 'RUNNABLE' | 'REBALANCE' | 'CLEANUP' | 'CLOSED' | 'DESTROYED';

export function stateError(state: StorageState, what: string): AistorageError {
  switch (state) {
    case 'CLOSED':
      return new StorageClosedError(`${what} is closed; open the table again to use it`);
    case 'DESTROYED':
      return new StorageDestroyedError(`${what} was destroyed; create it again to use it`);
    case 'REBALANCE':
      return new StorageRebalanceError(`${what} is being rebalanced; retry after the rebalance finishes or aborts`);
    case 'CLEANUP':
      return new StorageError(`${what} was cleared while this operation was in progress; start it again`, 'STORAGE_CLEANUP');
    case 'RUNNABLE':
      return new StorageError(`${what}: unexpected lifecycle state`);
  }
}

/** Something a storage can invalidate when its lifecycle moves on. */
export interface Invalidatable {
  invalidate(state: StorageState): void;
}

/** The open cursors of one storage. */
export class CursorRegistry {
  readonly #open = new Set<Invalidatable>();

  add(cursor: Invalidatable): void {
    this.#open.add(cursor);
  }

  remove(cursor: Invalidatable): void {
    this.#open.delete(cursor);
  }

  /** Every cursor open now fails with `state`'s error from now on; the registry forgets them. */
  invalidateAll(state: StorageState): void {
    for (const cursor of this.#open) cursor.invalidate(state);
    this.#open.clear();
  }
}

/**
 * Whether a runConsistently closure of one partition is running; shared by the partition and its indexes, whose
 * mutations all require one (OutsideClosureError, nothing changed).
 */
export class ClosureGate {
  running = false;

  constructor(private readonly what: string) {}

  require(call: string): void {
    if (!this.running) {
      throw new OutsideClosureError(`${call} on ${this.what} was called outside a runConsistently closure of that partition`);
    }
  }
}

/** Holds a state and refuses operations the state does not allow. */
export class Lifecycle {
  state: StorageState = 'RUNNABLE';

  constructor(private readonly what: string) {}

  requireRunnable(): void {
    if (this.state !== 'RUNNABLE') throw stateError(this.state, this.what);
  }

  requireRunnableOrRebalance(): void {
    if (this.state !== 'RUNNABLE' && this.state !== 'REBALANCE') throw stateError(this.state, this.what);
  }

  /** Only CLOSED and DESTROYED refuse (used where the rebalance itself is the caller). */
  requireOpen(): void {
    if (this.state === 'CLOSED' || this.state === 'DESTROYED') throw stateError(this.state, this.what);
  }

  get isEnded(): boolean {
    return this.state === 'CLOSED' || this.state === 'DESTROYED';
  }
}
