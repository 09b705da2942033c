/**
 * The Partition aggregate: identity of one MV partition, its lifecycle facts (`events$`), its pending buffer of
 * mutation events (event sourcing: state = checkpoint + replay of these), and its committed changes (`changes$`).
 *
 * Lock context: `beginClosure()` runs when the outermost runConsistently closure of the partition starts; every
 * mutation of the partition and its indexes calls `requireClosure()` first (OutsideClosureError, nothing changed,
 * when no closure of this partition is running) and `record*` after it succeeded; `endClosure(failed)` runs when
 * the outermost closure ends — also when it threw: there is no rollback, so every mutation that completed is in
 * the pages and must reach the log too (memory = checkpoint + replay) — it drains the buffer into the delta log,
 * then publishes committed changes (flagged `closureFailed` when the closure threw). Table-level changes (clear,
 * rebalance, index create/destroy, destroy) are appended at once with `recordNow`, after whatever a closure left
 * pending. Nothing is allocated for a mutation unless the delta log wants records or someone observes `changes$`.
 */
import { Subject, type Observable } from 'rxjs';
import type { AppendedBatch, DeltaLog } from '../ports/delta-log.port';
import { OutsideClosureError } from '../shared/errors';
import type { BinaryRow } from '../storage/binary-row';
import type { RowId } from '../storage/row-id';
import type { CommittedChange, PartitionEvent, PartitionMutation } from './partition.events';

/**
 * The streams of one MV partition: lifecycle facts (`events$`) and committed changes (`changes$`, published after
 * the outermost runConsistently closure that committed them ends, in commit order; built only while observed). A
 * closure that throws is not rolled back: its commits are published all the same, with `closureFailed: true` (the
 * flag follows the outermost closure: a nested failure its caller caught is a normal end). Both streams complete
 * when the partition is closed or destroyed.
 */
export interface PartitionStreams {
  /** Coarse lifecycle facts of the partition (created, cleared, rebalance started/aborted/finished, closed, destroyed). */
  readonly events$: Observable<PartitionEvent>;
  /**
   * Committed rows (commitWrite, addWriteCommitted), published when the outermost runConsistently closure that made
   * them ends, in commit order; flagged `closureFailed` when that closure threw. Built only while observed.
   */
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

  /** True when mutation events must be built (the delta log keeps them, and no replay is running). */
  get recording(): boolean {
    return this.log.wantsRecords && !this.#replaying;
  }

  #replaying = false;

  /**
   * Told the position of every batch appended (the MV storage writes it to the meta page, so that a checkpoint of
   * the pages names the last batch it covers); null: nobody listens.
   */
  onAppended: ((position: number) => void) | null = null;

  /** The batch the last outermost closure appended (null when it appended none): runDurably awaits it. */
  lastAppended: AppendedBatch | null = null;

  /** Runs `apply` with recording off: a replay applies records the log already has. */
  replay(apply: () => void): void {
    const was = this.#replaying;
    this.#replaying = true;
    try {
      apply();
    } finally {
      this.#replaying = was;
    }
  }

  #inClosure = false;

  /**
   * Whether the running closure has completed a mutation that may allocate (write admission: until then the page
   * memory's allocation floor keeps the last pages for closures that already changed something); reset when the
   * outermost closure starts.
   */
  closureAdmitted = false;

  /** The outermost runConsistently closure of this partition starts. */
  beginClosure(): void {
    this.#inClosure = true;
    this.closureAdmitted = false;
  }

  get inClosure(): boolean {
    return this.#inClosure;
  }

  /**
   * Throws OutsideClosureError unless a runConsistently closure of this partition is running: the first check of
   * every mutation (`call` names it), so that a refused one changes nothing.
   */
  requireClosure(call: string): void {
    if (this.#inClosure) return;
    throw new OutsideClosureError(
      `${call} on partition ${this.partitionId} of table ${this.tableId} was called outside a runConsistently closure of ` +
        'that partition (none is running — code after an await in a closure runs after it ended); nothing was changed. ' +
        'Call it inside partition.runConsistently(() => ...), synchronously',
    );
  }

  /** True when committed changes must be built (someone subscribed to changes$). */
  get publishing(): boolean {
    return this.#changes.observed;
  }

  record(mutation: PartitionMutation): void {
    this.#pending.push(mutation);
  }

  recordCommitted(rowId: RowId, row: BinaryRow | null, commitTimestamp: bigint): void {
    this.#pendingChanges.push({ tableId: this.tableId, partitionId: this.partitionId, rowId, row, commitTimestamp, closureFailed: false });
  }

  /** Mutations recorded since the last drain (for tests and recovery tooling). */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /**
   * Runs when the outermost closure ends (`failed`: it threw): log first (durability), then publish — the changes
   * of a failed closure with `closureFailed` set, as they are kept all the same. Returns the appended batch (null
   * when the closure changed nothing the log keeps).
   */
  endClosure(failed = false): AppendedBatch | null {
    this.#inClosure = false;
    const appended = this.#drain();
    this.lastAppended = appended;
    if (this.#pendingChanges.length > 0) {
      const changes = this.#pendingChanges;
      this.#pendingChanges = [];
      for (const c of changes) this.#changes.next(failed ? { ...c, closureFailed: true } : c);
    }
    return appended;
  }

  /** A table-level change: appended at once as its own batch, after what is pending (only when recording). */
  recordNow(mutation: PartitionMutation): void {
    if (!this.recording) return;
    this.#drain();
    this.#appended(this.log.append(this.tableId, this.partitionId, [mutation]));
  }

  #drain(): AppendedBatch | null {
    if (this.#pending.length === 0) return null;
    const batch = this.#pending;
    this.#pending = [];
    return this.#appended(this.log.append(this.tableId, this.partitionId, batch));
  }

  #appended(b: AppendedBatch): AppendedBatch {
    this.onAppended?.(b.position);
    return b;
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
