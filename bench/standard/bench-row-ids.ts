/**
 * Which RowIds the SPI-level benchmarks of aipersist (bench/aipersist, bench/delta-log) give new rows:
 * `BENCH_ROWIDS=time-ordered` (default) or `random`.
 *
 * - time-ordered (`RowId.timeOrdered`): what the spec's system does — Ignite 3 makes a RowId from a hybrid
 *   timestamp (`new RowId(partitionId, timestamp)`, `Timestamp.toUuid()`), so new rows' RowIds ascend — and what this
 *   product's tables do. New chains go to the version-chain tree's right edge, rows to the data pages in RowId order.
 * - random (`RowId.random`): UUID v4 RowIds, every insert at a random place of the version-chain tree (the figures
 *   these benchmarks reported before 2026-12-05).
 */
import type { RowId } from '../../src/domain/storage/row-id';

export type BenchRowIdKind = 'time-ordered' | 'random';

export function benchRowIdKind(): BenchRowIdKind {
  const v = process.env.BENCH_ROWIDS;
  if (v === undefined || v === '' || v === 'time-ordered') return 'time-ordered';
  if (v === 'random') return 'random';
  throw new Error(`BENCH_ROWIDS must be time-ordered or random, got ${v}`);
}

/** A maker of new RowIds of partition 0 of the kind BENCH_ROWIDS names. */
export function benchRowIds(api: { RowId: typeof RowId }): () => RowId {
  const RowIdClass = api.RowId;
  return benchRowIdKind() === 'random' ? () => RowIdClass.random(0) : () => RowIdClass.timeOrdered(0);
}
