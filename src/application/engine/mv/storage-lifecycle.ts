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
 */
import {
  StorageClosedError, StorageDestroyedError, StorageError, StorageRebalanceError,
} from '../../../domain/shared/errors';

export type StorageState = 'RUNNABLE' | 'REBALANCE' | 'CLEANUP' | 'CLOSED' | 'DESTROYED';

export class StorageLifecycle {
  state: StorageState = 'RUNNABLE';

  /** `what` names the storage in messages, e.g. "partition 3 of table 7". */
  constructor(readonly what: string) {}

  /** Reads, scans, removals, GC, meta updates: RUNNABLE only. */
  checkRunnable(): void {
    if (this.state !== 'RUNNABLE') this.#refuse();
  }

  /** addWrite / commitWrite / addWriteCommitted / index put: RUNNABLE or REBALANCE. */
  checkWritable(): void {
    if (this.state !== 'RUNNABLE' && this.state !== 'REBALANCE') this.#refuse();
  }

  /** Getters that answer −1/null during a rebalance: anything but CLOSED / DESTROYED / CLEANUP. */
  checkReadableMeta(): void {
    if (this.state === 'CLOSED' || this.state === 'DESTROYED' || this.state === 'CLEANUP') this.#refuse();
  }

  get isRebalancing(): boolean {
    return this.state === 'REBALANCE';
  }

  #refuse(): never {
    switch (this.state) {
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
        throw new StorageError(`${this.what} refused the operation in state ${this.state}`);
    }
  }
}
