/** Field-by-field assertions on SPI result objects (rows and RowIds compared by value). */
import { expect } from 'vitest';
import { RowId } from '../../../src/domain/storage/row-id';
import { rowPicture } from './rows';

function picture(v: unknown): unknown {
  if (v instanceof RowId) return `RowId:${v.toString()}`;
  if (v !== null && typeof v === 'object' && 'bytes' in v && 'schemaVersion' in v) {
    return rowPicture(v as { schemaVersion: number; bytes: Uint8Array });
  }
  return v;
}

/** Every field named in `expected` must be present on `actual` with that value (null is not undefined). */
export function expectFields(actual: unknown, expected: Record<string, unknown>, what = 'result'): void {
  const source = actual as Record<string, unknown>;
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, picture(source[k])]));
  const wanted = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, picture(v)]));
  expect(picked, what).toEqual(wanted);
}

/** The fields of a read that found nothing (or a tombstone when `commitTimestamp` is given). */
export function emptyReadFields(rowId: RowId): Record<string, unknown> {
  return {
    rowId, binaryRow: null, transactionId: null, commitZoneId: null, commitPartitionId: -1,
    commitTimestamp: null, newestCommitTimestamp: null, isWriteIntent: false, isEmpty: true,
  };
}
