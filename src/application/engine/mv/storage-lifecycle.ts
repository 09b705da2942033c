/**
 * Lifecycle of a partition storage (and of the indexes and cursors that belong to it):
 *
 *   RUNNABLE ⇄ REBALANCE (start / abort / finish rebalance)   RUNNABLE → CLEANUP → RUNNABLE (clear)
 *   any → CLOSED (close)   any → DESTROYED (destroy)
 *
 * DESIGN §6.1: during a rebalance only addWrite, commitWrite, addWriteCommitted, index put and the getters are
 * allowed; everything else — including cursors opened before — throws StorageRebalanceError, which wins over
 * IndexNotBuiltError. Closed → StorageClosedError, destroyed → StorageDestroyedError. Checks are a field compare
 * on the hot path; messages are built only when throwing.
 *
 * Cursors: a cursor remembers `epoch` when it opens and calls `checkCursor(openedAt)` on every use. Every
 * transition away from RUNNABLE starts a new epoch, so a cursor opened before a close, destroy, clear or rebalance
 * keeps failing with the error of the first such transition — even after the partition is RUNNABLE again.
 */
import {
  StorageClosedError, StorageDestroyedError, StorageError, StorageRebalanceError,
} from '../../../domain/shared/errors';

export type StorageState = 'RUNNABLE' | 'REBALANCE' | 'CLEANUP' | 'CLOSED' | 'DESTROYED';

export class StorageLifecycle {
  #state: StorageState = 'RUNNABLE';
  #epoch = 0;
  /** #entered[e] = the state entered when epoch e + 1 began. */
  readonly #entered: StorageState[] = [];

  /** `what` names the storage in messages, e.g. "partition 3 of table 7". */
  constructor(readonly what: string) {}

  get state(): StorageState {
    return this.#state;
  }

  /** Cursor-invalidation epoch: changes on every transition away from RUNNABLE. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Moves to `state`; leaving RUNNABLE (or moving between non-RUNNABLE states) invalidates open cursors. */
  transition(state: StorageState): void {
    if (state !== 'RUNNABLE') {
      this.#entered.push(state);
      this.#epoch++;
    }
    this.#state = state;
  }

  /** CursorOwner (page-cursor.ts): the epoch a cursor opened now belongs to. */
  cursorEpoch(): number {
    return this.#epoch;
  }

  /** For cursors: throws if the storage left RUNNABLE since `openedAt` (that transition's error) or is not RUNNABLE now. */
  checkCursor(openedAt: number): void {
    if (openedAt !== this.#epoch) this.#refuse(this.#entered[openedAt]!);
    if (this.#state !== 'RUNNABLE') this.#refuse();
  }

  /** Reads, scans, removals, GC, meta updates: RUNNABLE only. */
  checkRunnable(): void {
    if (this.#state !== 'RUNNABLE') this.#refuse();
  }

  /** addWrite / commitWrite / addWriteCommitted / index put: RUNNABLE or REBALANCE. */
  checkWritable(): void {
    if (this.#state !== 'RUNNABLE' && this.#state !== 'REBALANCE') this.#refuse();
  }

  /** Getters that answer −1/null during a rebalance: anything but CLOSED / DESTROYED / CLEANUP. */
  checkReadableMeta(): void {
    const s = this.#state;
    if (s === 'CLOSED' || s === 'DESTROYED' || s === 'CLEANUP') this.#refuse();
  }

  get isRebalancing(): boolean {
    return this.#state === 'REBALANCE';
  }

  #refuse(state: StorageState = this.#state): never {
    switch (state) {
      case 'CLOSED':
        throw new StorageClosedError(`${this.what} is closed; get the storage again from an open table`);
      case 'DESTROYED':
        throw new StorageDestroyedError(`${this.what} was destroyed; create it again to use it`);
      case 'REBALANCE':
        throw new StorageRebalanceError(
          `${this.what} is being rebalanced: only addWrite, commitWrite, addWriteCommitted and index put are allowed until the rebalance finishes or is aborted`,
        );
      case 'CLEANUP':
        throw new StorageError(`${this.what} is being cleared; retry when clearPartition has finished`, 'STORAGE_CLEANUP');
      default:
        throw new StorageError(`${this.what} refused the operation in state ${state}`);
    }
  }
}
