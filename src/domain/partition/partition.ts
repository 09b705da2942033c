/**
 * The Partition aggregate: identity of one MV partition, its lifecycle facts (`events$`), its pending buffer of
 * mutation events (event sourcing: state = checkpoint + replay of these), and its committed changes (`changes$`).
 *
 * Lock context: `record*` run inside a runConsistently closure; `endClosure()` runs when the outermost closure
 * ends — it drains the buffer into the delta log, then publishes committed changes. Nothing is allocated for a
 * mutation unless the delta log wants records or someone observes `changes$`.
 */
import { Subject, type Observable } from 'rxjs';
import type { DeltaLog } from '../ports/delta-log.port';
import type { BinaryRow } from '../storage/binary-row';
import type { RowId } from '../storage/row-id';
import type { CommittedChange, PartitionEvent, PartitionMutation } from './partition.events';

/**
 * The streams of one MV partition: lifecycle facts (`events$`) and committed changes (`changes$`, published after
 * the runConsistently closure that committed them; built only while observed). Both complete when the partition is
 * closed or destroyed.
 */
export interface PartitionStreams {
  readonly events$: Observable<PartitionEvent>;
  readonly changes$: Observable<CommittedChange>;
}

export class Partition implements PartitionStreams {
  readonly #events = new Subject<PartitionEvent>();
  readonly #changes = new Subject<CommittedChange>();
  readonly events$: Observable<PartitionEvent> = this.#events.asObservable();
  readonly changes$: Observable<CommittedChange> = this.#changes.asObservable();
  #pending: PartitionMutation[] = [];
  #pendingChanges: CommittedChange[] = [];

  constructor(
    readonly tableId: number,
    readonly partitionId: number,
    private readonly log: DeltaLog,
  ) {}

  /** True when mutation events must be built (the delta log keeps them). */
  get recording(): boolean {
    return this.log.wantsRecords;
  }

  /** True when committed changes must be built (someone subscribed to changes$). */
  get publishing(): boolean {
    return this.#changes.observed;
  }

  record(mutation: PartitionMutation): void {
    this.#pending.push(mutation);
  }

  recordCommitted(rowId: RowId, row: BinaryRow | null, commitTimestamp: bigint): void {
    this.#pendingChanges.push({ tableId: this.tableId, partitionId: this.partitionId, rowId, row, commitTimestamp });
  }

  /** Mutations recorded since the last drain (for tests and recovery tooling). */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Runs when the outermost closure ends: log first (durability), then publish. */
  endClosure(): void {
    if (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      this.log.append(this.tableId, this.partitionId, batch);
    }
    if (this.#pendingChanges.length > 0) {
      const changes = this.#pendingChanges;
      this.#pendingChanges = [];
      for (const c of changes) this.#changes.next(c);
    }
  }

  /** Drops what a failed closure recorded (its page changes are undone by the caller's own rules). */
  discardPending(): void {
    this.#pending = [];
    this.#pendingChanges = [];
  }

  emit(type: PartitionEvent['type']): void {
    if (this.#events.observed) this.#events.next({ type, tableId: this.tableId, partitionId: this.partitionId } as PartitionEvent);
  }

  emitRebalanceFinished(lastAppliedIndex: number): void {
    if (this.#events.observed) {
      this.#events.next({ type: 'partition.rebalanceFinished', tableId: this.tableId, partitionId: this.partitionId, lastAppliedIndex });
    }
  }

  /** Completes both streams (close or destroy). */
  complete(): void {
    this.#events.complete();
    this.#changes.complete();
  }
}
