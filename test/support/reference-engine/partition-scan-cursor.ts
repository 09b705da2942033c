/**
 * The cursor of MvPartitionStorage.scan(ts): RowId order, skipping rows whose read at ts is empty and not a write
 * intent (committed tombstones, rows not yet visible). Live: each step reads the chains as they are now.
 * committed(ts) re-reads the row returned by the last next(); it throws before the first next() and once the cursor
 * is exhausted.
 */
import { StorageError } from '../../../src/domain/shared/errors';
import type { BinaryRow } from '../../../src/domain/storage/binary-row';
import type { ReadResult } from '../../../src/domain/storage/results';
import type { RowId } from '../../../src/domain/storage/row-id';
import type { PartitionTimestampCursor } from '../../../src/domain/storage/storage-engine.api';
import { GuardedCursor, noSuchElement } from './guarded-cursor';
import type { CursorRegistry } from './lifecycle';
import type { VersionChains } from './version-chains';

export class PartitionScanCursor extends GuardedCursor<ReadResult> implements PartitionTimestampCursor {
  #lastSeen: RowId | null = null;
  #cached: ReadResult | null = null;
  #current: RowId | null = null;
  #finished = false;

  constructor(registry: CursorRegistry, what: string, private readonly chains: VersionChains, private readonly ts: bigint) {
    super(registry, what);
  }

  hasNext(): boolean {
    this.guard();
    if (this.#cached !== null) return true;
    if (this.#finished) return false;
    for (;;) {
      const rowId = this.chains.rowIdAfter(this.#lastSeen);
      if (rowId === null) {
        this.#finished = true;
        this.#current = null;
        return false;
      }
      this.#lastSeen = rowId;
      const result = this.chains.read(rowId, this.ts);
      if (!result.isEmpty || result.isWriteIntent) {
        this.#cached = result;
        return true;
      }
    }
  }

  next(): ReadResult {
    if (!this.hasNext()) throw noSuchElement();
    const result = this.#cached!;
    this.#cached = null;
    this.#current = result.rowId;
    return result;
  }

  committed(ts: bigint): BinaryRow | null {
    this.guard();
    if (this.#current === null) {
      throw new StorageError('committed() needs a current row: call it after next() and before the cursor is exhausted', 'NO_CURRENT_ROW');
    }
    return this.chains.read(this.#current, ts).binaryRow;
  }
}
