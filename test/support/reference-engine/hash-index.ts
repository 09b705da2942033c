/** Reference hash index: a Map from the canonical text of a key to its RowIds (kept sorted). */
import type { RowId } from '../../../src/domain/storage/row-id';
import type { HashIndexDescriptor } from '../../../src/domain/storage/index-descriptors';
import type { HashIndexStorage } from '../../../src/domain/storage/storage-engine.api';
import { ReferenceIndexBase } from './index-base';
import type { ClosureGate } from './lifecycle';
import { canonicalValue } from './key-order';
import { indexOfSorted, insertSorted } from './sorted-array';

const byRowId = (a: RowId, b: RowId): number => a.compareTo(b);

export class ReferenceHashIndex extends ReferenceIndexBase implements HashIndexStorage {
  #buckets = new Map<string, RowId[]>();

  constructor(partitionId: number, readonly descriptor: HashIndexDescriptor, gate: ClosureGate) {
    super(partitionId, descriptor.id, descriptor.primary === true, descriptor.columns, gate);
  }

  protected rowIdsOf(key: readonly unknown[]): RowId[] {
    return [...(this.#buckets.get(this.#canonical(key)) ?? [])];
  }

  protected putChecked(key: unknown[], rowId: RowId): void {
    const k = this.#canonical(key);
    const bucket = this.#buckets.get(k) ?? [];
    if (indexOfSorted(bucket, rowId, byRowId) < 0) insertSorted(bucket, rowId, byRowId);
    this.#buckets.set(k, bucket);
  }

  protected removeChecked(key: unknown[], rowId: RowId): void {
    const k = this.#canonical(key);
    const bucket = this.#buckets.get(k);
    const i = bucket === undefined ? -1 : indexOfSorted(bucket, rowId, byRowId);
    if (i < 0) return;
    bucket!.splice(i, 1);
    if (bucket!.length === 0) this.#buckets.delete(k);
  }

  protected clearEntries(): void {
    this.#buckets = new Map();
  }

  #canonical(key: readonly unknown[]): string {
    return key.map((v, i) => canonicalValue(this.descriptor.columns[i]!.type, v)).join('\u0000');
  }
}
