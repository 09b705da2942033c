import { describe, expect, it } from 'vitest';
import { preferCopies, type Planned } from '../../../../../src/application/engine/aipersist/checkpoint-plan';
import type { CheckpointPartition } from '../../../../../src/domain/ports/page-store.port';
import type { PersistentRegion } from '../../../../../src/domain/region/persistent-region';

/** A region whose buffer holds `used` of 30 pages, and `copies[p]` copies of partition p. */
function region(used: number, copies: Record<number, number>): PersistentRegion {
  return {
    closed: false,
    pageMemory: {
      checkpointImages: () => ({ bufferUsedPages: used, bufferCapacityPages: 30 }),
      checkpointCopies: (cp: CheckpointPartition) => copies[cp.partitionId] ?? 0,
    },
  } as unknown as PersistentRegion;
}

const plan = (r: PersistentRegion, ...partitions: number[]): Planned[] =>
  partitions.map((partitionId) => ({ region: r, cp: { groupId: 1, partitionId } as CheckpointPartition }));

describe('the order of a checkpoint’s partitions (checkpoint-buffer protection)', () => {
  it('keeps the sorted order while the buffer is safe', () => {
    const planned = plan(region(20, { 3: 9 }), 0, 1, 2, 3);
    preferCopies(planned, 0);
    expect(planned.map((p) => p.cp.partitionId)).toEqual([0, 1, 2, 3]);
  });

  it('past 2/3 of the buffer, the partition (not started yet) with the most copies goes next', () => {
    const planned = plan(region(21, { 1: 2, 3: 9, 0: 5 }), 0, 1, 2, 3);
    preferCopies(planned, 1); // entry 0 is started: only 1..3 compete
    expect(planned.map((p) => p.cp.partitionId)).toEqual([0, 3, 2, 1]);
    preferCopies(planned, 2);
    expect(planned.map((p) => p.cp.partitionId)).toEqual([0, 3, 1, 2]);
  });

  it('only partitions of a region in danger are moved', () => {
    const planned = [...plan(region(5, { 0: 50 }), 0), ...plan(region(25, { 1: 1, 2: 3 }), 1, 2)];
    preferCopies(planned, 0);
    expect(planned.map((p) => p.cp.partitionId)).toEqual([2, 1, 0]); // swapped into place
  });
});
