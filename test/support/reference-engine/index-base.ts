/**
 * What the reference sorted and hash indexes share: lifecycle (driven by their partition), the "next RowId to
 * build" and the checks every operation makes.
 *
 * States: RUNNABLE; REBALANCE (only put is allowed, everything else throws StorageRebalanceError, which wins over
 * IndexNotBuiltError); CLEANUP (transient, while the partition is cleared); CLOSED; DESTROYED. Reads (get, scan,
 * readOnlyScan) throw IndexNotBuiltError while nextRowIdToBuild is not null; tolerantScan reads anyway. put, remove and
 * setNextRowIdToBuild need a running runConsistently closure of the partition (checked after the state).
 */
import { IndexNotBuiltError, InvalidArgumentError } from '../../../src/domain/shared/errors';
import { RowId } from '../../../src/domain/storage/row-id';
import type { Cursor } from '../../../src/domain/storage/cursor';
import type { IndexRow } from '../../../src/domain/storage/index-descriptors';
import { checkIndexRow } from '../../../src/application/engine/mv/mv-arguments';
import { ArrayCursor } from './guarded-cursor';
import { checkKey, type KeyColumn } from './key-order';
import { type ClosureGate, CursorRegistry, Lifecycle } from './lifecycle';

export abstract class ReferenceIndexBase {
  protected readonly lifecycle: Lifecycle;
  protected readonly cursors = new CursorRegistry();
  #nextRowIdToBuild: RowId | null;

  protected constructor(
    readonly partitionId: number,
    readonly indexId: number,
    private readonly primary: boolean,
    protected readonly keyColumns: readonly KeyColumn[],
    private readonly gate: ClosureGate,
  ) {
    this.lifecycle = new Lifecycle(`Index ${indexId} of partition ${partitionId}`);
    this.#nextRowIdToBuild = this.#initialRowIdToBuild();
  }

  get(key: readonly unknown[]): Cursor<RowId> {
    this.requireReadable(true);
    const checked = checkKey(this.keyColumns, key, false);
    return new ArrayCursor(this.cursors, this.describe(), this.rowIdsOf(checked));
  }

  put(row: IndexRow): void {
    this.lifecycle.requireRunnableOrRebalance();
    this.gate.require('put');
    checkIndexRow(row, 'put', this.describe());
    this.putChecked(checkKey(this.keyColumns, row.key, false), this.#checkRowId(row.rowId));
  }

  remove(row: IndexRow): void {
    this.lifecycle.requireRunnable();
    this.gate.require('remove');
    checkIndexRow(row, 'remove', this.describe());
    this.removeChecked(checkKey(this.keyColumns, row.key, false), this.#checkRowId(row.rowId));
  }

  getNextRowIdToBuild(): RowId | null {
    this.lifecycle.requireRunnable();
    return this.#nextRowIdToBuild;
  }

  setNextRowIdToBuild(rowId: RowId | null): void {
    this.lifecycle.requireRunnable();
    this.gate.require('setNextRowIdToBuild');
    this.#nextRowIdToBuild = rowId === null ? null : this.#checkRowId(rowId);
  }

  // Lifecycle transitions, called by the owning partition (or the table for destroyIndex).

  startRebalance(): void {
    this.#reset('REBALANCE');
  }

  abortRebalance(): void {
    this.#reset('RUNNABLE');
  }

  finishRebalance(): void {
    this.lifecycle.state = 'RUNNABLE';
    this.#nextRowIdToBuild = this.#initialRowIdToBuild();
  }

  clear(): void {
    this.#reset('CLEANUP');
    this.lifecycle.state = 'RUNNABLE';
  }

  close(): void {
    if (this.lifecycle.isEnded) return;
    this.lifecycle.state = 'CLOSED';
    this.cursors.invalidateAll('CLOSED');
  }

  destroy(): void {
    this.#reset('DESTROYED');
  }

  protected describe(): string {
    return `index ${this.indexId} of partition ${this.partitionId}`;
  }

  protected abstract rowIdsOf(key: readonly unknown[]): RowId[];

  protected abstract putChecked(key: unknown[], rowId: RowId): void;

  protected abstract removeChecked(key: unknown[], rowId: RowId): void;

  protected abstract clearEntries(): void;

  /** Throws for states that refuse reads and, when `mustBeBuilt`, for an index still being built. */
  protected requireReadable(mustBeBuilt: boolean): void {
    this.lifecycle.requireRunnable();
    if (mustBeBuilt && this.#nextRowIdToBuild !== null) {
      throw new IndexNotBuiltError(
        `Index ${this.indexId} of partition ${this.partitionId} is still being built (next RowId to build: ${this.#nextRowIdToBuild}); ` +
          'read it after the build finishes, or use tolerantScan');
    }
  }

  #reset(state: 'REBALANCE' | 'RUNNABLE' | 'CLEANUP' | 'DESTROYED'): void {
    this.lifecycle.state = state;
    if (state !== 'RUNNABLE') this.cursors.invalidateAll(state);
    this.clearEntries();
    this.#nextRowIdToBuild = this.#initialRowIdToBuild();
  }

  #initialRowIdToBuild(): RowId | null {
    return this.primary ? null : RowId.lowest(this.partitionId);
  }

  #checkRowId(rowId: RowId): RowId {
    if (!(rowId instanceof RowId)) throw new InvalidArgumentError('Expected a RowId');
    if (rowId.partitionId !== this.partitionId) {
      throw new InvalidArgumentError(`${rowId} belongs to partition ${rowId.partitionId}, not to partition ${this.partitionId} of this index`);
    }
    return rowId;
  }
}
