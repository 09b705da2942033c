/**
 * Snapshot-isolation transactions over the tables' MV partitions, on the node's hybrid clock.
 *
 * - Reads at the transaction's read timestamp see the newest committed version at or before it, plus (read-write)
 *   the transaction's own intents. Another transaction's intent is skipped while that transaction is active, or is
 *   committing with a later commit timestamp; a reader meeting the intent of a transaction committing at or before its
 *   timestamp waits (bounded) for the outcome. An intent whose transaction is unknown here (an earlier run of the
 *   node) is resolved by the reader from the transaction-state store: committed there → commitWrite, else abortWrite.
 * - A write meeting another transaction's pending intent, or a version committed after the writer's read timestamp,
 *   fails with TX_CONFLICT (first committer wins) and rolls the writer back.
 * - Commit: a commit timestamp; for durable tables the outcome is recorded durably (tx-state-store.ts); then the
 *   intents are committed, the changes emitted in commit order, and the commit resolves.
 */
import { MAX_VALUE, type HybridClock } from '../../domain/storage/hybrid-timestamp';
import { RowId } from '../../domain/storage/row-id';
import type { BinaryRow } from '../../domain/storage/binary-row';
import type { ReadResult } from '../../domain/storage/results';
import { StorageClosedError, StorageError, TransactionConflictError } from '../../domain/shared/errors';
import type { TablePartition } from './open-table';
import { CloseGate, CommitOrder, Tx } from './tx';
import type { TxStateStore } from './tx-state-store';
import { droppedKeyCount, dropStaleEntries, putIndexEntries } from './index-maintenance';
import {
  abortIntent, commitIntent, committedBelow, copyBinaries, emitChanges, lookupRowId, settleIntent, waitFor,
} from './tx-helpers';

export { lookupRowId, OUTCOME_WAIT_MILLIS } from './tx-helpers';

/** What a visibility check returns when the reader must wait for a commit's outcome and look again. */
export type Visible = BinaryRow | null | Promise<void>;

/** What a write did: see TxEngine.write. */
export type WriteOutcome = 'WRITTEN' | 'DUPLICATE' | 'ABSENT' | Promise<void>;

export class TxEngine {
  readonly #txs = new Map<string, Tx>();
  readonly #readers = new Set<Tx>();
  readonly #order = new CommitOrder();
  #txState: TxStateStore | null = null;
  readonly #closing = new CloseGate();

  constructor(readonly clock: HybridClock) {}

  /**
   * The node is closing: from now on every transaction call throws StorageClosedError and a rollback leaves the
   * storage alone (intents of a transaction without a commit record are rolled back when met after the next open).
   * Resolves once the commits already under way finished, before the caller closes the storage under them.
   */
  close(): Promise<void> {
    return this.#closing.close();
  }

  /** The durable transaction-state store, once a durable table exists. */
  set txState(store: TxStateStore | null) {
    this.#txState = store;
  }

  get txState(): TxStateStore | null {
    return this.#txState;
  }

  begin(readOnly: boolean, readTs: bigint = this.clock.now()): Tx {
    if (this.#closing.closed) throw new StorageClosedError('the node is closed; open it again with openNode()');
    if (readOnly) {
      const reader = new Tx('', readTs, true); // owns no intents: needs no id, only to hold the low watermark
      this.#readers.add(reader);
      return reader;
    }
    const tx = new Tx(globalThis.crypto.randomUUID(), readTs, readOnly);
    this.#txs.set(tx.id, tx);
    return tx;
  }

  /** Transactions still running (their read timestamps hold the low watermark back). */
  *active(): IterableIterator<Tx> {
    yield* this.#txs.values();
    yield* this.#readers;
  }

  /**
   * The version of `rowId` visible to a reader at `readTs` (own intents of `tx` included), or a promise to wait on.
   * `key` (the row's primary key, when known) lets a stale intent resolved on the way drop its entry if no version stays.
   */
  visible(part: TablePartition, rowId: RowId, readTs: bigint, tx: Tx | null, key: readonly unknown[] | null = null): Visible {
    for (let attempt = 0; ; attempt++) {
      const r = part.mv.read(rowId, readTs);
      const v = this.visibleOf(part, r, readTs, tx, key);
      if (v !== RETRY) return v;
      if (attempt > 3) throw new StorageError(`Row ${rowId} keeps changing while it is read; retry`, 'TX_RESOLUTION');
    }
  }

  /** Visibility of a read result (from read or a scan cursor); RETRY after it resolved a stale intent. */
  visibleOf(part: TablePartition, r: ReadResult, readTs: bigint, tx: Tx | null, key: readonly unknown[] | null = null): Visible | typeof RETRY {
    if (!r.isWriteIntent) {
      const inflight = part.inflight;
      if (inflight.size === 0 || r.commitTimestamp === null) return r.binaryRow;
      return inflight.get(r.commitTimestamp)?.then(() => undefined) ?? r.binaryRow; // committed, not durable yet: wait
    }
    const owner = r.transactionId!;
    if (tx !== null && owner === tx.id) return r.binaryRow;
    const other = this.#txs.get(owner);
    if (other === undefined) {
      this.#resolveForeign(part, r.rowId, owner, key);
      return RETRY;
    }
    switch (other.status) {
      case 'COMMITTING':
        if (other.commitTs! <= readTs) return waitFor(other);
        return committedBelow(part, r);
      case 'COMMITTED':
        return other.commitTs! <= readTs ? r.binaryRow : committedBelow(part, r);
      default:
        return committedBelow(part, r);
    }
  }

  /**
   * Writes `values` (null: delete) of the row with primary key `key` as an intent of `tx`, in one closure of the
   * partition: the key's RowId is looked up there (a new key gets a new RowId and its primary-key entry), so two
   * transactions inserting one key meet on one RowId. `when` checks the row the transaction sees first: 'absent'
   * (insert) answers DUPLICATE when there is one, 'present' (replace, delete) answers ABSENT when there is none; a
   * promise means the check must wait for another transaction's outcome (nothing was written: call again after it).
   * Throws TransactionConflictError (the transaction is rolled back).
   */
  write(
    part: TablePartition, tx: Tx, key: readonly unknown[], values: readonly unknown[] | null, when: 'always' | 'absent' | 'present',
  ): WriteOutcome {
    return part.mv.runConsistently(() => {
      const droppedBefore = droppedKeyCount();
      const found = lookupRowId(part, key);
      if (when !== 'always') {
        const seen = found === null ? null : this.visible(part, found, tx.readTs, tx, key);
        if (seen instanceof Promise) return seen;
        if (when === 'absent' && seen !== null) return 'DUPLICATE';
        if (when === 'present' && seen === null) return 'ABSENT';
      }
      const rowId = found ?? RowId.timeOrdered(part.id);
      let old: BinaryRow | null = null;
      if (found !== null) {
        let r = part.mv.read(rowId, MAX_VALUE);
        if (r.isWriteIntent && r.transactionId !== tx.id) r = this.#clearForWrite(part, tx, r, key);
        const newest = r.isWriteIntent ? r.newestCommitTimestamp : r.commitTimestamp;
        if (newest !== null && newest > tx.readTs) {
          throw this.#conflict(tx, part, `a version of the row was committed at ${newest}, after the transaction started at ${tx.readTs}`);
        }
        old = r.isWriteIntent ? null : r.binaryRow;
      }
      // Resolving a dead transaction's intent above may have emptied the chain and dropped its primary-key entry.
      const isNew = found === null || (droppedKeyCount() !== droppedBefore && lookupRowId(part, key) === null);
      this.#addWrite(part, tx, rowId, key, values, isNew, old);
      return 'WRITTEN';
    });
  }

  #addWrite(
    part: TablePartition, tx: Tx, rowId: RowId, key: readonly unknown[], values: readonly unknown[] | null, isNew: boolean, old: BinaryRow | null,
  ): void {
    const commit = tx.commitPartition ?? part;
    const row = values === null ? null : part.table.encode(values);
    const res = part.mv.addWrite(rowId, row, tx.id, commit.table.state.id, commit.id);
    if (res.status !== 'SUCCESS') throw this.#conflict(tx, part, `the row holds the intent of transaction ${res.currentWriteIntentTxId}`);
    if (isNew) part.pk.put({ key, rowId });
    if (values !== null) putIndexEntries(part, rowId, values);
    if (res.previousWriteIntent !== null) dropStaleEntries(part, rowId, res.previousWriteIntent);
    const kept = values !== null && part.table.hasChangeSubscribers ? copyBinaries(values) : values; // emitted later
    const earlier = tx.write(part, rowId); // an earlier write of this transaction (its intent may have been a delete)
    if (earlier !== undefined) {
      earlier.newValues = kept;
      // A delete of its own insert: the commit may drop the primary-key entry, by this key (VARBINARY: not the caller's).
      if (values === null && earlier.oldRow === null) earlier.key = copyBinaries(key);
    } else tx.record(part, { part, rowId, key: kept === values ? key : copyBinaries(key), oldRow: old, newValues: kept });
  }

  /**
   * Commits `tx`: resolves once its changes are durable and emitted. After close() it throws StorageClosedError
   * (the caller rolls the transaction back); a commit begun before runs to its end, and close() waits for it.
   */
  async commit(tx: Tx): Promise<void> {
    this.#checkUsable(tx);
    if (tx.writes.size === 0) {
      tx.finish('COMMITTED');
      this.#txs.delete(tx.id);
      return;
    }
    this.#closing.enter();
    try {
      await this.#commit(tx);
    } finally {
      this.#closing.leave();
    }
  }

  async #commit(tx: Tx): Promise<void> {
    tx.commitTs = this.clock.now();
    tx.status = 'COMMITTING';
    const ticket = this.#order.ticket();
    if (tx.writes.size === 1 && tx.commitPartition!.table.durable) return this.#commitOnePhase(tx, tx.commitPartition!, ticket);
    try {
      if (tx.hasDurableWrites) await this.#requireTxState().recordCommitted(tx.id, tx.commitTs);
    } catch (e) {
      this.#rollback(tx);
      await ticket.done(() => undefined);
      throw e;
    }
    tx.finish('COMMITTED');
    this.#resolveIntents(tx);
    await ticket.done(() => emitChanges(tx));
  }

  /**
   * A transaction that wrote to one partition of a durable table commits in one closure: its intents are committed
   * in one `runDurably` closure (one log record: all or nothing after a crash; no outcome record needed). Until that
   * record is durable the commit timestamp is in the partition's `inflight` map, and readers that meet a version of
   * it wait, so nothing is seen before it is durable.
   */
  async #commitOnePhase(tx: Tx, part: TablePartition, ticket: { done(emit: () => void): Promise<void> }): Promise<void> {
    const commitTs = tx.commitTs!;
    let durable!: () => void;
    part.inflight.set(commitTs, new Promise<void>((resolve) => {
      durable = resolve;
    }));
    try {
      await part.mv.runDurably(() => {
        for (const w of tx.writes.get(part)!) commitIntent(part, w, commitTs, tx.id);
      });
    } catch (e) {
      tx.finish('ABORTED'); // its outcome is unknown: the log could not confirm the commit record
      this.#txs.delete(tx.id);
      await ticket.done(() => undefined);
      throw e;
    } finally {
      part.inflight.delete(commitTs);
      durable();
    }
    tx.finish('COMMITTED');
    this.#txs.delete(tx.id);
    await ticket.done(() => emitChanges(tx));
  }

  /** Rolls `tx` back (idempotent; a finished transaction is left as it is). */
  rollback(tx: Tx): void {
    if (tx.status === 'ACTIVE') this.#rollback(tx);
  }

  /** A read-only transaction or a read-write one without writes ends. */
  release(tx: Tx): void {
    if (tx.status === 'ACTIVE') tx.finish(tx.writes.size === 0 ? 'COMMITTED' : 'ABORTED');
    if (tx.readOnly) this.#readers.delete(tx);
    else this.#txs.delete(tx.id);
  }

  /** Throws the transaction's conflict, or says it is finished. */
  #checkUsable(tx: Tx): void {
    if (this.#closing.closed) throw closedError();
    if (tx.conflict !== null) throw tx.conflict;
    if (tx.status !== 'ACTIVE') {
      throw new StorageError(`The transaction has already ${tx.status === 'ABORTED' ? 'been rolled back' : 'committed'}; start a new one`, 'TX_FINISHED');
    }
  }

  /** Called by every operation of a transaction before it runs. */
  checkUsable(tx: Tx): void {
    this.#checkUsable(tx);
  }

  #clearForWrite(part: TablePartition, tx: Tx, r: ReadResult, key: readonly unknown[]): ReadResult {
    const conflict = (owner: string) => this.#conflict(tx, part, `the row holds the write intent of transaction ${owner}, which is still running`);
    return this.clearIntent(part, r, conflict, key);
  }

  /**
   * Inside a closure of the partition: resolves the intent `r` found for a writer when its transaction has an outcome
   * (committed: commit it; aborted or unknown here and not committed in the store: roll it back) and returns the row
   * read again; throws `conflict(owner)` while its transaction is running or committing. `key` is the row's primary
   * key: a chain the outcome leaves empty loses its entry (see droppedKeyCount).
   */
  clearIntent(part: TablePartition, r: ReadResult, conflict: (owner: string) => Error, key: readonly unknown[]): ReadResult {
    const owner = r.transactionId!;
    const other = this.#txs.get(owner);
    if (other === undefined) this.#resolveForeign(part, r.rowId, owner, key);
    else if (other.status === 'ACTIVE' || other.status === 'COMMITTING') throw conflict(owner);
    else settleIntent(part, r.rowId, owner, other.status === 'COMMITTED' ? other.commitTs! : null, key);
    return part.mv.read(r.rowId, MAX_VALUE);
  }

  /** A place in the commit order for a commit that just took its timestamp (changes go out in commit order). */
  commitTicket(): { done(emit: () => void): Promise<void> } {
    return this.#order.ticket();
  }

  /** An intent of a transaction this process does not know: commit it if its outcome says so, else roll it back. */
  #resolveForeign(part: TablePartition, rowId: RowId, owner: string, key: readonly unknown[] | null): void {
    const committedAt = this.#txState?.committedAt(owner) ?? null;
    part.mv.runConsistently(() => settleIntent(part, rowId, owner, committedAt, key));
  }

  #conflict(tx: Tx, part: TablePartition, why: string): TransactionConflictError {
    const error = new TransactionConflictError(
      `Transaction conflict on table '${part.table.name}': ${why}; the transaction was rolled back — retry it ` +
        '(node.transaction retries by itself)', part.table.name);
    tx.conflict = error;
    queueMicrotask(() => this.#rollback(tx));
    return error;
  }

  #rollback(tx: Tx): void {
    if (tx.status === 'ABORTED' || tx.status === 'COMMITTED') return;
    for (const [part, rows] of tx.writes) {
      if (part.table.isDropped || this.#closing.closed) continue; // closed: its storage may be closed too (see close())
      part.mv.runConsistently(() => {
        for (const w of rows.values()) abortIntent(part, w.rowId, tx.id, w.key);
      });
    }
    tx.finish('ABORTED');
    this.#txs.delete(tx.id);
  }

  #resolveIntents(tx: Tx): void {
    for (const [part, rows] of tx.writes) {
      if (part.table.isDropped) continue;
      part.mv.runConsistently(() => {
        for (const w of rows.values()) commitIntent(part, w, tx.commitTs!, tx.id);
      });
    }
    this.#txs.delete(tx.id);
    if (tx.hasDurableWrites) this.#txState?.forget(tx.id, () => this.clock.now());
  }

  #requireTxState(): TxStateStore {
    if (this.#txState === null) throw new StorageError('No transaction-state store is open for durable tables', 'TX_STATE_UNAVAILABLE');
    return this.#txState;
  }
}

/** A transaction the node's close overtook: it ends rolled back (its intents go when met after the next open). */
function closedError(): StorageClosedError {
  return new StorageClosedError('the node is closed, so the transaction was not committed; open the node again with openNode() and run it again');
}

/** visibleOf's answer after it resolved a stale intent: read the row again. */
export const RETRY: unique symbol = Symbol('retry');

